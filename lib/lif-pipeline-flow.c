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
#include "lif-flow-config.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "svec.h"
#include "util.h"

/* The FLOW table of RFC 7847 section 5.7, tables LIF_T_FLOW_FIRST to
 * LIF_T_FLOW_LAST, in order of precedence:
 *
 *   LIF_T_FLOW_PIN          pinned flows (lif-ctl flow-move) -> their
 *                           sub-interface's group, stage LIF_STAGE_PIN.
 *                           ICMP echo: through conntrack to
 *                           LIF_T_FLOW_ICMP.  Otherwise (TCP first
 *                           committed to conntrack) LIF_T_FLOW_REFLECT,
 *                           then LIF_T_FLOW_REFLECT_OUT.
 *   LIF_T_FLOW_ICMP         an echo whose conntrack entry's ct_mark names
 *                           the sub-interface its last packet from an
 *                           access arrived on -> reg1 = that one, then
 *                           LIF_T_FLOW_REFLECT_OUT; otherwise as above.
 *   LIF_T_FLOW_REFLECT      only learned flows: the host's packets of a
 *                           flow that last arrived on a sub-interface ->
 *                           reg1 = that sub-interface.
 *   LIF_T_FLOW_REFLECT_OUT  reg1 = a sub-interface in the groups -> its
 *                           group, stage LIF_STAGE_REFLECTIVE; otherwise
 *                           LIF_T_FLOW_POLICY.
 *   LIF_T_FLOW_POLICY       flow routing policies -> the policy's group;
 *                           otherwise LIF_T_SRC_PREFIX.
 *
 * From an access, table LIF_T_FROM_SUBIF teaches LIF_T_FLOW_REFLECT (at
 * priorities below the ND rules'), for TCP after conntrack in
 * LIF_T_FLOW_EVIDENCE, and LIF_T_FALLBACK resumes the chain after a stage
 * whose sub-interface is not live. */

/* Priorities in LIF_T_FROM_SUBIF (1-99: above the catch-all, below the
 * ND and path rules). */
#define PRIO_NO_LEARN 95        /* Multicast and broadcast. */
#define PRIO_LEARN_TCP 90
#define PRIO_LEARN_UDP 80
#define PRIO_ICMP_ECHO 85       /* Marks the echo's conntrack entry. */
#define PRIO_LEARN_IP 10

/* Priorities of learned flows in LIF_T_FLOW_REFLECT. */
#define PRIO_LEARNED_PORTS 100
#define PRIO_LEARNED_PROTO 50

/* One IP family. */
struct ip_family {
    const char *ip;             /* "ip" or "ipv6". */
    const char *tcp, *udp, *sctp;
    int dl_type;
    const char *src, *dst;      /* NXM fields of the addresses. */
    const char *echo[2];        /* ICMP echo request and reply. */
};

static const struct ip_family families[] = {
    { "ip", "tcp", "udp", "sctp", 0x0800,
      "NXM_OF_IP_SRC[]", "NXM_OF_IP_DST[]",
      { "icmp,icmp_type=8,icmp_code=0", "icmp,icmp_type=0,icmp_code=0" } },
    { "ipv6", "tcp6", "udp6", "sctp6", 0x86dd,
      "NXM_NX_IPV6_SRC[]", "NXM_NX_IPV6_DST[]",
      { "icmp6,icmp_type=128,icmp_code=0",
        "icmp6,icmp_type=129,icmp_code=0" } },
};

/* Appends to 'ds' a learn action that teaches LIF_T_FLOW_REFLECT that the
 * host's packets of the flow of the current packet (arriving on a
 * sub-interface) go back through that sub-interface: the addresses swapped
 * and, for a protocol with ports ('l4', the prefix of its port fields,
 * e.g. "NXM_OF_TCP"; NULL for a protocol without ports), the
 * ports swapped too. */
