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

#include "pinctrl.h"

#include "coverage.h"
#include "dirs.h"
#include "dp-packet.h"
#include "flow.h"
#include "hash.h"
#include "lif-model.h"
#include "lif-nd.h"
#include "lif-paths.h"
#include "lif-ra.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "simap.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl);

COVERAGE_DEFINE(pinctrl_nd_rewritten);
COVERAGE_DEFINE(pinctrl_dropped);
COVERAGE_DEFINE(pinctrl_ra);
COVERAGE_DEFINE(pinctrl_ra_malformed);
COVERAGE_DEFINE(pinctrl_packet_out);

/* A sub-interface with its own link-layer address. */
struct pinctrl_own {
    struct hmap_node hmap_node; /* In pinctrl 'owns', by ofport. */
    ofp_port_t ofport;
    struct eth_addr mac;
};

/* At most this many packet-outs wait for the connection. */
#define PINCTRL_MAX_PENDING 64

/* The packet-in connection to one bridge. */
struct pinctrl {
    char *bridge;
    struct rconn *rconn;
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    struct hmap owns;           /* Contains "struct pinctrl_own"s. */
    struct lif_paths *paths;    /* Where Router Advertisements go. */
    struct simap subifs;        /* Sub-interface names to ofports. */
    bool paths_changed;         /* An RA was handled since the last
                                 * pinctrl_run(). */
    struct ovs_list pending;    /* Packet-outs waiting for the connection:
                                 * "struct ofpbuf"s. */
    size_t n_pending;

    /* Statistics, for connection-status. */
    unsigned int n_nd_rewritten;
    unsigned int n_dropped;
    unsigned int n_ra;
    unsigned int n_ra_malformed;
    unsigned int n_packet_outs;
};

/* Creates a packet-in connection to 'bridge'.  Router Advertisements
 * punted on it are learned into 'paths'. */
struct pinctrl *
pinctrl_create(const char *bridge, struct lif_paths *paths)
{
    struct pinctrl *pinctrl = xzalloc(sizeof *pinctrl);
    pinctrl->bridge = xstrdup(bridge);
    /* Reconnect as quickly as ofctrl (see OFCTRL_MAX_RECONNECT_BACKOFF). */
    pinctrl->rconn = rconn_create(5, 1, DSCP_DEFAULT, 1u << OFP15_VERSION);
    hmap_init(&pinctrl->owns);
    pinctrl->paths = paths;
    simap_init(&pinctrl->subifs);
    ovs_list_init(&pinctrl->pending);

    char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), bridge);
    char *name = xasprintf("%s-pinctrl", bridge);
    rconn_connect(pinctrl->rconn, target, name);
    free(name);
    free(target);
    return pinctrl;
}

static void
clear_owns(struct pinctrl *pinctrl)
{
    struct pinctrl_own *own;
    HMAP_FOR_EACH_POP (own, hmap_node, &pinctrl->owns) {
        free(own);
    }
}

/* Closes the connection and frees 'pinctrl'. */
void
pinctrl_destroy(struct pinctrl *pinctrl)
{
    if (pinctrl) {
        rconn_destroy(pinctrl->rconn);
        clear_owns(pinctrl);
        hmap_destroy(&pinctrl->owns);
        simap_destroy(&pinctrl->subifs);
        struct ofpbuf *msg;
        LIST_FOR_EACH_POP (msg, list_node, &pinctrl->pending) {
            ofpbuf_delete(msg);
        }
        free(pinctrl->bridge);
        free(pinctrl);
    }
}

/* Tells 'pinctrl' about the sub-interfaces of 'lif': their ofports, and
 * which have their own link-layer address. */
void
pinctrl_update(struct pinctrl *pinctrl, const struct lif_logical *lif)
{
    clear_owns(pinctrl);
    simap_clear(&pinctrl->subifs);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            simap_put(&pinctrl->subifs, subif->name,
                      ofp_to_u16(subif->ofport));
        }
        if (subif->lladdr_mode == LIF_LLADDR_OWN
            && subif->ofport != OFPP_NONE
            && !eth_addr_is_zero(subif->mac)) {
            struct pinctrl_own *own = xmalloc(sizeof *own);
            own->ofport = subif->ofport;
            own->mac = subif->mac;
            hmap_insert(&pinctrl->owns, &own->hmap_node,
                        hash_int(ofp_to_u16(own->ofport), 0));
        }
    }
}

