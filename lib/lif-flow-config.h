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

#ifndef LIF_FLOW_CONFIG_H
#define LIF_FLOW_CONFIG_H 1

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/compiler.h"
#include "openvswitch/uuid.h"
#include "svec.h"

struct lif_logical;
struct lif_model;
struct ovsdb_idl;
struct smap;

/* The FLOW table configuration of one LIF (RFC 7847 section 5.7): its flow
 * routing policies (Flow_Policy rows), its pinned flows (Flow rows with
 * pinned=true) and the settings of its reflective flows, validated.  Like
 * the rest of the model it holds no pointers into an IDL. */

/* Flow_Policy "mode". */
enum lif_flow_mode {
    LIF_FLOW_FAILOVER,          /* First usable sub-interface. */
    LIF_FLOW_BALANCE,           /* Per-flow hash over the usable ones. */
    LIF_FLOW_REDUNDANT,         /* A copy through every usable one. */
};

/* One flow routing policy. */
struct lif_flow_policy {
    char *name;
    struct uuid uuid;           /* Flow_Policy row. */
    int priority;               /* 0...65535. */
    char *match;                /* Canonical ovs-ofctl syntax, or NULL if
                                 * the match was refused. */
    enum lif_flow_mode mode;
    struct svec subifs;         /* The listed sub-interfaces that the LIF
                                 * has, in the order given. */
    struct svec errors;         /* For the row's "errors" column. */
};

/* One pinned flow (lif-ctl flow-move). */
struct lif_flow_pin {
    struct uuid uuid;           /* Flow row. */
    char *match;                /* Canonical, or NULL if refused. */
    char *subif;                /* Sub-interface name. */
    int priority;               /* More specific matches first. */
    struct svec errors;
};

/* Default external_ids:lif-flow-idle-timeout, in seconds. */
#define LIF_FLOW_DEFAULT_IDLE_TIMEOUT 300

/* Default external_ids:lif-flow-limit, per learned protocol family. */
#define LIF_FLOW_DEFAULT_LIMIT 100000

/* Default LIF_Global options:flow-export-limit. */
#define LIF_FLOW_DEFAULT_EXPORT_LIMIT 1000
#define LIF_FLOW_MAX_EXPORT_LIMIT 100000

/* The first conntrack zone that LIF bridges use; each LIF has its own in
 * LIF_FLOW_CT_ZONE_BASE...LIF_FLOW_CT_ZONE_BASE + LIF_FLOW_CT_ZONE_N - 1. */
#define LIF_FLOW_CT_ZONE_BASE 0xf000
#define LIF_FLOW_CT_ZONE_N 0x1000

/* Everything about the FLOW table of one LIF. */
struct lif_flow_config {
    struct lif_flow_policy *policies;   /* Highest priority first, then by
                                         * name. */
    size_t n_policies;
    struct lif_flow_pin *pins;          /* Highest priority first. */
    size_t n_pins;

    int idle_timeout;           /* Reflective flows' idle timeout, s. */
    int limit;                  /* Learned flows per protocol family. */
    uint16_t ct_zone;           /* Conntrack zone of this LIF. */
};

void lif_flow_config_build(struct lif_model *, struct ovsdb_idl *ovs_idl,
                           struct ovsdb_idl *lif_idl);
void lif_flow_config_destroy(struct lif_flow_config *);

char *lif_flow_match_parse(const char *s, char **canonical, int *n_bits)
    OVS_WARN_UNUSED_RESULT;
bool lif_flow_mode_from_string(const char *, enum lif_flow_mode *);
const char *lif_flow_mode_to_string(enum lif_flow_mode);
void lif_flow_split_subifs(const char *, struct svec *);
int lif_flow_export_limit(const struct smap *options);

#endif /* lif-flow-config.h */
