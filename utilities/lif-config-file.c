/* Copyright (c) 2026 The ovs-lif authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>

#include "lif-config-file.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "util.h"

/* libopenvswitch, linked statically, also defines functions named
 * json_object(), json_array(), json_string(), json_integer(), json_real()
 * and json_equal(), and the linker takes its definitions over libjansson's:
 * calling one of those here would call OVS's.  json_pack() makes the values
 * instead (see new_object() and the like below), and the names are
 * poisoned so that no call creeps in. */
#pragma GCC poison json_object json_array json_string json_integer
#pragma GCC poison json_real json_equal

/* The file's format is described by utilities/lif-config.schema.json and
 * lif-ctl(8); keep the three in step.
 *
 * libjansson reports where a syntax error is, but not where a value is once
 * the text is parsed.  So once libjansson has accepted the text, a small
 * scanner walks it again and builds a tree of positions ("struct pos_node")
 * that mirrors the JSON tree, and the schema checks below report each error
 * at the first character of the offending value, or of the member's name
 * for unknown or missing members. */

/* Highest ofport_request OVS accepts (OFPP_MAX - 1). */
#define MAX_OFPORT_REQUEST 65279

/* Where a JSON value, and its children, are in the text. */
struct pos_node {
    char *key;                  /* Member name (object members only). */
    struct lif_cfg_pos key_pos; /* Where the member name is. */
    struct lif_cfg_pos pos;     /* Where the value starts. */
    struct pos_node *children;  /* Members or elements, in text order. */
    size_t n_children;
    size_t allocated_children;
};

/* Walks text that libjansson has already accepted as valid JSON. */
struct scanner {
    const char *p;
    const char *end;
    int line;                   /* Current line, from 1. */
    int column;                 /* Characters consumed on this line. */
};

static void
scanner_advance(struct scanner *s)
{
    unsigned char c = *s->p++;
    if (c == '\n') {
        s->line++;
        s->column = 0;
    } else if ((c & 0xc0) != 0x80) {
        /* Count characters, not UTF-8 continuation bytes, as libjansson
         * does. */
        s->column++;
    }
}

static struct lif_cfg_pos
scanner_pos(const struct scanner *s)
{
    return (struct lif_cfg_pos) { s->line, s->column + 1 };
}

static void
scanner_skip_space(struct scanner *s)
{
    while (s->p < s->end && strchr(" \t\r\n", *s->p)) {
        scanner_advance(s);
    }
}

/* Skips a string and returns it, decoded. */
static char *
scanner_string(struct scanner *s)
{
    const char *start = s->p;

    scanner_advance(s);                         /* Opening quote. */
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\') {
            scanner_advance(s);
        }
        scanner_advance(s);
    }
    scanner_advance(s);                         /* Closing quote. */

    json_t *string = json_loadb(start, s->p - start, JSON_DECODE_ANY, NULL);
    char *decoded = xstrdup(string && json_is_string(string)
                            ? json_string_value(string) : "");
    json_decref(string);
    return decoded;
}

static void
scanner_value(struct scanner *s, struct pos_node *node)
{
    scanner_skip_space(s);
    node->pos = scanner_pos(s);
    if (s->p >= s->end) {
        return;
    }

    char open = *s->p;
    if (open == '"') {
        free(scanner_string(s));
    } else if (open == '{' || open == '[') {
        char close = open == '{' ? '}' : ']';

        scanner_advance(s);
        scanner_skip_space(s);
        while (s->p < s->end && *s->p != close) {
            if (node->n_children >= node->allocated_children) {
                node->children = x2nrealloc(node->children,
                                            &node->allocated_children,
                                            sizeof *node->children);
            }
            struct pos_node *child = &node->children[node->n_children++];
            *child = (struct pos_node) { .key = NULL };
            if (open == '{') {
                child->key_pos = scanner_pos(s);
                child->key = scanner_string(s);
                scanner_skip_space(s);
                scanner_advance(s);             /* ':' */
            }
            scanner_value(s, child);
            scanner_skip_space(s);
            if (s->p < s->end && *s->p == ',') {
                scanner_advance(s);
                scanner_skip_space(s);
            }
        }
        if (s->p < s->end) {
            scanner_advance(s);
        }
    } else {
        /* A number, true, false or null. */
        while (s->p < s->end && !strchr(",]} \t\r\n", *s->p)) {
            scanner_advance(s);
        }
    }
}

static void
pos_node_destroy(struct pos_node *node)
{
    for (size_t i = 0; i < node->n_children; i++) {
        pos_node_destroy(&node->children[i]);
    }
    free(node->children);
    free(node->key);
}

