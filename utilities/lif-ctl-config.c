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

/* lif-ctl's "export" and "apply": the whole LIF configuration, which lives
 * in two databases, as one JSON file (lif-config-file.c), and back.
 *
 * The LIF wiring (LIF bridges, the LIF, its sub-interfaces and their
 * external_ids keys) is in the Open_vSwitch database, the flow policies in
 * the LIF database.  lif-ctl's own IDL and transaction are the LIF
 * database's; these commands open a second IDL, on the same server, for
 * the Open_vSwitch database.  OVSDB transactions cannot span two databases,
 * so "apply" validates the file and checks it against both databases
 * first, then commits one transaction to the Open_vSwitch database, then
 * lets lif-ctl commit its transaction to the LIF database (with --wait, the
 * one that lif-controller acknowledges). */

#include <config.h>

#include "lif-ctl-config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "lif-config-file.h"
#include "lif-ctl-state.h"
#include "lif-idl.h"
#include "lif-model.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(lif_ctl_config);

/* lif-ctl's global options. */
static struct lif_ctl_config_globals globals;

/* The Open_vSwitch database, connected on first use. */
static struct ovsdb_idl *ovs_idl;

/* "apply": the file as parsed by the prerequisites function, whether its
 * changes to the Open_vSwitch database are committed already (the command
 * runs again when the LIF transaction must be retried), and what they
 * were. */
static struct lif_cfg apply_cfg;
static bool apply_parsed;
static bool apply_ovs_done;
static struct ds apply_ovs_changes = DS_EMPTY_INITIALIZER;

/* Connects to the Open_vSwitch database on the server lif-ctl uses, if not
 * yet done, and waits for its contents. */
static struct ovsdb_idl *
ovs_idl_connect(void)
{
    static const struct ovsdb_idl_column *columns[] = {
        &ovsrec_open_vswitch_col_bridges,
        &ovsrec_open_vswitch_col_next_cfg,
        &ovsrec_open_vswitch_col_cur_cfg,
        &ovsrec_bridge_col_name,
        &ovsrec_bridge_col_ports,
        &ovsrec_bridge_col_datapath_type,
        &ovsrec_bridge_col_fail_mode,
        &ovsrec_port_col_name,
        &ovsrec_port_col_interfaces,
        &ovsrec_interface_col_name,
        &ovsrec_interface_col_type,
        &ovsrec_interface_col_options,
        &ovsrec_interface_col_ofport_request,
        &ovsrec_interface_col_external_ids,
    };

    if (ovs_idl) {
        return ovs_idl;
    }

    ovs_idl = ovsdb_idl_create(*globals.db, &ovsrec_idl_class, false, false);
    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        ovsdb_idl_add_column(ovs_idl, columns[i]);
    }
    for (;;) {
        ovsdb_idl_run(ovs_idl);
        if (!ovsdb_idl_is_alive(ovs_idl)) {
            int retval = ovsdb_idl_get_last_error(ovs_idl);
            ctl_fatal("%s: Open_vSwitch database connection failed (%s)",
                      *globals.db,
                      (retval ? ovs_retval_to_string(retval)
                       : "the server does not seem to serve it"));
        }
        if (ovsdb_idl_has_ever_connected(ovs_idl)) {
            return ovs_idl;
        }
        ovsdb_idl_wait(ovs_idl);
        poll_block();
    }
}

static void
add_policy_columns(struct ovsdb_idl *idl)
{
    static const struct ovsdb_idl_column *columns[] = {
        &lifrec_flow_policy_col_lif,
        &lifrec_flow_policy_col_name,
        &lifrec_flow_policy_col_priority,
        &lifrec_flow_policy_col_match,
        &lifrec_flow_policy_col_sub_interfaces,
        &lifrec_flow_policy_col_mode,
    };

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        ovsdb_idl_add_column(idl, columns[i]);
    }
}

static bool
iface_is_logical(const struct ovsrec_interface *iface)
{
    return lif_interface_is_logical(&iface->external_ids);
}

/* The bridge's LIF, as lif-controller chooses it (the interface with
 * lif-role=logical that has the lowest name), or NULL if 'br' is not a LIF
 * bridge. */
static const struct ovsrec_interface *
bridge_find_lif(const struct ovsrec_bridge *br)
{
    const struct ovsrec_interface *lif = NULL;

    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];
        for (size_t j = 0; j < port->n_interfaces; j++) {
            const struct ovsrec_interface *iface = port->interfaces[j];
            if (iface_is_logical(iface)
                && (!lif || strcmp(iface->name, lif->name) < 0)) {
                lif = iface;
            }
        }
    }
    return lif;
}

/* Whether 'port' is the bridge's own port. */
static bool
port_is_local(const struct ovsrec_bridge *br, const struct ovsrec_port *port)
{
    return !strcmp(port->name, br->name);
}

/* Returns the lif-priority that 's' means to lif-controller: its value,
 * or -1 if lif-controller ignores it. */
static int
parse_priority(const char *s)
{
    int value;
    return lif_priority_from_string(s, &value) ? value : -1;
}

static void OVS_PRINTF_FORMAT(1, 2)
warn(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *msg = xvasprintf(format, args);
    va_end(args);
    ovs_error(0, "warning: %s", msg);
    free(msg);
}

