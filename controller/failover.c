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

#include "failover.h"

#include <errno.h>
#include <string.h>

#include "dirs.h"
#include "flow.h"
#include "hash.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "seq.h"
#include "simap.h"
#include "socket-util.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(failover);

/* Back-off between connection attempts, in milliseconds. */
#define FAILOVER_RECONNECT_MS 1000

/* A group with at least one bucket that watches a port. */
struct failover_group {
    uint32_t group_id;
    char *spec;                 /* As in "struct lif_group". */
};

/* One LIF bridge. */
struct failover_bridge {
    struct hmap_node hmap_node; /* In 'bridges', by name. */
    char *name;

    /* From the main loop's last recompute. */
    struct simap ports;         /* Sub-interface name -> ofport. */
    struct failover_group *groups;
    size_t n_groups;

    /* The carrier thread's connection. */
    struct vconn *vconn;
    bool connected;
    long long int next_connect;

    /* Groups changed by the fast path: waiting for 'barrier_xid''s reply,
     * then confirmed (for failover_take_changed()). */
    ovs_be32 barrier_xid;
    uint32_t *pending;
    size_t n_pending, allocated_pending;
    uint32_t *confirmed;
    size_t n_confirmed, allocated_confirmed;
};

/* Everything is under 'mutex': the main thread only holds it to copy
 * groups in or changed group ids out, the carrier thread to react. */
static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct hmap bridges OVS_GUARDED_BY(mutex)
    = HMAP_INITIALIZER(&bridges);
static struct seq *failover_seq;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init_once(void)
{
    failover_seq = seq_create();
}

