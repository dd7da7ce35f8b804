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

#include "lif-flow-table.h"

#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "bitmap.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/util.h"
#include "util.h"

/* The OpenFlow version lif-controller speaks to switches.  Actions are
 * kept as they come back from a round trip through it. */
#define LIF_FLOW_TABLE_OFP_VERSION OFP15_VERSION

/* Appends 'ofpacts' to 'ds' as the switch will report them: encoded in
 * OpenFlow 1.5 and decoded again, then formatted.  OVS formats an action
 * according to how it was written ("load:0->NXM_NX_REG1[0..15]" stays a
 * "load"), but OpenFlow 1.5 has only set_field, so what a switch reports
 * is "set_field:0/0xffff->reg1".  The round trip makes both sides of a
 * comparison canonical in the same way. */
static void
format_canonical_ofpacts(const struct ofpact *ofpacts, size_t ofpacts_len,
                         struct ds *ds)
{
    uint64_t ostub[1024 / 8], astub[1024 / 8];
    struct ofpbuf openflow = OFPBUF_STUB_INITIALIZER(ostub);
    struct ofpbuf decoded = OFPBUF_STUB_INITIALIZER(astub);
    struct ofpact_format_params fp = { .s = ds };

    ofpacts_put_openflow_actions(ofpacts, ofpacts_len, &openflow,
                                 LIF_FLOW_TABLE_OFP_VERSION);
    size_t len = openflow.size;
    enum ofperr error = ofpacts_pull_openflow_actions(
        &openflow, len, LIF_FLOW_TABLE_OFP_VERSION, NULL, NULL, &decoded);
    if (!error) {
        ofpacts_format(decoded.data, decoded.size, &fp);
    } else {
        /* Not expected for actions OVS just parsed or decoded; formatting
         * them as they are at worst makes a flow look changed. */
        ofpacts_format(ofpacts, ofpacts_len, &fp);
    }
    ofpbuf_uninit(&openflow);
    ofpbuf_uninit(&decoded);
}

/* Appends to 'ds' the canonical text of a group of 'type' with 'buckets'
 * (a list of "struct ofputil_bucket"s) and 'props': the same for a group
 * parsed from ovs-ofctl syntax and for the group a switch reports back,
 * and itself ovs-ofctl syntax.  Bucket ids are left out except in select
 * groups, where the "hash" selection method hashes them (the pipeline
 * gives those buckets explicit ids). */
static void
format_canonical_group(uint8_t type, const struct ovs_list *buckets,
                       const struct ofputil_group_props *props,
                       struct ds *ds)
{
    static const char *type_names[] = { "all", "select", "indirect", "ff" };
    const struct ofputil_bucket *bucket;

    if (type < ARRAY_SIZE(type_names)) {
        ds_put_format(ds, "type=%s", type_names[type]);
    } else {
        ds_put_format(ds, "type=%"PRIu8, type);
    }
    if (props->selection_method[0]) {
        ds_put_format(ds, ",selection_method=%s", props->selection_method);
    }
    if (props->selection_method_param) {
        ds_put_format(ds, ",selection_method_param=%"PRIu64,
                      props->selection_method_param);
    }
    if (props->fields.values_size) {
        const char *sep = "";
        size_t i;

        ds_put_cstr(ds, ",fields(");
        BITMAP_FOR_EACH_1 (i, MFF_N_IDS, props->fields.used.bm) {
            ds_put_format(ds, "%s%s", sep, mf_from_id(i)->name);
            sep = ",";
        }
        ds_put_char(ds, ')');
    }
    LIST_FOR_EACH (bucket, list_node, buckets) {
        ds_put_cstr(ds, ",bucket=");
        if (type == OFPGT11_SELECT && bucket->bucket_id <= OFPG15_BUCKET_MAX) {
            ds_put_format(ds, "bucket_id:%"PRIu32",", bucket->bucket_id);
        }
        if (bucket->weight != (type == OFPGT11_SELECT ? 1 : 0)) {
            ds_put_format(ds, "weight:%"PRIu16",", bucket->weight);
        }
        if (bucket->watch_port != OFPP_NONE
            && bucket->watch_port != OFPP_ANY) {
            ds_put_format(ds, "watch_port:%"PRIu16",",
                          (OVS_FORCE uint16_t) bucket->watch_port);
        }
        if (bucket->watch_group != OFPG_ANY) {
            ds_put_format(ds, "watch_group:%"PRIu32",",
                          bucket->watch_group);
        }
        ds_put_cstr(ds, "actions=");
        format_canonical_ofpacts(bucket->ofpacts, bucket->ofpacts_len, ds);
    }
}