static void
put_learn(struct ds *ds, const struct lif_logical *lif,
          const struct ip_family *f, int nw_proto, const char *l4)
{
    const struct lif_flow_config *cfg = lif->flow;

    ds_put_format(ds, "learn(table=%d,idle_timeout=%d,priority=%d,"
                  "limit=%d,cookie=%#"PRIx64",delete_learned,"
                  "dl_type=%#x,", LIF_T_FLOW_REFLECT, cfg->idle_timeout,
                  l4 ? PRIO_LEARNED_PORTS : PRIO_LEARNED_PROTO, cfg->limit,
                  lif_cookie(LIF_COOKIE_LEARNED, &lif->uuid), f->dl_type);
    if (nw_proto) {
        ds_put_format(ds, "nw_proto=%d,", nw_proto);
    } else {
        ds_put_cstr(ds, "NXM_OF_IP_PROTO[],");
    }
    ds_put_format(ds, "%s=%s,%s=%s,", f->src, f->dst, f->dst, f->src);
    if (l4) {
        ds_put_format(ds, "%s_SRC[]=%s_DST[],%s_DST[]=%s_SRC[],",
                      l4, l4, l4, l4);
    }
    ds_put_cstr(ds, "load:NXM_OF_IN_PORT[]->"LIF_REG_SUBIF")");
}

/* Adds to LIF_T_FROM_SUBIF a flow matching 'match' that learns with
 * put_learn() and delivers the packet. */
static void
add_learn_flow(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors, uint8_t table, uint16_t priority,
               const char *match, const struct ip_family *f, int nw_proto,
               const char *l4)
{
    struct ds actions = DS_EMPTY_INITIALIZER;

    put_learn(&actions, lif, f, nw_proto, l4);
    ds_put_format(&actions, ",resubmit(,%d)", LIF_T_TO_LIF_ETH);
    lif_pl_add_flow(out, errors, table, priority,
                    lif_cookie(LIF_COOKIE_REFLECTIVE, &lif->uuid), match,
                    ds_cstr(&actions));
    ds_destroy(&actions);
}

/* Reflective flows: what arrives from an access teaches LIF_T_FLOW_REFLECT
 * where the host's answers go.  TCP, with evidence on, only through
 * conntrack: a packet that is not valid for its connection (out of
 * window, for example a forged one) is delivered but teaches nothing. */
static void
build_learning(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors)
{
    const struct lif_flow_config *cfg = lif->flow;
    uint64_t cookie = lif_cookie(LIF_COOKIE_REFLECTIVE, &lif->uuid);
    char *deliver = xasprintf("resubmit(,%d)", LIF_T_TO_LIF_ETH);

    /* Nothing to learn from multicast and broadcast. */
    lif_pl_add_flow(out, errors, LIF_T_FROM_SUBIF, PRIO_NO_LEARN, cookie,
                    "ipv6,ipv6_dst=ff00::/8", deliver);
    lif_pl_add_flow(out, errors, LIF_T_FROM_SUBIF, PRIO_NO_LEARN, cookie,
                    "ip,nw_dst=224.0.0.0/4", deliver);
    lif_pl_add_flow(out, errors, LIF_T_FROM_SUBIF, PRIO_NO_LEARN, cookie,
                    "ip,nw_dst=255.255.255.255", deliver);

    for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
        const struct ip_family *f = &families[i];

        if (cfg->evidence) {
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FROM_SUBIF, PRIO_LEARN_TCP, cookie,
                xstrdup(f->tcp),
                xasprintf("ct(commit,zone=%"PRIu16",table=%d)",
                          cfg->ct_zone, LIF_T_FLOW_EVIDENCE));
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FLOW_EVIDENCE, LIF_PRIO_DEFAULT, cookie,
                xasprintf("ct_state=+inv+trk,%s", f->tcp), xstrdup(deliver));
            char *valid = xasprintf("ct_state=-inv+trk,%s", f->tcp);
            add_learn_flow(lif, out, errors, LIF_T_FLOW_EVIDENCE,
                           LIF_PRIO_DEFAULT, valid, f, 6, "NXM_OF_TCP");
            free(valid);
        } else {
            add_learn_flow(lif, out, errors, LIF_T_FROM_SUBIF,
                           PRIO_LEARN_TCP, f->tcp, f, 6, "NXM_OF_TCP");
        }
        add_learn_flow(lif, out, errors, LIF_T_FROM_SUBIF, PRIO_LEARN_UDP,
                       f->udp, f, 17, "NXM_OF_UDP");
        add_learn_flow(lif, out, errors, LIF_T_FROM_SUBIF, PRIO_LEARN_UDP,
                       f->sctp, f, 132, "OXM_OF_SCTP");
        add_learn_flow(lif, out, errors, LIF_T_FROM_SUBIF, PRIO_LEARN_IP,
                       f->ip, f, 0, NULL);
    }
    /* ICMP echo, by its identifier: OpenFlow has no field for it, but
     * conntrack tracks echoes by it, so the echo's conntrack entry keeps
     * the sub-interface its last packet from an access arrived on in
     * ct_mark, and LIF_T_FLOW_ICMP reads it back. */
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE) {
            continue;
        }
        uint16_t p = lif_pl_port(subif->ofport);
        for (size_t j = 0; j < ARRAY_SIZE(families); j++) {
            for (size_t k = 0; k < 2; k++) {
                lif_pl_add_flow_nocopy(
                    out, errors, LIF_T_FROM_SUBIF, PRIO_ICMP_ECHO, cookie,
                    xasprintf("in_port=%"PRIu16",%s", p,
                              families[j].echo[k]),
                    xasprintf("ct(commit,zone=%"PRIu16",exec(load:"
                              "%"PRIu16"->NXM_NX_CT_MARK[0..15])),"
                              "resubmit(,%d)", cfg->ct_zone, p,
                              LIF_T_TO_LIF_ETH));
            }
        }
    }

    /* What conntrack did not track (not expected): deliver. */
    lif_pl_add_flow(out, errors, LIF_T_FLOW_EVIDENCE, LIF_PRIO_DROP, cookie,
                    "", deliver);
    free(deliver);
}

