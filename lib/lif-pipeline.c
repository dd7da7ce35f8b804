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

#include "lif-pipeline.h"

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

/* The link-layer addresses inside ND and ARP packets that OVS can rewrite,
 * for sub-interfaces with their own address.  'sender' marks the ones that
 * carry the sender's address, which is the host's on the way out. */
struct lladdr_field {
    const char *match;          /* Packets that have the field. */
    const char *field;          /* OVS field name. */
    bool sender;                /* Sender's own address? */
};
static const struct lladdr_field lladdr_fields[] = {
    { "icmp6,icmp_type=135,icmp_code=0", "nd_sll", true },
    { "icmp6,icmp_type=136,icmp_code=0", "nd_tll", true },
    { "arp", "arp_sha", true },
    { "arp", "arp_tha", false },
};

/* Adds a flow to 'out'.  Records an error in 'errors' if the flow does not
 * parse (a bug in this file). */
static void
add_flow(struct lif_flow_table *out, struct svec *errors, uint8_t table_id,
         uint16_t priority, uint64_t cookie, const char *match,
         const char *actions)
{
    char *error = lif_flow_table_add_flow(out, table_id, priority, cookie,
                                          match, actions);
    if (error) {
        svec_add_nocopy(errors, error);
    }
}

/* Like add_flow(), but 'match' and 'actions' are malloc()'d and freed. */
static void
add_flow_nocopy(struct lif_flow_table *out, struct svec *errors,
                uint8_t table_id, uint16_t priority, uint64_t cookie,
                char *match, char *actions)
{
    add_flow(out, errors, table_id, priority, cookie, match, actions);
    free(match);
    free(actions);
}

static void
add_group(struct lif_flow_table *out, struct svec *errors, uint32_t group_id,
          const struct ds *spec)
{
    char *error = lif_flow_table_add_group(out, group_id, ds_cstr_ro(spec));
    if (error) {
        svec_add_nocopy(errors, error);
    }
}

static uint16_t
port(ofp_port_t ofport)
{
    return ofp_to_u16(ofport);
}

/* Whether 'subif' may appear in a group at all: attached, and not seen dead
 * by the carrier poller (the kernel may tell ovs-vswitchd up to a second
 * later). */
static bool
subif_in_groups(const struct lif_subif *subif)
{
    return subif->ofport != OFPP_NONE && subif->carrier != LIF_CARRIER_DOWN;
}

/* Whether 'subif' is up now, for groups without liveness checks. */
static bool
subif_is_up(const struct lif_subif *subif)
{
    return subif_in_groups(subif) && subif->link_up;
}

/* Actions that send a packet to 'subif' through LIF_T_TO_SUBIF, where its
 * link-layer identity is applied. */
static void
put_to_subif(struct ds *ds, const struct lif_subif *subif)
{
    ds_put_format(ds, "load:%"PRIu16"->"LIF_REG_SUBIF",resubmit(,%d)",
                  port(subif->ofport), LIF_T_TO_SUBIF);
}

/* The two groups.
 *
 * LIF_GROUP_DEFAULT_PATH is a fast-failover group with a bucket per
 * sub-interface, most preferred first.  ovs-vswitchd uses the first bucket
 * whose watch_port is live, so a link that goes down is skipped in the data
 * plane, without the controller.
 *
 * LIF_GROUP_ND_ALL replicates to every sub-interface that is up: link-local
 * multicast ND and broadcast ARP from the host (RFC 7847 section 5.5). */
static void
build_groups(const struct lif_logical *lif, struct lif_flow_table *out,
             struct svec *errors)
{
    struct ds ff = DS_EMPTY_INITIALIZER;
    struct ds all = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&ff, "type=ff");
    ds_put_cstr(&all, "type=all");
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif_in_groups(subif)) {
            ds_put_format(&ff, ",bucket=watch_port:%"PRIu16",actions=",
                          port(subif->ofport));
            put_to_subif(&ff, subif);
        }
        if (subif_is_up(subif)) {
            ds_put_cstr(&all, ",bucket=actions=");
            put_to_subif(&all, subif);
        }
    }
    add_group(out, errors, LIF_GROUP_DEFAULT_PATH, &ff);
    add_group(out, errors, LIF_GROUP_ND_ALL, &all);
    ds_destroy(&ff);
    ds_destroy(&all);
}