static uint32_t
flow_hash(uint8_t table_id, uint16_t priority, const char *match)
{
    return hash_string(match, hash_2words(table_id, priority));
}

/* Initializes 'table' as empty. */
void
lif_flow_table_init(struct lif_flow_table *table)
{
    hmap_init(&table->flows);
    hmap_init(&table->groups);
}

/* Frees everything in 'table'. */
void
lif_flow_table_destroy(struct lif_flow_table *table)
{
    if (table) {
        lif_flow_table_clear(table);
        hmap_destroy(&table->flows);
        hmap_destroy(&table->groups);
    }
}

/* Removes every flow and group from 'table'. */
void
lif_flow_table_clear(struct lif_flow_table *table)
{
    struct lif_flow *flow;
    HMAP_FOR_EACH_POP (flow, hmap_node, &table->flows) {
        free(flow->match);
        free(flow->actions);
        free(flow);
    }
    struct lif_group *group;
    HMAP_FOR_EACH_POP (group, hmap_node, &table->groups) {
        free(group->spec);
        free(group);
    }
}

/* Exchanges the contents of 'a' and 'b'. */
void
lif_flow_table_swap(struct lif_flow_table *a, struct lif_flow_table *b)
{
    hmap_swap(&a->flows, &b->flows);
    hmap_swap(&a->groups, &b->groups);
}

static void
add_flow__(struct lif_flow_table *table, uint8_t table_id, uint16_t priority,
           uint64_t cookie, const char *match, const char *actions)
{
    struct lif_flow *flow = xmalloc(sizeof *flow);
    flow->table_id = table_id;
    flow->priority = priority;
    flow->cookie = cookie;
    flow->match = xstrdup(match);
    flow->actions = xstrdup(actions);
    hmap_insert(&table->flows, &flow->hmap_node,
                flow_hash(table_id, priority, match));
}

static void
add_group__(struct lif_flow_table *table, uint32_t group_id,
            const char *spec)
{
    struct lif_group *group = xmalloc(sizeof *group);
    group->group_id = group_id;
    group->spec = xstrdup(spec);
    hmap_insert(&table->groups, &group->hmap_node, hash_int(group_id, 0));
}

/* Makes 'dst', which must be initialized and empty, a copy of 'src'. */
void
lif_flow_table_clone(struct lif_flow_table *dst,
                     const struct lif_flow_table *src)
{
    const struct lif_flow *flow;
    HMAP_FOR_EACH (flow, hmap_node, &src->flows) {
        add_flow__(dst, flow->table_id, flow->priority, flow->cookie,
                   flow->match, flow->actions);
    }
    const struct lif_group *group;
    HMAP_FOR_EACH (group, hmap_node, &src->groups) {
        add_group__(dst, group->group_id, group->spec);
    }
}

/* Returns true if 'a' and 'b' hold the same flows (cookies included) and
 * groups. */
bool
lif_flow_table_equal(const struct lif_flow_table *a,
                     const struct lif_flow_table *b)
{
    struct lif_changes changes;
    lif_flow_table_diff(a, b, &changes);
    bool equal = !changes.n;
    lif_changes_destroy(&changes);
    return equal;
}

/* Returns the number of flows in 'table'. */
size_t
lif_flow_table_n_flows(const struct lif_flow_table *table)
{
    return hmap_count(&table->flows);
}