static struct failover_bridge *
find_bridge(const char *name) OVS_REQUIRES(mutex)
{
    struct failover_bridge *br;
    HMAP_FOR_EACH_WITH_HASH (br, hmap_node, hash_string(name, 0),
                             &bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

static void
clear_groups(struct failover_bridge *br)
{
    for (size_t i = 0; i < br->n_groups; i++) {
        free(br->groups[i].spec);
    }
    free(br->groups);
    br->groups = NULL;
    br->n_groups = 0;
}

static void add_id(uint32_t **ids, size_t *n, size_t *allocated,
                   uint32_t id);

/* Closes the connection.  Groups changed without confirmation may still
 * have been changed: the main loop rewrites them too. */
static void
disconnect(struct failover_bridge *br)
{
    vconn_close(br->vconn);
    br->vconn = NULL;
    br->connected = false;
    for (size_t i = 0; i < br->n_pending; i++) {
        add_id(&br->confirmed, &br->n_confirmed, &br->allocated_confirmed,
               br->pending[i]);
    }
    if (br->n_pending) {
        seq_change(failover_seq);
    }
    br->n_pending = 0;
    br->barrier_xid = 0;
    br->next_connect = time_msec() + FAILOVER_RECONNECT_MS;
}

static void
destroy_bridge(struct failover_bridge *br) OVS_REQUIRES(mutex)
{
    hmap_remove(&bridges, &br->hmap_node);
    vconn_close(br->vconn);
    clear_groups(br);
    simap_destroy(&br->ports);
    free(br->pending);
    free(br->confirmed);
    free(br->name);
    free(br);
}

/* Gives the fast path the sub-interfaces of 'lif' and the groups of its
 * bridge's 'desired' state, as just computed by the main loop. */
void
failover_update(const struct lif_logical *lif,
                const struct lif_flow_table *desired)
{
    pthread_once(&once, init_once);

    ovs_mutex_lock(&mutex);
    struct failover_bridge *br = find_bridge(lif->bridge);
    if (!br) {
        br = xzalloc(sizeof *br);
        br->name = xstrdup(lif->bridge);
        simap_init(&br->ports);
        hmap_insert(&bridges, &br->hmap_node, hash_string(br->name, 0));
    }

    simap_clear(&br->ports);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *s = &lif->subifs[i];
        if (s->ofport != OFPP_NONE) {
            simap_put(&br->ports, s->name, ofp_to_u16(s->ofport));
        }
    }

    clear_groups(br);
    br->groups = xmalloc(hmap_count(&desired->groups) * sizeof *br->groups);
    const struct lif_group *g;
    HMAP_FOR_EACH (g, hmap_node, &desired->groups) {
        if (strstr(g->spec, "watch_port")) {
            struct failover_group *fg = &br->groups[br->n_groups++];
            fg->group_id = g->group_id;
            fg->spec = xstrdup(g->spec);
        }
    }
    ovs_mutex_unlock(&mutex);
}

/* Forgets every bridge whose name is not in 'names'. */
void
failover_retain(const struct sset *names)
{
    ovs_mutex_lock(&mutex);
    struct failover_bridge *br;
    HMAP_FOR_EACH_SAFE (br, hmap_node, &bridges) {
        if (!sset_contains(names, br->name)) {
            destroy_bridge(br);
        }
    }
    ovs_mutex_unlock(&mutex);
}

/* Stores in '*group_ids' (to be freed by the caller) the ids of the groups
 * of 'bridge' that the fast path changed and the switch has confirmed
 * since the last call, and returns how many there are.  The caller must
 * make sure the switch ends up with its own version of them. */
size_t
failover_take_changed(const char *bridge, uint32_t **group_ids)
{
    size_t n = 0;

    *group_ids = NULL;
    ovs_mutex_lock(&mutex);
    struct failover_bridge *br = find_bridge(bridge);
    if (br && br->n_confirmed) {
        n = br->n_confirmed;
        *group_ids = br->confirmed;
        br->confirmed = NULL;
        br->n_confirmed = br->allocated_confirmed = 0;
    }
    ovs_mutex_unlock(&mutex);
    return n;
}

/* Returns a sequence number that changes when failover_take_changed() may
 * have something new. */
uint64_t
failover_seq_read(void)
{
    pthread_once(&once, init_once);
    return seq_read(failover_seq);
}

/* Wakes the next poll_block() once failover_seq_read() differs from
 * 'seqno'. */
void
failover_wait(uint64_t seqno)
{
    pthread_once(&once, init_once);
    seq_wait(failover_seq, seqno);
}

static void
add_id(uint32_t **ids, size_t *n, size_t *allocated, uint32_t id)
{
    for (size_t i = 0; i < *n; i++) {
        if ((*ids)[i] == id) {
            return;
        }
    }
    if (*n >= *allocated) {
        *ids = x2nrealloc(*ids, allocated, sizeof **ids);
    }
    (*ids)[(*n)++] = id;
}

static void
handle_message(struct failover_bridge *br, struct ofpbuf *msg)
    OVS_REQUIRES(mutex)
{
    const struct ofp_header *oh = msg->data;
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    if (type == OFPTYPE_ECHO_REQUEST) {
        struct ofpbuf *reply = ofputil_encode_echo_reply(oh);
        if (vconn_send(br->vconn, reply)) {
            ofpbuf_delete(reply);
        }
    } else if (type == OFPTYPE_BARRIER_REPLY && br->barrier_xid
               && oh->xid == br->barrier_xid) {
        for (size_t i = 0; i < br->n_pending; i++) {
            add_id(&br->confirmed, &br->n_confirmed,
                   &br->allocated_confirmed, br->pending[i]);
        }
        br->n_pending = 0;
        br->barrier_xid = 0;
        seq_change(failover_seq);
    } else if (type == OFPTYPE_ERROR) {
        /* A group that no longer exists, for example: the main loop's own
         * update takes care of it. */
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);
        VLOG_INFO_RL(&rl, "%s: fast path: %s", br->name, s);
        free(s);
    }
}

/* Connects, reconnects and processes what the switches sent.  Called by
 * the carrier thread every few milliseconds. */
void
failover_run(void)
{
    pthread_once(&once, init_once);

    ovs_mutex_lock(&mutex);
    struct failover_bridge *br;
    HMAP_FOR_EACH (br, hmap_node, &bridges) {
        if (!br->vconn) {
            if (time_msec() < br->next_connect) {
                continue;
            }
            char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(),
                                     br->name);
            int error = vconn_open(target, 1u << OFP15_VERSION,
                                   DSCP_DEFAULT, &br->vconn);
            free(target);
            if (error) {
                disconnect(br);
                continue;
            }
        }

        vconn_run(br->vconn);
        if (!br->connected) {
            int error = vconn_connect(br->vconn);
            if (error == EAGAIN) {
                continue;
            } else if (error) {
                disconnect(br);
                continue;
            }
            br->connected = true;
            VLOG_DBG("%s: fast path connected", br->name);
        }

        for (int i = 0; i < 50; i++) {
            struct ofpbuf *msg;
            int error = vconn_recv(br->vconn, &msg);
            if (error == EAGAIN) {
                break;
            } else if (error) {
                disconnect(br);
                break;
            }
            handle_message(br, msg);
            ofpbuf_delete(msg);
        }
    }
    ovs_mutex_unlock(&mutex);
}

