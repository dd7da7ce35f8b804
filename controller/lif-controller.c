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

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bridge-settings.h"
#include "carrier.h"
#include "command-line.h"
#include "ct-zone-limit.h"
#include "ct-zone-policy.h"
#include "daemon.h"
#include "dirs.h"
#include "failover.h"
#include "fatal-signal.h"
#include "flow.h"
#include "lif-db-keeper.h"
#include "flow-export.h"
#include "lif-flow-config.h"
#include "lif-flow-table.h"
#include "lif-idl.h"
#include "lif-model.h"
#include "lif-path-events.h"
#include "lif-paths.h"
#include "lif-pipeline.h"
#include "lif-util.h"
#include "memory.h"
#include "ofctrl.h"
#include "path-notify.h"
#include "pinctrl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "status.h"
#include "subif-isolation.h"
#include "stream-ssl.h"
#include "stream.h"
#include "svec.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"
#include "vswitchd-status.h"

VLOG_DEFINE_THIS_MODULE(lif_controller);

/* The default carrier polling interval, in microseconds. */
#define DEFAULT_CARRIER_POLL_INTERVAL 1000

/* One LIF bridge that lif-controller programs. */
struct lif_bridge {
    struct ofctrl *ofctrl;             /* Its OpenFlow connection. */
    struct pinctrl *pinctrl;           /* Its packet-in connection. */
    struct lif_flow_table desired;     /* What it should have. */
    bool put_pending;                  /* 'desired' not yet sent. */
    struct lif_path_snap snap;         /* Its LIF at the last recompute, for
                                        * path events. */
    bool have_snap;                    /* False until the first one. */
};

/* Everything the main loop owns. */
struct controller {
    struct ovsdb_idl_loop ovs_loop;    /* The Open_vSwitch database. */
    struct ovsdb_idl_loop lif_loop;    /* The LIF database. */
    unsigned int ovs_seqno, lif_seqno; /* Seqnos at the last recompute. */
    uint64_t carrier_seqno;            /* Likewise for the poller. */
    bool force_recompute;              /* "recompute" was requested. */

    struct lif_model model;            /* The current model. */
    struct lif_paths *paths;           /* What the accesses' RAs say. */
    struct sset logged_errors;         /* Configuration errors logged. */
    struct shash bridges;              /* "struct lif_bridge"s by name. */
    int64_t next_cfg;                  /* LIF_Global next_cfg seen. */

    bool exiting;                      /* "exit" was requested. */
    bool restart;                      /* "exit --restart". */
    struct unixctl_conn *exit_conn;    /* Reply to "exit" when done. */
};

static char *db_remote;
static const char *unixctl_path;
static int carrier_poll_interval = DEFAULT_CARRIER_POLL_INTERVAL;
static char *lif_db_file;            /* NULL: default; "": no keeper. */

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);

static unixctl_cb_func lif_controller_exit;
static unixctl_cb_func lif_controller_recompute;
static unixctl_cb_func lif_controller_connection_status;
static unixctl_cb_func lif_controller_show;
static unixctl_cb_func lif_controller_flows;

/* Registers the Open_vSwitch tables and columns lif-controller reads.  The
 * IDL monitors only these, so changes elsewhere (statistics, other
 * daemons' columns) do not wake it up. */
static void
register_ovs_idl(struct ovsdb_idl *idl)
{
    ovsdb_idl_add_table(idl, &ovsrec_table_open_vswitch);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_external_ids);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_bridges);

    ovsdb_idl_add_table(idl, &ovsrec_table_bridge);
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_ports);

    ovsdb_idl_add_table(idl, &ovsrec_table_port);
    ovsdb_idl_add_column(idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_port_col_interfaces);

    ovsdb_idl_add_table(idl, &ovsrec_table_interface);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_admin_state);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_link_state);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_mac_in_use);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_mtu);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_external_ids);

    bridge_settings_register_columns(idl);
    subif_isolation_register_columns(idl);
    ct_zone_policy_register_columns(idl);
}