/* Adds a flow to 'table'.  'match' and 'actions' are in ovs-ofctl syntax and
 * are checked with OVS's own parser.  Returns NULL on success, otherwise a
 * malloc()'d error message that the caller must free (the flow is then not
 * added).  A flow whose identity (table, priority, match) is already in
 * 'table' is an error too: it would make the installed state flap. */
char *
lif_flow_table_add_flow(struct lif_flow_table *table, uint8_t table_id,
                        uint16_t priority, uint64_t cookie,
                        const char *match, const char *actions)
{
    struct ofputil_flow_mod fm;
    enum ofputil_protocol usable;
    char *s = xasprintf("table=%"PRIu8",priority=%"PRIu16"%s%s actions=%s",
                        table_id, priority, match[0] ? "," : "", match,
                        actions);
    char *error = parse_ofp_flow_mod_str(&fm, s, NULL, NULL, OFPFC_ADD,
                                         &usable);
    if (error) {
        char *msg = xasprintf("bad flow \"%s\": %s", s, error);
        free(error);
        free(s);
        return msg;
    }
    free(s);

    struct match m;
    minimatch_expand(&fm.match, &m);
    bool added = lif_flow_table_add_parsed(table, table_id, priority, cookie,
                                           &m, fm.ofpacts, fm.ofpacts_len);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);
    return (added ? NULL
            : xasprintf("duplicate flow table=%"PRIu8",priority=%"PRIu16
                        ",%s", table_id, priority, match));
}

/* Adds a flow given in parsed form (as decoded from a flow dump) to 'table',
 * in the same canonical text form that lif_flow_table_add_flow() uses, so
 * that flows dumped from a switch compare equal to generated ones.  Returns
 * false, without adding anything, if 'table' already has a flow with the
 * same identity. */
bool
lif_flow_table_add_parsed(struct lif_flow_table *table, uint8_t table_id,
                          uint16_t priority, uint64_t cookie,
                          const struct match *match,
                          const struct ofpact *ofpacts, size_t ofpacts_len)
{
    struct ds m = DS_EMPTY_INITIALIZER;
    struct ds a = DS_EMPTY_INITIALIZER;

    match_format(match, NULL, &m, OFP_DEFAULT_PRIORITY);
    format_canonical_ofpacts(ofpacts, ofpacts_len, &a);
    bool added = !lif_flow_table_find_flow(table, table_id, priority,
                                           ds_cstr(&m));
    if (added) {
        add_flow__(table, table_id, priority, cookie, ds_cstr(&m),
                   ds_cstr(&a));
    }
    ds_destroy(&m);
    ds_destroy(&a);
    return added;
}

/* Adds group 'group_id' of 'type' with 'buckets' (a list of "struct
 * ofputil_bucket"s, as decoded from a group dump) to 'table', in the same
 * canonical text form that lif_flow_table_add_group() uses, so that groups
 * read back from a switch compare equal to generated ones.  Does nothing
 * if 'table' already has that group. */
void
lif_flow_table_add_parsed_group(struct lif_flow_table *table,
                                uint32_t group_id, uint8_t type,
                                const struct ovs_list *buckets,
                                const struct ofputil_group_props *props)
{
    if (!lif_flow_table_find_group(table, group_id)) {
        struct ds spec = DS_EMPTY_INITIALIZER;
        format_canonical_group(type, buckets, props, &spec);
        add_group__(table, group_id, ds_cstr(&spec));
        ds_destroy(&spec);
    }
}

/* Adds group 'group_id' with 'spec' (ovs-ofctl syntax without "group_id=")
 * to 'table', checked with OVS's parser and kept in canonical form (see
 * lif_flow_table_add_parsed_group()).  Returns NULL on success, otherwise
 * a malloc()'d error message. */