/* Returns 'group' with every bucket that watches a port in 'down' removed,
 * as a group-mod to send, or NULL if none of its buckets watches a port in
 * 'changed'. */
static struct ofpbuf *
rewrite_group(const struct failover_group *group,
              const struct simap *down, const struct simap *changed,
              int version)
{
    struct ofputil_group_mod gm;
    enum ofputil_protocol usable;
    char *s = xasprintf("group_id=%"PRIu32",%s", group->group_id,
                        group->spec);
    char *error = parse_ofp_group_mod_str(&gm, OFPGC15_MODIFY, s, NULL, NULL,
                                          &usable);
    free(s);
    if (error) {
        free(error);            /* ofctrl reports it. */
        return NULL;
    }

    bool affected = false;
    struct ovs_list dead = OVS_LIST_INITIALIZER(&dead);
    struct ofputil_bucket *b;
    LIST_FOR_EACH_SAFE (b, list_node, &gm.buckets) {
        const struct simap_node *node;
        SIMAP_FOR_EACH (node, changed) {
            if (ofp_to_u16(b->watch_port) == node->data) {
                affected = true;
            }
        }
        SIMAP_FOR_EACH (node, down) {
            if (ofp_to_u16(b->watch_port) == node->data) {
                ovs_list_remove(&b->list_node);
                ovs_list_push_back(&dead, &b->list_node);
                break;
            }
        }
    }
    ofputil_bucket_list_destroy(&dead);

    struct ofpbuf *msg = (affected
                          ? ofputil_encode_group_mod(version, &gm, NULL, -1)
                          : NULL);
    ofputil_uninit_group_mod(&gm);
    return msg;
}

/* Called by the carrier thread when the carrier of the devices in
 * 'changed' changed: 'down' is every device whose carrier is down now.
 * Rewrites, on every connected bridge, each group with a bucket watching a
 * changed sub-interface, without the buckets that watch a dead one. */
void
failover_react(const struct sset *down, const struct sset *changed)
{
    pthread_once(&once, init_once);

    ovs_mutex_lock(&mutex);
    struct failover_bridge *br;
    HMAP_FOR_EACH (br, hmap_node, &bridges) {
        if (!br->connected) {
            continue;
        }

        struct simap down_ports = SIMAP_INITIALIZER(&down_ports);
        struct simap changed_ports = SIMAP_INITIALIZER(&changed_ports);
        const char *name;
        SSET_FOR_EACH (name, down) {
            const struct simap_node *node = simap_find(&br->ports, name);
            if (node) {
                simap_put(&down_ports, name, node->data);
            }
        }
        SSET_FOR_EACH (name, changed) {
            const struct simap_node *node = simap_find(&br->ports, name);
            if (node) {
                simap_put(&changed_ports, name, node->data);
            }
        }

        size_t n_sent = 0;
        for (size_t i = 0; !simap_is_empty(&changed_ports)
                           && i < br->n_groups; i++) {
            struct ofpbuf *msg = rewrite_group(&br->groups[i], &down_ports,
                                               &changed_ports,
                                               vconn_get_version(br->vconn));
            if (!msg) {
                continue;
            }
            if (vconn_send(br->vconn, msg)) {
                ofpbuf_delete(msg);
                disconnect(br);
                break;
            }
            add_id(&br->pending, &br->n_pending, &br->allocated_pending,
                   br->groups[i].group_id);
            n_sent++;
        }
        if (n_sent && br->connected) {
            struct ofpbuf *barrier = ofputil_encode_barrier_request(
                vconn_get_version(br->vconn));
            br->barrier_xid = ((struct ofp_header *) barrier->data)->xid;
            if (vconn_send(br->vconn, barrier)) {
                ofpbuf_delete(barrier);
                disconnect(br);
            }
        }
        if (n_sent) {
            VLOG_DBG("%s: fast path rewrote %"PRIuSIZE" groups", br->name,
                     n_sent);
        }
        simap_destroy(&down_ports);
        simap_destroy(&changed_ports);
    }
    ovs_mutex_unlock(&mutex);
}
