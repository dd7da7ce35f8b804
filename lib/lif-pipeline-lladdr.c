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

/* Priorities in LIF_T_TO_SUBIF for a sub-interface with its own address,
 * above the ND and ARP rewriting (LIF_PRIO_ND_UNICAST). */
#define LIF_PRIO_OWN_ARP_SELF (LIF_PRIO_ND_UNICAST + 10)
#define LIF_PRIO_OWN_TO_SELF (LIF_PRIO_ND_UNICAST + 20)

/* The link-layer addresses inside ND and ARP packets that OVS can rewrite,
 * for frames from sub-interfaces with their own address. */
struct lladdr_field {
    const char *match;          /* Packets that have the field. */
    const char *field;          /* OVS field name. */
};
static const struct lladdr_field lladdr_fields[] = {
    { "icmp6,icmp_type=135,icmp_code=0", "nd_sll" },
    { "icmp6,icmp_type=136,icmp_code=0", "nd_tll" },
    { "arp", "arp_sha" },
    { "arp", "arp_tha" },
};

/* Table LIF_T_TO_SUBIF: the last step to a sub-interface.  With
 * lif-lladdr=own, the access network sees only the sub-interface's MAC,
 * never the LIF's: in the Ethernet source, the ARP sender address, and
 * every link-layer address option of ND.  OVS's nd_sll and nd_tll actions
 * rewrite only the first option of length 1, and nothing in Router
 * Solicitations, so RS, NS and NA go to lif-controller (pinctrl, through
 * the punt meter), which rewrites them all or drops the packet. */
static void
build_to_subif(const struct lif_logical *lif, const struct lif_subif *subif,
               struct lif_flow_table *out, struct svec *errors)
{
    uint64_t cookie = lif_cookie(LIF_COOKIE_LLADDR, &subif->uuid);
    uint16_t p = lif_pl_port(subif->ofport);

    if (subif->lladdr_mode == LIF_LLADDR_LOGICAL
        || eth_addr_is_zero(subif->mac)) {
        lif_pl_add_flow_nocopy(out, errors, LIF_T_TO_SUBIF, LIF_PRIO_DEFAULT,
                        cookie, xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16, p),
                        xasprintf("output:%"PRIu16, p));
        return;
    }

    const struct eth_addr mac = subif->mac;
    /* A frame the host addresses to its own MAC has no business on an
     * access, and would show that MAC. */
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_TO_SUBIF, LIF_PRIO_OWN_TO_SELF, cookie,
        xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16",dl_dst="ETH_ADDR_FMT, p,
                  ETH_ADDR_ARGS(lif->mac)),
        xstrdup("drop"));
    /* ARP has a fixed format: OVS rewrites the sender's address, the
     * host's on the way out, and the target address where it is the
     * host's too (a gratuitous ARP). */
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_TO_SUBIF, LIF_PRIO_OWN_ARP_SELF, cookie,
        xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16",arp,arp_tha="ETH_ADDR_FMT,
                  p, ETH_ADDR_ARGS(lif->mac)),
        xasprintf("mod_dl_src:"ETH_ADDR_FMT",set_field:"ETH_ADDR_FMT
                  "->arp_sha,set_field:"ETH_ADDR_FMT"->arp_tha,"
                  "output:%"PRIu16, ETH_ADDR_ARGS(mac), ETH_ADDR_ARGS(mac),
                  ETH_ADDR_ARGS(mac), p));
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_TO_SUBIF, LIF_PRIO_ND_UNICAST, cookie,
        xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16",arp", p),
        xasprintf("mod_dl_src:"ETH_ADDR_FMT",set_field:"ETH_ADDR_FMT
                  "->arp_sha,output:%"PRIu16, ETH_ADDR_ARGS(mac),
                  ETH_ADDR_ARGS(mac), p));
    static const int nd_types[] = {
        ND_ROUTER_SOLICIT, ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT,
    };
    for (size_t i = 0; i < ARRAY_SIZE(nd_types); i++) {
        lif_pl_add_flow_nocopy(
            out, errors, LIF_T_TO_SUBIF, LIF_PRIO_ND_UNICAST, cookie,
            xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16",icmp6,icmp_type=%d,"
                      "icmp_code=0", p, nd_types[i]),
            xasprintf("controller(userdata=00.00.00.%02x,meter_id=%d)",
                      LIF_PUNT_ND_OWN_LLADDR, LIF_METER_PUNT));
    }
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_TO_SUBIF, LIF_PRIO_DEFAULT, cookie,
                    xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16, p),
                    xasprintf("mod_dl_src:"ETH_ADDR_FMT",output:%"PRIu16,
                              ETH_ADDR_ARGS(mac), p));
}