static struct lif_bridge *
find_bridge(const struct controller *ctl, const char *name)
{
    return shash_find_data(&ctl->bridges, name);
}

static void
destroy_bridge(struct lif_bridge *br)
{
    if (br) {
        ofctrl_destroy(br->ofctrl);
        pinctrl_destroy(br->pinctrl);
        lif_flow_table_destroy(&br->desired);
        lif_path_snap_destroy(&br->snap);
        free(br);
    }
}

static bool
bridge_is_connected(const char *bridge, void *ctl_)
{
    struct controller *ctl = ctl_;
    struct lif_bridge *br = find_bridge(ctl, bridge);
    return br && ofctrl_is_connected(br->ofctrl);
}

static bool
bridge_port_stats(const char *bridge, ofp_port_t port,
                  struct ofputil_port_stats *ps, void *ctl_)
{
    struct controller *ctl = ctl_;
    struct lif_bridge *br = find_bridge(ctl, bridge);
    return br && ofctrl_get_port_stats(br->ofctrl, port, ps);
}

/* Whether both databases have delivered their complete initial contents.
 * Installing flows before that would atomically install an incomplete
 * table.  After an ovsdb-server restart, also waits (briefly) until
 * ovs-vswitchd has written the interface status again. */
static bool
databases_ready(const struct controller *ctl)
{
    return (ovsdb_idl_has_ever_connected(ctl->ovs_loop.idl)
            && ovsdb_idl_has_ever_connected(ctl->lif_loop.idl)
            && ovsrec_open_vswitch_first(ctl->ovs_loop.idl)
            && vswitchd_status_ready(ctl->ovs_loop.idl));
}

/* Tells the host and the access routers what changed in 'lif''s paths
 * since the last recompute (lif-path-events.h). */
static void
run_path_events(struct lif_bridge *br, const struct lif_logical *lif)
{
    struct lif_path_snap snap;
    struct lif_path_events events;

    lif_path_snap_take(&snap, lif);
    lif_path_events_init(&events);
    lif_path_events_compute(br->have_snap ? &br->snap : NULL, &snap,
                            time_wall_msec(), &events);
    path_notify_send(&events, lif->bridge, lif->name, br->pinctrl);
    lif_path_events_destroy(&events);

    lif_path_snap_destroy(&br->snap);
    br->snap = snap;
    br->have_snap = true;
}

/* Stores in 'incumbents' the LIF of each bridge until now: the current
 * model's, or for a bridge it does not have (as after a restart), the one
 * in lif-controller's own status rows. */
static void
get_incumbent_lifs(const struct controller *ctl, struct smap *incumbents)
{
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &ctl->model.lifs) {
        smap_replace(incumbents, lif->bridge, lif->name);
    }
    const struct lifrec_logical_interface *row;
    LIFREC_LOGICAL_INTERFACE_FOR_EACH (row, ctl->lif_loop.idl) {
        if (!smap_get(incumbents, row->bridge)) {
            smap_add(incumbents, row->bridge, row->name);
        }
    }
}

/* Logs the configuration errors in the model that were not there at the
 * previous recompute, once each, and the ones that went away. */
static void
log_config_errors(struct controller *ctl)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 20);
    struct sset errors = SSET_INITIALIZER(&errors);

    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &ctl->model.lifs) {
        for (size_t i = 0; i < lif->errors.n; i++) {
            sset_add_and_free(&errors, xasprintf(
                                  "bridge %s, LIF %s: %s", lif->bridge,
                                  lif->name, lif->errors.names[i]));
        }
        for (size_t i = 0; i < lif->n_subifs; i++) {
            const struct lif_subif *subif = &lif->subifs[i];
            for (size_t j = 0; j < subif->errors.n; j++) {
                sset_add_and_free(&errors, xasprintf(
                                      "bridge %s, sub-interface %s: %s",
                                      lif->bridge, subif->name,
                                      subif->errors.names[j]));
            }
        }
    }

    const char *error;
    SSET_FOR_EACH (error, &errors) {
        if (!sset_contains(&ctl->logged_errors, error)) {
            VLOG_WARN_RL(&rl, "configuration error: %s", error);
        }
    }
    SSET_FOR_EACH (error, &ctl->logged_errors) {
        if (!sset_contains(&errors, error)) {
            VLOG_INFO_RL(&rl, "configuration error gone: %s", error);
        }
    }
    sset_swap(&errors, &ctl->logged_errors);
    sset_destroy(&errors);
}

