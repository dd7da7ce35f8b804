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

#ifndef LIF_FLOW_TABLE_H
#define LIF_FLOW_TABLE_H 1

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "openvswitch/hmap.h"

struct ds;
struct match;
struct ofpact;
struct ovs_list;

/* A set of OpenFlow flows and groups for one bridge, in ovs-ofctl text form.
 *
 * lif-controller keeps two of these per bridge: the desired state, computed
 * from scratch by the pipeline on every change, and the installed state, the
 * controller's mirror of what ovs-vswitchd has.  lif_flow_table_diff()
 * compares them, so only the delta is sent.
 *
 * A flow's identity is (table_id, priority, match), as in OpenFlow; two
 * flows with the same identity cannot both be installed.  The match and the
 * actions, and a group's type and buckets, are kept as canonical text:
 * parsed with OVS's own parser, the actions encoded in OpenFlow 1.5 and
 * decoded again (as a switch reports them), and formatted back, so
 * generated flows and groups and those dumped from a switch compare
 * equal.  Text is what a person reads in "lif/flows" and what
 * tests compare. */
struct lif_flow_table {
    struct hmap flows;          /* Contains "struct lif_flow"s. */
    struct hmap groups;         /* Contains "struct lif_group"s. */
};

/* One OpenFlow flow. */
struct lif_flow {
    struct hmap_node hmap_node; /* In lif_flow_table 'flows'. */
    uint8_t table_id;
    uint16_t priority;
    uint64_t cookie;
    char *match;                /* ovs-ofctl syntax, e.g. "in_port=1". */
    char *actions;              /* ovs-ofctl syntax, e.g. "output:2". */
};

/* One OpenFlow group. */
struct lif_group {
    struct hmap_node hmap_node; /* In lif_flow_table 'groups'. */
    uint32_t group_id;
    char *spec;                 /* Everything but "group_id=", e.g.
                                 * "type=ff,bucket=...". */
};

void lif_flow_table_init(struct lif_flow_table *);
void lif_flow_table_destroy(struct lif_flow_table *);
void lif_flow_table_clear(struct lif_flow_table *);
void lif_flow_table_swap(struct lif_flow_table *, struct lif_flow_table *);
void lif_flow_table_clone(struct lif_flow_table *dst,
                          const struct lif_flow_table *src);
bool lif_flow_table_equal(const struct lif_flow_table *,
                          const struct lif_flow_table *);
size_t lif_flow_table_n_flows(const struct lif_flow_table *);

char *lif_flow_table_add_flow(struct lif_flow_table *, uint8_t table_id,
                              uint16_t priority, uint64_t cookie,
                              const char *match, const char *actions)
    OVS_WARN_UNUSED_RESULT;
bool lif_flow_table_add_parsed(struct lif_flow_table *, uint8_t table_id,
                               uint16_t priority, uint64_t cookie,
                               const struct match *,
                               const struct ofpact *, size_t ofpacts_len);
struct ofputil_group_props;
void lif_flow_table_add_parsed_group(struct lif_flow_table *,
                                     uint32_t group_id, uint8_t type,
                                     const struct ovs_list *buckets,
                                     const struct ofputil_group_props *);
char *lif_flow_table_add_group(struct lif_flow_table *, uint32_t group_id,
                               const char *spec)
    OVS_WARN_UNUSED_RESULT;

const struct lif_flow *lif_flow_table_find_flow(
    const struct lif_flow_table *, uint8_t table_id, uint16_t priority,
    const char *match);
const struct lif_group *lif_flow_table_find_group(
    const struct lif_flow_table *, uint32_t group_id);

void lif_flow_format(const struct lif_flow *, struct ds *);
void lif_group_format(const struct lif_group *, struct ds *);
void lif_flow_table_format(const struct lif_flow_table *, struct ds *);

/* What changes, as one step of turning one flow table into another. */
enum lif_change_type {
    LIF_CHANGE_GROUP_ADD,
    LIF_CHANGE_GROUP_MODIFY,    /* Replaces the whole bucket set. */
    LIF_CHANGE_FLOW_DELETE,     /* DELETE_STRICT. */
    LIF_CHANGE_FLOW_ADD,        /* ADD (also for a changed cookie). */
    LIF_CHANGE_FLOW_MODIFY,     /* MODIFY_STRICT of the actions. */
    LIF_CHANGE_GROUP_DELETE,
};

/* One change: 'flow' or 'group' points into the table it came from (the
 * installed table for deletions, the desired table otherwise). */
struct lif_change {
    enum lif_change_type type;
    const struct lif_flow *flow;
    const struct lif_group *group;
};

/* The ordered changes that turn an installed table into a desired one.  The
 * order is safe within one atomic bundle: groups are added or modified
 * before the flows that use them and deleted after the flows that used
 * them are gone. */
struct lif_changes {
    struct lif_change *changes;
    size_t n, allocated;
};

void lif_flow_table_diff(const struct lif_flow_table *installed,
                         const struct lif_flow_table *desired,
                         struct lif_changes *);
void lif_changes_destroy(struct lif_changes *);
const char *lif_change_type_name(enum lif_change_type);

#endif /* lif-flow-table.h */