/* Adds to 'lif' the sub-interface that 'iface' is. */
static void
export_subif(struct lif_cfg_lif *lif, const struct ovsrec_interface *iface)
{
    struct lif_cfg_subif *subif = lif_cfg_add_subif(lif, iface->name);
    const struct smap *ids = &iface->external_ids;

    free(subif->type);
    subif->type = xstrdup(iface->type);
    smap_destroy(subif->options);
    smap_clone(subif->options, &iface->options);
    if (iface->n_ofport_request) {
        subif->ofport_request = iface->ofport_request[0];
    }

    const char *prio = smap_get(ids, "lif-priority");
    if (prio) {
        int value = parse_priority(prio);
        if (value >= 0) {
            subif->priority = value;
        } else {
            warn("interface %s: invalid external_ids:lif-priority \"%s\" "
                 "left out (lif-controller uses %d)", iface->name, prio,
                 LIF_DEFAULT_PRIORITY);
        }
    }

    const char *tech = smap_get(ids, "lif-technology");
    if (tech) {
        free(subif->technology);
        subif->technology = xstrdup(tech);
    }

    const char *lladdr = smap_get(ids, "lif-lladdr");
    if (lladdr) {
        if (!lif_lladdr_mode_from_string(lladdr, &subif->lladdr)) {
            warn("interface %s: invalid external_ids:lif-lladdr \"%s\" "
                 "left out (lif-controller uses \"logical\")", iface->name,
                 lladdr);
        }
    }
    if (smap_get(ids, "lif-role")) {
        warn("interface %s: sub-interface with external_ids:lif-role "
             "(lif-controller ignores it; apply removes it)", iface->name);
    }
}

/* Adds to 'lif' the policies of the LIF database that name it. */
static void
export_policies(struct ovsdb_idl *idl, struct lif_cfg_lif *lif)
{
    const struct lifrec_flow_policy *row;

    LIFREC_FLOW_POLICY_FOR_EACH (row, idl) {
        if (strcmp(row->lif, lif->name)) {
            continue;
        }

        struct lif_cfg_policy *policy = lif_cfg_add_policy(lif, row->name);
        policy->priority = row->priority;
        free(policy->match);
        policy->match = xstrdup(row->match);
        free(policy->mode);
        policy->mode = xstrdup(row->mode ? row->mode : "failover");

        char *copy = xstrdup(row->sub_interfaces);
        char *save_ptr = NULL;
        for (char *name = strtok_r(copy, ",", &save_ptr); name;
             name = strtok_r(NULL, ",", &save_ptr)) {
            svec_add(&policy->sub_interfaces, name);
        }
        free(copy);
    }
}

/* Fills 'cfg' with the configuration in the databases: 'ovs', the
 * Open_vSwitch database, and 'lif_idl', the LIF database. */
static void
export_cfg(struct ovsdb_idl *ovs, struct ovsdb_idl *lif_idl,
           struct lif_cfg *cfg)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, ovs) {
        const struct ovsrec_interface *lif_iface = bridge_find_lif(br);
        if (!lif_iface) {
            continue;
        }

        struct lif_cfg_lif *lif = lif_cfg_add_lif(cfg, br->name,
                                                  lif_iface->name);
        free(lif->datapath_type);
        lif->datapath_type = xstrdup(br->datapath_type);
        if (lif_iface->n_ofport_request) {
            lif->ofport_request = lif_iface->ofport_request[0];
        }
        if (strcmp(lif_iface->type, "internal")) {
            warn("interface %s: the LIF of bridge %s has type \"%s\" "
                 "(apply makes it internal)", lif_iface->name, br->name,
                 lif_iface->type);
        }

        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            for (size_t j = 0; j < port->n_interfaces; j++) {
                const struct ovsrec_interface *iface = port->interfaces[j];
                if (iface != lif_iface && strcmp(iface->name, br->name)) {
                    export_subif(lif, iface);
                }
            }
        }

        const struct smap *ids = &lif_iface->external_ids;
        const char *lladdr = smap_get(ids, "lif-lladdr");
        if (lladdr && lladdr[0] && strcmp(lladdr, "virtual")) {
            bool found = false;
            for (size_t i = 0; i < lif->n_subifs; i++) {
                found = found || !strcmp(lif->subifs[i].name, lladdr);
            }
            if (found) {
                free(lif->lladdr);
                lif->lladdr = xstrdup(lladdr);
            } else {
                warn("interface %s: external_ids:lif-lladdr \"%s\" is not "
                     "a sub-interface, left out (lif-controller uses "
                     "\"virtual\")", lif_iface->name, lladdr);
            }
        }

        const char *vll_id = smap_get(ids, "lif-vll-id");
        if (vll_id) {
            struct eth_addr ea;
            if (eth_addr_from_string(vll_id, &ea) && !eth_addr_is_zero(ea)
                && !eth_addr_is_multicast(ea)) {
                lif->has_vll_id = true;
                lif->vll_id = ea;
            } else {
                warn("interface %s: invalid external_ids:lif-vll-id \"%s\" "
                     "left out", lif_iface->name, vll_id);
            }
        }

        export_policies(lif_idl, lif);
    }
    lif_cfg_sort(cfg);
}

