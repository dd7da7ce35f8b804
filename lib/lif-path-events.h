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

#ifndef LIF_PATH_EVENTS_H
#define LIF_PATH_EVENTS_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lif-model.h"
#include "lif-ra.h"
#include "openvswitch/types.h"

/* Telling the host and the access routers the truth about paths (RFC 7847
 * section 5 property 3 and section 6).
 *
 * lif-controller keeps a snapshot of each LIF as it was after the last
 * recompute.  lif_path_events_compute() compares it with the new one and
 * says which packets to send:
 *
 *   - an access stops being usable (carrier loss, link down, detach): for
 *     each of its routers, an RA to the host in that router's name.  If no
 *     usable access has a router with the same link-local address, the RA
 *     has router lifetime 0 (the host stops using it as a default router
 *     at once); otherwise it carries that other router's MAC and lifetime,
 *     so that the host's neighbor entry follows at once.  Every prefix of
 *     the lost access that no usable access offers is in it with preferred
 *     lifetime 0 and its remaining valid lifetime: the host stops choosing
 *     it for new traffic and keeps its addresses.
 *
 *   - an access becomes usable (link up, attach, lif-controller start): a
 *     Router Solicitation on it, so that its router answers at once instead
 *     of at its next periodic advertisement, and the host's addresses
 *     announced on it (below): while the access was detached or down, its
 *     neighbors may have learned another MAC for them;
 *
 *   - the LIF's default path moves to an access with its own link-layer
 *     address (lif-lladdr=own): the host's addresses announced on it, so
 *     the router's neighbor cache follows.
 *
 * Announcing the host's addresses means an unsolicited Neighbor
 * Advertisement for each IPv6 address and a gratuitous ARP for each IPv4
 * address, from the MAC the access sees.
 *
 * Pure: snapshots in, events out. */

/* The part of one sub-interface that path events depend on. */
struct lif_path_snap_subif {
    char *name;
    ofp_port_t ofport;
    bool usable;                /* Not down. */
    bool active;                /* Carries the default path. */
    bool own;                   /* lif-lladdr=own. */
    struct eth_addr wire_mac;   /* The MAC its access sees. */
    struct lif_router *routers;
    size_t n_routers;
    struct lif_prefix *prefixes;
    size_t n_prefixes;
};

/* The part of one LIF that path events depend on. */
struct lif_path_snap {
    ofp_port_t lif_ofport;
    struct lif_path_snap_subif *subifs;
    size_t n_subifs;
};

void lif_path_snap_take(struct lif_path_snap *, const struct lif_logical *);
void lif_path_snap_destroy(struct lif_path_snap *);

/* What to send. */
enum lif_path_event_type {
    LIF_PATH_EVENT_RA,          /* RA to the host (on the LIF). */
    LIF_PATH_EVENT_RS,          /* RS on a sub-interface. */
    LIF_PATH_EVENT_NA,          /* Unsolicited NAs and gratuitous ARPs for
                                 * the host's addresses on a
                                 * sub-interface. */
};

/* One packet (or, for NA, one set of packets) to send. */
struct lif_path_event {
    enum lif_path_event_type type;
    ofp_port_t port;            /* Where: the LIF or the sub-interface. */
    char *subif;                /* The sub-interface concerned. */
    struct eth_addr mac;        /* RA: the router's; RS, NA: the source. */
    struct in6_addr router;     /* RA: the router's link-local address. */
    uint16_t router_lifetime;   /* RA. */
    int preference;             /* RA. */
    struct lif_ra_prefix *prefixes;     /* RA. */
    size_t n_prefixes;
};

/* A list of events. */
struct lif_path_events {
    struct lif_path_event *events;
    size_t n, allocated;
};

void lif_path_events_init(struct lif_path_events *);
void lif_path_events_destroy(struct lif_path_events *);
void lif_path_events_compute(const struct lif_path_snap *old,
                             const struct lif_path_snap *new,
                             long long int now, struct lif_path_events *);

#endif /* lif-path-events.h */
