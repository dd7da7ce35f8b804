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

#include "bridge-settings.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>

#include "lif-model.h"
#include "lif-pipeline.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "simap.h"
#include "smap.h"
#include "socket-util.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bridge_settings);

/* Registers the Open_vSwitch columns this module reads and writes. */
void
bridge_settings_register_columns(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_fail_mode);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_other_config);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_datapath_id);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_flow_tables);
    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_flow_table);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_flow_table_col_name);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_mac);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_interface_col_mtu_request);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_open_vswitch_col_next_cfg);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_open_vswitch_col_cur_cfg);
}

static void
set_other_config(const struct ovsrec_bridge *br, const char *key,
                 const char *value)
{
    const char *old = smap_get(&br->other_config, key);
    if (!old || strcmp(old, value)) {
        VLOG_INFO("bridge %s: setting other_config:%s=%s", br->name, key,
                  value);
        ovsrec_bridge_update_other_config_setkey(br, key, value);
    }
}

/* Names the pipeline's OpenFlow tables in 'br''s flow_tables, so that
 * "ovs-ofctl --names dump-flows" and "ofproto/trace" show "from-lif" rather
 * than "10". */
static void
set_table_names(struct ovsdb_idl_txn *txn, const struct ovsrec_bridge *br)
{
    for (int table_id = 0; table_id < 255; table_id++) {
        const char *name = lif_table_name(table_id);
        if (!name) {
            continue;
        }

        const struct ovsrec_flow_table *ft = NULL;
        for (size_t i = 0; i < br->n_flow_tables; i++) {
            if (br->key_flow_tables[i] == table_id) {
                ft = br->value_flow_tables[i];
                break;
            }
        }
        if (!ft) {
            ft = ovsrec_flow_table_insert(txn);
            ovsrec_bridge_update_flow_tables_setkey(br, table_id, ft);
        }
        if (!ft->name || strcmp(ft->name, name)) {
            ovsrec_flow_table_set_name(ft, name);
        }
    }
}

/* Tries to change the link-layer address of network device 'name' to 'mac'
 * while it stays up.  Returns 0 if done, otherwise an errno value (ENODEV:
 * no such device in this network namespace, as with the dummy datapath;
 * EBUSY: a device that must go down for it). */
static int
set_mac_live(const char *name, struct eth_addr mac)
{
    struct ifreq ifr;

    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memcpy(ifr.ifr_hwaddr.sa_data, mac.ea, ETH_ADDR_LEN);
    return af_inet_ifreq_ioctl(name, &ifr, SIOCSIFHWADDR, "SIOCSIFHWADDR");
}

/* LIFs whose "mac" lif-controller cleared to change the MAC live: name ->
 * the Open_vSwitch next_cfg that ovs-vswitchd must have applied first. */
static struct simap mac_clears = SIMAP_INITIALIZER(&mac_clears);

/* Sets the MAC of 'lif' to 'mac' without costing the host its
 * configuration.  ovs-vswitchd takes a tap device (the userspace
 * datapath's internal port) down to change its MAC, and Linux then drops
 * the interface's IPv6 addresses and the routes through it, and it applies
 * the Interface "mac" column again on every reconfiguration.  A tap device
 * can change its MAC while up, so:
 *
 *   1. lif-controller clears "mac" (and bumps next_cfg), so that
 *      ovs-vswitchd stops enforcing the old MAC;
 *   2. once ovs-vswitchd has applied that (cur_cfg), lif-controller
 *      changes the MAC in the kernel while the device stays up;
 *   3. once ovs-vswitchd reports the new MAC in "mac_in_use", it writes
 *      "mac", which ovs-vswitchd then finds already in place.
 *
 * Where the kernel device is not reachable (another network namespace,
 * the dummy datapath), "mac" is written at once. */