/* Recomputes the model and every bridge's desired flows from scratch.  The
 * OpenFlow side later sends only what differs from what is installed. */
static void
recompute(struct controller *ctl)
{
    struct simap carriers = SIMAP_INITIALIZER(&carriers);
    struct smap incumbents = SMAP_INITIALIZER(&incumbents);
    carrier_get(&carriers);
    get_incumbent_lifs(ctl, &incumbents);

    lif_model_destroy(&ctl->model);
    lif_model_init(&ctl->model);
    lif_model_build(ctl->ovs_loop.idl, &carriers, &incumbents, &ctl->model);
    simap_destroy(&carriers);
    smap_destroy(&incumbents);

    /* What the accesses' routers said, as of now. */
    lif_paths_expire(ctl->paths, time_wall_msec());
    struct lif_logical *pl;
    HMAP_FOR_EACH (pl, hmap_node, &ctl->model.lifs) {
        struct sset names = SSET_INITIALIZER(&names);
        for (size_t i = 0; i < pl->n_subifs; i++) {
            sset_add(&names, pl->subifs[i].name);
        }
        lif_paths_retain(ctl->paths, pl->bridge, &names);
        sset_destroy(&names);
        lif_paths_fill(ctl->paths, pl);
    }
    lif_flow_config_build(&ctl->model, ctl->ovs_loop.idl, ctl->lif_loop.idl);
    ct_zone_limit_set_model(&ctl->model);

    /* What the host stack isolation could not do is a configuration error
     * of that sub-interface. */
    struct lif_logical *l;
    HMAP_FOR_EACH (l, hmap_node, &ctl->model.lifs) {
        for (size_t i = 0; i < l->n_subifs; i++) {
            subif_isolation_get_errors(l->subifs[i].name,
                                       &l->subifs[i].errors);
        }
    }
    log_config_errors(ctl);

    /* Drop bridges that are no longer LIF bridges (their flows stay in the
     * switch: the bridge may be on its way to another controller). */
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &ctl->bridges) {
        const struct lif_logical *lif = lif_model_find(&ctl->model,
                                                       node->name);
        if (!lif || !lif->usable) {
            VLOG_INFO("%s: no longer a usable LIF bridge", node->name);
            path_notify_forget(node->name);
            destroy_bridge(node->data);
            shash_delete(&ctl->bridges, node);
        }
    }

    struct sset devices = SSET_INITIALIZER(&devices);
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &ctl->model.lifs) {
        for (size_t i = 0; i < lif->n_subifs; i++) {
            sset_add(&devices, lif->subifs[i].name);
        }
        if (!lif->usable) {
            continue;
        }

        struct lif_bridge *br = find_bridge(ctl, lif->bridge);
        if (!br && !lif->bridge_ready) {
            /* Connect only once ovs-vswitchd runs the bridge with its final
             * datapath-id: changing it drops every OpenFlow connection. */
            continue;
        }
        if (!br) {
            VLOG_INFO("%s: LIF bridge with LIF %s", lif->bridge, lif->name);
            br = xzalloc(sizeof *br);
            br->ofctrl = ofctrl_create(lif->bridge);
            br->pinctrl = pinctrl_create(lif->bridge, ctl->paths);
            lif_flow_table_init(&br->desired);
            shash_add(&ctl->bridges, lif->bridge, br);
        }

        struct lif_flow_table desired;
        struct svec errors = SVEC_EMPTY_INITIALIZER;
        lif_flow_table_init(&desired);
        lif_pipeline_build(lif, &desired, &errors);
        for (size_t i = 0; i < errors.n; i++) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_ERR_RL(&rl, "%s: pipeline: %s", lif->bridge,
                        errors.names[i]);
        }
        svec_destroy(&errors);
        pinctrl_update(br->pinctrl, lif);
        lif_flow_table_swap(&br->desired, &desired);
        lif_flow_table_destroy(&desired);
        failover_update(lif, &br->desired);
        br->put_pending = true;

        struct lif_meters meters;
        lif_meters_init(&meters);
        lif_pipeline_meters(lif, &meters);
        ofctrl_set_meters(br->ofctrl, &meters);
        lif_meters_destroy(&meters);

        run_path_events(br, lif);
    }
    carrier_set_devices(&devices);
    sset_destroy(&devices);

    struct sset names = SSET_INITIALIZER(&names);
    SHASH_FOR_EACH (node, &ctl->bridges) {
        sset_add(&names, node->name);
    }
    failover_retain(&names);
    sset_destroy(&names);
}