/* Actions that look the packet up in the reflective stage. */
static char *
reflective_lookup(void)
{
    return xasprintf("load:0->"LIF_REG_SUBIF",resubmit(,%d),resubmit(,%d)",
                     LIF_T_FLOW_REFLECT, LIF_T_FLOW_REFLECT_OUT);
}

/* Pinned flows, and the entry of the chain. */
static void
build_pins(const struct lif_logical *lif, struct lif_flow_table *out,
           struct svec *errors)
{
    const struct lif_flow_config *cfg = lif->flow;
    uint64_t chain = lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid);
    struct ds actions = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < cfg->n_pins; i++) {
        const struct lif_flow_pin *pin = &cfg->pins[i];
        const struct lif_subif *subif
            = pin->match ? lif_logical_find_subif(lif, pin->subif) : NULL;
        if (subif && lif_pl_subif_in_groups(subif)) {
            ds_clear(&actions);
            lif_pl_put_via_subif_group(&actions, subif, LIF_STAGE_PIN);
            lif_pl_add_flow(out, errors, LIF_T_FLOW_PIN, pin->priority,
                            lif_cookie(LIF_COOKIE_PIN, &pin->uuid),
                            pin->match, ds_cstr(&actions));
        }
    }
    ds_destroy(&actions);

    /* The host's ICMP echoes go through conntrack, which knows the
     * sub-interface of their identifier (see build_learning()). */
    char *lookup = reflective_lookup();
    for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
        for (size_t k = 0; k < 2; k++) {
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FLOW_PIN, LIF_PRIO_DROP + 2, chain,
                xstrdup(families[i].echo[k]),
                xasprintf("ct(commit,zone=%"PRIu16",table=%d)",
                          cfg->ct_zone, LIF_T_FLOW_ICMP));
        }
    }
    lif_pl_add_flow(out, errors, LIF_T_FLOW_ICMP, LIF_PRIO_DEFAULT, chain,
                    "ct_mark=0/0xffff", lookup);
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_ICMP, LIF_PRIO_DROP,
                           chain, xstrdup(""),
                           xasprintf("move:NXM_NX_CT_MARK[0..15]->"
                                     LIF_REG_SUBIF",resubmit(,%d)",
                                     LIF_T_FLOW_REFLECT_OUT));

    /* The host's TCP packets are committed to conntrack, so that it can
     * tell a packet of the connection from a forged one. */
    if (cfg->evidence) {
        for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FLOW_PIN, LIF_PRIO_DROP + 1, chain,
                xstrdup(families[i].tcp),
                xasprintf("ct(commit,zone=%"PRIu16"),%s", cfg->ct_zone,
                          lookup));
        }
    }
    lif_pl_add_flow(out, errors, LIF_T_FLOW_PIN, LIF_PRIO_DROP, chain, "",
                    lookup);
    free(lookup);
}

