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

#include <config.h>

#include "lif-pipeline-private.h"

#include "lif-cookie.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "packets.h"
#include "lif-pipeline.h"
#include "svec.h"
#include "util.h"

/* Whether 'subif' carries traffic now (not down). */
static bool
subif_usable(const struct lif_subif *subif)
{
    return subif->ofport != OFPP_NONE && subif->state != LIF_SUBIF_DOWN;
}

static bool
prefix_equal(const struct lif_prefix *a, const struct lif_prefix *b)
{
    return a->plen == b->plen && ipv6_addr_equals(&a->prefix, &b->prefix);
}

/* Whether a usable sub-interface of 'lif' other than 'self' offers
 * 'prefix'. */
static bool
prefix_offered_elsewhere(const struct lif_logical *lif,
                         const struct lif_subif *self,
                         const struct lif_prefix *prefix)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *other = &lif->subifs[i];
        if (other == self || !subif_usable(other)) {
            continue;
        }
        for (size_t j = 0; j < other->n_prefixes; j++) {
            if (prefix_equal(&other->prefixes[j], prefix)) {
                return true;
            }
        }
    }
    return false;
}

static bool
subif_has_router_mac(const struct lif_subif *subif, struct eth_addr mac)
{
    for (size_t i = 0; i < subif->n_routers; i++) {
        if (eth_addr_equals(subif->routers[i].mac, mac)) {
            return true;
        }
    }
    return false;
}

/* Table LIF_T_FROM_SUBIF: a copy of every Router Advertisement from an
 * access goes to lif-controller through that access's own meter, and the
 * advertisement itself goes on to the host unchanged. */
static void
build_ra_punt(const struct lif_subif *subif, struct lif_flow_table *out,
              struct svec *errors)
{
    uint16_t p = lif_pl_port(subif->ofport);

    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_RA_PUNT,
        lif_cookie(LIF_COOKIE_RA_PUNT, &subif->uuid),
        xasprintf("in_port=%"PRIu16",icmp6,icmp_type=134,icmp_code=0", p),
        xasprintf("controller(userdata=00.00.00.%02x,meter_id=%d),"
                  "resubmit(,%d)", LIF_PUNT_RA, LIF_METER_RA(p),
                  LIF_T_TO_LIF_ETH));
}

/* Table LIF_T_SRC_PREFIX: a packet whose IPv6 source lies in a prefix that
 * exactly one usable access offers leaves through that access, whatever
 * router the host chose (RFC 7847 section 6.1, multihoming).  Longer
 * prefixes first.  Prefixes that several accesses offer (PMIPv6 handoff)
 * take the default path. */
static void
build_src_prefix(const struct lif_logical *lif, const struct lif_subif *subif,
                 struct lif_flow_table *out, struct svec *errors)
{
    for (size_t i = 0; i < subif->n_prefixes; i++) {
        const struct lif_prefix *prefix = &subif->prefixes[i];
        if (prefix_offered_elsewhere(lif, subif, prefix)
            || ipv6_addr_is_multicast(&prefix->prefix)
            || !prefix->plen) {
            continue;
        }

        char addr[INET6_ADDRSTRLEN];
        struct ds actions = DS_EMPTY_INITIALIZER;
        ipv6_string_mapped(addr, &prefix->prefix);
        lif_pl_put_via_subif_group(&actions, subif, LIF_STAGE_SRC_PREFIX);
        lif_pl_add_flow_nocopy(out, errors, LIF_T_SRC_PREFIX,
                               LIF_PRIO_DEFAULT + prefix->plen,
                               lif_cookie(LIF_COOKIE_SRC_PREFIX,
                                          &subif->uuid),
                               xasprintf("ipv6,ipv6_src=%s/%d", addr,
                                         prefix->plen),
                               ds_steal_cstr(&actions));
    }
}

/* Table LIF_T_ROUTER_MAC for 'subif': a frame that the host addresses to a
 * router learned on another access, leaving through 'subif', is readdressed
 * to 'subif''s default router, so that a failover or a source-prefix choice
 * never waits for the host's neighbor cache.  The host's choice of router
 * stays the host's where 'subif' has that router too. */
static void
build_router_mac(const struct lif_logical *lif, const struct lif_subif *subif,
                 struct lif_flow_table *out, struct svec *errors)
{
    const struct lif_router *def = lif_subif_default_router(subif);
    if (!def) {
        return;
    }

    uint16_t p = lif_pl_port(subif->ofport);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *other = &lif->subifs[i];
        if (other == subif) {
            continue;
        }
        for (size_t j = 0; j < other->n_routers; j++) {
            struct eth_addr mac = other->routers[j].mac;
            if (eth_addr_is_zero(mac) || subif_has_router_mac(subif, mac)) {
                continue;
            }
            /* Several accesses may know the same foreign router: the flow
             * table keeps the first, they are the same flow. */
            char *match = xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16
                                    ",dl_dst="ETH_ADDR_FMT, p,
                                    ETH_ADDR_ARGS(mac));
            if (!lif_flow_table_find_flow(out, LIF_T_ROUTER_MAC,
                                          LIF_PRIO_DEFAULT, match)) {
                lif_pl_add_flow_nocopy(
                    out, errors, LIF_T_ROUTER_MAC, LIF_PRIO_DEFAULT,
                    lif_cookie(LIF_COOKIE_ROUTER_MAC, &subif->uuid),
                    xstrdup(match),
                    xasprintf("mod_dl_dst:"ETH_ADDR_FMT",resubmit(,%d)",
                              ETH_ADDR_ARGS(def->mac), LIF_T_TO_SUBIF));
            }
            free(match);
        }
    }
}

/* Path awareness (RFC 7847 section 5 property 3): the punt of Router
 * Advertisements to lif-controller, source-prefix routing
 * (LIF_T_SRC_PREFIX) and router-MAC translation (LIF_T_ROUTER_MAC). */
void
lif_pl_build_path(const struct lif_logical *lif, struct lif_flow_table *out,
                  struct svec *errors)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE) {
            continue;
        }
        build_ra_punt(subif, out, errors);
        if (subif_usable(subif)) {
            build_src_prefix(lif, subif, out, errors);
            build_router_mac(lif, subif, out, errors);
        }
    }
}

/* Adds to 'meters' every meter that 'lif''s flows use, with its rate. */
void
lif_pipeline_meters(const struct lif_logical *lif, struct lif_meters *meters)
{
    lif_meters_add(meters, LIF_METER_PUNT, LIF_METER_PUNT_RATE);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            lif_meters_add(meters, LIF_METER_RA(lif_pl_port(subif->ofport)),
                           LIF_METER_RA_RATE);
        }
    }
}