/* Makes ofctrl rewrite the groups the failover fast path changed, so that
 * the switch ends with the desired state whatever the order in which the
 * two connections' messages arrived. */
static void
take_failover_changes(struct controller *ctl)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctl->bridges) {
        struct lif_bridge *br = node->data;
        uint32_t *ids;
        size_t n = failover_take_changed(node->name, &ids);
        for (size_t i = 0; i < n; i++) {
            ofctrl_forget_group(br->ofctrl, ids[i]);
        }
        if (n) {
            br->put_pending = true;
        }
        free(ids);
    }
}

/* Sends every bridge's pending changes, as far as back-pressure allows. */
static void
put_flows(struct controller *ctl)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctl->bridges) {
        struct lif_bridge *br = node->data;
        if (br->put_pending
            || ofctrl_get_cur_cfg(br->ofctrl) < ctl->next_cfg) {
            if (ofctrl_put(br->ofctrl, &br->desired, ctl->next_cfg)) {
                br->put_pending = false;
            }
        }
    }
}

/* Tells "lif-ctl --wait" that the configuration it asked for is installed
 * on every LIF bridge. */
static void
update_cur_cfg(struct controller *ctl, struct ovsdb_idl_txn *lif_txn)
{
    const struct lifrec_lif_global *global
        = lifrec_lif_global_first(ctl->lif_loop.idl);
    if (!lif_txn) {
        return;
    }
    if (!global) {
        /* Create the row here rather than in each "lif-ctl --wait", where
         * two could race to insert it. */
        lifrec_lif_global_insert(lif_txn);
        return;
    }

    int64_t cur_cfg = ctl->next_cfg;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctl->bridges) {
        struct lif_bridge *br = node->data;
        if (br->put_pending) {
            return;
        }
        cur_cfg = MIN(cur_cfg, ofctrl_get_cur_cfg(br->ofctrl));
    }
    if (cur_cfg > global->cur_cfg) {
        lifrec_lif_global_set_cur_cfg(global, cur_cfg);
    }
}

static void
run_bridges(struct controller *ctl)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctl->bridges) {
        struct lif_bridge *br = node->data;
        ofctrl_run(br->ofctrl);
        if (pinctrl_run(br->pinctrl)) {
            /* Router Advertisements changed what the model says. */
            ctl->force_recompute = true;
        }
        path_notify_run(node->name, br->pinctrl, ctl->paths);
    }
    if (lif_paths_expire(ctl->paths, time_wall_msec())) {
        ctl->force_recompute = true;
    }
}

static void
wait_bridges(struct controller *ctl)
{
    long long int next = lif_paths_next_expiry(ctl->paths);
    if (next != LLONG_MAX) {
        poll_timer_wait(MAX(next - time_wall_msec(), 0));
    }
    path_notify_wait();

    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctl->bridges) {
        struct lif_bridge *br = node->data;
        ofctrl_wait(br->ofctrl);
        pinctrl_wait(br->pinctrl);
        if (br->put_pending
            || ofctrl_get_cur_cfg(br->ofctrl) < ctl->next_cfg) {
            /* Retry once back-pressure allows: ofctrl_wait() wakes us when
             * the switch replies. */
            poll_timer_wait(100);
        }
    }
}

