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

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lif-model.h"
#include "lif-path-events.h"
#include "lif-paths.h"
#include "lif-ra.h"
#include "lif-util.h"
#include "openvswitch/dynamic-string.h"
#include "flow.h"
#include "openvswitch/ofp-port.h"
#include "packets.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

/* Unit tests for lib/lif-paths.c and lib/lif-path-events.c, run from
 * tests/lif-path.at.  "lif-test-path" reads a script on stdin, one command
 * a line, and prints what the functions compute.  Times are seconds.
 *
 *   ra T SUBIF MAC LL LIFETIME PREF MTU [PREFIX/LEN,FLAGS,VALID,PREF]...
 *                         an RA heard on SUBIF at time T
 *   malformed SUBIF       a malformed RA heard on SUBIF
 *   expire T              expires what ended by time T
 *   retain SUBIF...       forgets the other sub-interfaces
 *   state SUBIF up|down|active [own]
 *                         the sub-interface's state (default: up)
 *   show T                the LIF as the path table fills it at time T
 *   events T              the path events since the previous "events"
 *
 * The LIF is lif0 (ofport 1, MAC 02:00:00:00:00:01) on br0, with wlan0
 * (ofport 2, MAC 02:00:00:00:00:02) and lte0 (ofport 3, MAC
 * 02:00:00:00:00:03), both 1500 bytes. */

#define BRIDGE "br0"

static const char *subif_names[] = { "wlan0", "lte0" };

static struct {
    enum lif_subif_state state;
    bool own;
} subif_states[ARRAY_SIZE(subif_names)];

static long long int
msec(const char *s)
{
    char *end;
    errno = 0;
    double t = strtod(s, &end);
    if (errno || *end || t < 0) {
        ovs_fatal(0, "%s: bad time", s);
    }
    return t * 1000;
}

static int
subif_index(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(subif_names); i++) {
        if (!strcmp(subif_names[i], name)) {
            return i;
        }
    }
    ovs_fatal(0, "%s: no such sub-interface", name);
}

static uint32_t
lifetime(const char *s)
{
    return !strcmp(s, "inf") ? UINT32_MAX : strtoul(s, NULL, 10);
}

static struct lif_ra_prefix
parse_pio(const char *s)
{
    char prefix[64], flags[8], valid[16], preferred[16];
    unsigned int plen;
    if (sscanf(s, "%63[^/]/%u,%7[^,],%15[^,],%15s", prefix, &plen, flags,
               valid, preferred) != 5 || plen > 128) {
        ovs_fatal(0, "%s: bad prefix", s);
    }
    struct lif_ra_prefix p = {
        .plen = plen,
        .on_link = strchr(flags, 'L') != NULL,
        .autonomous = strchr(flags, 'A') != NULL,
        .valid = lifetime(valid),
        .preferred = lifetime(preferred),
    };
    if (!ipv6_parse(prefix, &p.prefix)) {
        ovs_fatal(0, "%s: bad prefix", s);
    }
    return p;
}

/* Builds the test LIF, filled from 'paths' at the states set so far. */
static void
build_lif(const struct lif_paths *paths, struct lif_logical *lif)
{
    lif_logical_init(lif, "lif0", BRIDGE);
    lif->ofport = u16_to_ofp(1);
    eth_addr_from_string("02:00:00:00:00:01", &lif->mac);
    for (size_t i = 0; i < ARRAY_SIZE(subif_names); i++) {
        struct lif_subif *s = lif_logical_add_subif(lif, subif_names[i]);
        s->ofport = u16_to_ofp(2 + i);
        s->mtu = 1500;
        char *mac = xasprintf("02:00:00:00:00:%02"PRIxSIZE, 2 + i);
        eth_addr_from_string(mac, &s->mac);
        free(mac);
        s->lladdr_mode = (subif_states[i].own ? LIF_LLADDR_OWN
                          : LIF_LLADDR_LOGICAL);
    }
    lif_logical_finish(lif);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        lif->subifs[i].state = subif_states[subif_index(
                                                lif->subifs[i].name)].state;
    }
    lif_paths_fill(paths, lif);
}