static void
pre_cmd_export(struct ctl_context *ctx)
{
    add_policy_columns(ctx->idl);
}

/* "export". */
static void
cmd_export(struct ctl_context *ctx)
{
    struct lif_cfg cfg;

    lif_cfg_init(&cfg);
    export_cfg(ovs_idl_connect(), ctx->idl, &cfg);
    char *text = lif_cfg_to_text(&cfg);
    lif_cfg_destroy(&cfg);

    /* What export writes, apply must take; if the databases hold something
     * that apply would refuse (a policy on a sub-interface that is not
     * attached, say), say so. */
    struct lif_cfg check;
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    lif_cfg_init(&check);
    if (!lif_cfg_parse(text, strlen(text), "(export)", &check, &errors)) {
        for (size_t i = 0; i < errors.n; i++) {
            warn("%s (apply would refuse this)", errors.names[i]);
        }
    }
    lif_cfg_destroy(&check);
    svec_destroy(&errors);

    ds_put_cstr(&ctx->output, text);
    free(text);
}

/* Reads all of 'file_name' ("-" for standard input) into 'text'. */
static char *
read_file(const char *file_name, struct ds *text)
{
    bool is_stdin = !strcmp(file_name, "-");
    FILE *stream = is_stdin ? stdin : fopen(file_name, "r");
    if (!stream) {
        return xasprintf("%s: open failed (%s)", file_name,
                         ovs_strerror(errno));
    }

    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stream)) > 0) {
        ds_put_buffer(text, buf, n);
    }
    char *error = (ferror(stream)
                   ? xasprintf("%s: read failed (%s)", file_name,
                               ovs_strerror(errno))
                   : NULL);
    if (!is_stdin) {
        fclose(stream);
    }
    return error;
}

/* Reads and validates the file, before anything connects: any error in it
 * ends lif-ctl before either database is touched. */
static void
pre_cmd_apply(struct ctl_context *ctx)
{
    const char *file_name = ctx->argv[1];
    const char *shown_name = strcmp(file_name, "-") ? file_name : "<stdin>";

    add_policy_columns(ctx->idl);
    if (apply_parsed) {
        ctx->error = xstrdup("only one \"apply\" per lif-ctl command line");
        return;
    }
    apply_parsed = true;

    struct ds text = DS_EMPTY_INITIALIZER;
    ctx->error = read_file(file_name, &text);
    if (ctx->error) {
        ds_destroy(&text);
        return;
    }

    struct svec errors = SVEC_EMPTY_INITIALIZER;
    lif_cfg_init(&apply_cfg);
    if (!lif_cfg_parse(text.string ? text.string : "", text.length,
                       shown_name, &apply_cfg, &errors)) {
        for (size_t i = 0; i < errors.n; i++) {
            fprintf(stderr, "%s\n", errors.names[i]);
        }
        ctx->error = xasprintf("%s: %"PRIuSIZE" error%s, nothing changed",
                               shown_name, errors.n,
                               errors.n == 1 ? "" : "s");
    }
    svec_destroy(&errors);
    ds_destroy(&text);
}

/* Where an interface is in the Open_vSwitch database. */
struct iface_loc {
    const struct ovsrec_interface *iface;
    const struct ovsrec_port *port;
    const struct ovsrec_bridge *bridge;
};

/* What "apply" works with: the file, and the Open_vSwitch database indexed
 * by name. */
struct apply_ctx {
    const struct lif_cfg *cfg;
    const char *file_name;
    bool prune;
    struct shash bridges;       /* Bridge name -> ovsrec_bridge. */
    struct shash ifaces;        /* Interface name -> struct iface_loc. */
    struct shash wanted;        /* Interface name in the file ->
                                 * struct lif_cfg_lif. */
    struct svec errors;         /* "FILE:LINE:COLUMN: message". */
    struct ds changes;          /* One line per change. */
};

static void OVS_PRINTF_FORMAT(3, 4)
apply_error(struct apply_ctx *ac, struct lif_cfg_pos pos,
            const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *msg = xvasprintf(format, args);
    va_end(args);
    svec_add_nocopy(&ac->errors, xasprintf("%s:%d:%d: %s", ac->file_name,
                                           pos.line, pos.column, msg));
    free(msg);
}

static void
apply_ctx_init(struct apply_ctx *ac, const struct lif_cfg *cfg,
               const char *file_name, bool prune, struct ovsdb_idl *idl)
{
    *ac = (struct apply_ctx) {
        .cfg = cfg,
        .file_name = file_name,
        .prune = prune,
    };
    shash_init(&ac->bridges);
    shash_init(&ac->ifaces);
    shash_init(&ac->wanted);
    svec_init(&ac->errors);
    ds_init(&ac->changes);

    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, idl) {
        shash_add_once(&ac->bridges, br->name, br);
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            for (size_t j = 0; j < port->n_interfaces; j++) {
                struct iface_loc *loc = xmalloc(sizeof *loc);
                *loc = (struct iface_loc) { port->interfaces[j], port, br };
                if (!shash_add_once(&ac->ifaces, loc->iface->name, loc)) {
                    free(loc);
                }
            }
        }
    }

    for (size_t i = 0; i < cfg->n_lifs; i++) {
        const struct lif_cfg_lif *lif = &cfg->lifs[i];
        shash_add_once(&ac->wanted, lif->name, lif);
        for (size_t j = 0; j < lif->n_subifs; j++) {
            shash_add_once(&ac->wanted, lif->subifs[j].name, lif);
        }
    }
}

