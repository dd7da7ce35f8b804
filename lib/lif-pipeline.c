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

/* Adds a flow to 'out'.  Records an error in 'errors' if the flow does not
 * parse (a bug in the pipeline compiler). */
void
lif_pl_add_flow(struct lif_flow_table *out, struct svec *errors,
                uint8_t table_id, uint16_t priority, uint64_t cookie,
                const char *match, const char *actions)
{
    char *error = lif_flow_table_add_flow(out, table_id, priority, cookie,
                                          match, actions);
    if (error) {
        svec_add_nocopy(errors, error);
    }
}

/* Like lif_pl_add_flow(), but 'match' and 'actions' are malloc()'d and
 * freed. */
void
lif_pl_add_flow_nocopy(struct lif_flow_table *out, struct svec *errors,
                       uint8_t table_id, uint16_t priority, uint64_t cookie,
                       char *match, char *actions)
{
    lif_pl_add_flow(out, errors, table_id, priority, cookie, match, actions);
    free(match);
    free(actions);
}

/* Adds group 'group_id' with 'spec' to 'out', recording a parse error (a
 * bug) in 'errors'. */
void
lif_pl_add_group(struct lif_flow_table *out, struct svec *errors,
                 uint32_t group_id, const struct ds *spec)
{
    char *error = lif_flow_table_add_group(out, group_id, ds_cstr_ro(spec));
    if (error) {
        svec_add_nocopy(errors, error);
    }
}

/* Returns 'ofport' as an integer for flow text. */
uint16_t
lif_pl_port(ofp_port_t ofport)
{
    return ofp_to_u16(ofport);
}

/* Whether 'subif' may appear in a group at all: attached, and not seen dead
 * by the carrier poller (the kernel may tell ovs-vswitchd up to a second
 * later). */
bool
lif_pl_subif_in_groups(const struct lif_subif *subif)
{
    return subif->ofport != OFPP_NONE && subif->carrier != LIF_CARRIER_DOWN;
}

/* Whether 'subif' is up now, for groups without liveness checks (the ND/ARP
 * group) and the neighbor-out flows.  The carrier poller's "up" is enough:
 * ovs-vswitchd reports link_state up to a second or two after the kernel
 * knows, which would leave a new or restarted controller's ND/ARP
 * incomplete meanwhile.  link_state decides only where the poller cannot
 * tell (carrier unknown: not a kernel device, or polling disabled). */
bool
lif_pl_subif_is_up(const struct lif_subif *subif)
{
    if (!lif_pl_subif_in_groups(subif)) {
        return false;
    }
    return (subif->carrier == LIF_CARRIER_UP
            || (subif->carrier == LIF_CARRIER_UNKNOWN && subif->link_up));
}

/* Appends actions that send a packet to 'subif' through LIF_T_ROUTER_MAC
 * and LIF_T_TO_SUBIF, where its routers and link-layer identity are
 * applied. */
void
lif_pl_put_to_subif(struct ds *ds, const struct lif_subif *subif)
{
    ds_put_format(ds, "load:%"PRIu16"->"LIF_REG_SUBIF",resubmit(,%d)",
                  lif_pl_port(subif->ofport), LIF_T_ROUTER_MAC);
}

/* Appends actions for a FLOW table 'stage' that chose 'subif': through the
 * sub-interface's group, which resumes the chain after 'stage' if 'subif'
 * is not live. */
void
lif_pl_put_via_subif_group(struct ds *ds, const struct lif_subif *subif,
                           int stage)
{
    ds_put_format(ds, "load:%"PRIu16"->"LIF_REG_SUBIF","
                  "load:%d->"LIF_REG_STAGE",group:%d",
                  lif_pl_port(subif->ofport), stage,
                  LIF_GROUP_SUBIF(lif_pl_port(subif->ofport)));
}

/* The groups every LIF bridge has.
 *
 * LIF_GROUP_DEFAULT_PATH is a fast-failover group with a bucket per
 * sub-interface, most preferred first.  ovs-vswitchd uses the first bucket
 * whose watch_port is live, so a link that goes down is skipped in the data
 * plane, without the controller.
 *
 * LIF_GROUP_ND_ALL replicates to every sub-interface that is up: link-local
 * multicast ND and broadcast ARP from the host (RFC 7847 section 5.5).
 *
 * LIF_GROUP_SUBIF(port), one per attached sub-interface, is how a FLOW
 * table stage sends to the sub-interface it chose: a fast-failover group
 * whose first bucket watches the sub-interface and whose second hands the
 * packet to LIF_T_FALLBACK, so that it is never black-holed.  That second
 * bucket watches LIF_GROUP_ALWAYS_LIVE, whose only bucket has no liveness
 * condition, because OVS wants a watch on every fast-failover bucket. */
static void
build_groups(const struct lif_logical *lif, struct lif_flow_table *out,
             struct svec *errors)
{
    struct ds ff = DS_EMPTY_INITIALIZER;
    struct ds all = DS_EMPTY_INITIALIZER;
    struct ds one = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&ff, "type=ff");
    ds_put_cstr(&all, "type=all");
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE) {
            continue;
        }
        uint16_t p = lif_pl_port(subif->ofport);

        ds_clear(&one);
        ds_put_cstr(&one, "type=ff");
        if (lif_pl_subif_in_groups(subif)) {
            ds_put_format(&ff, ",bucket=watch_port:%"PRIu16",actions=", p);
            lif_pl_put_to_subif(&ff, subif);
            ds_put_format(&one, ",bucket=watch_port:%"PRIu16",actions="
                          "resubmit(,%d)", p, LIF_T_ROUTER_MAC);
        }
        ds_put_format(&one, ",bucket=watch_group:%d,actions=resubmit(,%d)",
                      LIF_GROUP_ALWAYS_LIVE, LIF_T_FALLBACK);
        lif_pl_add_group(out, errors, LIF_GROUP_SUBIF(p), &one);

        if (lif_pl_subif_is_up(subif)) {
            ds_put_cstr(&all, ",bucket=actions=");
            lif_pl_put_to_subif(&all, subif);
        }
    }
    lif_pl_add_group(out, errors, LIF_GROUP_DEFAULT_PATH, &ff);
    lif_pl_add_group(out, errors, LIF_GROUP_ND_ALL, &all);

    ds_clear(&one);
    ds_put_cstr(&one, "type=indirect,bucket=actions=drop");
    lif_pl_add_group(out, errors, LIF_GROUP_ALWAYS_LIVE, &one);
    ds_destroy(&ff);
    ds_destroy(&all);
    ds_destroy(&one);
}