/* Tries for up to a few seconds to remove lif-controller's status rows,
 * for an "exit" without --restart. */
static void
clear_status_on_exit(struct controller *ctl)
{
    long long int deadline = time_msec() + 5000;
    for (;;) {
        struct ovsdb_idl_txn *txn = ovsdb_idl_loop_run(&ctl->lif_loop);
        if (txn) {
            status_clear(txn, ctl->lif_loop.idl);
            flow_export_clear(ctl->lif_loop.idl);
        }
        int retval = ovsdb_idl_loop_commit_and_wait(&ctl->lif_loop);
        if (retval == 1 || time_msec() >= deadline
            || !ovsdb_idl_is_connected(ctl->lif_loop.idl)) {
            break;
        }
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct controller ctl = { .next_cfg = 0 };
    int retval;

    lif_set_program_name(argv[0]);
    ovs_cmdl_proctitle_init(argc, argv);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    /* As ovs-vswitchd does: with --user, keep CAP_NET_ADMIN and CAP_NET_RAW,
     * which subif-isolation needs to write the sub-interfaces' sysctls. */
    daemonize_start(true);

    retval = unixctl_server_create(unixctl_path, &unixctl);
    if (retval) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "[--restart]", 0, 1,
                             lif_controller_exit, &ctl);
    unixctl_command_register("recompute", "", 0, 0,
                             lif_controller_recompute, &ctl);
    unixctl_command_register("connection-status", "", 0, 0,
                             lif_controller_connection_status, &ctl);
    unixctl_command_register("lif/show", "", 0, 0, lif_controller_show,
                             &ctl);
    unixctl_command_register("lif/flows", "[BRIDGE]", 0, 1,
                             lif_controller_flows, &ctl);

    daemonize_complete();

    ctl.ovs_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(db_remote, &ovsrec_idl_class, false, true));
    register_ovs_idl(ctl.ovs_loop.idl);
    ctl.lif_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(db_remote, &lifrec_idl_class, true, true));
    flow_export_init_idl(ctl.lif_loop.idl);
    ctl.ovs_seqno = ctl.lif_seqno = UINT_MAX;
    ctl.carrier_seqno = UINT64_MAX;
    lif_model_init(&ctl.model);
    ctl.paths = lif_paths_create();
    sset_init(&ctl.logged_errors);
    shash_init(&ctl.bridges);

    carrier_init(carrier_poll_interval);
    subif_isolation_init();
    struct lif_db_keeper *keeper = (*lif_db_file
                                    ? lif_db_keeper_create(lif_db_file)
                                    : NULL);
    if (carrier_poll_interval) {
        VLOG_INFO("%s %s (Open vSwitch %s), database %s, carrier polling "
                  "every %d us", program_name, PACKAGE_VERSION,
                  OVS_PACKAGE_VERSION, db_remote, carrier_poll_interval);
    } else {
        VLOG_INFO("%s %s (Open vSwitch %s), database %s, carrier polling "
                  "disabled", program_name, PACKAGE_VERSION,
                  OVS_PACKAGE_VERSION, db_remote);
    }

    while (!ctl.exiting) {
        memory_run();
        if (memory_should_report()) {
            struct simap usage = SIMAP_INITIALIZER(&usage);
            simap_increase(&usage, "lif-bridges",
                           shash_count(&ctl.bridges));
            memory_report(&usage);
            simap_destroy(&usage);
        }

        uint64_t failover_seqno = failover_seq_read();
        struct ovsdb_idl_txn *ovs_txn = ovsdb_idl_loop_run(&ctl.ovs_loop);
        struct ovsdb_idl_txn *lif_txn = ovsdb_idl_loop_run(&ctl.lif_loop);
        if (keeper) {
            lif_db_keeper_run(keeper, ctl.lif_loop.idl);
        }
        run_bridges(&ctl);

        if (databases_ready(&ctl)) {
            unsigned int ovs_seqno = ovsdb_idl_get_seqno(ctl.ovs_loop.idl);
            unsigned int lif_seqno = ovsdb_idl_get_seqno(ctl.lif_loop.idl);
            uint64_t carrier_seqno = carrier_seq_read();
            if (ovs_seqno != ctl.ovs_seqno || lif_seqno != ctl.lif_seqno
                || carrier_seqno != ctl.carrier_seqno
                || ctl.force_recompute) {
                ctl.ovs_seqno = ovs_seqno;
                ctl.lif_seqno = lif_seqno;
                ctl.carrier_seqno = carrier_seqno;
                ctl.force_recompute = false;
                recompute(&ctl);
            }

            /* Only with complete database contents: an empty model would
             * give every sub-interface back to the host stack. */
            if (subif_isolation_run(&ctl.model, ctl.ovs_loop.idl)) {
                ctl.force_recompute = true;
                poll_immediate_wake();
            }

            const struct lifrec_lif_global *global
                = lifrec_lif_global_first(ctl.lif_loop.idl);
            ctl.next_cfg = global ? global->next_cfg : 0;

            take_failover_changes(&ctl);
            put_flows(&ctl);
            bridge_settings_run(ovs_txn, ctl.ovs_loop.idl, &ctl.model);
            ct_zone_policy_run(ovs_txn, ctl.ovs_loop.idl, &ctl.model);
            ct_zone_limit_run();
            struct status_source src = {
                .connected = bridge_is_connected,
                .port_stats = bridge_port_stats,
                .aux = &ctl,
            };
            status_run(lif_txn, ctl.lif_loop.idl, &ctl.model, &src);
            flow_export_run(lif_txn, ctl.lif_loop.idl, &ctl.model);
            update_cur_cfg(&ctl, lif_txn);
        }

        unixctl_server_run(unixctl);

        wait_bridges(&ctl);
        carrier_wait(ctl.carrier_seqno);
        failover_wait(failover_seqno);
        subif_isolation_wait();
        vswitchd_status_wait();
        if (keeper) {
            lif_db_keeper_wait(keeper);
        }
        flow_export_wait();
        ct_zone_policy_wait();
        ct_zone_limit_wait();
        unixctl_server_wait(unixctl);
        memory_wait();
        ovsdb_idl_loop_commit_and_wait(&ctl.ovs_loop);
        ovsdb_idl_loop_commit_and_wait(&ctl.lif_loop);
        if (ctl.exiting) {
            poll_immediate_wake();
        }
        poll_block();
        if (should_service_stop()) {
            ctl.exiting = true;
        }
    }

    /* Never delete flows on exit: ovs-vswitchd keeps forwarding with them
     * until the next lif-controller takes over. */
    if (!ctl.restart) {
        clear_status_on_exit(&ctl);
    }
    if (ctl.exit_conn) {
        unixctl_command_reply(ctl.exit_conn, NULL);
    }

    carrier_destroy();
    ct_zone_policy_destroy();
    ct_zone_limit_destroy();
    flow_export_destroy_all();
    subif_isolation_destroy();
    lif_db_keeper_destroy(keeper);
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &ctl.bridges) {
        destroy_bridge(node->data);
        shash_delete(&ctl.bridges, node);
    }
    shash_destroy(&ctl.bridges);
    lif_model_destroy(&ctl.model);
    lif_paths_destroy(ctl.paths);
    sset_destroy(&ctl.logged_errors);
    ovsdb_idl_loop_destroy(&ctl.ovs_loop);
    ovsdb_idl_loop_destroy(&ctl.lif_loop);
    unixctl_server_destroy(unixctl);
    service_stop();
    free(db_remote);
    free(lif_db_file);
    return 0;
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_CARRIER_POLL_INTERVAL = UCHAR_MAX + 1,
        OPT_UNIXCTL,
        OPT_LIF_DB_FILE,
        OPT_NO_LIF_DB_KEEPER,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"carrier-poll-interval", required_argument, NULL,
         OPT_CARRIER_POLL_INTERVAL},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"lif-db-file", required_argument, NULL, OPT_LIF_DB_FILE},
        {"no-lif-db-keeper", no_argument, NULL, OPT_NO_LIF_DB_KEEPER},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_CARRIER_POLL_INTERVAL: {
            double ms;
            if (!str_to_double(optarg, &ms) || ms < 0 || ms > 10000
                || (ms > 0 && ms < 0.1)) {
                ovs_fatal(0, "--carrier-poll-interval: \"%s\" is not a "
                          "number of milliseconds between 0.1 and 10000 "
                          "(or 0)", optarg);
            }
            carrier_poll_interval = ms * 1000 + 0.5;
            break;
        }

        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;

        case OPT_LIF_DB_FILE:
            if (!optarg[0]) {
                ovs_fatal(0, "--lif-db-file: empty file name (use "
                          "--no-lif-db-keeper to keep no database served)");
            }
            free(lif_db_file);
            lif_db_file = abs_file_name(NULL, optarg);
            break;

        case OPT_NO_LIF_DB_KEEPER:
            free(lif_db_file);
            lif_db_file = xstrdup("");
            break;

        case 'h':
            usage();

        case 'V':
            lif_print_version();
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS

        case '?':
            exit(EXIT_FAILURE);

        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);
    if (!lif_db_file) {
        lif_db_file = xasprintf("%s/lif.db", ovs_dbdir());
    }

    argc -= optind;
    argv += optind;
    if (argc == 0) {
        db_remote = xasprintf("unix:%s/db.sock", ovs_rundir());
    } else if (argc == 1) {
        db_remote = xstrdup(argv[0]);
    } else {
        VLOG_FATAL("at most one non-option argument (the database) is "
                   "accepted; use --help for usage");
    }
}

