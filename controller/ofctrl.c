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

#include "ofctrl.h"

#include <errno.h>

#include "coverage.h"
#include "flow.h"
#include "hash.h"
#include "netdev.h"
#include "byte-order.h"
#include "dirs.h"
#include "lif-cookie.h"
#include "lif-flow-table.h"
#include "lif-pipeline.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-bundle.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofctrl);

COVERAGE_DEFINE(ofctrl_bundle);
COVERAGE_DEFINE(ofctrl_full_sync);
COVERAGE_DEFINE(ofctrl_error);
COVERAGE_DEFINE(ofctrl_reconnect);

/* How often port statistics are requested, in milliseconds. */
#define OFCTRL_STATS_INTERVAL_MS 5000

/* How many NS, NA and ARP packets from one port the pipeline refused to
 * learn neighbors from (the LIF_COOKIE_ND_REFUSED flows in table
 * LIF_T_FROM_SUBIF). */
struct ofctrl_refused {
    struct hmap_node hmap_node; /* In ofctrl 'refused', by port. */
    ofp_port_t port;
    uint64_t n_packets;
};

/* The latest statistics of one port. */
struct ofctrl_port_stats {
    struct hmap_node hmap_node; /* In ofctrl 'port_stats', by port_no. */
    struct ofputil_port_stats ps;
};

/* Longest wait between two attempts to (re)connect to the switch, in
 * seconds: the management socket is a local unix socket, so trying every
 * second is cheap, and flows come back at most about a second after
 * ovs-vswitchd does (rconn's default is 8 s; 1 s is its minimum). */
#define OFCTRL_MAX_RECONNECT_BACKOFF 1

/* Back-off before a full resynchronization after an OpenFlow error. */
#define OFCTRL_MIN_BACKOFF_MS 1000
#define OFCTRL_MAX_BACKOFF_MS 60000

static void queue_msg(struct ofctrl *, struct ofpbuf *);

/* A barrier sent at the end of a put, waiting for its reply. */
struct ofctrl_barrier {
    struct ovs_list list_node;  /* In ofctrl 'barriers'. */
    ovs_be32 xid;
    int64_t cfg;                /* Configuration the put installed. */
};

/* The OpenFlow connection to one bridge. */
struct ofctrl {
    char *bridge;
    struct rconn *rconn;
    struct rconn_packet_counter *tx_counter;
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    bool ever_connected;        /* Connected at least once. */

    struct lif_flow_table installed;   /* Mirror of the switch. */
    bool need_dump;             /* Mirror must be re-read from the switch. */
    int dumps_pending;          /* Flow and group dumps not yet complete. */
    long long int resync_after; /* No dump before this time. */
    int backoff;                /* Current error back-off, in ms. */

    struct ovs_list barriers;   /* Contains "struct ofctrl_barrier"s. */
    struct hmap port_stats;     /* Contains "struct ofctrl_port_stats"s. */
    struct lif_meters meters;   /* The meters the flows use. */
    struct lif_meters meters_sent;  /* Meters installed on this
                                     * connection. */
    struct hmap refused;        /* Contains "struct ofctrl_refused"s. */
    struct hmap refused_next;   /* Being filled from a multipart reply. */
    ovs_be32 refused_xid;       /* Of the last request for 'refused'. */
    long long int next_stats;   /* When to request port statistics. */
    unsigned int stats_seqno;   /* Changes when 'port_stats' does. */
    int64_t cur_cfg;            /* Highest cfg acknowledged. */
    int64_t sent_cfg;           /* Highest cfg sent. */
    uint32_t next_bundle_id;

    /* Statistics, for connection-status. */
    unsigned int n_bundles;
    unsigned int n_bundles_since_connect;
    unsigned int n_full_syncs;
    unsigned int n_errors;
    unsigned int n_reconnects;
};

/* Creates and returns an OpenFlow connection to 'bridge', which starts
 * connecting at once. */
