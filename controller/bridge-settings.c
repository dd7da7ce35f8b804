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

#include <string.h>

#include "lif-model.h"
#include "lif-pipeline.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
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
            VLOG_INFO("LIF %s: setting mac=%s", lif->name, mac);
            ovsrec_interface_set_mac(iface, mac);
        }
        if (lif->mtu > 0
            && (!iface->n_mtu_request || iface->mtu_request[0] != lif->mtu)) {
            int64_t mtu = lif->mtu;
            VLOG_INFO("LIF %s: setting mtu_request=%d", lif->name, lif->mtu);
            ovsrec_interface_set_mtu_request(iface, &mtu, 1);
        }
    }
}