static void
set_lif_mac(const struct ovsrec_open_vswitch *ovs,
            const struct ovsrec_interface *iface,
            const struct lif_logical *lif, const char *mac)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct simap_node *clear = simap_find(&mac_clears, lif->name);
    int error;

    VLOG_DBG("LIF %s: mac %s, in use %s, want %s, cfg %"PRId64"/%"PRId64
             " (%u)", lif->name, iface->mac ? iface->mac : "none",
             iface->mac_in_use ? iface->mac_in_use : "none", mac,
             ovs ? ovs->cur_cfg : -1, ovs ? ovs->next_cfg : -1,
             clear ? clear->data : 0);

    if (iface->mac_in_use && !strcmp(iface->mac_in_use, mac)) {
        goto write;             /* Step 3, or nothing to do live. */
    }

    if (iface->mac && iface->mac[0]) {
        /* Step 1, for a device in this network namespace. */
        if (!if_nametoindex(lif->name) || !ovs) {
            goto write;
        }
        int64_t next_cfg = ovs->next_cfg + 1;
        ovsrec_open_vswitch_verify_next_cfg(ovs);
        ovsrec_open_vswitch_set_next_cfg(ovs, next_cfg);
        ovsrec_interface_set_mac(iface, NULL);
        simap_put(&mac_clears, lif->name, next_cfg);
        VLOG_INFO("LIF %s: changing the MAC to %s while the device stays "
                  "up", lif->name, mac);
        return;
    }

    if (clear && ovs && ovs->cur_cfg < clear->data) {
        return;                 /* Step 2 waits for ovs-vswitchd. */
    }
    error = set_mac_live(lif->name, lif->mac);
    if (!error) {
        VLOG_INFO_RL(&rl, "LIF %s: changed the device's MAC to %s while "
                     "up", lif->name, mac);
        return;                 /* Step 3 once "mac_in_use" follows. */
    }
    if (error != ENODEV) {
        VLOG_WARN_RL(&rl, "LIF %s: could not change the device's MAC "
                     "while up (%s); ovs-vswitchd will, and the host may "
                     "lose its IPv6 configuration of %s", lif->name,
                     ovs_strerror(error), lif->name);
    }

write:
    if (clear) {
        simap_delete(&mac_clears, clear);
    }
    VLOG_INFO("LIF %s: setting mac=%s", lif->name, mac);
    ovsrec_interface_set_mac(iface, mac);
}

/* Makes the Open_vSwitch database settings of every LIF bridge in 'model'
 * what lif-controller needs, writing only what differs. */
void
bridge_settings_run(struct ovsdb_idl_txn *txn, struct ovsdb_idl *ovs_idl,
                    const struct lif_model *model)
{
    if (!txn) {
        return;
    }

    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        const struct ovsrec_bridge *br
            = ovsrec_bridge_get_for_uuid(ovs_idl, &lif->bridge_uuid);
        if (!br) {
            continue;
        }
        if (!br->fail_mode || strcmp(br->fail_mode, "secure")) {
            VLOG_INFO("bridge %s: setting fail_mode=secure", br->name);
            ovsrec_bridge_set_fail_mode(br, "secure");
        }
        char dpid[17];
        lif_datapath_id_derive(br->name, dpid);
        set_other_config(br, "datapath-id", dpid);
        set_other_config(br, "disable-in-band", "true");
        set_table_names(txn, br);

        const struct ovsrec_interface *iface
            = ovsrec_interface_get_for_uuid(ovs_idl, &lif->uuid);
        if (!iface || !lif->usable) {
            continue;
        }
        char mac[ETH_ADDR_STRLEN + 1];
        snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(lif->mac));
        if (!iface->mac || strcmp(iface->mac, mac)) {
            set_lif_mac(ovsrec_open_vswitch_first(ovs_idl), iface, lif, mac);
        }
        if (lif->mtu > 0
            && (!iface->n_mtu_request || iface->mtu_request[0] != lif->mtu)) {
            int64_t mtu = lif->mtu;
            VLOG_INFO("LIF %s: setting mtu_request=%d", lif->name, lif->mtu);
            ovsrec_interface_set_mtu_request(iface, &mtu, 1);
        }
    }
}