struct ofctrl *
ofctrl_create(const char *bridge)
{
    struct ofctrl *ofctrl = xzalloc(sizeof *ofctrl);
    ofctrl->bridge = xstrdup(bridge);
    ofctrl->rconn = rconn_create(5, OFCTRL_MAX_RECONNECT_BACKOFF,
                                 DSCP_DEFAULT, 1u << OFP15_VERSION);
    ofctrl->tx_counter = rconn_packet_counter_create();
    lif_flow_table_init(&ofctrl->installed);
    ovs_list_init(&ofctrl->barriers);
    hmap_init(&ofctrl->port_stats);
    hmap_init(&ofctrl->refused);
    hmap_init(&ofctrl->refused_next);
    ofctrl->need_dump = true;
    ofctrl->backoff = OFCTRL_MIN_BACKOFF_MS;
    ofctrl->next_bundle_id = 1;

    char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), bridge);
    rconn_connect(ofctrl->rconn, target, bridge);
    free(target);
    return ofctrl;
}

static void
clear_barriers(struct ofctrl *ofctrl)
{
    struct ofctrl_barrier *b;
    LIST_FOR_EACH_POP (b, list_node, &ofctrl->barriers) {
        free(b);
    }
}

static void
clear_refused(struct hmap *refused)
{
    struct ofctrl_refused *r;
    HMAP_FOR_EACH_POP (r, hmap_node, refused) {
        free(r);
    }
}

/* Closes the connection and frees 'ofctrl'.  The flows stay in the
 * switch. */
void
ofctrl_destroy(struct ofctrl *ofctrl)
{
    if (ofctrl) {
        rconn_destroy(ofctrl->rconn);
        rconn_packet_counter_destroy(ofctrl->tx_counter);
        lif_flow_table_destroy(&ofctrl->installed);
        lif_meters_destroy(&ofctrl->meters);
        lif_meters_destroy(&ofctrl->meters_sent);
        clear_barriers(ofctrl);
        struct ofctrl_port_stats *ops;
        HMAP_FOR_EACH_POP (ops, hmap_node, &ofctrl->port_stats) {
            free(ops);
        }
        hmap_destroy(&ofctrl->port_stats);
        clear_refused(&ofctrl->refused);
        hmap_destroy(&ofctrl->refused);
        clear_refused(&ofctrl->refused_next);
        hmap_destroy(&ofctrl->refused_next);
        free(ofctrl->bridge);
        free(ofctrl);
    }
}

/* Arranges to re-read the switch's flows and groups before the next put,
 * after 'after_error' a back-off. */
static void
schedule_resync(struct ofctrl *ofctrl, bool after_error)
{
    ofctrl->need_dump = true;
    if (after_error) {
        ofctrl->resync_after = time_msec() + ofctrl->backoff;
        ofctrl->backoff = MIN(ofctrl->backoff * 2, OFCTRL_MAX_BACKOFF_MS);
    } else {
        ofctrl->resync_after = 0;
    }
}

static void
handle_barrier_reply(struct ofctrl *ofctrl, const struct ofp_header *oh)
{
    struct ofctrl_barrier *b;
    LIST_FOR_EACH_SAFE (b, list_node, &ofctrl->barriers) {
        if (b->xid == oh->xid) {
            /* Barriers are answered in order, so every earlier put is done
             * as well. */
            struct ofctrl_barrier *done;
            LIST_FOR_EACH_SAFE (done, list_node, &ofctrl->barriers) {
                ovs_list_remove(&done->list_node);
                if (!ofctrl->need_dump) {
                    ofctrl->cur_cfg = MAX(ofctrl->cur_cfg, done->cfg);
                }
                bool last = done == b;
                free(done);
                if (last) {
                    break;
                }
            }
            if (!ofctrl->need_dump) {
                ofctrl->backoff = OFCTRL_MIN_BACKOFF_MS;
            }
            return;
        }
    }
}