/* Returns the member 'key' of the object at 'node', or NULL. */
static const struct pos_node *
pos_member(const struct pos_node *node, const char *key)
{
    if (node) {
        for (size_t i = 0; i < node->n_children; i++) {
            if (node->children[i].key
                && !strcmp(node->children[i].key, key)) {
                return &node->children[i];
            }
        }
    }
    return NULL;
}

/* Returns element 'i' of the array at 'node', or NULL. */
static const struct pos_node *
pos_element(const struct pos_node *node, size_t i)
{
    return node && i < node->n_children ? &node->children[i] : NULL;
}

static struct lif_cfg_pos
pos_of(const struct pos_node *node)
{
    return node ? node->pos : (struct lif_cfg_pos) { 0, 0 };
}

/* An error found in the file. */
struct cfg_error {
    struct lif_cfg_pos pos;
    size_t seq;                 /* Order of discovery, to sort stably. */
    char *msg;
};

/* The state of one lif_cfg_parse() call. */
struct parser {
    const char *file_name;
    struct cfg_error *errors;
    size_t n_errors;
    size_t allocated_errors;
};

static void OVS_PRINTF_FORMAT(3, 4)
parser_error(struct parser *p, struct lif_cfg_pos pos, const char *format,
             ...)
{
    if (p->n_errors >= p->allocated_errors) {
        p->errors = x2nrealloc(p->errors, &p->allocated_errors,
                               sizeof *p->errors);
    }
    struct cfg_error *e = &p->errors[p->n_errors];
    va_list args;

    va_start(args, format);
    e->msg = xvasprintf(format, args);
    va_end(args);
    e->pos = pos;
    e->seq = p->n_errors++;
}

