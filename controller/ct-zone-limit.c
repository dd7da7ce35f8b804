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

#include "ct-zone-limit.h"

#include "hash.h"
#include "jsonrpc.h"
#include "lif-flow-config.h"
#include "lif-model.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"
#include "appctl-client.h"

VLOG_DEFINE_THIS_MODULE(ct_zone_limit);

/* After a refused request, the next attempt waits this long, in ms. */
#define CT_ZONE_LIMIT_RETRY 1000

/* One zone's limit, as wanted or as set in the datapath. */
struct zone_limit {
    struct hmap_node node;      /* In 'wanted' or 'applied', by zone. */
    uint16_t zone;
    int limit;
};

/* The zone limits that the LIFs want, and those set in the datapath over
 * the current connection. */
static struct hmap wanted = HMAP_INITIALIZER(&wanted);
static struct hmap applied = HMAP_INITIALIZER(&applied);

static struct appctl_client *appctl;
static unsigned int appctl_seqno;

/* The request in flight: which zone, and the limit it sets (0: deleted). */
static bool in_flight;
static uint16_t in_flight_zone;
static int in_flight_limit;
static long long int next_attempt;
static unsigned int n_set, n_errors;

static struct zone_limit *
zone_limit_find(const struct hmap *map, uint16_t zone)
{
    struct zone_limit *zl;

    HMAP_FOR_EACH_WITH_HASH (zl, node, hash_int(zone, 0), map) {
        if (zl->zone == zone) {
            return zl;
        }
    }
    return NULL;
}

static void
zone_limit_put(struct hmap *map, uint16_t zone, int limit)
{
    struct zone_limit *zl = zone_limit_find(map, zone);
    if (!zl) {
        zl = xmalloc(sizeof *zl);
        zl->zone = zone;
        hmap_insert(map, &zl->node, hash_int(zone, 0));
    }
    zl->limit = limit;
}

static void
zone_limit_remove(struct hmap *map, uint16_t zone)
{
    struct zone_limit *zl = zone_limit_find(map, zone);
    if (zl) {
        hmap_remove(map, &zl->node);
        free(zl);
    }
}

static void
zone_limits_clear(struct hmap *map)
{
    struct zone_limit *zl;

    HMAP_FOR_EACH_POP (zl, node, map) {
        free(zl);
    }
}

/* Takes the reply to the request in flight, if it came. */
static void
take_reply(void)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct jsonrpc_msg *reply = appctl_client_take_reply(appctl);

    if (!reply) {
        if (!appctl_client_is_pending(appctl)) {
            /* The connection went away with it. */
            in_flight = false;
        }
        return;
    }
    in_flight = false;
    if (reply->type == JSONRPC_REPLY || !in_flight_limit) {
        /* A zone's limit that could not be deleted is gone anyway: the
         * usual reason is that the datapath went away with the last
         * bridge. */
        if (in_flight_limit) {
            zone_limit_put(&applied, in_flight_zone, in_flight_limit);
        } else {
            zone_limit_remove(&applied, in_flight_zone);
        }
        n_set++;
    } else {
        char *error = reply->error ? json_to_string(reply->error, 0)
                                   : xstrdup("unknown error");
        VLOG_WARN_RL(&rl, "conntrack zone %"PRIu16": ovs-vswitchd refused "
                     "the limit %d: %s", in_flight_zone, in_flight_limit,
                     error);
        free(error);
        n_errors++;
        next_attempt = time_msec() + CT_ZONE_LIMIT_RETRY;
    }
    jsonrpc_msg_destroy(reply);
}

/* Sends the next change, if any: a zone whose limit differs, else a zone
 * set before that no LIF wants any more. */
static void
send_next(void)
{
    struct svec args = SVEC_EMPTY_INITIALIZER;
    const char *command = NULL;
    struct zone_limit *zl;

    HMAP_FOR_EACH (zl, node, &wanted) {
        const struct zone_limit *cur = zone_limit_find(&applied, zl->zone);
        if (!cur || cur->limit != zl->limit) {
            command = "dpctl/ct-set-limits";
            svec_add_nocopy(&args, xasprintf("zone=%"PRIu16",limit=%d",
                                             zl->zone, zl->limit));
            in_flight_zone = zl->zone;
            in_flight_limit = zl->limit;
            goto send;
        }
    }
    HMAP_FOR_EACH (zl, node, &applied) {
        if (!zone_limit_find(&wanted, zl->zone)) {
            command = "dpctl/ct-del-limits";
            svec_add_nocopy(&args, xasprintf("zone=%"PRIu16, zl->zone));
            in_flight_zone = zl->zone;
            in_flight_limit = 0;
            goto send;
        }
    }
    goto out;

send:
    in_flight = appctl_client_request(appctl, command, &args);
out:
    svec_destroy(&args);
}

/* Takes the zone limits that 'model''s LIFs want, after a recompute. */
void
ct_zone_limit_set_model(const struct lif_model *model)
{
    const struct lif_logical *lif;

    zone_limits_clear(&wanted);
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        if (lif->flow) {
            zone_limit_put(&wanted, lif->flow->ct_zone, lif->flow->limit);
        }
    }
}

/* Brings the datapath's zone limits in line with the wanted ones. */
void
ct_zone_limit_run(void)
{
    if (!appctl) {
        appctl = appctl_client_create("conntrack zone limits",
                                      "ovs-vswitchd");
    }

    appctl_client_run(appctl);
    unsigned int seqno = appctl_client_get_seqno(appctl);
    if (seqno != appctl_seqno) {
        /* A new connection, perhaps to a new ovs-vswitchd. */
        appctl_seqno = seqno;
        zone_limits_clear(&applied);
        in_flight = false;
    }
    if (in_flight) {
        take_reply();
    }
    if (!in_flight && appctl_client_is_connected(appctl)
        && time_msec() >= next_attempt) {
        send_next();
    }
}

/* Arranges for poll_block() to wake up when ct_zone_limit_run() has work
 * to do. */
void
ct_zone_limit_wait(void)
{
    if (appctl) {
        appctl_client_wait(appctl);
        if (!in_flight && next_attempt > time_msec()) {
            poll_timer_wait_until(next_attempt);
        }
    }
}

/* Appends a line about the zone limits to 'ds', for connection-status. */
void
ct_zone_limit_format_status(struct ds *ds)
{
    ds_put_format(ds, "conntrack zone limits: %"PRIuSIZE" set, %u changes "
                  "sent, %u refused, %s\n", hmap_count(&applied), n_set,
                  n_errors, appctl && appctl_client_is_connected(appctl)
                  ? "connected" : "not connected");
}

/* Frees everything.  The limits stay in the datapath. */
void
ct_zone_limit_destroy(void)
{
    zone_limits_clear(&wanted);
    zone_limits_clear(&applied);
    hmap_destroy(&wanted);
    hmap_destroy(&applied);
    appctl_client_destroy(appctl);
    appctl = NULL;
}
