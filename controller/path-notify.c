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

#include "path-notify.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#include "coverage.h"
#include "dp-packet.h"
#include "lif-path-events.h"
#include "lif-paths.h"
#include "lif-ra.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "pinctrl.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(path_notify);

COVERAGE_DEFINE(path_notify_ra);
COVERAGE_DEFINE(path_notify_rs);
COVERAGE_DEFINE(path_notify_na);
COVERAGE_DEFINE(path_notify_garp);

/* At most this many of the host's IPv6 and of its IPv4 addresses are
 * announced. */
#define PATH_NOTIFY_MAX_NA 16

/* When to send the Router Solicitations for an access that becomes
 * usable, in ms after it did, until a Router Advertisement arrives on it.
 * Quick at first: a router whose own interface has just come up may
 * ignore the first ones (radvd does, for a while that grows with its
 * load).  Then at RFC 4861's RTR_SOLICITATION_INTERVAL (4 s), twice, so
 * that a router that missed them all is still asked before its next
 * unsolicited advertisement, which may be minutes away. */
static const int rs_schedule[] = { 0, 100, 300, 1000, 5000, 9000 };

/* An access whose routers lif-controller is soliciting. */
struct path_solicit {
    char *bridge;
    char *subif;
    ofp_port_t port;
    struct eth_addr mac;        /* Source MAC of the solicitations. */
    size_t n_sent;
    long long int started;      /* Wall clock, msec. */
    long long int next;         /* Wall clock, msec. */
};

/* Accesses being solicited, by "bridge/subif". */
static struct shash solicits = SHASH_INITIALIZER(&solicits);

static void
solicit_destroy(struct path_solicit *ps)
{
    free(ps->bridge);
    free(ps->subif);
    free(ps);
}

static void
send_rs(struct pinctrl *pinctrl, ofp_port_t port, struct eth_addr mac)
{
    struct dp_packet *b = dp_packet_new(128);
    lif_ra_compose_rs(b, mac);
    pinctrl_send(pinctrl, b, port);
    dp_packet_delete(b);
    COVERAGE_INC(path_notify_rs);
}

/* Starts soliciting 'subif' of 'bridge' on 'port' with source 'mac'. */
static void
solicit_start(struct pinctrl *pinctrl, const char *bridge, const char *subif,
              ofp_port_t port, struct eth_addr mac)
{
    char *key = xasprintf("%s/%s", bridge, subif);
    struct path_solicit *ps = shash_find_data(&solicits, key);
    if (!ps) {
        ps = xzalloc(sizeof *ps);
        ps->bridge = xstrdup(bridge);
        ps->subif = xstrdup(subif);
        shash_add(&solicits, key, ps);
    }
    free(key);

    long long int now = time_wall_msec();
    ps->port = port;
    ps->mac = mac;
    ps->n_sent = 1;
    ps->started = now;
    ps->next = now + rs_schedule[1];
    send_rs(pinctrl, port, mac);
}

/* Sends the Router Solicitations that are due on 'bridge', through
 * 'pinctrl', and stops soliciting accesses that answered ('paths'). */
void
path_notify_run(const char *bridge, struct pinctrl *pinctrl,
                const struct lif_paths *paths)
{
    long long int now = time_wall_msec();
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &solicits) {
        struct path_solicit *ps = node->data;
        if (strcmp(ps->bridge, bridge)) {
            continue;
        }
        if (lif_paths_last_ra(paths, bridge, ps->subif) >= ps->started
            || ps->n_sent >= ARRAY_SIZE(rs_schedule)) {
            solicit_destroy(ps);
            shash_delete(&solicits, node);
        } else if (now >= ps->next) {
            ps->n_sent++;
            ps->next = (ps->n_sent < ARRAY_SIZE(rs_schedule)
                        ? ps->started + rs_schedule[ps->n_sent]
                        : now);
            send_rs(pinctrl, ps->port, ps->mac);
        }
    }
}

/* Arranges to wake up when a Router Solicitation is due. */
void
path_notify_wait(void)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &solicits) {
        const struct path_solicit *ps = node->data;
        poll_timer_wait(MAX(ps->next - time_wall_msec(), 0));
    }
}

/* Stops soliciting on 'bridge', which lif-controller no longer runs. */
void
path_notify_forget(const char *bridge)
{
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &solicits) {
        struct path_solicit *ps = node->data;
        if (!strcmp(ps->bridge, bridge)) {
            solicit_destroy(ps);
            shash_delete(&solicits, node);
        }
    }
}