static void
apply_ctx_destroy(struct apply_ctx *ac)
{
    shash_destroy(&ac->bridges);
    shash_destroy_free_data(&ac->ifaces);
    shash_destroy(&ac->wanted);
    svec_destroy(&ac->errors);
    ds_destroy(&ac->changes);
}

/* Returns true if the file lists bridge 'name'. */
static bool
file_has_bridge(const struct apply_ctx *ac, const char *name)
{
    for (size_t i = 0; i < ac->cfg->n_lifs; i++) {
        if (!strcmp(ac->cfg->lifs[i].bridge, name)) {
            return true;
        }
    }
    return false;
}

/* Checks that interface 'name' of 'lif', at 'pos' in the file, can be put
 * on its bridge. */
static void
check_iface(struct apply_ctx *ac, const struct lif_cfg_lif *lif,
            const char *name, struct lif_cfg_pos pos)
{
    const struct iface_loc *loc = shash_find_data(&ac->ifaces, name);
    if (!loc || !strcmp(loc->bridge->name, lif->bridge)) {
        return;
    }
    if (!file_has_bridge(ac, loc->bridge->name)) {
        apply_error(ac, pos, "interface %s is on bridge %s, which is not in "
                    "this file; apply does not take interfaces from other "
                    "bridges (remove it there first)", name,
                    loc->bridge->name);
    } else if (loc->port->n_interfaces != 1) {
        apply_error(ac, pos, "interface %s is in port %s of bridge %s with "
                    "other interfaces; apply only moves ports that have "
                    "one interface", name, loc->port->name,
                    loc->bridge->name);
    }
}

/* Checks the file against the Open_vSwitch database: everything that could
 * make "apply" fail or take what it must not. */
static void
check_against_db(struct apply_ctx *ac)
{
    for (size_t i = 0; i < ac->cfg->n_lifs; i++) {
        const struct lif_cfg_lif *lif = &ac->cfg->lifs[i];
        const struct ovsrec_bridge *br = shash_find_data(&ac->bridges,
                                                         lif->bridge);

        /* A bridge that is not a LIF bridge yet is taken over only if that
         * detaches nothing from it. */
        if (br && !bridge_find_lif(br)) {
            for (size_t j = 0; j < br->n_ports; j++) {
                const struct ovsrec_port *port = br->ports[j];
                for (size_t k = 0; k < port->n_interfaces; k++) {
                    const char *name = port->interfaces[k]->name;
                    if (!port_is_local(br, port)
                        && shash_find_data(&ac->wanted, name) != lif) {
                        apply_error(ac, lif->bridge_pos, "bridge %s exists "
                                    "and is not a LIF bridge, and its "
                                    "interface %s is not in this LIF; apply "
                                    "does not take over a bridge it would "
                                    "detach something from", lif->bridge,
                                    name);
                    }
                }
            }
        }

        check_iface(ac, lif, lif->name, lif->name_pos);
        for (size_t j = 0; j < lif->n_subifs; j++) {
            check_iface(ac, lif, lif->subifs[j].name, lif->subifs[j].pos);
        }
    }
}

static void
verify_all(struct ovsdb_idl *idl)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(idl);
    if (ovs) {
        ovsrec_open_vswitch_verify_bridges(ovs);
    }

    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, idl) {
        ovsrec_bridge_verify_ports(br);
        ovsrec_bridge_verify_datapath_type(br);
    }

    const struct ovsrec_port *port;
    OVSREC_PORT_FOR_EACH (port, idl) {
        ovsrec_port_verify_interfaces(port);
    }

    const struct ovsrec_interface *iface;
    OVSREC_INTERFACE_FOR_EACH (iface, idl) {
        ovsrec_interface_verify_type(iface);
        ovsrec_interface_verify_options(iface);
        ovsrec_interface_verify_ofport_request(iface);
        ovsrec_interface_verify_external_ids(iface);
    }
}

/* Sets external_ids key 'key' of 'ids' to 'value', or removes it if 'value'
 * is NULL. */
static void
put_key(struct smap *ids, const char *key, const char *value)
{
    if (value) {
        smap_replace(ids, key, value);
    } else {
        smap_remove(ids, key);
    }
}

/* Makes the columns of 'iface' that "apply" manages what the file says:
 * 'type', 'options' (if nonnull), 'ofport_request' (0 for none), and the
 * external_ids keys in 'ids', from which the caller removed or replaced
 * the keys it manages.  Reports each change in 'ac->changes' as 'what'. */