/* Table LIF_T_FROM_LIF: what the host sends. */
static void
build_from_lif(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors)
{
    uint64_t nd = lif_cookie(LIF_COOKIE_ND, &lif->uuid);

    /* The host is not a router on the access networks. */
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_HOST_NOT_ROUTER, nd,
             "icmp6,icmp_type=134,icmp_code=0", "drop");
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_HOST_NOT_ROUTER, nd,
             "icmp6,icmp_type=137,icmp_code=0", "drop");

    /* RS, NS and NA to link-local multicast groups (all-nodes,
     * all-routers, solicited-node), and broadcast ARP: every access. */
    char *to_all = xasprintf("group:%d", LIF_GROUP_ND_ALL);
    for (int type = 133; type <= 136; type++) {
        if (type != 134) {
            char *match = xasprintf("icmp6,ipv6_dst=ff02::/16,icmp_type=%d,"
                                    "icmp_code=0", type);
            add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_MULTICAST, nd,
                     match, to_all);
            free(match);
        }
    }
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_MULTICAST, nd,
             "arp,dl_dst=ff:ff:ff:ff:ff:ff", to_all);
    free(to_all);

    /* Unicast NS, NA and ARP: to where that neighbor was last heard, which
     * is also how the answer to a request from an access goes back
     * through that access. */
    char *to_neighbor = xasprintf("load:0->"LIF_REG_SUBIF",resubmit(,%d),"
                                  "resubmit(,%d)", LIF_T_NEIGHBOR,
                                  LIF_T_NEIGHBOR_OUT);
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "icmp6,icmp_type=135,icmp_code=0", to_neighbor);
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "icmp6,icmp_type=136,icmp_code=0", to_neighbor);
    add_flow(out, errors, LIF_T_FROM_LIF, LIF_PRIO_ND_UNICAST, nd,
             "arp", to_neighbor);
    free(to_neighbor);

    /* Everything else: the default path. */
    add_flow_nocopy(out, errors, LIF_T_FROM_LIF, LIF_PRIO_DROP,
                    lif_cookie(LIF_COOKIE_LIF_DEFAULT, &lif->uuid),
                    xstrdup(""), xasprintf("group:%d",
                                           LIF_GROUP_DEFAULT_PATH));

    /* LIF_T_NEIGHBOR holds only learned flows.  A location is used only
     * while its sub-interface is up; otherwise the default path. */
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif_is_up(subif)) {
            add_flow_nocopy(out, errors, LIF_T_NEIGHBOR_OUT,
                            LIF_PRIO_DEFAULT, nd,
                            xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16,
                                      port(subif->ofport)),
                            xasprintf("resubmit(,%d)", LIF_T_TO_SUBIF));
        }
    }
    add_flow_nocopy(out, errors, LIF_T_NEIGHBOR_OUT, LIF_PRIO_DROP, nd,
                    xstrdup(""), xasprintf("group:%d",
                                           LIF_GROUP_DEFAULT_PATH));
}

/* Table LIF_T_TO_SUBIF: the last step to a sub-interface.  With
 * lif-lladdr=own, the access network sees only the sub-interface's MAC:
 * in the Ethernet source, in the source link-layer address option of NS,
 * the target link-layer address option of NA, and the ARP sender address.
 * (OVS rewrites an option only where the packet has one.) */
static void
build_to_subif(const struct lif_subif *subif, struct lif_flow_table *out,
               struct svec *errors)
{
    uint64_t cookie = lif_cookie(LIF_COOKIE_LLADDR, &subif->uuid);
    uint16_t p = port(subif->ofport);