/* Adds the flows of one flow dump reply to the mirror. */
static void
handle_flow_stats_reply(struct ofctrl *ofctrl, const struct ofpbuf *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct ofpbuf b = ofpbuf_const_initializer(msg->data, msg->size);
    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    for (;;) {
        struct ofputil_flow_stats fs;
        int retval = ofputil_decode_flow_stats_reply(&fs, &b, false,
                                                     &ofpacts);
        if (retval) {
            if (retval != EOF) {
                VLOG_WARN_RL(&rl, "%s: bad flow dump reply: %s",
                             ofctrl->bridge, ofperr_to_string(retval));
                schedule_resync(ofctrl, true);
            }
            break;
        }
        if (ntohll(fs.cookie) >> 56 == LIF_COOKIE_LEARNED) {
            /* Learned by the data plane, not lif-controller's to manage. */
            continue;
        }
        lif_flow_table_add_parsed(&ofctrl->installed, fs.table_id,
                                  fs.priority, ntohll(fs.cookie), &fs.match,
                                  fs.ofpacts, fs.ofpacts_len);
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(msg->data)) {
        ofctrl->dumps_pending--;
    }
}

/* Adds the groups of one group dump reply to the mirror. */
static void
handle_group_desc_reply(struct ofctrl *ofctrl, const struct ofpbuf *msg)
{
    struct ofpbuf b = ofpbuf_const_initializer(msg->data, msg->size);

    for (;;) {
        struct ofputil_group_desc gd;
        int retval = ofputil_decode_group_desc_reply(
            &gd, &b, rconn_get_version(ofctrl->rconn));
        if (retval) {
            break;
        }
        lif_flow_table_add_parsed_group(&ofctrl->installed, gd.group_id,
                                        gd.type, &gd.buckets, &gd.props);
        ofputil_uninit_group_desc(&gd);
    }
    if (!ofpmp_more(msg->data)) {
        ofctrl->dumps_pending--;
    }
}

/* Adds up, per port, the packet counts of the flows in one reply to the
 * request for the LIF_COOKIE_ND_REFUSED flows. */
static void
handle_refused_reply(struct ofctrl *ofctrl, const struct ofpbuf *msg)
{
    struct ofpbuf b = ofpbuf_const_initializer(msg->data, msg->size);
    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    for (;;) {
        struct ofputil_flow_stats fs;
        if (ofputil_decode_flow_stats_reply(&fs, &b, false, &ofpacts)) {
            break;
        }
        ofp_port_t port = fs.match.flow.in_port.ofp_port;
        uint32_t hash = hash_int(ofp_to_u16(port), 0);
        struct ofctrl_refused *r = NULL, *iter;
        HMAP_FOR_EACH_WITH_HASH (iter, hmap_node, hash,
                                 &ofctrl->refused_next) {
            if (iter->port == port) {
                r = iter;
                break;
            }
        }
        if (!r) {
            r = xzalloc(sizeof *r);
            r->port = port;
            hmap_insert(&ofctrl->refused_next, &r->hmap_node, hash);
        }
        if (fs.packet_count != UINT64_MAX) {
            r->n_packets += fs.packet_count;
        }
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(msg->data)) {
        hmap_swap(&ofctrl->refused, &ofctrl->refused_next);
        clear_refused(&ofctrl->refused_next);
        ofctrl->stats_seqno++;
    }
}

/* Asks for the flows that count the ND and ARP packets the pipeline did
 * not learn neighbors from. */
static void
request_refused(struct ofctrl *ofctrl)
{
    struct ofputil_flow_stats_request fsr = {
        .table_id = LIF_T_FROM_SUBIF,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .cookie = htonll((uint64_t) LIF_COOKIE_ND_REFUSED << 56),
        .cookie_mask = htonll(UINT64_C(0xff) << 56),
    };
    match_init_catchall(&fsr.match);
    struct ofpbuf *msg = ofputil_encode_flow_stats_request(
        &fsr, OFPUTIL_P_OF15_OXM);
    ofctrl->refused_xid = ((struct ofp_header *) msg->data)->xid;
    clear_refused(&ofctrl->refused_next);
    queue_msg(ofctrl, msg);
}