static void
usage(void)
{
    printf("%s: the IETF logical interface (RFC 7847) on Open vSwitch\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "where DATABASE is an OVSDB server holding the Open_vSwitch\n"
           "and LIF databases (default: \"unix:%s/db.sock\").\n",
           program_name, program_name, ovs_rundir());
    stream_usage("DATABASE", true, false, true);
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --carrier-poll-interval=MS  poll sub-interface carrier every\n"
           "                              MS milliseconds (default %g, 0 "
           "off)\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  --lif-db-file=FILE      LIF database file that the local\n"
           "                          ovsdb-server is kept serving\n"
           "                          (default: %s/lif.db)\n"
           "  --no-lif-db-keeper      never add the LIF database to\n"
           "                          ovsdb-server\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           DEFAULT_CARRIER_POLL_INTERVAL / 1000.0, ovs_dbdir());
    exit(EXIT_SUCCESS);
}

static void
lif_controller_exit(struct unixctl_conn *conn, int argc,
                    const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    if (argc > 1 && strcmp(argv[1], "--restart")) {
        unixctl_command_reply_error(conn, "exit: unknown option (only "
                                    "--restart is accepted)");
        return;
    }
    ctl->exiting = true;
    ctl->restart = argc > 1;
    ctl->exit_conn = conn;
}

