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
#include "flow.h"
#include "openvswitch/ofp-port.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

/* Table LIF_T_FROM_LIF's RFC 7847 section 5.5 rules for what the host
 * sends, and LIF_T_NEIGHBOR_OUT. */
void
lif_pl_build_nd_from_lif(const struct lif_logical *lif,
                         struct lif_flow_table *out, struct svec *errors)
{
    uint64_t nd = lif_cookie(LIF_COOKIE_ND, &lif->uuid);

    /* The host is not a router on the access networks. */
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_HOST_NOT_ROUTER, nd,
             "icmp6,icmp_type=134,icmp_code=0", "drop");
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_HOST_NOT_ROUTER, nd,
             "icmp6,icmp_type=137,icmp_code=0", "drop");

    /* RS, NS and NA to link-local multicast groups (all-nodes,
     * all-routers, solicited-node), and broadcast ARP: every access. */
    char *to_all = xasprintf("group:%d", LIF_GROUP_ND_ALL);
    for (int type = 133; type <= 136; type++) {
        if (type != 134) {
            char *match = xasprintf("icmp6,ipv6_dst=ff02::/16,icmp_type=%d,"
                                    "icmp_code=0", type);
            lif_pl_add_flow(
                out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_MULTICAST, nd,
                     match, to_all);
            free(match);
        }
    }
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_MULTICAST, nd,
             "arp,dl_dst=ff:ff:ff:ff:ff:ff", to_all);
    free(to_all);

    /* Unicast NS, NA and ARP: to where that neighbor was last heard, which
     * is also how the answer to a request from an access goes back
     * through that access. */
    char *to_neighbor = xasprintf("load:0->"LIF_REG_SUBIF",resubmit(,%d),"
                                  "resubmit(,%d)", LIF_T_NEIGHBOR,
                                  LIF_T_NEIGHBOR_OUT);
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "icmp6,icmp_type=135,icmp_code=0", to_neighbor);
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "icmp6,icmp_type=136,icmp_code=0", to_neighbor);
    lif_pl_add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "arp", to_neighbor);
    free(to_neighbor);

    /* LIF_T_NEIGHBOR holds only learned flows.  A location is used only
     * while its sub-interface is up; otherwise the default path. */
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (lif_pl_subif_is_up(subif)) {
            lif_pl_add_flow_nocopy(out, errors, LIF_T_NEIGHBOR_OUT,
                            LIF_PRIO_DEFAULT, nd,
                            xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16,
                                      lif_pl_port(subif->ofport)),
                            xasprintf("resubmit(,%d)", LIF_T_ROUTER_MAC));
        }
    }
    lif_pl_add_flow_nocopy(out, errors, LIF_T_NEIGHBOR_OUT, LIF_PRIO_DROP, nd,
                    xstrdup(""), xasprintf("group:%d",
                                           LIF_GROUP_DEFAULT_PATH));
}

/* The packets neighbors are learned from, and the learned flow's match:
 * the neighbor's address.  A neighbor is its MAC and its address: PMIPv6
 * access routers share one MAC (RFC 5213), and a host that asks one of
 * them about another's address must not move the other one.  Not from
 * Router Advertisements and the like: routers send those periodically on
 * every access. */
static const struct {
    const char *match;
    const char *key;            /* Learned match: the neighbor's address. */
} learns[] = {
    { "icmp6,icmp_type=135,icmp_code=0",
      "dl_type=0x86dd,NXM_NX_IPV6_DST[]=NXM_NX_IPV6_SRC[]" },
    { "icmp6,icmp_type=136,icmp_code=0",
      "dl_type=0x86dd,NXM_NX_IPV6_DST[]=NXM_NX_IPV6_SRC[]" },
    { "arp", "dl_type=0x0806,NXM_OF_ARP_TPA[]=NXM_OF_ARP_SPA[]" },
};

/* Adds to table LIF_T_FROM_SUBIF, for packets from 'subif' that match
 * 'match' (one of learns[]' matches) and 'refuse', a flow that takes them
 * on to the host without learning from them, counted under the
 * LIF_COOKIE_ND_REFUSED cookie. */