/* Records the port statistics in one reply. */
static void
handle_port_stats_reply(struct ofctrl *ofctrl, const struct ofpbuf *msg)
{
    struct ofpbuf b = ofpbuf_const_initializer(msg->data, msg->size);

    for (;;) {
        struct ofputil_port_stats ps;
        if (ofputil_decode_port_stats(&ps, &b)) {
            break;
        }
        uint32_t hash = hash_int(ofp_to_u16(ps.port_no), 0);
        struct ofctrl_port_stats *ops = NULL, *iter;
        HMAP_FOR_EACH_WITH_HASH (iter, hmap_node, hash, &ofctrl->port_stats) {
            if (iter->ps.port_no == ps.port_no) {
                ops = iter;
                break;
            }
        }
        if (!ops) {
            ops = xzalloc(sizeof *ops);
            hmap_insert(&ofctrl->port_stats, &ops->hmap_node, hash);
        }
        netdev_free_custom_stats_counters(&ps.custom_stats);
        ps.custom_stats = (struct netdev_custom_stats) { .size = 0 };
        ops->ps = ps;
    }
    ofctrl->stats_seqno++;
}

/* Makes sure 'meter' exists with the right rate before any flow refers to
 * it (OVS resolves a controller action's meter when the flow is added, and
 * a flow added before its meter stays unmetered).  Meters cannot go into
 * bundles, so this is an add (which fails harmlessly if the meter exists)
 * followed by a modify. */
static void
install_meter(struct ofctrl *ofctrl, const struct lif_meter *meter)
{
    static const int commands[] = { OFPMC13_ADD, OFPMC13_MODIFY };
    char *spec = xasprintf("meter=%"PRIu32" pktps burst stats "
                           "bands=type=drop rate=%"PRIu32" "
                           "burst_size=%"PRIu32, meter->id, meter->rate,
                           meter->rate);

    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        struct ofputil_meter_mod mm;
        enum ofputil_protocol usable;
        char *error = parse_ofp_meter_mod_str(&mm, spec, commands[i],
                                              &usable);
        ovs_assert(!error);     /* Built above from numbers. */
        queue_msg(ofctrl, ofputil_encode_meter_mod(OFP15_VERSION, &mm));
        free(mm.meter.bands);
    }
    free(spec);
}

/* Installs the meters in 'ofctrl->meters' that this connection has not
 * installed yet, with their current rates. */
static void
install_meters(struct ofctrl *ofctrl)
{
    for (size_t i = 0; i < ofctrl->meters.n; i++) {
        const struct lif_meter *m = &ofctrl->meters.meters[i];
        bool sent = false;
        for (size_t j = 0; j < ofctrl->meters_sent.n; j++) {
            if (ofctrl->meters_sent.meters[j].id == m->id
                && ofctrl->meters_sent.meters[j].rate == m->rate) {
                sent = true;
                break;
            }
        }
        if (!sent) {
            install_meter(ofctrl, m);
        }
    }
    lif_meters_destroy(&ofctrl->meters_sent);
    for (size_t i = 0; i < ofctrl->meters.n; i++) {
        lif_meters_add(&ofctrl->meters_sent, ofctrl->meters.meters[i].id,
                       ofctrl->meters.meters[i].rate);
    }
}

/* Tells 'ofctrl' which meters the flows of the next puts use.  Meters are
 * never deleted: one left over from a detached sub-interface costs nothing
 * and is reused if the port comes back. */
void
ofctrl_set_meters(struct ofctrl *ofctrl, const struct lif_meters *meters)
{
    lif_meters_destroy(&ofctrl->meters);
    for (size_t i = 0; i < meters->n; i++) {
        lif_meters_add(&ofctrl->meters, meters->meters[i].id,
                       meters->meters[i].rate);
    }
}

/* Whether 'oh', an OpenFlow error, answers a meter mod. */
static bool
is_meter_mod_error(const struct ofp_header *oh)
{
    struct ofpbuf payload;
    enum ofpraw raw;
    bool is_meter_mod = false;

    if (!ofperr_decode_msg(oh, &payload)) {
        return false;
    }
    if (payload.size >= sizeof *oh
        && !ofpraw_decode_partial(&raw, payload.data, payload.size)) {
        is_meter_mod = raw == OFPRAW_OFPT13_METER_MOD;
    }
    /* A copy of the payload (found by LeakSanitizer). */
    ofpbuf_uninit(&payload);
    return is_meter_mod;
}