/* Tables LIF_T_TO_LIF_ETH and LIF_T_TO_LIF for 'subif', which has its own
 * link-layer address: wherever that address appears in a frame from the
 * access (as the destination, or in a frame the access reflects back, such
 * as a Wi-Fi access point's copy of the host's own multicast), the host
 * sees the LIF's instead: Ethernet addresses, the ND SLL/TLL options, the
 * ARP hardware addresses. */
static void
build_own_to_lif(const struct lif_logical *lif, const struct lif_subif *subif,
                 struct lif_flow_table *out, struct svec *errors)
{
    uint64_t cookie = lif_cookie(LIF_COOKIE_LLADDR, &subif->uuid);
    uint16_t p = lif_pl_port(subif->ofport);
    struct eth_addr own = subif->mac;

    static const char *eth_fields[] = { "dl_dst", "dl_src" };
    for (size_t i = 0; i < ARRAY_SIZE(eth_fields); i++) {
        lif_pl_add_flow_nocopy(out, errors, LIF_T_TO_LIF_ETH, LIF_PRIO_DEFAULT,
                        cookie,
                        xasprintf("in_port=%"PRIu16",%s="ETH_ADDR_FMT, p,
                                  eth_fields[i], ETH_ADDR_ARGS(own)),
                        xasprintf("set_field:"ETH_ADDR_FMT"->%s,"
                                  "resubmit(,%d)", ETH_ADDR_ARGS(lif->mac),
                                  eth_fields[i], LIF_T_TO_LIF));
    }

    for (size_t i = 0; i < ARRAY_SIZE(lladdr_fields); i++) {
        const struct lladdr_field *inner = &lladdr_fields[i];
        lif_pl_add_flow_nocopy(
            out, errors, LIF_T_TO_LIF, LIF_PRIO_DEFAULT, cookie,
                        xasprintf("in_port=%"PRIu16",%s,%s="ETH_ADDR_FMT, p,
                                  inner->match, inner->field,
                                  ETH_ADDR_ARGS(own)),
                        xasprintf("set_field:"ETH_ADDR_FMT"->%s,"
                                  "output:%"PRIu16, ETH_ADDR_ARGS(lif->mac),
                                  inner->field, lif_pl_port(lif->ofport)));
    }
    /* A reflected gratuitous ARP carries the address twice. */
    lif_pl_add_flow_nocopy(
        out, errors, LIF_T_TO_LIF, LIF_PRIO_ND_UNICAST, cookie,
                    xasprintf("in_port=%"PRIu16",arp,arp_sha="ETH_ADDR_FMT
                              ",arp_tha="ETH_ADDR_FMT, p, ETH_ADDR_ARGS(own),
                              ETH_ADDR_ARGS(own)),
                    xasprintf("set_field:"ETH_ADDR_FMT"->arp_sha,"
                              "set_field:"ETH_ADDR_FMT"->arp_tha,"
                              "output:%"PRIu16, ETH_ADDR_ARGS(lif->mac),
                              ETH_ADDR_ARGS(lif->mac),
                              lif_pl_port(lif->ofport)));
}

/* Tables LIF_T_TO_SUBIF, LIF_T_TO_LIF_ETH and LIF_T_TO_LIF for every
 * attached sub-interface of 'lif'. */
void
lif_pl_build_lladdr(const struct lif_logical *lif, struct lif_flow_table *out,
                    struct svec *errors)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE) {
            continue;
        }
        build_to_subif(lif, subif, out, errors);
        if (subif->lladdr_mode == LIF_LLADDR_OWN
            && !eth_addr_is_zero(subif->mac)) {
            build_own_to_lif(lif, subif, out, errors);
        }
    }
}