static void
print_lifetime(uint32_t s)
{
    if (s == UINT32_MAX) {
        printf("inf");
    } else {
        printf("%"PRIu32, s);
    }
}

static void
print_until(long long int until)
{
    if (until == LLONG_MAX) {
        printf("never");
    } else {
        printf("%.10g", until / 1000.0);
    }
}

static void
show(const struct lif_paths *paths)
{
    struct lif_logical lif;
    build_lif(paths, &lif);
    printf("lif mtu %d\n", lif.mtu);
    for (size_t i = 0; i < lif.n_subifs; i++) {
        const struct lif_subif *s = &lif.subifs[i];
        const struct lif_router *def = lif_subif_default_router(s);
        printf("%s: ra %llu malformed %llu ignored %llu ra_mtu %d\n",
               s->name, s->n_ra, s->n_ra_malformed, s->n_ra_ignored,
               s->ra_mtu);
        for (size_t j = 0; j < s->n_routers; j++) {
            const struct lif_router *r = &s->routers[j];
            char addr[INET6_ADDRSTRLEN];
            ipv6_string_mapped(addr, &r->addr);
            printf("  router %s "ETH_ADDR_FMT" lifetime %"PRIu16
                   " pref %d until %.10g%s\n", addr, ETH_ADDR_ARGS(r->mac),
                   r->lifetime, r->preference, r->expires / 1000.0,
                   r == def ? " default" : "");
        }
        for (size_t j = 0; j < s->n_prefixes; j++) {
            const struct lif_prefix *p = &s->prefixes[j];
            char addr[INET6_ADDRSTRLEN];
            ipv6_string_mapped(addr, &p->prefix);
            printf("  prefix %s/%d%s%s valid ", addr, p->plen,
                   p->on_link ? " L" : "", p->autonomous ? " A" : "");
            print_lifetime(p->valid);
            printf(" until ");
            print_until(p->valid_until);
            printf(" preferred ");
            print_lifetime(p->preferred);
            printf(" until ");
            print_until(p->preferred_until);
            putchar('\n');
        }
    }
    lif_logical_destroy(&lif);
}