static void
sync_iface(struct apply_ctx *ac, const char *bridge,
           const struct ovsrec_interface *iface, const char *type,
           const struct smap *options, int ofport_request,
           const struct smap *ids)
{
    if (strcmp(iface->type, type)) {
        ovsrec_interface_set_type(iface, type);
        ds_put_format(&ac->changes, "%s: %s: type \"%s\"\n", bridge,
                      iface->name, type);
    }
    if (options && !smap_equal(&iface->options, options)) {
        ovsrec_interface_set_options(iface, options);
        ds_put_format(&ac->changes, "%s: %s: options\n", bridge,
                      iface->name);
    }

    int64_t request = ofport_request;
    size_t n_request = ofport_request != 0;
    if (iface->n_ofport_request != n_request
        || (n_request && iface->ofport_request[0] != request)) {
        ovsrec_interface_set_ofport_request(iface, &request, n_request);
        if (n_request) {
            ds_put_format(&ac->changes, "%s: %s: ofport_request %d\n",
                          bridge, iface->name, ofport_request);
        } else {
            ds_put_format(&ac->changes, "%s: %s: ofport_request removed\n",
                          bridge, iface->name);
        }
    }

    if (!smap_equal(&iface->external_ids, ids)) {
        ovsrec_interface_set_external_ids(iface, ids);
    }
}

/* Reports a change of key 'key' of 'iface' to 'value' (NULL: removed). */
static void
report_key(struct apply_ctx *ac, const char *bridge, const char *iface,
           const char *key, const char *value)
{
    if (value) {
        ds_put_format(&ac->changes, "%s: %s: %s=%s\n", bridge, iface, key,
                      value);
    } else {
        ds_put_format(&ac->changes, "%s: %s: %s removed\n", bridge, iface,
                      key);
    }
}

/* Makes the external_ids keys of sub-interface 'iface' in 'ids' those of
 * 'subif', reporting changes. */
static void
sync_subif_keys(struct apply_ctx *ac, const char *bridge,
                const struct lif_cfg_subif *subif, struct smap *ids)
{
    /* lif-priority: leave a value that means the same alone. */
    const char *prio = smap_get(ids, "lif-priority");
    int cur = prio ? parse_priority(prio) : LIF_DEFAULT_PRIORITY;
    if (cur != subif->priority) {
        char *value = (subif->priority != LIF_DEFAULT_PRIORITY
                       ? xasprintf("%d", subif->priority) : NULL);
        put_key(ids, "lif-priority", value);
        report_key(ac, bridge, subif->name, "lif-priority", value);
        free(value);
    }

    const char *tech = smap_get_def(ids, "lif-technology", "");
    if (strcmp(tech, subif->technology)) {
        const char *value = subif->technology[0] ? subif->technology : NULL;
        put_key(ids, "lif-technology", value);
        report_key(ac, bridge, subif->name, "lif-technology", value);
    }

    const char *lladdr = smap_get(ids, "lif-lladdr");
    const char *want = lif_lladdr_mode_to_string(subif->lladdr);
    if (lladdr ? strcmp(lladdr, want) : subif->lladdr != LIF_LLADDR_LOGICAL) {
        const char *value = subif->lladdr == LIF_LLADDR_OWN ? want : NULL;
        put_key(ids, "lif-lladdr", value);
        report_key(ac, bridge, subif->name, "lif-lladdr", value);
    }

    if (smap_get(ids, "lif-role")) {
        put_key(ids, "lif-role", NULL);
        report_key(ac, bridge, subif->name, "lif-role", NULL);
    }
}

/* Makes the external_ids keys of the LIF in 'ids' those of 'lif',
 * reporting changes. */
static void
sync_lif_keys(struct apply_ctx *ac, const struct lif_cfg_lif *lif,
              struct smap *ids)
{
    const char *role = smap_get(ids, "lif-role");
    if (!role || strcmp(role, "logical")) {
        put_key(ids, "lif-role", "logical");
        report_key(ac, lif->bridge, lif->name, "lif-role", "logical");
    }

    const char *lladdr = smap_get(ids, "lif-lladdr");
    if (strcmp(lladdr && lladdr[0] ? lladdr : "virtual", lif->lladdr)) {
        const char *value = strcmp(lif->lladdr, "virtual") ? lif->lladdr
                                                            : NULL;
        put_key(ids, "lif-lladdr", value);
        report_key(ac, lif->bridge, lif->name, "lif-lladdr", value);
    }

    const char *vll_id = smap_get(ids, "lif-vll-id");
    struct eth_addr ea;
    bool same = (vll_id
                 ? (lif->has_vll_id && eth_addr_from_string(vll_id, &ea)
                    && eth_addr_equals(ea, lif->vll_id))
                 : !lif->has_vll_id);
    if (!same) {
        char *value = (lif->has_vll_id
                       ? xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(lif->vll_id))
                       : NULL);
        put_key(ids, "lif-vll-id", value);
        report_key(ac, lif->bridge, lif->name, "lif-vll-id", value);
        free(value);
    }
}

/* A growable list of ports. */
struct port_list {
    const struct ovsrec_port **ports;
    size_t n;
    size_t allocated;
};

static void
port_list_add(struct port_list *list, const struct ovsrec_port *port)
{
    if (list->n >= list->allocated) {
        list->ports = x2nrealloc(list->ports, &list->allocated,
                                 sizeof *list->ports);
    }
    list->ports[list->n++] = port;
}

/* Creates a port with one new interface 'name', of 'type', and returns the
 * interface. */
static struct ovsrec_interface *
new_port(struct ovsdb_idl_txn *txn, const char *name, const char *type,
         struct port_list *ports)
{
    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    ovsrec_interface_set_name(iface, name);
    ovsrec_interface_set_type(iface, type);