/* LIF_T_FLOW_REFLECT_OUT: a learned sub-interface that is in the groups
 * takes the packet; anything else goes on to the policies. */
static void
build_reflective_out(const struct lif_logical *lif,
                     struct lif_flow_table *out, struct svec *errors)
{
    uint64_t cookie = lif_cookie(LIF_COOKIE_REFLECTIVE, &lif->uuid);
    struct ds actions = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (lif_pl_subif_in_groups(subif)) {
            ds_clear(&actions);
            lif_pl_put_via_subif_group(&actions, subif,
                                       LIF_STAGE_REFLECTIVE);
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FLOW_REFLECT_OUT, LIF_PRIO_DEFAULT,
                cookie, xasprintf(LIF_REG_SUBIF_MATCH"=%"PRIu16,
                                  lif_pl_port(subif->ofport)),
                xstrdup(ds_cstr(&actions)));
        }
    }
    ds_destroy(&actions);
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_REFLECT_OUT,
                           LIF_PRIO_DROP, cookie, xstrdup(""),
                           xasprintf("resubmit(,%d)", LIF_T_FLOW_POLICY));
}

/* Appends the actions of a bucket that sends to 'subif' as the policy
 * stage. */
static void
put_policy_bucket(struct ds *ds, const struct lif_subif *subif)
{
    ds_put_format(ds, "load:%d->"LIF_REG_STAGE",", LIF_STAGE_POLICY);
    lif_pl_put_to_subif(ds, subif);
}

/* Builds into 'group' the group of 'policy'.  Returns false if no listed
 * sub-interface is usable, in which case the policy's traffic takes the
 * next stage. */
static bool
build_policy_group(const struct lif_logical *lif,
                   const struct lif_flow_policy *policy, struct ds *group)
{
    size_t n = 0;

    switch (policy->mode) {
    case LIF_FLOW_FAILOVER:
        /* The first live sub-interface, else the next stage. */
        ds_put_cstr(group, "type=ff");
        break;
    case LIF_FLOW_BALANCE:
        /* OVS's "hash" selection method picks, among the live buckets, the
         * one with the highest hash of (bucket_id, fields): one flow always
         * takes the same bucket, and a bucket that dies or goes away moves
         * only its own flows.  Bucket ids are the ports, so that they
         * stay. */
        ds_put_cstr(group, "type=select,selection_method=hash,"
                    "fields(ip_src,ip_dst,ipv6_src,ipv6_dst,ip_proto,"
                    "tcp_src,tcp_dst,udp_src,udp_dst,sctp_src,sctp_dst)");
        break;
    case LIF_FLOW_REDUNDANT:
        ds_put_cstr(group, "type=all");
        break;
    }

    for (size_t i = 0; i < policy->subifs.n; i++) {
        const struct lif_subif *subif
            = lif_logical_find_subif(lif, policy->subifs.names[i]);
        uint16_t p = subif ? lif_pl_port(subif->ofport) : 0;

        if (!subif || !lif_pl_subif_in_groups(subif)) {
            continue;
        }
        switch (policy->mode) {
        case LIF_FLOW_FAILOVER:
            ds_put_format(group, ",bucket=watch_port:%"PRIu16",actions=", p);
            put_policy_bucket(group, subif);
            break;
        case LIF_FLOW_BALANCE:
            /* Through the sub-interface's own group as well, so that a
             * member that dies between liveness checks is never a black
             * hole. */
            ds_put_format(group, ",bucket=bucket_id:%"PRIu16",watch_port:"
                          "%"PRIu16",actions=", p, p);
            lif_pl_put_via_subif_group(group, subif, LIF_STAGE_POLICY);
            break;
        case LIF_FLOW_REDUNDANT:
            if (!lif_pl_subif_is_up(subif)) {
                continue;
            }
            ds_put_cstr(group, ",bucket=actions=");
            put_policy_bucket(group, subif);
            break;
        }
        n++;
    }
    if (policy->mode == LIF_FLOW_FAILOVER) {
        ds_put_format(group, ",bucket=watch_group:%d,actions=resubmit(,%d)",
                      LIF_GROUP_ALWAYS_LIVE, LIF_T_SRC_PREFIX);
    }
    return n > 0;
}