    if (subif->lladdr_mode == LIF_LLADDR_LOGICAL
        || eth_addr_is_zero(subif->mac)) {
        add_flow_nocopy(out, errors, LIF_T_TO_SUBIF, LIF_PRIO_DEFAULT,
                        cookie, xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16, p),
                        xasprintf("output:%"PRIu16, p));
        return;
    }

    const struct eth_addr mac = subif->mac;
    /* On the way out only the sender's address is the host's. */
    for (size_t i = 0; i < ARRAY_SIZE(lladdr_fields); i++) {
        const struct lladdr_field *rw = &lladdr_fields[i];
        if (!rw->sender) {
            continue;
        }
        add_flow_nocopy(out, errors, LIF_T_TO_SUBIF, LIF_PRIO_ND_UNICAST,
                        cookie,
                        xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16",%s", p,
                                  rw->match),
                        xasprintf("mod_dl_src:"ETH_ADDR_FMT",set_field:"
                                  ETH_ADDR_FMT"->%s,output:%"PRIu16,
                                  ETH_ADDR_ARGS(mac), ETH_ADDR_ARGS(mac),
                                  rw->field, p));
    }
    /* OVS cannot rewrite a Router Solicitation's source link-layer address
     * option, so lif-controller does (pinctrl), through the punt meter. */
    add_flow_nocopy(out, errors, LIF_T_TO_SUBIF, LIF_PRIO_ND_UNICAST, cookie,
                    xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16
                              ",icmp6,icmp_type=133,icmp_code=0", p),
                    xasprintf("controller(userdata=00.00.00.%02x,"
                              "meter_id=%d)", LIF_PUNT_RS_OWN_LLADDR,
                              LIF_METER_PUNT));
    add_flow_nocopy(out, errors, LIF_T_TO_SUBIF, LIF_PRIO_DEFAULT, cookie,
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
    uint16_t p = port(subif->ofport);
    struct eth_addr own = subif->mac;

    static const char *eth_fields[] = { "dl_dst", "dl_src" };
    for (size_t i = 0; i < ARRAY_SIZE(eth_fields); i++) {
        add_flow_nocopy(out, errors, LIF_T_TO_LIF_ETH, LIF_PRIO_DEFAULT,
                        cookie,
                        xasprintf("in_port=%"PRIu16",%s="ETH_ADDR_FMT, p,
                                  eth_fields[i], ETH_ADDR_ARGS(own)),
                        xasprintf("set_field:"ETH_ADDR_FMT"->%s,"
                                  "resubmit(,%d)", ETH_ADDR_ARGS(lif->mac),
                                  eth_fields[i], LIF_T_TO_LIF));
    }

    for (size_t i = 0; i < ARRAY_SIZE(lladdr_fields); i++) {
        const struct lladdr_field *inner = &lladdr_fields[i];
        add_flow_nocopy(out, errors, LIF_T_TO_LIF, LIF_PRIO_DEFAULT, cookie,
                        xasprintf("in_port=%"PRIu16",%s,%s="ETH_ADDR_FMT, p,
                                  inner->match, inner->field,
                                  ETH_ADDR_ARGS(own)),
                        xasprintf("set_field:"ETH_ADDR_FMT"->%s,"
                                  "output:%"PRIu16, ETH_ADDR_ARGS(lif->mac),
                                  inner->field, port(lif->ofport)));
    }
    /* A reflected gratuitous ARP carries the address twice. */
    add_flow_nocopy(out, errors, LIF_T_TO_LIF, LIF_PRIO_ND_UNICAST, cookie,
                    xasprintf("in_port=%"PRIu16",arp,arp_sha="ETH_ADDR_FMT
                              ",arp_tha="ETH_ADDR_FMT, p, ETH_ADDR_ARGS(own),
                              ETH_ADDR_ARGS(own)),
                    xasprintf("set_field:"ETH_ADDR_FMT"->arp_sha,"
                              "set_field:"ETH_ADDR_FMT"->arp_tha,"
                              "output:%"PRIu16, ETH_ADDR_ARGS(lif->mac),
                              ETH_ADDR_ARGS(lif->mac), port(lif->ofport)));
}

/* Tables LIF_T_FROM_SUBIF, LIF_T_TO_LIF_ETH and LIF_T_TO_LIF, and the
 * learning of neighbors. */
static void
build_to_lif(const struct lif_logical *lif, struct lif_flow_table *out,
             struct svec *errors)
{
    uint64_t nd = lif_cookie(LIF_COOKIE_ND, &lif->uuid);