/* The skeleton of the pipeline: the catch-all flows of the tables that
 * lead from one part to the next. */
static void
build_skeleton(const struct lif_logical *lif, struct lif_flow_table *out,
               struct svec *errors)
{
    uint64_t chain = lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid);
    uint64_t in = lif_cookie(LIF_COOKIE_SUBIF_IN, &lif->uuid);

    /* From the host: what no ND/ARP rule claims enters the FLOW table
     * chain; what no stage claims takes the default path. */
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FROM_LIF, LIF_PRIO_DROP, chain,
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_FLOW_FIRST));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_SRC_PREFIX, LIF_PRIO_DROP,
                           lif_cookie(LIF_COOKIE_LIF_DEFAULT, &lif->uuid),
                           xstrdup(""), xasprintf("group:%d",
                                                  LIF_GROUP_DEFAULT_PATH));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FALLBACK, LIF_PRIO_DROP, chain,
                           xstrdup(""), xasprintf("group:%d",
                                                  LIF_GROUP_DEFAULT_PATH));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_ROUTER_MAC, LIF_PRIO_DROP,
                           chain, xstrdup(""),
                           xasprintf("resubmit(,%d)", LIF_T_TO_SUBIF));

    /* From an access: to the LIF, and nowhere else. */
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FROM_SUBIF, LIF_PRIO_DROP, in,
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_TO_LIF_ETH));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_TO_LIF_ETH, LIF_PRIO_DROP, in,
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_TO_LIF));
    lif_pl_add_flow_nocopy(out, errors, LIF_T_TO_LIF, LIF_PRIO_DROP, in,
                           xstrdup(""), xasprintf("output:%"PRIu16,
                                                  lif_pl_port(lif->ofport)));
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
    lif_pl_add_flow(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DROP,
                    lif_cookie(LIF_COOKIE_DROP, &lif->uuid), "", "drop");
    if (!lif->usable || lif->ofport == OFPP_NONE) {
        return;
    }

    lif_pl_add_flow_nocopy(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
                           lif_cookie(LIF_COOKIE_CLASSIFY, &lif->uuid),
                           xasprintf("in_port=%"PRIu16,
                                     lif_pl_port(lif->ofport)),
                           xasprintf("resubmit(,%d)", LIF_T_FROM_LIF));
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            lif_pl_add_flow_nocopy(
                out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
                lif_cookie(LIF_COOKIE_CLASSIFY, &subif->uuid),
                xasprintf("in_port=%"PRIu16, lif_pl_port(subif->ofport)),
                xasprintf("resubmit(,%d)", LIF_T_FROM_SUBIF));
        }
    }

    build_groups(lif, out, errors);
    build_skeleton(lif, out, errors);
    lif_pl_build_nd_from_lif(lif, out, errors);
    lif_pl_build_nd_from_subif(lif, out, errors);
    lif_pl_build_lladdr(lif, out, errors);
    lif_pl_build_flow(lif, out, errors);
    lif_pl_build_path(lif, out, errors);
}

/* Initializes 'meters' as empty. */
void
lif_meters_init(struct lif_meters *meters)
{
    *meters = (struct lif_meters) { .meters = NULL };
}

/* Frees what 'meters' holds. */
void
lif_meters_destroy(struct lif_meters *meters)
{
    free(meters->meters);
    lif_meters_init(meters);
}

/* Adds meter 'id' with 'rate' packets per second to 'meters', keeping them
 * sorted by id; a meter already there keeps its first rate. */
void
lif_meters_add(struct lif_meters *meters, uint32_t id, uint32_t rate)
{
    size_t i = 0;
    while (i < meters->n && meters->meters[i].id < id) {
        i++;
    }
    if (i < meters->n && meters->meters[i].id == id) {
        return;
    }
    if (meters->n >= meters->allocated) {
        meters->meters = x2nrealloc(meters->meters, &meters->allocated,
                                    sizeof *meters->meters);
    }
    memmove(&meters->meters[i + 1], &meters->meters[i],
            (meters->n - i) * sizeof *meters->meters);
    meters->meters[i] = (struct lif_meter) { .id = id, .rate = rate };
    meters->n++;
}

/* Whether 'a' and 'b' hold the same meters with the same rates. */
bool
lif_meters_equal(const struct lif_meters *a, const struct lif_meters *b)
{
    return (a->n == b->n
            && (!a->n
                || !memcmp(a->meters, b->meters, a->n * sizeof *a->meters)));
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
    case LIF_T_ROUTER_MAC:
        return "router-mac";
    case LIF_T_TO_SUBIF:
        return "to-subif";
    case LIF_T_SRC_PREFIX:
        return "source-prefix";
    case LIF_T_FALLBACK:
        return "fallback";
    default:
        return lif_pl_flow_table_name(table_id);
    }
}
