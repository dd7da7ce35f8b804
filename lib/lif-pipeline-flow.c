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
 *                           sub-interface's group, stage LIF_STAGE_PIN;
 *                           otherwise LIF_T_FLOW_TRACK.
 *   LIF_T_FLOW_TRACK        the host's unicast IP -> conntrack in the
 *                           LIF's zone, then LIF_T_FLOW_REFLECT; anything
 *                           else -> LIF_T_FLOW_REFLECT_OUT with reg1 = 0.
 *   LIF_T_FLOW_REFLECT      after conntrack: a flow the host opens is
 *                           committed with LIF_CT_MARK_HOST_ORIG; the
 *                           entry's ct_mark port (the sub-interface the
 *                           flow last arrived on) -> reg1.
 *   LIF_T_FLOW_REFLECT_OUT  reg1 = a sub-interface in the groups -> its
 *                           group, stage LIF_STAGE_REFLECTIVE; otherwise
 *                           LIF_T_FLOW_POLICY.
 *   LIF_T_FLOW_POLICY       flow routing policies -> the policy's group;
 *                           otherwise LIF_T_SRC_PREFIX.
 *
 * The reflective flows are thus the conntrack entries of the LIF's zone,
 * which conntrack itself keys by 5-tuple, ICMP echo by identifier and
 * other IP by addresses and protocol, and ages out.  From an access,
 * LIF_T_FROM_SUBIF sends unicast IP (at priorities below the ND rules')
 * through conntrack to LIF_T_FLOW_EVIDENCE, which writes the access's port
 * into the entry's ct_mark unless conntrack found the packet invalid for
 * its connection.  Both directions read and write the entry in the
 * datapath, per packet, so a move takes effect from the first packet that
 * arrives on the new access, with no upcall and no controller.
 * LIF_T_FALLBACK resumes the chain after a stage whose sub-interface is
 * not live. */

/* Priorities in LIF_T_FROM_SUBIF (1-99: above the catch-all, below the
 * ND and path rules). */
#define PRIO_NO_TRACK 95        /* Multicast and broadcast. */
#define PRIO_TRACK 80           /* Unicast IP. */

/* Priorities in LIF_T_FLOW_EVIDENCE. */
#define PRIO_INVALID 200        /* Not valid for its connection. */
#define PRIO_SAME_PORT 150      /* Already marked with this port. */
#define PRIO_MARK 100           /* Mark with this port. */

/* Priorities in LIF_T_FLOW_TRACK and LIF_T_FLOW_REFLECT. */
#define PRIO_MULTICAST 200      /* The host's multicast: not tracked. */
#define PRIO_HOST_OPENS 200     /* A new flow from the host. */
#define PRIO_UNMARKED 100       /* No sub-interface in ct_mark. */

/* The IP versions: connection tracking needs one of them in the match. */
static const char *const ip_versions[] = { "ip", "ipv6" };

/* Matches that name multicast and broadcast destinations. */
static const char *const multicast[] = {
    "ipv6,ipv6_dst=ff00::/8",
    "ip,nw_dst=224.0.0.0/4",
    "ip,nw_dst=255.255.255.255",
};

/* From an access: unicast IP through conntrack; a packet valid for its
 * connection marks the connection's entry with its sub-interface. */
static void
build_from_access(const struct lif_logical *lif, struct lif_flow_table *out,
                  struct svec *errors)
{
    const struct lif_flow_config *cfg = lif->flow;
    uint64_t cookie = lif_cookie(LIF_COOKIE_REFLECTIVE, &lif->uuid);
    char *deliver = xasprintf("resubmit(,%d)", LIF_T_TO_LIF_ETH);

    /* Nothing to learn from multicast and broadcast. */
    for (size_t i = 0; i < ARRAY_SIZE(multicast); i++) {
        lif_pl_add_flow(out, errors, LIF_T_FROM_SUBIF, PRIO_NO_TRACK, cookie,
                        multicast[i], deliver);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ip_versions); i++) {
        lif_pl_add_flow_nocopy(out, errors, LIF_T_FROM_SUBIF, PRIO_TRACK,
                               cookie, xstrdup(ip_versions[i]),
                               xasprintf("ct(zone=%"PRIu16",table=%d)",
                                         cfg->ct_zone, LIF_T_FLOW_EVIDENCE));
    }

    /* Not valid for its connection (for TCP, outside the window: for
     * example forged), or an ICMP error about a connection: delivered,
     * moves nothing. */
    lif_pl_add_flow(out, errors, LIF_T_FLOW_EVIDENCE, PRIO_INVALID, cookie,
                    "ct_state=+inv+trk", deliver);
    lif_pl_add_flow(out, errors, LIF_T_FLOW_EVIDENCE, PRIO_INVALID, cookie,
                    "ct_state=+rel+trk", deliver);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE) {
            continue;
        }
        uint16_t p = lif_pl_port(subif->ofport);
        lif_pl_add_flow_nocopy(
            out, errors, LIF_T_FLOW_EVIDENCE, PRIO_SAME_PORT, cookie,
            xasprintf("ct_state=+trk,in_port=%"PRIu16",ct_mark=%"PRIu16
                      "/%#x", p, p, LIF_CT_MARK_PORT),
            xstrdup(deliver));
        for (size_t j = 0; j < ARRAY_SIZE(ip_versions); j++) {
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_FLOW_EVIDENCE, PRIO_MARK, cookie,
                xasprintf("%s,ct_state=+trk,in_port=%"PRIu16,
                          ip_versions[j], p),
                xasprintf("ct(commit,zone=%"PRIu16",exec(load:%"PRIu16
                          "->NXM_NX_CT_MARK[0..15])),%s", cfg->ct_zone, p,
                          deliver));
        }
    }
    /* Anything else (not expected): delivered. */
    lif_pl_add_flow(out, errors, LIF_T_FLOW_EVIDENCE, LIF_PRIO_DROP, cookie,
                    "", deliver);
    free(deliver);
}

