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

#ifndef BRIDGE_SETTINGS_H
#define BRIDGE_SETTINGS_H 1

struct lif_model;
struct ovsdb_idl;
struct ovsdb_idl_txn;

/* bridge-settings: the Open_vSwitch database settings lif-controller owns on
 * LIF bridges.
 *
 * On every LIF bridge: fail_mode=secure (no fallback to NORMAL switching
 * when no controller is connected), other_config:disable-in-band=true, a
 * fixed other_config:datapath-id derived from the bridge name (adding a port
 * then never changes the datapath-id, which would reconnect every
 * controller), and names for the pipeline's tables in flow_tables.  On the
 * LIF interface: "mac" (the VLL-ID or the borrowed address) and
 * "mtu_request" (the lowest MTU of its sub-interfaces). */
void bridge_settings_run(struct ovsdb_idl_txn *, struct ovsdb_idl *ovs_idl,
                         const struct lif_model *);
void bridge_settings_register_columns(struct ovsdb_idl *ovs_idl);

#endif /* bridge-settings.h */