/* Starts reading every flow and group from the switch into the mirror, so
 * that the next put sends only what differs: a restarted lif-controller
 * leaves flows that are already right untouched. */
static void
start_dump(struct ofctrl *ofctrl)
{
    struct ofputil_flow_stats_request fsr = {
        .table_id = OFPTT_ALL,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };
    match_init_catchall(&fsr.match);

    lif_flow_table_clear(&ofctrl->installed);
    lif_meters_destroy(&ofctrl->meters_sent);
    install_meters(ofctrl);
    queue_msg(ofctrl, ofputil_encode_flow_stats_request(&fsr,
                                                        OFPUTIL_P_OF15_OXM));
    queue_msg(ofctrl, ofputil_encode_group_desc_request(OFP15_VERSION,
                                                        OFPG_ALL));
    ofctrl->dumps_pending = 2;
    ofctrl->need_dump = false;
    ofctrl->resync_after = 0;
}

static void
handle_message(struct ofctrl *ofctrl, const struct ofpbuf *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const struct ofp_header *oh = msg->data;
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    switch (type) {
    case OFPTYPE_ECHO_REQUEST:
        rconn_send(ofctrl->rconn, ofputil_encode_echo_reply(oh),
                   ofctrl->tx_counter);
        break;

    case OFPTYPE_BARRIER_REPLY:
        handle_barrier_reply(ofctrl, oh);
        break;

    case OFPTYPE_ERROR: {
        if (is_meter_mod_error(oh)) {
            /* "Meter exists" for the add, or the like: the modify that
             * follows the add sets the meter either way. */
            VLOG_DBG("%s: meter mod answered with an error",
                     ofctrl->bridge);
            break;
        }
        COVERAGE_INC(ofctrl_error);
        ofctrl->n_errors++;
        char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);
        VLOG_WARN_RL(&rl, "%s: OpenFlow error, will re-read and "
                     "resynchronize all flows in %d ms: %s", ofctrl->bridge,
                     ofctrl->backoff, s);
        free(s);
        schedule_resync(ofctrl, true);
        break;
    }

    case OFPTYPE_FLOW_STATS_REPLY:
        if (oh->xid == ofctrl->refused_xid) {
            handle_refused_reply(ofctrl, msg);
        } else {
            handle_flow_stats_reply(ofctrl, msg);
        }
        break;

    case OFPTYPE_GROUP_DESC_STATS_REPLY:
        handle_group_desc_reply(ofctrl, msg);
        break;

    case OFPTYPE_PORT_STATS_REPLY:
        handle_port_stats_reply(ofctrl, msg);
        break;

    default:
        /* Bundle replies, port status and the like: nothing to do. */
        break;
    }
}

/* Runs the connection: connects or reconnects, and processes what the
 * switch sent. */
void
ofctrl_run(struct ofctrl *ofctrl)
{
    rconn_run(ofctrl->rconn);

    unsigned int seqno = rconn_get_connection_seqno(ofctrl->rconn);
    if (seqno != ofctrl->conn_seqno) {
        /* The seqno changes both when the connection drops and when it
         * comes up: count a reconnect only when it comes up again. */
        if (rconn_is_connected(ofctrl->rconn)) {
            if (ofctrl->ever_connected) {
                COVERAGE_INC(ofctrl_reconnect);
                ofctrl->n_reconnects++;
            }
            ofctrl->ever_connected = true;
        }
        ofctrl->conn_seqno = seqno;
        /* The switch may have anything now: re-read it. */
        lif_flow_table_clear(&ofctrl->installed);
        clear_barriers(ofctrl);
        ofctrl->dumps_pending = 0;
        schedule_resync(ofctrl, false);
        ofctrl->sent_cfg = ofctrl->cur_cfg;
        ofctrl->n_bundles_since_connect = 0;
    }
    if (rconn_is_connected(ofctrl->rconn)
        && time_msec() >= ofctrl->next_stats) {
        queue_msg(ofctrl, ofputil_encode_dump_ports_request(OFP15_VERSION,
                                                            OFPP_ANY));
        request_refused(ofctrl);
        ofctrl->next_stats = time_msec() + OFCTRL_STATS_INTERVAL_MS;
    }
    if (ofctrl->need_dump && !ofctrl->dumps_pending
        && rconn_is_connected(ofctrl->rconn)
        && time_msec() >= ofctrl->resync_after
        && !rconn_packet_counter_n_packets(ofctrl->tx_counter)
        && ovs_list_is_empty(&ofctrl->barriers)) {
        start_dump(ofctrl);
    }

    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(ofctrl->rconn);
        if (!msg) {
            return;
        }
        handle_message(ofctrl, msg);
        ofpbuf_delete(msg);
    }
    poll_immediate_wake();
}