char *
lif_flow_table_add_group(struct lif_flow_table *table, uint32_t group_id,
                         const char *spec)
{
    if (lif_flow_table_find_group(table, group_id)) {
        return xasprintf("duplicate group %"PRIu32, group_id);
    }

    struct ofputil_group_mod gm;
    enum ofputil_protocol usable;
    char *s = xasprintf("group_id=%"PRIu32",%s", group_id, spec);
    char *error = parse_ofp_group_mod_str(&gm, OFPGC15_ADD, s, NULL, NULL,
                                          &usable);
    if (error) {
        char *msg = xasprintf("bad group \"%s\": %s", s, error);
        free(error);
        free(s);
        return msg;
    }
    free(s);

    struct ds canonical = DS_EMPTY_INITIALIZER;
    format_canonical_group(gm.type, &gm.buckets, &gm.props, &canonical);
    add_group__(table, group_id, ds_cstr(&canonical));
    ds_destroy(&canonical);
    ofputil_uninit_group_mod(&gm);
    return NULL;
}

/* Returns the flow in 'table' with the given identity, or NULL. */
const struct lif_flow *
lif_flow_table_find_flow(const struct lif_flow_table *table,
                         uint8_t table_id, uint16_t priority,
                         const char *match)
{
    const struct lif_flow *flow;
    HMAP_FOR_EACH_WITH_HASH (flow, hmap_node,
                             flow_hash(table_id, priority, match),
                             &table->flows) {
        if (flow->table_id == table_id && flow->priority == priority
            && !strcmp(flow->match, match)) {
            return flow;
        }
    }
    return NULL;
}

/* Returns the group in 'table' with 'group_id', or NULL. */
const struct lif_group *
lif_flow_table_find_group(const struct lif_flow_table *table,
                          uint32_t group_id)
{
    const struct lif_group *group;
    HMAP_FOR_EACH_WITH_HASH (group, hmap_node, hash_int(group_id, 0),
                             &table->groups) {
        if (group->group_id == group_id) {
            return group;
        }
    }
    return NULL;
}

/* Appends 'flow' to 'ds' in ovs-ofctl add-flow syntax. */
void
lif_flow_format(const struct lif_flow *flow, struct ds *ds)
{
    ds_put_format(ds, "table=%"PRIu8", priority=%"PRIu16", cookie=%#"
                  PRIx64", ", flow->table_id, flow->priority, flow->cookie);
    if (flow->match[0]) {
        ds_put_format(ds, "%s, ", flow->match);
    }
    ds_put_format(ds, "actions=%s", flow->actions);
}