    struct ovsrec_port *port = ovsrec_port_insert(txn);
    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, &iface, 1);
    port_list_add(ports, port);
    return iface;
}

/* Puts interface 'name' on the bridge whose new port list is 'ports' (an
 * existing interface stays where it is or moves there with its port) and
 * returns it, or returns NULL after reporting that it is new. */
static const struct ovsrec_interface *
place_iface(struct apply_ctx *ac, const char *bridge, const char *name,
            struct port_list *ports)
{
    const struct iface_loc *loc = shash_find_data(&ac->ifaces, name);
    if (!loc) {
        ds_put_format(&ac->changes, "%s: %s: attached\n", bridge, name);
        return NULL;
    }
    if (strcmp(loc->bridge->name, bridge)) {
        port_list_add(ports, loc->port);
        ds_put_format(&ac->changes, "%s: %s: attached (moved from %s)\n",
                      bridge, name, loc->bridge->name);
    }
    return loc->iface;
}

/* Adds to 'txn' what makes bridge 'lif->bridge' what the file says.
 * Returns the bridge if it had to be created. */
static const struct ovsrec_bridge *
apply_bridge(struct apply_ctx *ac, struct ovsdb_idl_txn *txn,
             const struct lif_cfg_lif *lif)
{
    const struct ovsrec_bridge *br = shash_find_data(&ac->bridges,
                                                     lif->bridge);
    struct ovsrec_bridge *new_br = NULL;
    struct port_list ports = { .ports = NULL };

    if (!br) {
        new_br = ovsrec_bridge_insert(txn);
        ovsrec_bridge_set_name(new_br, lif->bridge);
        ovsrec_bridge_set_fail_mode(new_br, "secure");
        ovsrec_bridge_set_datapath_type(new_br, lif->datapath_type);
        new_port(txn, lif->bridge, "internal", &ports);
        ds_put_format(&ac->changes, "%s: bridge created\n", lif->bridge);
    } else {
        if (strcmp(br->datapath_type, lif->datapath_type)) {
            ovsrec_bridge_set_datapath_type(br, lif->datapath_type);
            ds_put_format(&ac->changes, "%s: datapath_type \"%s\"\n",
                          lif->bridge, lif->datapath_type);
        }

        /* Keep the ports whose interfaces stay; detach the others. */
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            if (port_is_local(br, port)) {
                port_list_add(&ports, port);
                continue;
            }

            struct ovsrec_interface **keep
                = xmalloc(port->n_interfaces * sizeof *keep);
            size_t n_keep = 0;
            bool moved = false;
            for (size_t j = 0; j < port->n_interfaces; j++) {
                struct ovsrec_interface *iface = port->interfaces[j];
                const struct lif_cfg_lif *owner
                    = shash_find_data(&ac->wanted, iface->name);
                if (owner == lif) {
                    keep[n_keep++] = iface;
                } else if (owner) {
                    moved = true;       /* Its new bridge takes the port. */
                } else {
                    ds_put_format(&ac->changes, "%s: %s: detached\n",
                                  lif->bridge, iface->name);
                }
            }
            if (n_keep && n_keep < port->n_interfaces) {
                ovsrec_port_set_interfaces(port, keep, n_keep);
            }
            if (n_keep && !moved) {
                port_list_add(&ports, port);
            }
            free(keep);
        }
    }

    /* The LIF. */
    const struct ovsrec_interface *iface = place_iface(ac, lif->bridge,
                                                       lif->name, &ports);
    struct smap ids;
    if (iface) {
        smap_clone(&ids, &iface->external_ids);
    } else {
        smap_init(&ids);
        iface = new_port(txn, lif->name, "internal", &ports);
    }
    sync_lif_keys(ac, lif, &ids);
    sync_iface(ac, lif->bridge, iface, "internal", NULL,
               lif->ofport_request, &ids);
    smap_destroy(&ids);

    /* The sub-interfaces. */
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_cfg_subif *subif = &lif->subifs[i];

        iface = place_iface(ac, lif->bridge, subif->name, &ports);
        if (iface) {
            smap_clone(&ids, &iface->external_ids);
        } else {
            smap_init(&ids);
            iface = new_port(txn, subif->name, subif->type, &ports);
        }
        sync_subif_keys(ac, lif->bridge, subif, &ids);
        sync_iface(ac, lif->bridge, iface, subif->type, subif->options,
                   subif->ofport_request, &ids);
        smap_destroy(&ids);
    }

    /* The port list, if it changed. */
    bool changed = !br || br->n_ports != ports.n;
    for (size_t i = 0; !changed && i < ports.n; i++) {
        bool found = false;
        for (size_t j = 0; !found && j < br->n_ports; j++) {
            found = br->ports[j] == ports.ports[i];
        }
        changed = !found;
    }
    if (changed) {
        ovsrec_bridge_set_ports(new_br ? new_br : br,
                                CONST_CAST(struct ovsrec_port **,
                                           ports.ports), ports.n);
    }
    free(ports.ports);
    return new_br;
}

/* With --prune: bridges that are LIF bridges but not in the file lose the
 * lif-role key of their LIF, and so stop being LIF bridges.  Nothing is
 * deleted. */