static const struct pinctrl_own *
find_own(const struct pinctrl *pinctrl, ofp_port_t ofport)
{
    const struct pinctrl_own *own;
    HMAP_FOR_EACH_WITH_HASH (own, hmap_node, hash_int(ofp_to_u16(ofport), 0),
                             &pinctrl->owns) {
        if (own->ofport == ofport) {
            return own;
        }
    }
    return NULL;
}

/* Asks for asynchronous messages on a new connection.  Only the
 * miss_send_len changes; OVS keeps the fragment handling it has. */
static void
setup_connection(struct pinctrl *pinctrl)
{
    rconn_send(pinctrl->rconn,
               ofpraw_alloc(OFPRAW_OFPT_GET_CONFIG_REQUEST, OFP15_VERSION, 0),
               NULL);
    rconn_send(pinctrl->rconn,
               ofputil_encode_set_packet_in_format(OFP15_VERSION,
                                                   OFPUTIL_PACKET_IN_NXT2),
               NULL);
}

static void
handle_get_config_reply(struct pinctrl *pinctrl, const struct ofp_header *oh)
{
    struct ofputil_switch_config config;
    ofputil_decode_get_config_reply(oh, &config);
    config.miss_send_len = UINT16_MAX;
    rconn_send(pinctrl->rconn, ofputil_encode_set_config(&config,
                                                         OFP15_VERSION),
               NULL);
}

/* Sends 'msg' now, or once the connection is up (bounded). */
static void
send_or_queue(struct pinctrl *pinctrl, struct ofpbuf *msg)
{
    if (rconn_is_connected(pinctrl->rconn)) {
        rconn_send(pinctrl->rconn, msg, NULL);
    } else if (pinctrl->n_pending < PINCTRL_MAX_PENDING) {
        ovs_list_push_back(&pinctrl->pending, &msg->list_node);
        pinctrl->n_pending++;
    } else {
        ofpbuf_delete(msg);
    }
}

static void
send_packet(struct pinctrl *pinctrl, const struct dp_packet *packet,
            ofp_port_t out_port)
{
    uint64_t stub[64 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);
    ofpact_put_OUTPUT(&ofpacts)->port = out_port;

    struct ofputil_packet_out po = {
        .packet = dp_packet_data(packet),
        .packet_len = dp_packet_size(packet),
        .buffer_id = UINT32_MAX,
        .ofpacts = ofpacts.data,
        .ofpacts_len = ofpacts.size,
    };
    match_init_catchall(&po.flow_metadata);
    match_set_in_port(&po.flow_metadata, OFPP_CONTROLLER);
    send_or_queue(pinctrl, ofputil_encode_packet_out(&po,
                                                     OFPUTIL_P_OF15_OXM));
    ofpbuf_uninit(&ofpacts);
}

/* Sends 'packet' out of OpenFlow port 'out_port' of the bridge, as is.  If
 * the connection is not up yet, the packet waits for it (a few at most). */
void
pinctrl_send(struct pinctrl *pinctrl, const struct dp_packet *packet,
             ofp_port_t out_port)
{
    pinctrl->n_packet_outs++;
    COVERAGE_INC(pinctrl_packet_out);
    send_packet(pinctrl, packet, out_port);
}

/* Learns from a copy of a Router Advertisement that arrived on 'in_port'. */
static void
handle_ra(struct pinctrl *pinctrl, ofp_port_t in_port, const void *data,
          size_t len)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const char *subif = NULL;
    struct simap_node *node;

    SIMAP_FOR_EACH (node, &pinctrl->subifs) {
        if (node->data == ofp_to_u16(in_port)) {
            subif = node->name;
            break;
        }
    }
    if (!subif) {
        pinctrl->n_dropped++;
        return;
    }

    struct lif_ra ra;
    const char *error = lif_ra_parse(data, len, &ra);
    if (error) {
        pinctrl->n_ra_malformed++;
        COVERAGE_INC(pinctrl_ra_malformed);
        lif_paths_count_malformed(pinctrl->paths, pinctrl->bridge, subif);
        VLOG_WARN_RL(&rl, "%s: malformed Router Advertisement on %s "
                     "ignored: %s", pinctrl->bridge, subif, error);
    } else {
        pinctrl->n_ra++;
        COVERAGE_INC(pinctrl_ra);
        lif_paths_learn(pinctrl->paths, pinctrl->bridge, subif, &ra,
                        time_wall_msec());
    }
    /* Counters changed at least. */
    pinctrl->paths_changed = true;
}

