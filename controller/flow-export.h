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

#ifndef FLOW_EXPORT_H
#define FLOW_EXPORT_H 1

struct ds;
struct lif_model;
struct ovsdb_idl;
struct ovsdb_idl_txn;

/* flow-export: the visible FLOW table.
 *
 * For every LIF bridge, an OpenFlow connection of its own (separate from
 * ofctrl's and pinctrl's) asks at most once a second for the statistics of
 * the pinned flows and the policies, and a non-blocking unixctl connection
 * to ovs-vswitchd (vswitchd-appctl.h) asks as often for the conntrack
 * entries of the LIF's zone, the reflective flows (lif-ct-dump.h).
 * flow_export_run() writes them into the LIF database's Flow table, the
 * reflective flows bounded by LIF_Global options:flow-export-limit (the
 * most recently active first), and writes the "errors" column of
 * Flow_Policy rows and of pinned Flow rows from the model, logging new
 * errors. */

void flow_export_init_idl(struct ovsdb_idl *lif_idl);
void flow_export_run(struct ovsdb_idl_txn *, struct ovsdb_idl *lif_idl,
                     const struct lif_model *);
void flow_export_wait(void);
void flow_export_clear(struct ovsdb_idl *lif_idl);
void flow_export_format_status(struct ds *);
void flow_export_destroy_all(void);

#endif /* flow-export.h */