    /* Learn where the senders of Neighbor Solicitations and Advertisements
     * and of ARP live, bounded and aging.  A neighbor is its MAC and its
     * address: PMIPv6 access routers share one MAC (RFC 5213), and a host
     * that asks one of them about another's address must not move the
     * other one.  Not from Router Advertisements and the like: routers send
     * those periodically on every access. */
    static const struct {
        const char *match;
        const char *key;    /* Learned match: the neighbor's address. */
    } learns[] = {
        { "icmp6,icmp_type=135,icmp_code=0",
          "dl_type=0x86dd,NXM_NX_IPV6_DST[]=NXM_NX_IPV6_SRC[]" },
        { "icmp6,icmp_type=136,icmp_code=0",
          "dl_type=0x86dd,NXM_NX_IPV6_DST[]=NXM_NX_IPV6_SRC[]" },
        { "arp", "dl_type=0x0806,NXM_OF_ARP_TPA[]=NXM_OF_ARP_SPA[]" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(learns); i++) {
        add_flow_nocopy(
            out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_DEFAULT, nd,
            xstrdup(learns[i].match),
            xasprintf("learn(table=%d,idle_timeout=%d,priority=%d,limit=%d,"
                      "cookie=%#"PRIx64",delete_learned,"
                      "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],%s,"
                      "load:NXM_OF_IN_PORT[]->"LIF_REG_SUBIF"),"
                      "resubmit(,%d)", LIF_T_NEIGHBOR,
                      LIF_NEIGHBOR_IDLE_TIMEOUT, LIF_PRIO_DEFAULT,
                      LIF_NEIGHBOR_LIMIT,
                      lif_cookie(LIF_COOKIE_LEARNED, &lif->uuid),
                      learns[i].key, LIF_T_TO_LIF_ETH));
    }
    add_flow_nocopy(out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_DROP,
                    lif_cookie(LIF_COOKIE_SUBIF_IN, &lif->uuid), xstrdup(""),
                    xasprintf("resubmit(,%d)", LIF_T_TO_LIF_ETH));

    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE
            || subif->lladdr_mode != LIF_LLADDR_OWN
            || eth_addr_is_zero(subif->mac)) {
            continue;
        }
        build_own_to_lif(lif, subif, out, errors);
    }
    add_flow_nocopy(out, errors, LIF_T_TO_LIF_ETH, LIF_PRIO_DROP,
                    lif_cookie(LIF_COOKIE_SUBIF_IN, &lif->uuid), xstrdup(""),
                    xasprintf("resubmit(,%d)", LIF_T_TO_LIF));
    add_flow_nocopy(out, errors, LIF_T_TO_LIF, LIF_PRIO_DROP,
                    lif_cookie(LIF_COOKIE_SUBIF_IN, &lif->uuid), xstrdup(""),
                    xasprintf("output:%"PRIu16, port(lif->ofport)));
}

/* Computes into 'out' the flows and groups for 'lif'.  Flows are added to
 * whatever 'out' already holds. */
void
lif_pipeline_build(const struct lif_logical *lif, struct lif_flow_table *out,
                   struct svec *errors)
{
    /* Whatever nothing else claims is dropped: the bridge's local port,
     * ports that are not attached yet, and everything when the LIF itself
     * is unusable. */
    add_flow(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DROP,
             lif_cookie(LIF_COOKIE_DROP, &lif->uuid), "", "drop");
    if (!lif->usable || lif->ofport == OFPP_NONE) {
        return;
    }

    add_flow_nocopy(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
                    lif_cookie(LIF_COOKIE_CLASSIFY, &lif->uuid),
                    xasprintf("in_port=%"PRIu16, port(lif->ofport)),
                    xasprintf("resubmit(,%d)", LIF_T_FROM_LIF));
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            add_flow_nocopy(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
                            lif_cookie(LIF_COOKIE_CLASSIFY, &subif->uuid),
                            xasprintf("in_port=%"PRIu16,
                                      port(subif->ofport)),
                            xasprintf("resubmit(,%d)", LIF_T_FROM_SUBIF));
            build_to_subif(subif, out, errors);
        }
    }

    build_groups(lif, out, errors);
    build_from_lif(lif, out, errors);
    build_to_lif(lif, out, errors);
}

/* Returns the name of OpenFlow table 'table_id' of the LIF pipeline, or NULL
 * if the pipeline does not use that table. */
const char *
lif_table_name(int table_id)
{
    switch (table_id) {
    case LIF_T_CLASSIFY:
        return "classify";
    case LIF_T_FROM_LIF:
        return "from-lif";
    case LIF_T_FROM_SUBIF:
        return "from-subif";
    case LIF_T_TO_LIF_ETH:
        return "to-lif-eth";
    case LIF_T_TO_LIF:
        return "to-lif";
    case LIF_T_NEIGHBOR:
        return "neighbor";
    case LIF_T_NEIGHBOR_OUT:
        return "neighbor-out";
    case LIF_T_TO_SUBIF:
        return "to-subif";
    default:
        return NULL;
    }
}
