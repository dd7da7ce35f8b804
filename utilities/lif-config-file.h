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

#ifndef LIF_CONFIG_FILE_H
#define LIF_CONFIG_FILE_H 1

/* The declarative configuration file of "lif-ctl export" and "lif-ctl
 * apply": a JSON document (utilities/lif-config.schema.json) that lists
 * every LIF bridge, its LIF, its sub-interfaces and its flow policies.
 *
 * This file only translates between that text and "struct lif_cfg", and
 * validates it: it reads and writes no database.  Every setting has a
 * default, and a setting that has its default value is left out of the
 * text lif_cfg_to_text() writes; lif_cfg_parse() accepts it either way. */

#include <stdbool.h>
#include <stddef.h>

#include "lif-model.h"
#include "openvswitch/types.h"
#include "smap.h"
#include "svec.h"

/* A place in the text: line and column (in characters), both from 1, or 0
 * and 0 for a configuration that was not read from a text. */
struct lif_cfg_pos {
    int line;
    int column;
};

/* One sub-interface: an Interface (in a Port of the same name) on the LIF
 * bridge. */
struct lif_cfg_subif {
    char *name;
    char *type;                 /* Interface type, "" for a system one. */
    struct smap *options;       /* Interface options.  (Not a member: the
                                 * struct moves, and an smap must not.) */
    int ofport_request;         /* 0 for none. */
    int priority;               /* external_ids:lif-priority. */
    char *technology;           /* external_ids:lif-technology, or "". */
    enum lif_lladdr_mode lladdr;        /* external_ids:lif-lladdr. */
    struct lif_cfg_pos pos;     /* Where its name is in the text. */
};

/* One Flow_Policy row. */
struct lif_cfg_policy {
    char *name;
    int priority;               /* 0...65535. */
    char *match;                /* ovs-ofctl syntax, L3/L4 fields. */
    struct svec sub_interfaces; /* Most preferred first. */
    char *mode;                 /* "failover", "balance" or "redundant". */
};

/* One LIF bridge with its LIF. */
struct lif_cfg_lif {
    char *bridge;               /* Bridge name. */
    char *datapath_type;        /* Bridge datapath_type, "" for default. */
    char *name;                 /* The LIF's (internal) Interface. */
    int ofport_request;         /* The LIF's, 0 for none. */
    char *lladdr;               /* "virtual" or a sub-interface name. */
    bool has_vll_id;            /* external_ids:lif-vll-id is set? */
    struct eth_addr vll_id;     /* Its value, if 'has_vll_id'. */
    struct lif_cfg_subif *subifs;
    size_t n_subifs;
    struct lif_cfg_policy *policies;
    size_t n_policies;
    struct lif_cfg_pos bridge_pos;      /* Where 'bridge' is. */
    struct lif_cfg_pos name_pos;        /* Where 'name' is. */
};

/* A whole configuration. */
struct lif_cfg {
    struct lif_cfg_lif *lifs;
    size_t n_lifs;
};

void lif_cfg_init(struct lif_cfg *);
void lif_cfg_destroy(struct lif_cfg *);
struct lif_cfg_lif *lif_cfg_add_lif(struct lif_cfg *, const char *bridge,
                                    const char *name);
struct lif_cfg_subif *lif_cfg_add_subif(struct lif_cfg_lif *,
                                        const char *name);
struct lif_cfg_policy *lif_cfg_add_policy(struct lif_cfg_lif *,
                                          const char *name);
void lif_cfg_sort(struct lif_cfg *);

bool lif_cfg_parse(const char *text, size_t length, const char *file_name,
                   struct lif_cfg *, struct svec *errors);
char *lif_cfg_to_text(const struct lif_cfg *);
char *lif_cfg_reindent(const char *compact);

char *lif_cfg_check_match(const char *match);
bool lif_cfg_mode_is_valid(const char *mode);

#endif /* lif-config-file.h */