/* The host's addresses on the LIF. */
struct host_addrs {
    struct in6_addr v6[PATH_NOTIFY_MAX_NA];
    size_t n_v6;
    ovs_be32 v4[PATH_NOTIFY_MAX_NA];
    size_t n_v4;
};

/* Stores in 'addrs' the IPv6 and IPv4 addresses of network device 'name'
 * (at most PATH_NOTIFY_MAX_NA of each). */
static void
get_host_addresses(const char *name, struct host_addrs *addrs)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct ifaddrs *ifa, *list;

    addrs->n_v6 = addrs->n_v4 = 0;
    if (getifaddrs(&list)) {
        VLOG_WARN_RL(&rl, "getifaddrs failed (%s)", ovs_strerror(errno));
        return;
    }
    for (ifa = list; ifa; ifa = ifa->ifa_next) {
        if (!ifa->ifa_addr || strcmp(ifa->ifa_name, name)) {
            continue;
        }
        if (ifa->ifa_addr->sa_family == AF_INET6
            && addrs->n_v6 < PATH_NOTIFY_MAX_NA) {
            const struct sockaddr_in6 *sin6
                = ALIGNED_CAST(const struct sockaddr_in6 *, ifa->ifa_addr);
            addrs->v6[addrs->n_v6++] = sin6->sin6_addr;
        } else if (ifa->ifa_addr->sa_family == AF_INET
                   && addrs->n_v4 < PATH_NOTIFY_MAX_NA) {
            const struct sockaddr_in *sin
                = ALIGNED_CAST(const struct sockaddr_in *, ifa->ifa_addr);
            addrs->v4[addrs->n_v4++] = sin->sin_addr.s_addr;
        }
    }
    freeifaddrs(list);
}

/* Sends the packets 'events' asks for on bridge 'bridge', whose LIF is
 * 'lif_name', through 'pinctrl'. */
void
path_notify_send(const struct lif_path_events *events, const char *bridge,
                 const char *lif_name, struct pinctrl *pinctrl)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 10);

    for (size_t i = 0; i < events->n; i++) {
        const struct lif_path_event *e = &events->events[i];
        char router[INET6_ADDRSTRLEN];
        struct dp_packet *b = dp_packet_new(128);

        switch (e->type) {
        case LIF_PATH_EVENT_RA:
            ipv6_string_mapped(router, &e->router);
            VLOG_INFO_RL(&rl, "%s: %s lost: telling %s that router %s "
                         "("ETH_ADDR_FMT") has lifetime %"PRIu16" s, %"
                         PRIuSIZE" prefixes deprecated", bridge, e->subif,
                         lif_name, router, ETH_ADDR_ARGS(e->mac),
                         e->router_lifetime, e->n_prefixes);
            lif_ra_compose_ra(b, e->mac, &e->router, e->router_lifetime,
                              e->preference, e->prefixes, e->n_prefixes, 0);
            pinctrl_send(pinctrl, b, e->port);
            COVERAGE_INC(path_notify_ra);
            break;

        case LIF_PATH_EVENT_RS:
            VLOG_INFO_RL(&rl, "%s: %s usable: soliciting its routers",
                         bridge, e->subif);
            solicit_start(pinctrl, bridge, e->subif, e->port, e->mac);
            break;

        case LIF_PATH_EVENT_NA: {
            struct host_addrs addrs;
            get_host_addresses(lif_name, &addrs);
            VLOG_INFO_RL(&rl, "%s: announcing %"PRIuSIZE" IPv6 and %"
                         PRIuSIZE" IPv4 addresses of %s on %s with "
                         ETH_ADDR_FMT, bridge, addrs.n_v6, addrs.n_v4,
                         lif_name, e->subif, ETH_ADDR_ARGS(e->mac));
            for (size_t j = 0; j < addrs.n_v6; j++) {
                lif_ra_compose_unsolicited_na(b, e->mac, &addrs.v6[j]);
                pinctrl_send(pinctrl, b, e->port);
                COVERAGE_INC(path_notify_na);
            }
            for (size_t j = 0; j < addrs.n_v4; j++) {
                /* Gratuitous ARP: a request for its own address. */
                compose_arp(b, ARP_OP_REQUEST, e->mac, eth_addr_zero, true,
                            addrs.v4[j], addrs.v4[j]);
                pinctrl_send(pinctrl, b, e->port);
                COVERAGE_INC(path_notify_garp);
            }
            break;
        }

        default:
            OVS_NOT_REACHED();
        }
        dp_packet_delete(b);
    }
}
