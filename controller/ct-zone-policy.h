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

#ifndef CT_ZONE_POLICY_H
#define CT_ZONE_POLICY_H 1

struct lif_model;
struct ovsdb_idl;
struct ovsdb_idl_txn;

/* ct-zone-policy: the idle timeout of each LIF's reflective flows
 * (external_ids:lif-flow-idle-timeout) as the conntrack timeout policy of
 * the LIF's zone.
 *
 * For each LIF with a FLOW table configuration, the Datapath row of its
 * bridge's datapath type (Open_vSwitch "datapaths") has in "ct_zones" the
 * LIF's zone, whose CT_Zone names a CT_Timeout_Policy that sets every
 * timeout the userspace conntrack honours for an idle flow (UDP, ICMP, TCP
 * established) to the idle timeout.  The CT_Zone and CT_Timeout_Policy rows
 * lif-controller writes carry external_ids:lif-owner=lif-controller (a
 * new idle timeout gets a new CT_Timeout_Policy row: "ovs-vsctl
 * add-zone-tp" may have given ours to a user's zone); zones of
 * LIF_FLOW_CT_ZONE_BASE...+LIF_FLOW_CT_ZONE_N-1 with such a CT_Zone that no
 * LIF uses any more are removed, and nothing else in the Datapath table is
 * touched.  Only what differs is written; a write that did not make it
 * into the database is logged and retried. */
void ct_zone_policy_register_columns(struct ovsdb_idl *ovs_idl);
void ct_zone_policy_run(struct ovsdb_idl_txn *, struct ovsdb_idl *ovs_idl,
                        const struct lif_model *);
void ct_zone_policy_wait(void);
void ct_zone_policy_destroy(void);

#endif /* ct-zone-policy.h */