/* Arranges for poll_block() to wake up when ofctrl_run() has work to do. */
void
ofctrl_wait(struct ofctrl *ofctrl)
{
    rconn_run_wait(ofctrl->rconn);
    rconn_recv_wait(ofctrl->rconn);
    if (ofctrl->need_dump && ofctrl->resync_after) {
        poll_timer_wait_until(ofctrl->resync_after);
    }
    if (rconn_is_connected(ofctrl->rconn)) {
        poll_timer_wait_until(ofctrl->next_stats);
    }
}

static void
queue_msg(struct ofctrl *ofctrl, struct ofpbuf *msg)
{
    rconn_send(ofctrl->rconn, msg, ofctrl->tx_counter);
}

static void
queue_bundled(struct ofctrl *ofctrl, uint32_t bundle_id,
              struct ofpbuf *inner)
{
    struct ofputil_bundle_add_msg bam = {
        .bundle_id = bundle_id,
        .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
        .msg = inner->data,
    };
    queue_msg(ofctrl, ofputil_encode_bundle_add(OFP15_VERSION, &bam));
    ofpbuf_delete(inner);
}

static struct ofpbuf *
encode_flow_mod(const struct lif_flow *flow, int command)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct ofputil_flow_mod fm;
    enum ofputil_protocol usable;
    char *s;

    if (command == OFPFC_DELETE_STRICT) {
        /* A delete names the flow by its identity alone. */
        s = xasprintf("table=%"PRIu8",priority=%"PRIu16"%s%s",
                      flow->table_id, flow->priority,
                      flow->match[0] ? "," : "", flow->match);
    } else {
        s = xasprintf("table=%"PRIu8",priority=%"PRIu16",cookie=%#"PRIx64
                      "%s%s actions=%s", flow->table_id, flow->priority,
                      flow->cookie, flow->match[0] ? "," : "",
                      flow->match, flow->actions);
    }
    char *error = parse_ofp_flow_mod_str(&fm, s, NULL, NULL, command,
                                         &usable);
    if (error) {
        /* Every flow was parsed when it was added to its table, so this
         * is a bug; skip the flow rather than the whole bundle. */
        VLOG_ERR_RL(&rl, "cannot encode \"%s\": %s", s, error);
        free(error);
        free(s);
        return NULL;
    }
    free(s);

    struct ofpbuf *msg = ofputil_encode_flow_mod(&fm, OFPUTIL_P_OF15_OXM);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);
    return msg;
}

static struct ofpbuf *
encode_group_mod(const struct lif_group *group, int command)
{
    struct ofputil_group_mod gm;
    enum ofputil_protocol usable;
    char *s = (command == OFPGC15_DELETE
               ? xasprintf("group_id=%"PRIu32, group->group_id)
               : xasprintf("group_id=%"PRIu32",%s", group->group_id,
                           group->spec));
    char *error = parse_ofp_group_mod_str(&gm, command, s, NULL, NULL,
                                          &usable);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        VLOG_ERR_RL(&rl, "cannot encode \"%s\": %s", s, error);
        free(error);
        free(s);
        return NULL;
    }
    free(s);

    struct ofpbuf *msg = ofputil_encode_group_mod(OFP15_VERSION, &gm, NULL,
                                                  -1);
    ofputil_uninit_group_mod(&gm);
    return msg;
}