static void
lif_controller_recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
                         const char *argv[] OVS_UNUSED, void *ctl_)
{
    struct controller *ctl = ctl_;
    ctl->force_recompute = true;
    poll_immediate_wake();
    unixctl_command_reply(conn, NULL);
}

static void
lif_controller_connection_status(struct unixctl_conn *conn,
                                 int argc OVS_UNUSED,
                                 const char *argv[] OVS_UNUSED, void *ctl_)
{
    struct controller *ctl = ctl_;
    struct ds ds = DS_EMPTY_INITIALIZER;

    ds_put_format(&ds, "database %s: %s\n", db_remote,
                  ovsdb_idl_is_connected(ctl->ovs_loop.idl)
                  && ovsdb_idl_is_connected(ctl->lif_loop.idl)
                  ? "connected" : "not connected");
    const struct shash_node **nodes = shash_sort(&ctl->bridges);
    for (size_t i = 0; i < shash_count(&ctl->bridges); i++) {
        const struct lif_bridge *br = nodes[i]->data;
        ofctrl_format_status(br->ofctrl, &ds);
        ds_put_char(&ds, '\n');
        pinctrl_format_status(br->pinctrl, &ds);
        ds_put_char(&ds, '\n');
    }
    free(nodes);
    flow_export_format_status(&ds);
    ct_zone_limit_format_status(&ds);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static int
compare_lifs(const void *a_, const void *b_)
{
    const struct lif_logical *const *a = a_;
    const struct lif_logical *const *b = b_;
    return strcmp((*a)->bridge, (*b)->bridge);
}

static void
lif_controller_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[] OVS_UNUSED, void *ctl_)
{
    struct controller *ctl = ctl_;
    struct ds ds = DS_EMPTY_INITIALIZER;

    size_t n = hmap_count(&ctl->model.lifs);
    const struct lif_logical **lifs = xmalloc((n + 1) * sizeof *lifs);
    size_t i = 0;
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &ctl->model.lifs) {
        lifs[i++] = lif;
    }
    qsort(lifs, n, sizeof *lifs, compare_lifs);

    for (i = 0; i < n; i++) {
        lif = lifs[i];
        ds_put_format(&ds, "bridge %s: LIF %s, ofport ", lif->bridge,
                      lif->name);
        if (lif->ofport == OFPP_NONE) {
            ds_put_cstr(&ds, "none");
        } else {
            ds_put_format(&ds, "%"PRIu16, ofp_to_u16(lif->ofport));
        }
        ds_put_format(&ds, ", lladdr %s "ETH_ADDR_FMT", mtu %d%s\n",
                      lif->lladdr_mode, ETH_ADDR_ARGS(lif->mac), lif->mtu,
                      bridge_is_connected(lif->bridge, ctl)
                      ? "" : ", not connected");
        for (size_t j = 0; j < lif->errors.n; j++) {
            ds_put_format(&ds, "  error: %s\n", lif->errors.names[j]);
        }
        for (size_t j = 0; j < lif->n_subifs; j++) {
            const struct lif_subif *s = &lif->subifs[j];
            ds_put_format(&ds, "  %s: %s, priority %d, ofport ", s->name,
                          lif_subif_state_to_string(s->state), s->priority);
            if (s->ofport == OFPP_NONE) {
                ds_put_cstr(&ds, "none");
            } else {
                ds_put_format(&ds, "%"PRIu16, ofp_to_u16(s->ofport));
            }
            ds_put_format(&ds, ", link %s, carrier %s, lladdr %s",
                          s->link_up ? "up" : "down",
                          lif_carrier_to_string(s->carrier),
                          lif_lladdr_mode_to_string(s->lladdr_mode));
            if (s->technology[0]) {
                ds_put_format(&ds, ", technology %s", s->technology);
            }
            if (s->mtu) {
                ds_put_format(&ds, ", mtu %d", s->mtu);
            }
            const struct lif_bridge *br = find_bridge(ctl, lif->bridge);
            uint64_t refused = (br && s->ofport != OFPP_NONE
                                ? ofctrl_get_nd_refused(br->ofctrl,
                                                        s->ofport)
                                : 0);
            if (refused) {
                ds_put_format(&ds, ", %"PRIu64" neighbor learnings refused",
                              refused);
            }
            ds_put_char(&ds, '\n');
            for (size_t k = 0; k < s->errors.n; k++) {
                ds_put_format(&ds, "    error: %s\n", s->errors.names[k]);
            }
        }
    }
    free(lifs);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
lif_controller_flows(struct unixctl_conn *conn, int argc,
                     const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (argc > 1 && !find_bridge(ctl, argv[1])) {
        unixctl_command_reply_error(conn, "no such LIF bridge");
        return;
    }
    const struct shash_node **nodes = shash_sort(&ctl->bridges);
    for (size_t i = 0; i < shash_count(&ctl->bridges); i++) {
        if (argc > 1 && strcmp(argv[1], nodes[i]->name)) {
            continue;
        }
        const struct lif_bridge *br = nodes[i]->data;
        ds_put_format(&ds, "bridge %s:\n", nodes[i]->name);
        lif_flow_table_format(&br->desired, &ds);
    }
    free(nodes);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}