static void
handle_packet_in(struct pinctrl *pinctrl, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct ofputil_packet_in pin;

    /* 'pin' points into 'oh': nothing to free. */
    enum ofperr error = ofputil_decode_packet_in(oh, true, NULL, NULL, &pin,
                                                 NULL, NULL, NULL);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: bad packet-in: %s", pinctrl->bridge,
                     ofperr_to_string(error));
        return;
    }

    ovs_be32 opcode;
    if (pin.reason != OFPR_ACTION || pin.userdata_len != sizeof opcode) {
        goto drop;
    }
    memcpy(&opcode, pin.userdata, sizeof opcode);
    if (ntohl(opcode) == LIF_PUNT_RA) {
        handle_ra(pinctrl, pin.flow_metadata.flow.in_port.ofp_port,
                  pin.packet, pin.packet_len);
        return;
    }
    if (ntohl(opcode) != LIF_PUNT_ND_OWN_LLADDR) {
        goto drop;
    }

    ofp_port_t out_port = u16_to_ofp(pin.flow_metadata.flow.regs[1]
                                     & 0xffff);
    const struct pinctrl_own *own = find_own(pinctrl, out_port);
    if (!own) {
        goto drop;
    }

    struct dp_packet packet;
    dp_packet_use_const(&packet, pin.packet, pin.packet_len);
    struct dp_packet *copy = dp_packet_clone(&packet);
    if (lif_nd_rewrite_lladdr(copy, own->mac)) {
        send_packet(pinctrl, copy, out_port);
        pinctrl->n_nd_rewritten++;
        COVERAGE_INC(pinctrl_nd_rewritten);
        dp_packet_delete(copy);
        return;
    }
    dp_packet_delete(copy);

drop:
    pinctrl->n_dropped++;
    COVERAGE_INC(pinctrl_dropped);
    VLOG_DBG_RL(&rl, "%s: dropped an unexpected packet-in", pinctrl->bridge);
}

/* Runs the connection and handles what arrived.  Returns true if a Router
 * Advertisement was handled (the path table or its counters changed). */
bool
pinctrl_run(struct pinctrl *pinctrl)
{
    rconn_run(pinctrl->rconn);

    unsigned int seqno = rconn_get_connection_seqno(pinctrl->rconn);
    if (seqno != pinctrl->conn_seqno) {
        pinctrl->conn_seqno = seqno;
        if (rconn_is_connected(pinctrl->rconn)) {
            setup_connection(pinctrl);
        }
    }
    if (rconn_is_connected(pinctrl->rconn)) {
        struct ofpbuf *msg;
        LIST_FOR_EACH_POP (msg, list_node, &pinctrl->pending) {
            rconn_send(pinctrl->rconn, msg, NULL);
        }
        pinctrl->n_pending = 0;
    }

    bool changed = false;
    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(pinctrl->rconn);
        if (!msg) {
            goto out;
        }

        const struct ofp_header *oh = msg->data;
        enum ofptype type;
        if (!ofptype_decode(&type, oh)) {
            switch (type) {
            case OFPTYPE_ECHO_REQUEST:
                rconn_send(pinctrl->rconn, ofputil_encode_echo_reply(oh),
                           NULL);
                break;
            case OFPTYPE_GET_CONFIG_REPLY:
                handle_get_config_reply(pinctrl, oh);
                break;
            case OFPTYPE_PACKET_IN:
                handle_packet_in(pinctrl, oh);
                break;
            default:
                break;
            }
        }
        ofpbuf_delete(msg);
    }
    poll_immediate_wake();

out:
    changed = pinctrl->paths_changed;
    pinctrl->paths_changed = false;
    return changed;
}

/* Arranges for poll_block() to wake up when pinctrl_run() has work. */
void
pinctrl_wait(struct pinctrl *pinctrl)
{
    rconn_run_wait(pinctrl->rconn);
    rconn_recv_wait(pinctrl->rconn);
}

/* Appends a one-line description of the connection to 'ds'. */
void
pinctrl_format_status(const struct pinctrl *pinctrl, struct ds *ds)
{
    ds_put_format(ds, "%s packet-ins: %s, %u ND packets (RS, NS, NA) "
                  "rewritten, %u router advertisements learned, %u "
                  "malformed, %u dropped, %u packets sent", pinctrl->bridge,
                  rconn_is_connected(pinctrl->rconn) ? "connected"
                  : "not connected", pinctrl->n_nd_rewritten,
                  pinctrl->n_ra, pinctrl->n_ra_malformed,
                  pinctrl->n_dropped, pinctrl->n_packet_outs);
}
