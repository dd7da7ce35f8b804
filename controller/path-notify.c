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
#include "lif-ra.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "pinctrl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(path_notify);

COVERAGE_DEFINE(path_notify_ra);
COVERAGE_DEFINE(path_notify_rs);
COVERAGE_DEFINE(path_notify_na);

/* At most this many of the host's addresses get an unsolicited NA. */
#define PATH_NOTIFY_MAX_NA 16

/* Stores in 'addrs' the IPv6 addresses of network device 'name' (at most
 * PATH_NOTIFY_MAX_NA) and returns how many. */
static size_t
get_host_addresses(const char *name, struct in6_addr addrs[])
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct ifaddrs *ifa, *list;
    size_t n = 0;

    if (getifaddrs(&list)) {
        VLOG_WARN_RL(&rl, "getifaddrs failed (%s)", ovs_strerror(errno));
        return 0;
    }
    for (ifa = list; ifa && n < PATH_NOTIFY_MAX_NA; ifa = ifa->ifa_next) {
        if (ifa->ifa_addr && ifa->ifa_addr->sa_family == AF_INET6
            && !strcmp(ifa->ifa_name, name)) {
            const struct sockaddr_in6 *sin6
                = ALIGNED_CAST(const struct sockaddr_in6 *, ifa->ifa_addr);
            addrs[n++] = sin6->sin6_addr;
        }
    }
    freeifaddrs(list);
    return n;
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
            lif_ra_compose_rs(b, e->mac);
            pinctrl_send(pinctrl, b, e->port);
            COVERAGE_INC(path_notify_rs);
            break;

        case LIF_PATH_EVENT_NA: {
            struct in6_addr addrs[PATH_NOTIFY_MAX_NA];
            size_t n = get_host_addresses(lif_name, addrs);
            VLOG_INFO_RL(&rl, "%s: default path moved to %s: advertising "
                         "%"PRIuSIZE" addresses of %s with "ETH_ADDR_FMT,
                         bridge, e->subif, n, lif_name,
                         ETH_ADDR_ARGS(e->mac));
            for (size_t j = 0; j < n; j++) {
                dp_packet_clear(b);
                lif_ra_compose_unsolicited_na(b, e->mac, &addrs[j]);
                pinctrl_send(pinctrl, b, e->port);
                COVERAGE_INC(path_notify_na);
            }
            break;
        }

        default:
            OVS_NOT_REACHED();
        }
        dp_packet_delete(b);
    }
}