static void
apply_prune(struct apply_ctx *ac)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &ac->bridges) {
        const struct ovsrec_bridge *br = node->data;
        if (file_has_bridge(ac, br->name)) {
            continue;
        }
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            for (size_t j = 0; j < port->n_interfaces; j++) {
                const struct ovsrec_interface *iface = port->interfaces[j];
                if (iface_is_logical(iface)) {
                    ovsrec_interface_update_external_ids_delkey(iface,
                                                                "lif-role");
                    ds_put_format(&ac->changes, "%s: %s: lif-role removed "
                                  "(pruned: no longer a LIF bridge)\n",
                                  br->name, iface->name);
                }
            }
        }
    }
}

/* Waits until ovs-vswitchd has applied configuration 'next_cfg'. */
static void
wait_for_vswitchd(struct ovsdb_idl *idl, int64_t next_cfg)
{
    for (;;) {
        ovsdb_idl_run(idl);
        const struct ovsrec_open_vswitch *ovs
            = ovsrec_open_vswitch_first(idl);
        if (ovs && ovs->cur_cfg >= next_cfg) {
            return;
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }
}

/* Makes the Open_vSwitch database match 'cfg', in one transaction, unless
 * the file does not fit the database; reports the changes in 'changes'.
 * Returns an error message or NULL. */
static char *
apply_ovs(const struct lif_cfg *cfg, const char *file_name, bool prune,
          struct ds *changes)
{
    struct ovsdb_idl *idl = ovs_idl_connect();

    for (;;) {
        struct apply_ctx ac;
        apply_ctx_init(&ac, cfg, file_name, prune, idl);

        check_against_db(&ac);
        if (ac.errors.n) {
            for (size_t i = 0; i < ac.errors.n; i++) {
                fprintf(stderr, "%s\n", ac.errors.names[i]);
            }
            char *error = xasprintf("%s: %"PRIuSIZE" error%s, nothing "
                                    "changed", file_name, ac.errors.n,
                                    ac.errors.n == 1 ? "" : "s");
            apply_ctx_destroy(&ac);
            return error;
        }

        const struct ovsrec_open_vswitch *ovs
            = ovsrec_open_vswitch_first(idl);
        if (!ovs) {
            apply_ctx_destroy(&ac);
            return xstrdup("the Open_vSwitch database has no Open_vSwitch "
                           "row (run \"ovs-vsctl init\")");
        }

        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
        if (*globals.dry_run) {
            ovsdb_idl_txn_set_dry_run(txn);
        }
        ovsdb_idl_txn_add_comment(txn, "lif-ctl: apply %s", file_name);
        verify_all(idl);

        struct ovsrec_bridge **new_bridges = NULL;
        size_t n_new = 0;
        for (size_t i = 0; i < cfg->n_lifs; i++) {
            const struct ovsrec_bridge *br = apply_bridge(&ac, txn,
                                                          &cfg->lifs[i]);
            if (br) {
                new_bridges = xrealloc(new_bridges,
                                       (n_new + 1) * sizeof *new_bridges);
                new_bridges[n_new++] = CONST_CAST(struct ovsrec_bridge *, br);
            }
        }
        if (n_new) {
            struct ovsrec_bridge **all
                = xmalloc((ovs->n_bridges + n_new) * sizeof *all);
            if (ovs->n_bridges) {
                memcpy(all, ovs->bridges, ovs->n_bridges * sizeof *all);
            }
            memcpy(&all[ovs->n_bridges], new_bridges, n_new * sizeof *all);
            ovsrec_open_vswitch_set_bridges(ovs, all,
                                            ovs->n_bridges + n_new);
            free(all);
        }
        free(new_bridges);
        if (prune) {
            apply_prune(&ac);
        }

        bool must_wait = *globals.wait && !*globals.dry_run;
        if (must_wait) {
            ovsdb_idl_txn_increment(txn, &ovs->header_,
                                    &ovsrec_open_vswitch_col_next_cfg,
                                    false);
        }

        enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit_block(txn);
        int64_t next_cfg = (status == TXN_SUCCESS && must_wait
                            ? ovsdb_idl_txn_get_increment_new_value(txn)
                            : -1);
        char *error = (status == TXN_ERROR || status == TXN_ABORTED
                       || status == TXN_NOT_LOCKED
                       ? xasprintf("Open_vSwitch transaction failed (%s); "
                                   "nothing changed",
                                   ovsdb_idl_txn_get_error(txn))
                       : NULL);
        ovsdb_idl_txn_destroy(txn);

        if ((status == TXN_SUCCESS || status == TXN_UNCHANGED)
            && ac.changes.length) {
            ds_put_buffer(changes, ac.changes.string, ac.changes.length);
        }
        apply_ctx_destroy(&ac);

        if (status == TXN_TRY_AGAIN) {
            /* The database changed under us: look again. */
            unsigned int seqno = ovsdb_idl_get_seqno(idl);
            while (seqno == ovsdb_idl_get_seqno(idl)) {
                ovsdb_idl_run(idl);
                ovsdb_idl_wait(idl);
                poll_block();
            }
            continue;
        }
        if (next_cfg >= 0) {
            wait_for_vswitchd(idl, next_cfg);
        }
        return error;
    }
}

/* Makes the Flow_Policy rows of the LIF database match 'cfg', in lif-ctl's
 * transaction 'txn'. */
static void
apply_policies(struct ctl_context *ctx, const struct lif_cfg *cfg,
               bool prune)
{
    struct sset lifs = SSET_INITIALIZER(&lifs);
    for (size_t i = 0; i < cfg->n_lifs; i++) {
        sset_add(&lifs, cfg->lifs[i].name);
    }

    /* Delete the rows that are not in the file. */
    const struct lifrec_flow_policy *row;
    LIFREC_FLOW_POLICY_FOR_EACH (row, ctx->idl) {
        bool listed = sset_contains(&lifs, row->lif);
        if (!listed && !prune) {
            continue;
        }

        const struct lif_cfg_lif *lif = NULL;
        for (size_t i = 0; !lif && i < cfg->n_lifs; i++) {
            if (!strcmp(cfg->lifs[i].name, row->lif)) {
                lif = &cfg->lifs[i];
            }
        }
        bool keep = false;
        for (size_t i = 0; lif && !keep && i < lif->n_policies; i++) {
            keep = !strcmp(lif->policies[i].name, row->name);
        }
        if (!keep) {
            lifrec_flow_policy_delete(row);
            ds_put_format(&ctx->output, "%s: policy %s: deleted%s\n",
                          row->lif, row->name,
                          listed ? "" : " (pruned)");
        }
    }

    /* Add or change the others. */
    for (size_t i = 0; i < cfg->n_lifs; i++) {
        const struct lif_cfg_lif *lif = &cfg->lifs[i];
        for (size_t j = 0; j < lif->n_policies; j++) {
            const struct lif_cfg_policy *policy = &lif->policies[j];
            char *subifs = svec_join(&policy->sub_interfaces, ",", "");

            const struct lifrec_flow_policy *old = NULL;
            LIFREC_FLOW_POLICY_FOR_EACH (row, ctx->idl) {
                if (!strcmp(row->lif, lif->name)
                    && !strcmp(row->name, policy->name)) {
                    old = row;
                    break;
                }
            }

            const struct lifrec_flow_policy *new = old;
            if (!old) {
                new = lifrec_flow_policy_insert(ctx->txn);
                lifrec_flow_policy_set_lif(new, lif->name);
                lifrec_flow_policy_set_name(new, policy->name);
                ds_put_format(&ctx->output, "%s: policy %s: added\n",
                              lif->name, policy->name);
            } else {
                lifrec_flow_policy_verify_priority(old);
                lifrec_flow_policy_verify_match(old);
                lifrec_flow_policy_verify_sub_interfaces(old);
                lifrec_flow_policy_verify_mode(old);
            }

            bool changed = false;
            if (!old || old->priority != policy->priority) {
                lifrec_flow_policy_set_priority(new, policy->priority);
                changed = true;
            }
            if (!old || strcmp(old->match, policy->match)) {
                lifrec_flow_policy_set_match(new, policy->match);
                changed = true;
            }
            if (!old || strcmp(old->sub_interfaces, subifs)) {
                lifrec_flow_policy_set_sub_interfaces(new, subifs);
                changed = true;
            }
            if (!old || !old->mode || strcmp(old->mode, policy->mode)) {
                lifrec_flow_policy_set_mode(new, policy->mode);
                changed = true;
            }
            if (old && changed) {
                ds_put_format(&ctx->output, "%s: policy %s: changed\n",
                              lif->name, policy->name);
            }
            free(subifs);
        }
    }
    sset_destroy(&lifs);
}

/* "apply FILE". */
static void
cmd_apply(struct ctl_context *ctx)
{
    const char *file_name = ctx->argv[1];
    const char *shown_name = strcmp(file_name, "-") ? file_name : "<stdin>";
    bool prune = shash_find(&ctx->options, "--prune") != NULL;

    /* lif-ctl runs the command again if its own transaction, on the LIF
     * database, has to be retried; the Open_vSwitch database is done by
     * then. */
    if (!apply_ovs_done) {
        ctx->error = apply_ovs(&apply_cfg, shown_name, prune,
                               &apply_ovs_changes);
        if (ctx->error) {
            return;
        }
        apply_ovs_done = true;
    }
    if (apply_ovs_changes.length) {
        ds_put_buffer(&ctx->output, apply_ovs_changes.string,
                      apply_ovs_changes.length);
    }
    apply_policies(ctx, &apply_cfg, prune);
}

static const struct ctl_command_syntax config_commands[] = {
    {"export", 0, 0, "", pre_cmd_export, cmd_export, NULL, "", RO},
    {"apply", 1, 1, "FILE", pre_cmd_apply, cmd_apply, NULL, "--prune", RW},
    {"state-dump", 0, 1, "[LIF]", lif_ctl_pre_state_dump,
     lif_ctl_cmd_state_dump, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Registers "export", "apply" and "state-dump" with db-ctl-base.  They read
 * lif-ctl's global options through 'g' when they run. */
void
lif_ctl_config_register(const struct lif_ctl_config_globals *g)
{
    globals = *g;
    ctl_register_commands(config_commands);
}