static void
refuse(const struct lif_subif *subif, const char *match, const char *what,
       struct lif_flow_table *out, struct svec *errors)
{
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_ND_REFUSE,
        lif_cookie(LIF_COOKIE_ND_REFUSED, &subif->uuid),
        xasprintf("in_port=%"PRIu16",%s,%s", lif_pl_port(subif->ofport),
                  match, what),
        xasprintf("resubmit(,%d)", LIF_T_TO_LIF_ETH));
}

/* Table LIF_T_FROM_SUBIF for 'subif': learning where neighbors live. */
static void
build_learning(const struct lif_logical *lif, const struct lif_subif *subif,
               struct lif_flow_table *out, struct svec *errors)
{
    uint64_t nd = lif_cookie(LIF_COOKIE_ND, &subif->uuid);
    uint16_t p = lif_pl_port(subif->ofport);

    /* Never from a source that is not a neighbor's: a group address
     * (multicast, broadcast), all zeros, or one of the MACs the host uses
     * on the accesses (the LIF's, an access's own), as in frames an access
     * reflects back. */
    struct svec macs = SVEC_EMPTY_INITIALIZER;
    svec_add(&macs, "01:00:00:00:00:00/01:00:00:00:00:00");
    svec_add(&macs, "00:00:00:00:00:00");
    svec_add_nocopy(&macs, xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(lif->mac)));
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *s = &lif->subifs[i];
        if (s->lladdr_mode == LIF_LLADDR_OWN && !eth_addr_is_zero(s->mac)
            && !eth_addr_is_multicast(s->mac)) {
            svec_add_nocopy(&macs, xasprintf(ETH_ADDR_FMT,
                                             ETH_ADDR_ARGS(s->mac)));
        }
    }
    svec_sort_unique(&macs);
    for (size_t i = 0; i < ARRAY_SIZE(learns); i++) {
        for (size_t j = 0; j < macs.n; j++) {
            char *what = xasprintf("dl_src=%s", macs.names[j]);
            refuse(subif, learns[i].match, what, out, errors);
            free(what);
        }
    }
    svec_destroy(&macs);

    /* Nor for an address that is not a neighbor's: an NS from :: (duplicate
     * address detection), a multicast source, an ARP probe from 0.0.0.0,
     * a multicast, reserved or broadcast sender address. */
    for (size_t i = 0; i < 2; i++) {
        refuse(subif, learns[i].match, "ipv6_src=::", out, errors);
        refuse(subif, learns[i].match, "ipv6_src=ff00::/8", out, errors);
    }
    refuse(subif, "arp", "arp_spa=0.0.0.0", out, errors);
    refuse(subif, "arp", "arp_spa=224.0.0.0/3", out, errors);

    /* Learn, bounded per access: each access learns with its own cookie,
     * and OVS counts a learn action's limit per table and cookie, so a
     * flood on one access never stops learning on another.  A hard timeout,
     * restarted only when the neighbor is heard again on that access: the
     * host's own packets to a neighbor (which a stale or spoofed location
     * would attract) never keep it alive. */
    for (size_t i = 0; i < ARRAY_SIZE(learns); i++) {
        lif_pl_add_flow_nocopy(
            out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_DEFAULT, nd,
            xasprintf("in_port=%"PRIu16",%s", p, learns[i].match),
            xasprintf("learn(table=%d,hard_timeout=%d,priority=%d,"
                      "limit=%d,cookie=%#"PRIx64",delete_learned,"
                      "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],%s,"
                      "load:NXM_OF_IN_PORT[]->"LIF_REG_SUBIF"),"
                      "resubmit(,%d)", LIF_T_NEIGHBOR,
                      LIF_NEIGHBOR_HARD_TIMEOUT, LIF_PRIO_DEFAULT,
                      lif->neighbor_limit,
                      lif_cookie(LIF_COOKIE_LEARNED, &subif->uuid),
                      learns[i].key, LIF_T_TO_LIF_ETH));
    }
}

/* Table LIF_T_FROM_SUBIF: the learning of neighbors, per attached
 * sub-interface. */
void
lif_pl_build_nd_from_subif(const struct lif_logical *lif,
                           struct lif_flow_table *out, struct svec *errors)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            build_learning(lif, subif, out, errors);
        }
    }
}
