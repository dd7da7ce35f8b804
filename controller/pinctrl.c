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
#include "socket-util.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(pinctrl);

COVERAGE_DEFINE(pinctrl_nd_rewritten);
COVERAGE_DEFINE(pinctrl_dropped);

/* A sub-interface with its own link-layer address. */
struct pinctrl_own {
    struct hmap_node hmap_node; /* In pinctrl 'owns', by ofport. */
    ofp_port_t ofport;
    struct eth_addr mac;
};

/* The packet-in connection to one bridge. */
struct pinctrl {
    char *bridge;
    struct rconn *rconn;
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    struct hmap owns;           /* Contains "struct pinctrl_own"s. */

    /* Statistics, for connection-status. */
    unsigned int n_nd_rewritten;
    unsigned int n_dropped;
};

/* Creates a packet-in connection to 'bridge'. */
struct pinctrl *
pinctrl_create(const char *bridge)
{
    struct pinctrl *pinctrl = xzalloc(sizeof *pinctrl);
    pinctrl->bridge = xstrdup(bridge);
    /* Reconnect as quickly as ofctrl (see OFCTRL_MAX_RECONNECT_BACKOFF). */
    pinctrl->rconn = rconn_create(5, 1, DSCP_DEFAULT, 1u << OFP15_VERSION);
    hmap_init(&pinctrl->owns);

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
        free(pinctrl->bridge);
        free(pinctrl);
    }
}

/* Tells 'pinctrl' which sub-interfaces of 'lif' have their own link-layer
 * address. */
void
pinctrl_update(struct pinctrl *pinctrl, const struct lif_logical *lif)
{
    clear_owns(pinctrl);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
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
    rconn_send(pinctrl->rconn,
               ofputil_encode_packet_out(&po, OFPUTIL_P_OF15_OXM), NULL);
    ofpbuf_uninit(&ofpacts);
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

/* Runs the connection and handles what arrived. */
void
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

    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(pinctrl->rconn);
        if (!msg) {
            return;
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
                  "rewritten, %u dropped", pinctrl->bridge,
                  rconn_is_connected(pinctrl->rconn) ? "connected"
                  : "not connected", pinctrl->n_nd_rewritten,
                  pinctrl->n_dropped);
}