static int
compare_errors(const void *a_, const void *b_)
{
    const struct cfg_error *a = a_;
    const struct cfg_error *b = b_;

    if (a->pos.line != b->pos.line) {
        return a->pos.line < b->pos.line ? -1 : 1;
    }
    if (a->pos.column != b->pos.column) {
        return a->pos.column < b->pos.column ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *
json_type_name(const json_t *json)
{
    switch (json_typeof(json)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
    default:
        return "null";
    }
}

/* Reports every member of 'obj' (at 'node') whose name is not in 'keys', a
 * null-terminated list, as an error at the member's name.  'what' names the
 * object in messages. */
static void
check_members(struct parser *p, const json_t *obj,
              const struct pos_node *node, const char *what,
              const char *const keys[])
{
    const char *key;
    json_t *value;

    json_object_foreach (CONST_CAST(json_t *, obj), key, value) {
        bool known = false;
        for (size_t i = 0; keys[i]; i++) {
            if (!strcmp(keys[i], key)) {
                known = true;
                break;
            }
        }
        if (!known) {
            struct ds expected = DS_EMPTY_INITIALIZER;
            for (size_t i = 0; keys[i]; i++) {
                ds_put_format(&expected, "%s%s", i ? ", " : "", keys[i]);
            }
            const struct pos_node *m = pos_member(node, key);
            parser_error(p, m ? m->key_pos : pos_of(node),
                         "unknown member \"%s\" in %s (expected: %s)",
                         key, what, ds_cstr(&expected));
            ds_destroy(&expected);
        }
    }
}

/* Returns member 'key' of 'obj' (at 'node') if it has type 'type', storing
 * its position node in '*vnode'.  Reports an error and returns NULL if it
 * has another type, or if it is missing and 'required'. */
static json_t *
get_member(struct parser *p, const json_t *obj, const struct pos_node *node,
           const char *what, const char *key, json_type type, bool required,
           const struct pos_node **vnode)
{
    json_t *value = json_object_get(obj, key);
    *vnode = pos_member(node, key);
    if (!value) {
        if (required) {
            parser_error(p, pos_of(node), "%s has no \"%s\"", what, key);
        }
        return NULL;
    }

    static const char *const names[] = {
        [JSON_OBJECT] = "an object",
        [JSON_ARRAY] = "an array",
        [JSON_STRING] = "a string",
        [JSON_INTEGER] = "an integer",
    };
    if (json_typeof(value) != type) {
        parser_error(p, pos_of(*vnode), "\"%s\" must be %s, not %s",
                     key, names[type], json_type_name(value));
        return NULL;
    }
    return value;
}

/* Gets string member 'key' into '*valuep' (a copy), or 'dflt' if it is
 * missing or invalid.  An empty string is an error if '!empty_ok'. */
static bool
get_string(struct parser *p, const json_t *obj, const struct pos_node *node,
           const char *what, const char *key, bool required, bool empty_ok,
           const char *dflt, char **valuep, struct lif_cfg_pos *posp)
{
    const struct pos_node *vnode;
    json_t *value = get_member(p, obj, node, what, key, JSON_STRING,
                               required, &vnode);
    const char *s = value ? json_string_value(value) : NULL;

    if (s && !s[0] && !empty_ok) {
        parser_error(p, pos_of(vnode), "\"%s\" must not be empty", key);
        s = NULL;
    }
    free(*valuep);
    *valuep = xstrdup(s ? s : dflt);
    if (posp) {
        *posp = pos_of(vnode ? vnode : node);
    }
    return s != NULL;
}

/* Gets integer member 'key', between 'min' and 'max', into '*valuep', or
 * 'dflt' if it is missing or invalid. */
static void
get_int(struct parser *p, const json_t *obj, const struct pos_node *node,
        const char *what, const char *key, bool required,
        json_int_t min, json_int_t max, int dflt, int *valuep)
{
    const struct pos_node *vnode;
    json_t *value = get_member(p, obj, node, what, key, JSON_INTEGER,
                               required, &vnode);

    *valuep = dflt;
    if (value) {
        json_int_t i = json_integer_value(value);
        if (i < min || i > max) {
            parser_error(p, pos_of(vnode),
                         "\"%s\" must be between %"JSON_INTEGER_FORMAT
                         " and %"JSON_INTEGER_FORMAT", not %"
                         JSON_INTEGER_FORMAT, key, min, max, i);
        } else {
            *valuep = i;
        }
    }
}

/* Where a name was first seen, to report duplicates. */
struct seen_name {
    struct lif_cfg_pos pos;
    const char *what;           /* "bridge", "interface"... */
};

/* Records 'name' at 'pos' in 'seen' and returns true, or reports it as a
 * duplicate and returns false. */
static bool
check_unique(struct parser *p, struct shash *seen, const char *name,
             struct lif_cfg_pos pos, const char *what)
{
    const struct seen_name *first = shash_find_data(seen, name);
    if (first) {
        parser_error(p, pos, "\"%s\" is already listed at %d:%d, as %s",
                     name, first->pos.line, first->pos.column, first->what);
        return false;
    }

    struct seen_name *s = xmalloc(sizeof *s);
    *s = (struct seen_name) { pos, what };
    shash_add(seen, name, s);
    return true;
}

static void
parse_options(struct parser *p, const json_t *obj,
              const struct pos_node *node, struct smap *options)
{
    const struct pos_node *vnode;
    json_t *value = get_member(p, obj, node, "a sub-interface", "options",
                               JSON_OBJECT, false, &vnode);
    const char *key;
    json_t *v;

    json_object_foreach (value, key, v) {
        if (json_is_string(v)) {
            smap_replace(options, key, json_string_value(v));
        } else {
            parser_error(p, pos_of(pos_member(vnode, key)),
                         "option \"%s\" must be a string, not %s", key,
                         json_type_name(v));
        }
    }
}

static void
parse_subif(struct parser *p, const json_t *obj, const struct pos_node *node,
            struct lif_cfg_lif *lif, struct shash *ifaces)
{
    static const char *const keys[] = {
        "name", "type", "options", "ofport_request", "priority",
        "technology", "lladdr", NULL,
    };
    static const char what[] = "a sub-interface";

    struct lif_cfg_subif *subif = lif_cfg_add_subif(lif, "");
    check_members(p, obj, node, what, keys);
    if (get_string(p, obj, node, what, "name", true, false, "",
                   &subif->name, &subif->pos)) {
        check_unique(p, ifaces, subif->name, subif->pos, "a sub-interface");
    }
    get_string(p, obj, node, what, "type", false, true, "", &subif->type,
               NULL);
    parse_options(p, obj, node, subif->options);
    get_int(p, obj, node, what, "ofport_request", false, 1,
            MAX_OFPORT_REQUEST, 0, &subif->ofport_request);
    get_int(p, obj, node, what, "priority", false, 0, 65535,
            LIF_DEFAULT_PRIORITY, &subif->priority);
    get_string(p, obj, node, what, "technology", false, true, "",
               &subif->technology, NULL);

    char *lladdr = NULL;
    struct lif_cfg_pos pos;
    if (get_string(p, obj, node, what, "lladdr", false, false, "logical",
                   &lladdr, &pos)) {
        if (!lif_lladdr_mode_from_string(lladdr, &subif->lladdr)) {
            parser_error(p, pos, "\"lladdr\" of a sub-interface must be "
                         "\"logical\" or \"own\", not \"%s\"", lladdr);
        }
    }
    free(lladdr);
}

static void
parse_policy(struct parser *p, const json_t *obj, const struct pos_node *node,
             struct lif_cfg_lif *lif, struct shash *policies)
{
    static const char *const keys[] = {
        "name", "priority", "match", "sub_interfaces", "mode", NULL,
    };
    static const char what[] = "a policy";

    struct lif_cfg_policy *policy = lif_cfg_add_policy(lif, "");
    struct lif_cfg_pos pos;

    check_members(p, obj, node, what, keys);
    if (get_string(p, obj, node, what, "name", true, false, "",
                   &policy->name, &pos)) {
        check_unique(p, policies, policy->name, pos, "a policy");
    }
    get_int(p, obj, node, what, "priority", true, 0, 65535, 0,
            &policy->priority);
    if (get_string(p, obj, node, what, "match", true, true, "",
                   &policy->match, &pos)) {
        char *error = lif_cfg_check_match(policy->match);
        if (error) {
            parser_error(p, pos, "\"match\": %s", error);
            free(error);
        }
    }
    if (get_string(p, obj, node, what, "mode", false, false, "failover",
                   &policy->mode, &pos)
        && !lif_cfg_mode_is_valid(policy->mode)) {
        parser_error(p, pos, "\"mode\" must be \"failover\", \"balance\" "
                     "or \"redundant\", not \"%s\"", policy->mode);
    }

    const struct pos_node *vnode;
    json_t *subifs = get_member(p, obj, node, what, "sub_interfaces",
                                JSON_ARRAY, true, &vnode);
    if (subifs && !json_array_size(subifs)) {
        parser_error(p, pos_of(vnode), "\"sub_interfaces\" must list at "
                     "least one sub-interface");
    }
    for (size_t i = 0; i < json_array_size(subifs); i++) {
        json_t *name = json_array_get(subifs, i);
        const struct pos_node *enode = pos_element(vnode, i);
        if (!json_is_string(name)) {
            parser_error(p, pos_of(enode), "\"sub_interfaces\" must list "
                         "names (strings), not %s", json_type_name(name));
            continue;
        }

        const char *s = json_string_value(name);
        bool found = false;
        for (size_t j = 0; j < lif->n_subifs; j++) {
            found = found || !strcmp(lif->subifs[j].name, s);
        }
        if (!found) {
            parser_error(p, pos_of(enode), "\"%s\" is not a sub-interface "
                         "of LIF %s", s, lif->name);
        } else if (svec_contains_unsorted(&policy->sub_interfaces, s)) {
            parser_error(p, pos_of(enode), "\"%s\" is listed twice", s);
        }
        svec_add(&policy->sub_interfaces, s);
    }
}

static void
parse_lif(struct parser *p, const json_t *obj, const struct pos_node *node,
          struct lif_cfg *cfg, struct shash *bridges, struct shash *ifaces)
{
    static const char *const keys[] = {
        "bridge", "datapath_type", "name", "ofport_request", "lladdr",
        "vll_id", "sub_interfaces", "policies", NULL,
    };
    static const char what[] = "a LIF";

    struct lif_cfg_lif *lif = lif_cfg_add_lif(cfg, "", "");
    check_members(p, obj, node, what, keys);
    if (get_string(p, obj, node, what, "bridge", true, false, "",
                   &lif->bridge, &lif->bridge_pos)) {
        /* The bridge's own port has the bridge's name. */
        if (check_unique(p, bridges, lif->bridge, lif->bridge_pos,
                         "a bridge")) {
            check_unique(p, ifaces, lif->bridge, lif->bridge_pos,
                         "a bridge (and its own port)");
        }
    }
    get_string(p, obj, node, what, "datapath_type", false, true, "",
               &lif->datapath_type, NULL);
    if (get_string(p, obj, node, what, "name", true, false, "",
                   &lif->name, &lif->name_pos)) {
        check_unique(p, ifaces, lif->name, lif->name_pos, "a LIF");
    }
    get_int(p, obj, node, what, "ofport_request", false, 1,
            MAX_OFPORT_REQUEST, 0, &lif->ofport_request);

    struct lif_cfg_pos pos;
    char *vll_id = NULL;
    if (get_string(p, obj, node, what, "vll_id", false, false, "",
                   &vll_id, &pos)) {
        if (!eth_addr_from_string(vll_id, &lif->vll_id)
            || eth_addr_is_zero(lif->vll_id)
            || eth_addr_is_multicast(lif->vll_id)) {
            parser_error(p, pos, "\"vll_id\" must be a unicast Ethernet "
                         "address, not \"%s\"", vll_id);
        } else {
            lif->has_vll_id = true;
        }
    }
    free(vll_id);

    const struct pos_node *vnode;
    json_t *subifs = get_member(p, obj, node, what, "sub_interfaces",
                                JSON_ARRAY, false, &vnode);
    struct shash ofports = SHASH_INITIALIZER(&ofports);
    if (lif->ofport_request) {
        char *s = xasprintf("%d", lif->ofport_request);
        check_unique(p, &ofports, s, pos_of(pos_member(node,
                                                       "ofport_request")),
                     "an ofport_request");
        free(s);
    }
    for (size_t i = 0; i < json_array_size(subifs); i++) {
        json_t *subif = json_array_get(subifs, i);
        const struct pos_node *enode = pos_element(vnode, i);
        if (!json_is_object(subif)) {
            parser_error(p, pos_of(enode), "a sub-interface must be an "
                         "object, not %s", json_type_name(subif));
            continue;
        }
        parse_subif(p, subif, enode, lif, ifaces);

        int ofport = lif->subifs[lif->n_subifs - 1].ofport_request;
        if (ofport) {
            char *s = xasprintf("%d", ofport);
            check_unique(p, &ofports, s,
                         pos_of(pos_member(enode, "ofport_request")),
                         "an ofport_request");
            free(s);
        }
    }
    shash_destroy_free_data(&ofports);

    /* The LIF's lladdr may name one of its sub-interfaces. */
    if (get_string(p, obj, node, what, "lladdr", false, false, "virtual",
                   &lif->lladdr, &pos)
        && strcmp(lif->lladdr, "virtual")) {
        bool found = false;
        for (size_t i = 0; i < lif->n_subifs; i++) {
            found = found || !strcmp(lif->subifs[i].name, lif->lladdr);
        }
        if (!found) {
            parser_error(p, pos, "\"lladdr\" of a LIF must be \"virtual\" "
                         "or the name of one of its sub-interfaces, not "
                         "\"%s\"", lif->lladdr);
        }
    }

    json_t *policies = get_member(p, obj, node, what, "policies",
                                  JSON_ARRAY, false, &vnode);
    struct shash policy_names = SHASH_INITIALIZER(&policy_names);
    for (size_t i = 0; i < json_array_size(policies); i++) {
        json_t *policy = json_array_get(policies, i);
        const struct pos_node *enode = pos_element(vnode, i);
        if (!json_is_object(policy)) {
            parser_error(p, pos_of(enode), "a policy must be an object, "
                         "not %s", json_type_name(policy));
            continue;
        }
        parse_policy(p, policy, enode, lif, &policy_names);
    }
    shash_destroy_free_data(&policy_names);
}

static void
parse_root(struct parser *p, const json_t *root, const struct pos_node *node,
           struct lif_cfg *cfg)
{
    static const char *const keys[] = { "lifs", NULL };

    if (!json_is_object(root)) {
        parser_error(p, pos_of(node), "the configuration must be an object, "
                     "not %s", json_type_name(root));
        return;
    }
    check_members(p, root, node, "the configuration", keys);

    const struct pos_node *vnode;
    json_t *lifs = get_member(p, root, node, "the configuration", "lifs",
                              JSON_ARRAY, false, &vnode);
    struct shash bridges = SHASH_INITIALIZER(&bridges);
    struct shash ifaces = SHASH_INITIALIZER(&ifaces);
    for (size_t i = 0; i < json_array_size(lifs); i++) {
        json_t *lif = json_array_get(lifs, i);
        const struct pos_node *enode = pos_element(vnode, i);
        if (!json_is_object(lif)) {
            parser_error(p, pos_of(enode), "a LIF must be an object, not %s",
                         json_type_name(lif));
            continue;
        }
        parse_lif(p, lif, enode, cfg, &bridges, &ifaces);
    }
    shash_destroy_free_data(&bridges);
    shash_destroy_free_data(&ifaces);
}

/* Parses and validates the configuration in 'text' (of 'length' bytes, read
 * from 'file_name', which only appears in messages) into 'cfg', which must
 * be initialized and empty.
 *
 * Returns true if it is valid.  Otherwise, appends to 'errors' one message
 * per error, in order of position, as "FILE:LINE:COLUMN: message", and
 * returns false; 'cfg' then holds what could be parsed. */
bool
lif_cfg_parse(const char *text, size_t length, const char *file_name,
              struct lif_cfg *cfg, struct svec *errors)
{
    json_error_t jerror;
    json_t *root = json_loadb(text, length, JSON_REJECT_DUPLICATES, &jerror);
    if (!root) {
        svec_add_nocopy(errors, xasprintf("%s:%d:%d: %s", file_name,
                                          jerror.line, jerror.column,
                                          jerror.text));
        return false;
    }

    struct scanner s = { text, text + length, 1, 0 };
    struct pos_node top = { .key = NULL };
    scanner_value(&s, &top);

    struct parser p = { .file_name = file_name };
    parse_root(&p, root, &top, cfg);
    json_decref(root);
    pos_node_destroy(&top);

    if (p.n_errors) {
        qsort(p.errors, p.n_errors, sizeof *p.errors, compare_errors);
    }
    for (size_t i = 0; i < p.n_errors; i++) {
        struct cfg_error *e = &p.errors[i];
        svec_add_nocopy(errors, xasprintf("%s:%d:%d: %s", file_name,
                                          e->pos.line, e->pos.column,
                                          e->msg));
        free(e->msg);
    }
    free(p.errors);
    return !p.n_errors;
}

/* Returns NULL if 'match' is a valid policy match: ovs-ofctl(8) flow syntax
 * over L3 and L4 fields only.  Otherwise returns an error message, which
 * the caller must free. */
char *
lif_cfg_check_match(const char *match)
{
    struct ofputil_flow_mod fm;
    enum ofputil_protocol usable;
    char *error = parse_ofp_str(&fm, -1, match, NULL, NULL, &usable);
    if (error) {
        return error;
    }

    struct match m;
    minimatch_expand(&fm.match, &m);
    minimatch_destroy(&fm.match);
    free(CONST_CAST(struct ofpact *, fm.ofpacts));
    if (fm.table_id != 0xff || fm.cookie_mask || fm.out_port != OFPP_ANY
        || fm.out_group != OFPG_ANY) {
        return xasprintf("\"%s\" may only match packet fields", match);
    }

    /* Take away the L3 and L4 fields; nothing may remain. */
    struct flow_wildcards wc = m.wc;
    wc.masks.packet_type = 0;
    wc.masks.dl_type = 0;
    wc.masks.nw_src = 0;
    wc.masks.nw_dst = 0;
    wc.masks.ipv6_src = in6addr_any;
    wc.masks.ipv6_dst = in6addr_any;
    wc.masks.ipv6_label = 0;
    wc.masks.nw_proto = 0;
    wc.masks.nw_tos = 0;
    wc.masks.nw_ttl = 0;
    wc.masks.nw_frag = 0;
    wc.masks.tp_src = 0;
    wc.masks.tp_dst = 0;
    wc.masks.tcp_flags = 0;
    for (int i = 0; i < MFF_N_IDS; i++) {
        const struct mf_field *mf = mf_from_id(i);
        if (!mf_is_all_wild(mf, &wc)) {
            return xasprintf("\"%s\": field %s is not an L3 or L4 field "
                             "of the host's packets", match, mf->name);
        }
    }
    return NULL;
}

/* Returns true if 'mode' is a valid Flow_Policy mode. */
bool
lif_cfg_mode_is_valid(const char *mode)
{
    return (!strcmp(mode, "failover") || !strcmp(mode, "balance")
            || !strcmp(mode, "redundant"));
}

/* Initializes 'cfg' as empty. */
void
lif_cfg_init(struct lif_cfg *cfg)
{
    *cfg = (struct lif_cfg) { .lifs = NULL };
}

/* Frees everything 'cfg' holds. */
void
lif_cfg_destroy(struct lif_cfg *cfg)
{
    for (size_t i = 0; i < cfg->n_lifs; i++) {
        struct lif_cfg_lif *lif = &cfg->lifs[i];
        for (size_t j = 0; j < lif->n_subifs; j++) {
            struct lif_cfg_subif *subif = &lif->subifs[j];
            free(subif->name);
            free(subif->type);
            smap_destroy(subif->options);
            free(subif->options);
            free(subif->technology);
        }
        free(lif->subifs);
        for (size_t j = 0; j < lif->n_policies; j++) {
            struct lif_cfg_policy *policy = &lif->policies[j];
            free(policy->name);
            free(policy->match);
            svec_destroy(&policy->sub_interfaces);
            free(policy->mode);
        }
        free(lif->policies);
        free(lif->bridge);
        free(lif->datapath_type);
        free(lif->name);
        free(lif->lladdr);
    }
    free(cfg->lifs);
    lif_cfg_init(cfg);
}

/* Adds a LIF 'name' on 'bridge', with default settings, to 'cfg' and
 * returns it.  The pointer is valid until the next call. */
struct lif_cfg_lif *
lif_cfg_add_lif(struct lif_cfg *cfg, const char *bridge, const char *name)
{
    cfg->lifs = xrealloc(cfg->lifs, (cfg->n_lifs + 1) * sizeof *cfg->lifs);
    struct lif_cfg_lif *lif = &cfg->lifs[cfg->n_lifs++];
    *lif = (struct lif_cfg_lif) {
        .bridge = xstrdup(bridge),
        .datapath_type = xstrdup(""),
        .name = xstrdup(name),
        .lladdr = xstrdup("virtual"),
    };
    return lif;
}

/* Adds a sub-interface 'name', with default settings, to 'lif' and returns
 * it.  The pointer is valid until the next call. */
struct lif_cfg_subif *
lif_cfg_add_subif(struct lif_cfg_lif *lif, const char *name)
{
    lif->subifs = xrealloc(lif->subifs,
                           (lif->n_subifs + 1) * sizeof *lif->subifs);
    struct lif_cfg_subif *subif = &lif->subifs[lif->n_subifs++];
    *subif = (struct lif_cfg_subif) {
        .name = xstrdup(name),
        .type = xstrdup(""),
        .priority = LIF_DEFAULT_PRIORITY,
        .technology = xstrdup(""),
        .lladdr = LIF_LLADDR_LOGICAL,
    };
    subif->options = xmalloc(sizeof *subif->options);
    smap_init(subif->options);
    return subif;
}

/* Adds a policy 'name', with default settings, to 'lif' and returns it.
 * The pointer is valid until the next call. */
struct lif_cfg_policy *
lif_cfg_add_policy(struct lif_cfg_lif *lif, const char *name)
{
    lif->policies = xrealloc(lif->policies,
                             (lif->n_policies + 1) * sizeof *lif->policies);
    struct lif_cfg_policy *policy = &lif->policies[lif->n_policies++];
    *policy = (struct lif_cfg_policy) {
        .name = xstrdup(name),
        .match = xstrdup(""),
        .mode = xstrdup("failover"),
    };
    svec_init(&policy->sub_interfaces);
    return policy;
}

static int
compare_lifs(const void *a_, const void *b_)
{
    const struct lif_cfg_lif *a = a_;
    const struct lif_cfg_lif *b = b_;
    return strcmp(a->bridge, b->bridge);
}

static int
compare_subifs(const void *a_, const void *b_)
{
    const struct lif_cfg_subif *a = a_;
    const struct lif_cfg_subif *b = b_;
    return strcmp(a->name, b->name);
}

static int
compare_policies(const void *a_, const void *b_)
{
    const struct lif_cfg_policy *a = a_;
    const struct lif_cfg_policy *b = b_;
    return strcmp(a->name, b->name);
}

/* Sorts 'cfg': LIFs by bridge name, sub-interfaces and policies by name, so
 * that the same configuration always gives the same text. */
void
lif_cfg_sort(struct lif_cfg *cfg)
{
    if (cfg->n_lifs) {
        qsort(cfg->lifs, cfg->n_lifs, sizeof *cfg->lifs, compare_lifs);
    }
    for (size_t i = 0; i < cfg->n_lifs; i++) {
        struct lif_cfg_lif *lif = &cfg->lifs[i];
        if (lif->n_subifs) {
            qsort(lif->subifs, lif->n_subifs, sizeof *lif->subifs,
                  compare_subifs);
        }
        if (lif->n_policies) {
            qsort(lif->policies, lif->n_policies, sizeof *lif->policies,
                  compare_policies);
        }
    }
}

static json_t *
new_object(void)
{
    return json_pack("{}");
}

static json_t *
new_array(void)
{
    return json_pack("[]");
}

static json_t *
new_string(const char *s)
{
    return json_pack("s", s);
}

static json_t *
new_integer(json_int_t i)
{
    return json_pack("I", i);
}

/* Sets string member 'key' of 'obj' to 'value', unless it is 'dflt'. */
static void
put_string(json_t *obj, const char *key, const char *value, const char *dflt)
{
    if (strcmp(value, dflt)) {
        json_object_set_new(obj, key, new_string(value));
    }
}

/* Sets integer member 'key' of 'obj' to 'value', unless it is 'dflt'. */
static void
put_int(json_t *obj, const char *key, int value, int dflt)
{
    if (value != dflt) {
        json_object_set_new(obj, key, new_integer(value));
    }
}

static json_t *
subif_to_json(const struct lif_cfg_subif *subif)
{
    json_t *obj = new_object();

    json_object_set_new(obj, "name", new_string(subif->name));
    put_string(obj, "type", subif->type, "");
    if (!smap_is_empty(subif->options)) {
        json_t *options = new_object();
        const struct smap_node **nodes = smap_sort(subif->options);
        for (size_t i = 0; i < smap_count(subif->options); i++) {
            json_object_set_new(options, nodes[i]->key,
                                new_string(nodes[i]->value));
        }
        free(nodes);
        json_object_set_new(obj, "options", options);
    }
    put_int(obj, "ofport_request", subif->ofport_request, 0);
    put_int(obj, "priority", subif->priority, LIF_DEFAULT_PRIORITY);
    put_string(obj, "technology", subif->technology, "");
    put_string(obj, "lladdr", lif_lladdr_mode_to_string(subif->lladdr),
               "logical");
    return obj;
}

static json_t *
policy_to_json(const struct lif_cfg_policy *policy)
{
    json_t *obj = new_object();

    json_object_set_new(obj, "name", new_string(policy->name));
    json_object_set_new(obj, "priority", new_integer(policy->priority));
    json_object_set_new(obj, "match", new_string(policy->match));

    json_t *subifs = new_array();
    for (size_t i = 0; i < policy->sub_interfaces.n; i++) {
        json_array_append_new(subifs,
                              new_string(policy->sub_interfaces.names[i]));
    }
    json_object_set_new(obj, "sub_interfaces", subifs);
    put_string(obj, "mode", policy->mode, "failover");
    return obj;
}

static json_t *
lif_to_json(const struct lif_cfg_lif *lif)
{
    json_t *obj = new_object();

    json_object_set_new(obj, "bridge", new_string(lif->bridge));
    put_string(obj, "datapath_type", lif->datapath_type, "");
    json_object_set_new(obj, "name", new_string(lif->name));
    put_int(obj, "ofport_request", lif->ofport_request, 0);
    put_string(obj, "lladdr", lif->lladdr, "virtual");
    if (lif->has_vll_id) {
        char s[ETH_ADDR_STRLEN + 1];
        snprintf(s, sizeof s, ETH_ADDR_FMT, ETH_ADDR_ARGS(lif->vll_id));
        json_object_set_new(obj, "vll_id", new_string(s));
    }
    if (lif->n_subifs) {
        json_t *subifs = new_array();
        for (size_t i = 0; i < lif->n_subifs; i++) {
            json_array_append_new(subifs, subif_to_json(&lif->subifs[i]));
        }
        json_object_set_new(obj, "sub_interfaces", subifs);
    }
    if (lif->n_policies) {
        json_t *policies = new_array();
        for (size_t i = 0; i < lif->n_policies; i++) {
            json_array_append_new(policies,
                                  policy_to_json(&lif->policies[i]));
        }
        json_object_set_new(obj, "policies", policies);
    }
    return obj;
}

/* Returns the JSON text 'compact' indented as lif_cfg_to_text() does, with
 * a new-line at the end, or NULL if it is not valid JSON.  The caller must
 * free it. */
char *
lif_cfg_reindent(const char *compact)
{
    json_t *json = json_loads(compact, JSON_DECODE_ANY, NULL);
    if (!json) {
        return NULL;
    }

    char *s = json_dumps(json, JSON_INDENT(2) | JSON_PRESERVE_ORDER
                         | JSON_ENCODE_ANY);
    json_decref(json);
    char *text = xasprintf("%s\n", s);
    free(s);
    return text;
}

/* Returns 'cfg' as indented JSON text that ends in a new-line, with members
 * in a fixed order and the settings that have their default values left
 * out.  The caller must free it. */
char *
lif_cfg_to_text(const struct lif_cfg *cfg)
{
    json_t *root = new_object();
    json_t *lifs = new_array();

    for (size_t i = 0; i < cfg->n_lifs; i++) {
        json_array_append_new(lifs, lif_to_json(&cfg->lifs[i]));
    }
    json_object_set_new(root, "lifs", lifs);

    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);

    char *text = xasprintf("%s\n", s);
    free(s);
    return text;
}