/* Appends 'group' to 'ds' in ovs-ofctl add-group syntax. */
void
lif_group_format(const struct lif_group *group, struct ds *ds)
{
    ds_put_format(ds, "group_id=%"PRIu32",%s", group->group_id, group->spec);
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

/* Appends all of 'table' to 'ds', groups first, one item per line, sorted so
 * that the output is deterministic. */
void
lif_flow_table_format(const struct lif_flow_table *table, struct ds *ds)
{
    size_t n = hmap_count(&table->groups) + hmap_count(&table->flows);
    char **lines = xmalloc(n * sizeof *lines + 1);
    size_t i = 0;

    const struct lif_group *group;
    HMAP_FOR_EACH (group, hmap_node, &table->groups) {
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_cstr(&s, "0 ");
        lif_group_format(group, &s);
        lines[i++] = ds_steal_cstr(&s);
    }
    const struct lif_flow *flow;
    HMAP_FOR_EACH (flow, hmap_node, &table->flows) {
        struct ds s = DS_EMPTY_INITIALIZER;
        /* Sort by table, then by descending priority. */
        ds_put_format(&s, "1 %03"PRIu8" %05d ", flow->table_id,
                      65535 - flow->priority);
        lif_flow_format(flow, &s);
        lines[i++] = ds_steal_cstr(&s);
    }
    qsort(lines, n, sizeof *lines, compare_strings);
    for (i = 0; i < n; i++) {
        /* Skip the sort key. */
        const char *line = lines[i][0] == '0' ? lines[i] + 2 : lines[i] + 12;
        ds_put_format(ds, "%s\n", line);
        free(lines[i]);
    }
    free(lines);
}

static void
add_change(struct lif_changes *changes, enum lif_change_type type,
           const struct lif_flow *flow, const struct lif_group *group)
{
    if (changes->n >= changes->allocated) {
        changes->changes = x2nrealloc(changes->changes, &changes->allocated,
                                      sizeof *changes->changes);
    }
    changes->changes[changes->n++] = (struct lif_change) {
        .type = type, .flow = flow, .group = group,
    };
}

static int
compare_changes(const void *a_, const void *b_)
{
    const struct lif_change *a = a_;
    const struct lif_change *b = b_;
    return a->type < b->type ? -1 : a->type > b->type;
}

/* Computes into 'changes' (which this function initializes) the changes that
 * turn 'installed' into 'desired', in an order that is safe to send in one
 * atomic bundle.  This is a pure function of its inputs. */
void
lif_flow_table_diff(const struct lif_flow_table *installed,
                    const struct lif_flow_table *desired,
                    struct lif_changes *changes)
{
    *changes = (struct lif_changes) { .changes = NULL };

    const struct lif_group *group;
    HMAP_FOR_EACH (group, hmap_node, &desired->groups) {
        const struct lif_group *old
            = lif_flow_table_find_group(installed, group->group_id);
        if (!old) {
            add_change(changes, LIF_CHANGE_GROUP_ADD, NULL, group);
        } else if (strcmp(old->spec, group->spec)) {
            add_change(changes, LIF_CHANGE_GROUP_MODIFY, NULL, group);
        }
    }
    HMAP_FOR_EACH (group, hmap_node, &installed->groups) {
        if (!lif_flow_table_find_group(desired, group->group_id)) {
            add_change(changes, LIF_CHANGE_GROUP_DELETE, NULL, group);
        }
    }

    const struct lif_flow *flow;
    HMAP_FOR_EACH (flow, hmap_node, &installed->flows) {
        if (!lif_flow_table_find_flow(desired, flow->table_id,
                                      flow->priority, flow->match)) {
            add_change(changes, LIF_CHANGE_FLOW_DELETE, flow, NULL);
        }
    }
    HMAP_FOR_EACH (flow, hmap_node, &desired->flows) {
        const struct lif_flow *old
            = lif_flow_table_find_flow(installed, flow->table_id,
                                       flow->priority, flow->match);
        if (!old || old->cookie != flow->cookie) {
            /* MODIFY_STRICT does not change a flow's cookie; ADD replaces
             * the whole flow. */
            add_change(changes, LIF_CHANGE_FLOW_ADD, flow, NULL);
        } else if (strcmp(old->actions, flow->actions)) {
            add_change(changes, LIF_CHANGE_FLOW_MODIFY, flow, NULL);
        }
    }

    if (changes->n) {
        qsort(changes->changes, changes->n, sizeof *changes->changes,
              compare_changes);
    }
}

/* Frees the memory owned by 'changes' (not the flows it points to). */
void
lif_changes_destroy(struct lif_changes *changes)
{
    if (changes) {
        free(changes->changes);
        changes->changes = NULL;
        changes->n = changes->allocated = 0;
    }
}

/* Returns a short name for 'type'. */
const char *
lif_change_type_name(enum lif_change_type type)
{
    switch (type) {
    case LIF_CHANGE_GROUP_ADD:
        return "group-add";
    case LIF_CHANGE_GROUP_MODIFY:
        return "group-modify";
    case LIF_CHANGE_FLOW_DELETE:
        return "flow-delete";
    case LIF_CHANGE_FLOW_ADD:
        return "flow-add";
    case LIF_CHANGE_FLOW_MODIFY:
        return "flow-modify";
    case LIF_CHANGE_GROUP_DELETE:
        return "group-delete";
    default:
        OVS_NOT_REACHED();
    }
}
