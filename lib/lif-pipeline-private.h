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

#ifndef LIF_PIPELINE_PRIVATE_H
#define LIF_PIPELINE_PRIVATE_H 1

/* Helpers shared by the pipeline compiler's files, one per part of the
 * pipeline (see lif-tables.h):
 *
 *   lif-pipeline.c         classify, the groups, the chain's skeleton.
 *   lif-pipeline-nd.c      RFC 7847 section 5.5 ND/ARP rules and the
 *                          learned neighbor table.
 *   lif-pipeline-lladdr.c  per-access link-layer identity (lif-lladdr=own).
 *   lif-pipeline-flow.c    FLOW table: pins, reflective flows, policies.
 *   lif-pipeline-path.c    path awareness: RA punts, source-prefix routing,
 *                          router-MAC translation.
 *
 * Every function here is pure: model in, flows out. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/types.h"

struct ds;
struct lif_flow_table;
struct lif_logical;
struct lif_subif;
struct svec;

void lif_pl_add_flow(struct lif_flow_table *, struct svec *errors,
                     uint8_t table_id, uint16_t priority, uint64_t cookie,
                     const char *match, const char *actions);
void lif_pl_add_flow_nocopy(struct lif_flow_table *, struct svec *errors,
                            uint8_t table_id, uint16_t priority,
                            uint64_t cookie, char *match, char *actions);
void lif_pl_add_group(struct lif_flow_table *, struct svec *errors,
                      uint32_t group_id, const struct ds *spec);

uint16_t lif_pl_port(ofp_port_t);
bool lif_pl_subif_in_groups(const struct lif_subif *);
bool lif_pl_subif_is_up(const struct lif_subif *);
void lif_pl_put_to_subif(struct ds *, const struct lif_subif *);
void lif_pl_put_via_subif_group(struct ds *, const struct lif_subif *,
                                int stage);

void lif_pl_build_nd_from_lif(const struct lif_logical *,
                              struct lif_flow_table *, struct svec *);
void lif_pl_build_nd_from_subif(const struct lif_logical *,
                                struct lif_flow_table *, struct svec *);
void lif_pl_build_lladdr(const struct lif_logical *, struct lif_flow_table *,
                         struct svec *);
void lif_pl_build_flow(const struct lif_logical *, struct lif_flow_table *,
                       struct svec *);
const char *lif_pl_flow_table_name(int table_id);
void lif_pl_build_path(const struct lif_logical *, struct lif_flow_table *,
                       struct svec *);

#endif /* lif-pipeline-private.h */
