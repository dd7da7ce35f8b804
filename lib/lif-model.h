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

#ifndef LIF_MODEL_H
#define LIF_MODEL_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/hmap.h"
#include "simap.h"
#include "openvswitch/types.h"
#include "openvswitch/uuid.h"
#include "svec.h"

struct lif_flow_config;
struct ovsdb_idl;
struct smap;
struct smap;

/* The in-memory model of every LIF on the host, computed from scratch from
 * the Open_vSwitch database (and the carrier states lif-controller's own
 * poller sees) by lif_model_build().  It holds no pointers into the IDL, so
 * it stays valid after the IDL changes, and it is all that the pipeline and
 * the status writer read. */

/* The link state lif-controller's carrier poller sees for a device. */
enum lif_carrier {
    LIF_CARRIER_UNKNOWN,        /* Not a device the poller can query. */
    LIF_CARRIER_UP,
    LIF_CARRIER_DOWN,
};

/* A sub-interface's part in the LIF's default path. */
enum lif_subif_state {
    LIF_SUBIF_ACTIVE,           /* Carries the LIF's default traffic. */
    LIF_SUBIF_STANDBY,          /* Usable, but a preferred one is up. */
    LIF_SUBIF_DOWN,             /* Link down or not attached yet. */
};

/* Which link-layer address frames on a sub-interface carry. */
enum lif_lladdr_mode {
    LIF_LLADDR_LOGICAL,         /* The LIF's. */
    LIF_LLADDR_OWN,             /* The sub-interface's own MAC. */
};

/* Default external_ids:lif-priority. */
#define LIF_DEFAULT_PRIORITY 100

/* A router learned from the Router Advertisements on one access (RFC 7847
 * section 5 property 3, path awareness). */
struct lif_router {
    struct in6_addr addr;       /* Its link-local address. */
    struct eth_addr mac;        /* Its link-layer address. */
    uint16_t lifetime;          /* Router lifetime, seconds (0: not a
                                 * default router). */
    int preference;             /* RFC 4191: -1 low, 0 medium, 1 high. */
    long long int expires;      /* Wall-clock msec when it ends. */
};

/* A prefix learned from a Prefix Information option on one access. */
struct lif_prefix {
    struct in6_addr prefix;
    int plen;
    bool on_link;               /* L flag. */
    bool autonomous;            /* A flag. */
    uint32_t valid;             /* Valid lifetime as advertised, seconds. */
    uint32_t preferred;         /* Preferred lifetime as advertised. */
    long long int valid_until;  /* Wall-clock msec; LLONG_MAX: infinite. */
    long long int preferred_until;
};

/* A sub-interface: a port on a LIF bridge other than the LIF itself and the
 * bridge's own local port. */
struct lif_subif {
    char *name;                 /* Interface name. */
    struct uuid uuid;           /* Interface row. */
    ofp_port_t ofport;          /* OFPP_NONE until ovs-vswitchd assigns
                                 * one. */
    int priority;               /* external_ids:lif-priority. */
    char *technology;           /* external_ids:lif-technology, or "". */
    enum lif_lladdr_mode lladdr_mode;   /* external_ids:lif-lladdr. */
    struct eth_addr mac;        /* Interface mac_in_use, or all-zero. */
    int mtu;                    /* Interface mtu, or 0 if unknown. */
    bool link_up;               /* Admin and link state up, per OVS. */
    enum lif_carrier carrier;   /* What the carrier poller sees. */
    enum lif_subif_state state; /* Derived from all of the above. */
    struct svec errors;         /* Configuration errors, for status. */

    /* Path awareness: what the Router Advertisements on this access say,
     * from lif-controller's path table (empty where nothing was heard). */
    struct lif_router *routers; /* Most preferred default router first. */
    size_t n_routers;
    struct lif_prefix *prefixes;
    size_t n_prefixes;
    int ra_mtu;                 /* MTU option of the RAs, or 0. */
    unsigned long long int n_ra;            /* RAs learned from. */
    unsigned long long int n_ra_malformed;  /* RAs refused. */
    unsigned long long int n_ra_ignored;    /* Routers and prefixes that
                                             * were invalid or beyond the
                                             * path table's bounds. */
};

/* A logical interface and its sub-interfaces: one per LIF bridge. */
struct lif_logical {
    struct hmap_node hmap_node; /* In lif_model 'lifs', by bridge name. */
    char *name;                 /* Name of the internal Interface. */
    char *bridge;               /* Name of the bridge. */
    struct uuid uuid;           /* Interface row of the LIF. */
    struct uuid bridge_uuid;    /* Bridge row. */
    ofp_port_t ofport;          /* OFPP_NONE until assigned. */
    bool usable;                /* False if a configuration error leaves
                                 * the bridge without a data plane. */
    bool bridge_ready;          /* ovs-vswitchd runs the bridge with the
                                 * settings lif-controller needs (secure
                                 * fail mode, fixed datapath-id). */
    char *lladdr_mode;          /* "virtual" or a sub-interface name. */
    struct eth_addr mac;        /* Link-layer address the LIF uses. */
    int mtu;                    /* Lowest sub-interface MTU, 0 if none. */
    int neighbor_limit;         /* Learned neighbors per access. */
    struct lif_subif *subifs;   /* Sorted: priority high to low, name. */
    size_t n_subifs;
    struct svec errors;         /* Configuration errors, for status. */

    /* The FLOW table (lif-flow-config.h); NULL until
     * lif_flow_config_build() runs. */
    struct lif_flow_config *flow;
};

/* Every LIF on the host. */
struct lif_model {
    struct hmap lifs;           /* Contains "struct lif_logical"s. */
};

void lif_model_init(struct lif_model *);
void lif_model_destroy(struct lif_model *);
void lif_model_build(struct ovsdb_idl *ovs_idl, const struct simap *carriers,
                     const struct smap *incumbents, struct lif_model *);

struct lif_logical *lif_model_find(const struct lif_model *,
                                   const char *bridge);
const struct lif_subif *lif_logical_find_subif(const struct lif_logical *,
                                               const char *name);

void lif_logical_init(struct lif_logical *, const char *name,
                      const char *bridge);
void lif_logical_destroy(struct lif_logical *);
struct lif_subif *lif_logical_add_subif(struct lif_logical *,
                                        const char *name);
void lif_logical_finish(struct lif_logical *);

const struct lif_router *lif_subif_default_router(const struct lif_subif *);

void lif_datapath_id_derive(const char *bridge, char dpid[17]);
void lif_vll_id_derive(const char *system_id, const char *lif_name,
                       struct eth_addr *);

bool lif_interface_is_logical(const struct smap *external_ids);
bool lif_priority_from_string(const char *, int *priority);
bool lif_lladdr_mode_from_string(const char *, enum lif_lladdr_mode *);

const char *lif_carrier_to_string(enum lif_carrier);
const char *lif_subif_state_to_string(enum lif_subif_state);
const char *lif_lladdr_mode_to_string(enum lif_lladdr_mode);

#endif /* lif-model.h */