static void
print_events(const struct lif_path_events *events)
{
    for (size_t i = 0; i < events->n; i++) {
        const struct lif_path_event *e = &events->events[i];
        char addr[INET6_ADDRSTRLEN];
        switch (e->type) {
        case LIF_PATH_EVENT_RA:
            ipv6_string_mapped(addr, &e->router);
            printf("RA to port %"PRIu16" for %s: router %s "ETH_ADDR_FMT
                   " lifetime %"PRIu16" pref %d", ofp_to_u16(e->port),
                   e->subif, addr, ETH_ADDR_ARGS(e->mac),
                   e->router_lifetime, e->preference);
            for (size_t j = 0; j < e->n_prefixes; j++) {
                const struct lif_ra_prefix *p = &e->prefixes[j];
                ipv6_string_mapped(addr, &p->prefix);
                printf(", prefix %s/%d valid ", addr, p->plen);
                print_lifetime(p->valid);
                printf(" preferred ");
                print_lifetime(p->preferred);
            }
            putchar('\n');
            break;
        case LIF_PATH_EVENT_RS:
            printf("RS on port %"PRIu16" (%s) from "ETH_ADDR_FMT"\n",
                   ofp_to_u16(e->port), e->subif, ETH_ADDR_ARGS(e->mac));
            break;
        case LIF_PATH_EVENT_NA:
            printf("NAs on port %"PRIu16" (%s) from "ETH_ADDR_FMT"\n",
                   ofp_to_u16(e->port), e->subif, ETH_ADDR_ARGS(e->mac));
            break;
        default:
            OVS_NOT_REACHED();
        }
    }
    if (!events->n) {
        printf("no events\n");
    }
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    struct lif_paths *paths = lif_paths_create();
    struct lif_path_snap snap;
    bool have_snap = false;
    char line[1024];

    lif_set_program_name(argv[0]);
    for (size_t i = 0; i < ARRAY_SIZE(subif_states); i++) {
        subif_states[i].state = LIF_SUBIF_STANDBY;
    }

    while (fgets(line, sizeof line, stdin)) {
        struct svec words = SVEC_EMPTY_INITIALIZER;
        char *save = NULL;
        for (char *w = strtok_r(line, " \t\n", &save); w;
             w = strtok_r(NULL, " \t\n", &save)) {
            svec_add(&words, w);
        }
        if (!words.n || words.names[0][0] == '#') {
            svec_destroy(&words);
            continue;
        }
        char **w = words.names;
        const char *cmd = w[0];

        if (!strcmp(cmd, "ra") && words.n >= 8) {
            struct lif_ra ra;
            memset(&ra, 0, sizeof ra);
            if (!eth_addr_from_string(w[3], &ra.eth_src)
                || !ipv6_parse(w[4], &ra.ip6_src)) {
                ovs_fatal(0, "bad MAC or address");
            }
            ra.router_lifetime = atoi(w[5]);
            ra.preference = atoi(w[6]);
            ra.mtu = atoi(w[7]);
            for (size_t i = 8; i < words.n; i++) {
                if (ra.n_prefixes < LIF_RA_MAX_PREFIXES) {
                    ra.prefixes[ra.n_prefixes++] = parse_pio(w[i]);
                } else {
                    ra.n_prefixes_ignored++;
                }
            }
            bool changed = lif_paths_learn(paths, BRIDGE, w[2], &ra,
                                           msec(w[1]));
            printf("%s\n", changed ? "changed" : "refreshed");
        } else if (!strcmp(cmd, "malformed") && words.n == 2) {
            lif_paths_count_malformed(paths, BRIDGE, w[1]);
        } else if (!strcmp(cmd, "expire") && words.n == 2) {
            printf("%s\n", lif_paths_expire(paths, msec(w[1]))
                   ? "expired" : "nothing expired");
        } else if (!strcmp(cmd, "next")) {
            long long int next = lif_paths_next_expiry(paths);
            printf("next ");
            print_until(next);
            putchar('\n');
        } else if (!strcmp(cmd, "retain")) {
            struct sset keep = SSET_INITIALIZER(&keep);
            for (size_t i = 1; i < words.n; i++) {
                sset_add(&keep, w[i]);
            }
            printf("%s\n", lif_paths_retain(paths, BRIDGE, &keep)
                   ? "forgot" : "kept all");
            sset_destroy(&keep);
        } else if (!strcmp(cmd, "state") && words.n >= 3) {
            int i = subif_index(w[1]);
            subif_states[i].state = (!strcmp(w[2], "down") ? LIF_SUBIF_DOWN
                                     : !strcmp(w[2], "active")
                                     ? LIF_SUBIF_ACTIVE : LIF_SUBIF_STANDBY);
            subif_states[i].own = words.n > 3 && !strcmp(w[3], "own");
        } else if (!strcmp(cmd, "show") && words.n == 2) {
            lif_paths_expire(paths, msec(w[1]));
            show(paths);
        } else if (!strcmp(cmd, "events") && words.n == 2) {
            struct lif_logical lif;
            struct lif_path_snap now;
            struct lif_path_events events;

            build_lif(paths, &lif);
            lif_path_snap_take(&now, &lif);
            lif_path_events_init(&events);
            lif_path_events_compute(have_snap ? &snap : NULL, &now,
                                    msec(w[1]), &events);
            print_events(&events);
            lif_path_events_destroy(&events);
            if (have_snap) {
                lif_path_snap_destroy(&snap);
            }
            snap = now;
            have_snap = true;
            lif_logical_destroy(&lif);
        } else {
            ovs_fatal(0, "bad command: %s", cmd);
        }
        svec_destroy(&words);
        fflush(stdout);
    }

    if (have_snap) {
        lif_path_snap_destroy(&snap);
    }
    lif_paths_destroy(paths);
    return 0;
}