static struct ofpbuf *
encode_change(const struct lif_change *c)
{
    switch (c->type) {
    case LIF_CHANGE_GROUP_ADD:
        return encode_group_mod(c->group, OFPGC15_ADD);
    case LIF_CHANGE_GROUP_MODIFY:
        return encode_group_mod(c->group, OFPGC15_MODIFY);
    case LIF_CHANGE_GROUP_DELETE:
        return encode_group_mod(c->group, OFPGC15_DELETE);
    case LIF_CHANGE_FLOW_DELETE:
        return encode_flow_mod(c->flow, OFPFC_DELETE_STRICT);
    case LIF_CHANGE_FLOW_ADD:
        return encode_flow_mod(c->flow, OFPFC_ADD);
    case LIF_CHANGE_FLOW_MODIFY:
        return encode_flow_mod(c->flow, OFPFC_MODIFY_STRICT);
    default:
        OVS_NOT_REACHED();
    }
}

static void
queue_barrier(struct ofctrl *ofctrl, int64_t cfg)
{
    struct ofpbuf *msg = ofputil_encode_barrier_request(OFP15_VERSION);
    struct ofctrl_barrier *b = xmalloc(sizeof *b);
    b->xid = ((struct ofp_header *) msg->data)->xid;
    b->cfg = cfg;
    ovs_list_push_back(&ofctrl->barriers, &b->list_node);
    queue_msg(ofctrl, msg);
    ofctrl->sent_cfg = MAX(ofctrl->sent_cfg, cfg);
}

/* Makes the switch's flows and groups equal to 'desired', sending only the
 * difference from what is installed, as one atomic bundle followed by a
 * barrier.  'req_cfg' is the configuration number 'desired' was computed
 * for; it becomes ofctrl_get_cur_cfg() once the switch has acknowledged the
 * put.
 *
 * Returns true if the switch will be up to date once what was sent is
 * processed, false if nothing could be sent (not connected, an earlier put
 * still in flight, or a back-off after an error): call again later. */
bool
ofctrl_put(struct ofctrl *ofctrl, const struct lif_flow_table *desired,
           int64_t req_cfg)
{
    if (!rconn_is_connected(ofctrl->rconn)
        || rconn_packet_counter_n_packets(ofctrl->tx_counter)
        || !ovs_list_is_empty(&ofctrl->barriers)
        || ofctrl->need_dump || ofctrl->dumps_pending) {
        return false;
    }

    install_meters(ofctrl);

    bool first = !ofctrl->n_bundles_since_connect;
    struct lif_changes changes;
    lif_flow_table_diff(&ofctrl->installed, desired, &changes);

    if (!changes.n) {
        if (req_cfg > ofctrl->sent_cfg) {
            queue_barrier(ofctrl, req_cfg);
        }
        goto out;
    }

    uint32_t bundle_id = ofctrl->next_bundle_id++;
    struct ofputil_bundle_ctrl_msg bc = {
        .bundle_id = bundle_id,
        .type = OFPBCT_OPEN_REQUEST,
        .flags = OFPBF_ATOMIC | OFPBF_ORDERED,
    };
    queue_msg(ofctrl, ofputil_encode_bundle_ctrl_request(OFP15_VERSION,
                                                         &bc));
    for (size_t i = 0; i < changes.n; i++) {
        struct ofpbuf *msg = encode_change(&changes.changes[i]);
        if (msg) {
            queue_bundled(ofctrl, bundle_id, msg);
        }
    }
    bc.type = OFPBCT_COMMIT_REQUEST;
    queue_msg(ofctrl, ofputil_encode_bundle_ctrl_request(OFP15_VERSION,
                                                         &bc));
    queue_barrier(ofctrl, MAX(req_cfg, ofctrl->sent_cfg));

    COVERAGE_INC(ofctrl_bundle);
    ofctrl->n_bundles++;
    if (first) {
        COVERAGE_INC(ofctrl_full_sync);
        ofctrl->n_full_syncs++;
        VLOG_INFO("%s: synchronized %"PRIuSIZE" flows and %"PRIuSIZE
                  " groups with %"PRIuSIZE" changes in one bundle",
                  ofctrl->bridge, lif_flow_table_n_flows(desired),
                  hmap_count(&desired->groups), changes.n);
    } else {
        VLOG_DBG("%s: sent %"PRIuSIZE" changes in one bundle",
                 ofctrl->bridge, changes.n);
    }

    lif_flow_table_clear(&ofctrl->installed);
    lif_flow_table_clone(&ofctrl->installed, desired);
    ofctrl->n_bundles_since_connect++;

out:
    lif_changes_destroy(&changes);
    return true;
}