/* Actions of a packet that no reflective flow claims. */
static char *
reflective_miss(void)
{
    return xasprintf("load:0->"LIF_REG_SUBIF",resubmit(,%d)",
                     LIF_T_FLOW_REFLECT_OUT);
}

/* Pinned flows, the chain's entry, and the host's side of the reflective
 * flows: LIF_T_FLOW_TRACK and LIF_T_FLOW_REFLECT. */
static void
build_pins(const struct lif_logical *lif, struct lif_flow_table *out,
           struct svec *errors)
{
    const struct lif_flow_config *cfg = lif->flow;
    uint64_t chain = lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid);
    uint64_t cookie = lif_cookie(LIF_COOKIE_REFLECTIVE, &lif->uuid);
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
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_PIN, LIF_PRIO_DROP, chain,
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_FLOW_TRACK));

    /* The host's unicast IP through conntrack. */
    char *miss = reflective_miss();
    for (size_t i = 0; i < ARRAY_SIZE(multicast); i++) {
        lif_pl_add_flow(out, errors, LIF_T_FLOW_TRACK, PRIO_MULTICAST, cookie,
                        multicast[i], miss);
    }
    for (size_t i = 0; i < ARRAY_SIZE(ip_versions); i++) {
        lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_TRACK,
                               LIF_PRIO_DEFAULT, cookie,
                               xstrdup(ip_versions[i]),
                               xasprintf("ct(zone=%"PRIu16",table=%d)",
                                         cfg->ct_zone, LIF_T_FLOW_REFLECT));
    }
    lif_pl_add_flow(out, errors, LIF_T_FLOW_TRACK, LIF_PRIO_DROP, cookie,
                    "", miss);

    /* A flow the host opens: its entry is created, marked as the host's,
     * with no sub-interface yet. */
    for (size_t i = 0; i < ARRAY_SIZE(ip_versions); i++) {
        lif_pl_add_flow_nocopy(
            out, errors, LIF_T_FLOW_REFLECT, PRIO_HOST_OPENS, cookie,
            xasprintf("%s,ct_state=+new+trk", ip_versions[i]),
            xasprintf("ct(commit,zone=%"PRIu16",exec(load:1->"
                      "NXM_NX_CT_MARK[16])),%s", cfg->ct_zone, miss));
    }
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_REFLECT, PRIO_UNMARKED,
                           cookie, xasprintf("ct_state=+trk,ct_mark=0/%#x",
                                             LIF_CT_MARK_PORT),
                           xstrdup(miss));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_REFLECT, LIF_PRIO_DROP,
                           cookie, xstrdup(""),
                           xasprintf("move:NXM_NX_CT_MARK[0..15]->"
                                     LIF_REG_SUBIF",resubmit(,%d)",
                                     LIF_T_FLOW_REFLECT_OUT));
    free(miss);
}

/* LIF_T_FLOW_REFLECT_OUT: a reflective flow's sub-interface that is in the
 * groups takes the packet; anything else goes on to the policies. */
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
                           xasprintf("resubmit(,%d)", LIF_T_FLOW_TRACK));
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
 * marking of reflective flows in LIF_T_FROM_SUBIF and the FLOW table's
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
    build_from_access(lif, out, errors);
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
    case LIF_T_FLOW_TRACK:
        return "flow-track";
    case LIF_T_FLOW_EVIDENCE:
        return "flow-evidence";
    default:
        return NULL;
    }
}
