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

#ifndef LIF_RA_H
#define LIF_RA_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/types.h"

struct dp_packet;
struct ds;

/* Router Advertisements: a pure parser (RFC 4861 section 6.1.2 validation)
 * and pure composers of the Neighbor Discovery packets lif-controller
 * sends.  Nothing here logs, allocates (beyond the dp_packet it is given)
 * or keeps state. */

/* At most this many Prefix Information options are kept from one RA; the
 * rest are ignored and counted. */
#define LIF_RA_MAX_PREFIXES 16

/* "Infinity" for a lifetime (RFC 4861 section 4.6.2). */
#define LIF_RA_INFINITY 0xffffffff

/* One Prefix Information option. */
struct lif_ra_prefix {
    struct in6_addr prefix;     /* Masked to 'plen'. */
    uint8_t plen;
    bool on_link, autonomous;   /* L and A flags. */
    uint32_t valid, preferred;  /* Seconds, host order; LIF_RA_INFINITY. */
};

/* A parsed Router Advertisement. */
struct lif_ra {
    struct eth_addr eth_src;    /* Ethernet source. */
    struct in6_addr ip6_src;    /* The router's link-local address. */
    bool have_sllao;
    struct eth_addr sllao;      /* Source link-layer address option. */
    uint8_t cur_hop_limit;
    bool managed, other;        /* M and O flags. */
    int preference;             /* RFC 4191 Prf: -1 low, 0 medium, 1 high
                                 * (reserved 10 reads as 0). */
    uint16_t router_lifetime;   /* Seconds. */
    uint32_t reachable_time, retrans_timer;
    uint32_t mtu;               /* MTU option, 0 if none. */
    struct lif_ra_prefix prefixes[LIF_RA_MAX_PREFIXES];
    size_t n_prefixes;
    size_t n_prefixes_ignored;  /* Beyond the limit, or invalid per RFC 4862
                                 * 5.5.3 (preferred > valid, link-local
                                 * prefix) or plen > 128. */
};

const char *lif_ra_parse(const void *frame, size_t len, struct lif_ra *);
void lif_ra_format(const struct lif_ra *, struct ds *);

void lif_ra_compose_ra(struct dp_packet *, struct eth_addr router_mac,
                       const struct in6_addr *router_ll,
                       uint16_t router_lifetime, int preference,
                       const struct lif_ra_prefix *prefixes, size_t n,
                       uint32_t mtu);
void lif_ra_compose_rs(struct dp_packet *, struct eth_addr src_mac);
void lif_ra_compose_unsolicited_na(struct dp_packet *, struct eth_addr mac,
                                   const struct in6_addr *target);

#endif /* lif-ra.h */