/* Stores in '*ps' the latest statistics of 'port' and returns true, or
 * returns false if there are none.  '*ps' has no custom statistics. */
bool
ofctrl_get_port_stats(const struct ofctrl *ofctrl, ofp_port_t port,
                      struct ofputil_port_stats *ps)
{
    const struct ofctrl_port_stats *ops;
    HMAP_FOR_EACH_WITH_HASH (ops, hmap_node, hash_int(ofp_to_u16(port), 0),
                             &ofctrl->port_stats) {
        if (ops->ps.port_no == port) {
            *ps = ops->ps;
            return true;
        }
    }
    return false;
}

/* Returns how many NS, NA and ARP packets from 'port' the pipeline did not
 * learn a neighbor from (group, zero or host source addresses and the
 * like), as of the latest statistics (every few seconds), or in total for
 * OFPP_ANY.  Counted since the flows that count them were installed. */
uint64_t
ofctrl_get_nd_refused(const struct ofctrl *ofctrl, ofp_port_t port)
{
    uint64_t n = 0;
    const struct ofctrl_refused *r;
    HMAP_FOR_EACH (r, hmap_node, &ofctrl->refused) {
        if (port == OFPP_ANY || r->port == port) {
            n += r->n_packets;
        }
    }
    return n;
}

/* Returns true if 'ofctrl' is connected to its switch. */
bool
ofctrl_is_connected(const struct ofctrl *ofctrl)
{
    return rconn_is_connected(ofctrl->rconn);
}

/* Returns the highest configuration number whose flows the switch has
 * acknowledged. */
int64_t
ofctrl_get_cur_cfg(const struct ofctrl *ofctrl)
{
    return ofctrl->cur_cfg;
}

/* Returns the name of the bridge 'ofctrl' connects to. */
const char *
ofctrl_get_bridge(const struct ofctrl *ofctrl)
{
    return ofctrl->bridge;
}

/* Makes the next put rewrite group 'group_id', which someone else (the
 * failover fast path) may have changed in the switch. */
void
ofctrl_forget_group(struct ofctrl *ofctrl, uint32_t group_id)
{
    struct lif_group *g;
    HMAP_FOR_EACH (g, hmap_node, &ofctrl->installed.groups) {
        if (g->group_id == group_id) {
            free(g->spec);
            g->spec = xstrdup("(changed by the failover fast path)");
        }
    }
}

/* Returns the mirror of what is installed in the switch. */
const struct lif_flow_table *
ofctrl_get_installed(const struct ofctrl *ofctrl)
{
    return &ofctrl->installed;
}

/* Appends a one-line description of the connection to 'ds'. */
void
ofctrl_format_status(const struct ofctrl *ofctrl, struct ds *ds)
{
    ds_put_format(ds, "%s: %s (%s), target %s, %"PRIuSIZE" flows, "
                  "cur_cfg %"PRId64", %u bundles, %u synchronizations, "
                  "%u reconnects, %u errors, %"PRIu64" neighbor learnings "
                  "refused",
                  ofctrl->bridge,
                  rconn_is_connected(ofctrl->rconn) ? "connected"
                  : "not connected", rconn_get_state(ofctrl->rconn),
                  rconn_get_target(ofctrl->rconn),
                  lif_flow_table_n_flows(&ofctrl->installed),
                  ofctrl->cur_cfg, ofctrl->n_bundles, ofctrl->n_full_syncs,
                  ofctrl->n_reconnects, ofctrl->n_errors,
                  ofctrl_get_nd_refused(ofctrl, OFPP_ANY));
}