/* LIF_T_FLOW_POLICY: flow routing policies, each through a group of its
 * own. */
static void
build_policies(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors)
{
    const struct lif_flow_config *cfg = lif->flow;
    struct ds group = DS_EMPTY_INITIALIZER;
    uint32_t group_id = LIF_GROUP_POLICY_BASE;

    for (size_t i = 0; i < cfg->n_policies; i++) {
        const struct lif_flow_policy *policy = &cfg->policies[i];

        ds_clear(&group);
        if (!policy->match || !build_policy_group(lif, policy, &group)) {
            continue;
        }
        lif_pl_add_group(out, errors, group_id, &group);
        lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_POLICY,
                               policy->priority,
                               lif_cookie(LIF_COOKIE_POLICY, &policy->uuid),
                               xstrdup(policy->match),
                               xasprintf("group:%"PRIu32, group_id));
        group_id++;
    }
    ds_destroy(&group);
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_POLICY, LIF_PRIO_DROP,
                           lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid),
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_SRC_PREFIX));
}

/* LIF_T_FALLBACK for the FLOW table's stages: a packet whose stage chose a
 * sub-interface that is not live resumes at the next stage. */
static void
build_fallback(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors)
{
    uint64_t chain = lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid);
    static const struct {
        int stage;
        int next_table;
    } next[] = {
        { LIF_STAGE_REFLECTIVE, LIF_T_FLOW_POLICY },
        { LIF_STAGE_POLICY, LIF_T_SRC_PREFIX },
    };

    lif_pl_add_flow_nocopy(out, errors, LIF_T_FALLBACK, LIF_PRIO_DEFAULT,
                           chain, xasprintf(LIF_REG_STAGE_MATCH"=%d",
                                            LIF_STAGE_PIN),
                           reflective_lookup());
    for (size_t i = 0; i < ARRAY_SIZE(next); i++) {
        lif_pl_add_flow_nocopy(out, errors, LIF_T_FALLBACK, LIF_PRIO_DEFAULT,
                               chain, xasprintf(LIF_REG_STAGE_MATCH"=%d",
                                                next[i].stage),
                               xasprintf("resubmit(,%d)",
                                         next[i].next_table));
    }
}

/* Tables LIF_T_FLOW_FIRST to LIF_T_FLOW_LAST: the FLOW table of RFC 7847
 * section 5.7 (pinned flows, reflective flows, flow routing policies), the
 * learning of reflective flows in LIF_T_FROM_SUBIF and the FLOW table's
 * LIF_T_FALLBACK flows.  What no stage claims goes on to
 * LIF_T_SRC_PREFIX. */
void
lif_pl_build_flow(const struct lif_logical *lif, struct lif_flow_table *out,
                  struct svec *errors)
{
    if (!lif->flow) {
        /* No FLOW table configuration: straight on. */
        lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_FIRST, LIF_PRIO_DROP,
                               lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid),
                               xstrdup(""), xasprintf("resubmit(,%d)",
                                                      LIF_T_SRC_PREFIX));
        return;
    }
    build_pins(lif, out, errors);
    build_reflective_out(lif, out, errors);
    build_policies(lif, out, errors);
    build_learning(lif, out, errors);
    build_fallback(lif, out, errors);
}

/* Returns the name of 'table_id' if it is one of the FLOW table's, else
 * NULL. */
const char *
lif_pl_flow_table_name(int table_id)
{
    switch (table_id) {
    case LIF_T_FLOW_PIN:
        return "flow-pinned";
    case LIF_T_FLOW_REFLECT:
        return "flow-reflective";
    case LIF_T_FLOW_REFLECT_OUT:
        return "flow-reflective-out";
    case LIF_T_FLOW_POLICY:
        return "flow-policy";
    case LIF_T_FLOW_ICMP:
        return "flow-icmp-echo";
    case LIF_T_FLOW_EVIDENCE:
        return "flow-evidence";
    default:
        return NULL;
    }
}
