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

#include "lif-path-events.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/ofp-port.h"
#include "packets.h"
#include "util.h"

static void *
dup_array(const void *p, size_t n, size_t size)
{
    return n ? xmemdup(p, n * size) : NULL;
}

/* Stores in 'snap' what path events depend on in 'lif'. */
void
lif_path_snap_take(struct lif_path_snap *snap, const struct lif_logical *lif)
{
    snap->lif_ofport = lif->ofport;
    snap->n_subifs = lif->n_subifs;
    snap->subifs = xcalloc(MAX(lif->n_subifs, 1), sizeof *snap->subifs);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *s = &lif->subifs[i];
        struct lif_path_snap_subif *d = &snap->subifs[i];
        bool own = (s->lladdr_mode == LIF_LLADDR_OWN
                    && !eth_addr_is_zero(s->mac));

        *d = (struct lif_path_snap_subif) {
            .name = xstrdup(s->name),
            .ofport = s->ofport,
            .usable = s->ofport != OFPP_NONE && s->state != LIF_SUBIF_DOWN,
            .active = s->state == LIF_SUBIF_ACTIVE,
            .own = own,
            .wire_mac = own ? s->mac : lif->mac,
            .routers = dup_array(s->routers, s->n_routers,
                                 sizeof *s->routers),
            .n_routers = s->n_routers,
            .prefixes = dup_array(s->prefixes, s->n_prefixes,
                                  sizeof *s->prefixes),
            .n_prefixes = s->n_prefixes,
        };
    }
}

/* Frees what 'snap' holds. */
void
lif_path_snap_destroy(struct lif_path_snap *snap)
{
    if (snap) {
        for (size_t i = 0; i < snap->n_subifs; i++) {
            free(snap->subifs[i].name);
            free(snap->subifs[i].routers);
            free(snap->subifs[i].prefixes);
        }
        free(snap->subifs);
        snap->subifs = NULL;
        snap->n_subifs = 0;
    }
}

/* Initializes 'events' as empty. */
void
lif_path_events_init(struct lif_path_events *events)
{
    *events = (struct lif_path_events) { .events = NULL };
}

/* Frees what 'events' holds. */
void
lif_path_events_destroy(struct lif_path_events *events)
{
    for (size_t i = 0; i < events->n; i++) {
        free(events->events[i].subif);
        free(events->events[i].prefixes);
    }
    free(events->events);
    lif_path_events_init(events);
}

static struct lif_path_event *
add_event(struct lif_path_events *events, enum lif_path_event_type type,
          ofp_port_t port, const char *subif, struct eth_addr mac)
{
    if (events->n >= events->allocated) {
        events->events = x2nrealloc(events->events, &events->allocated,
                                    sizeof *events->events);
    }
    struct lif_path_event *e = &events->events[events->n++];
    *e = (struct lif_path_event) {
        .type = type,
        .port = port,
        .subif = xstrdup(subif),
        .mac = mac,
    };
    return e;
}

static const struct lif_path_snap_subif *
find_subif(const struct lif_path_snap *snap, const char *name)
{
    for (size_t i = 0; snap && i < snap->n_subifs; i++) {
        if (!strcmp(snap->subifs[i].name, name)) {
            return &snap->subifs[i];
        }
    }
    return NULL;
}

static bool
subif_usable(const struct lif_path_snap *snap, const char *name)
{
    const struct lif_path_snap_subif *s = find_subif(snap, name);
    return s && s->usable;
}

/* Returns a default router of a usable access in 'snap' with link-local
 * address 'addr', or NULL. */
static const struct lif_router *
find_usable_router(const struct lif_path_snap *snap,
                   const struct in6_addr *addr)
{
    for (size_t i = 0; i < snap->n_subifs; i++) {
        const struct lif_path_snap_subif *s = &snap->subifs[i];
        for (size_t j = 0; s->usable && j < s->n_routers; j++) {
            if (s->routers[j].lifetime
                && ipv6_addr_equals(&s->routers[j].addr, addr)) {
                return &s->routers[j];
            }
        }
    }
    return NULL;
}

static bool
prefix_usable(const struct lif_path_snap *snap, const struct lif_prefix *p)
{
    for (size_t i = 0; i < snap->n_subifs; i++) {
        const struct lif_path_snap_subif *s = &snap->subifs[i];
        for (size_t j = 0; s->usable && j < s->n_prefixes; j++) {
            if (s->prefixes[j].plen == p->plen
                && ipv6_addr_equals(&s->prefixes[j].prefix, &p->prefix)) {
                return true;
            }
        }
    }
    return false;
}

/* Seconds left until 'until' at 'now', as an RA lifetime. */
static uint32_t
seconds_left(long long int until, long long int now)
{
    if (until == LLONG_MAX) {
        return UINT32_MAX;
    }
    return until > now ? MIN((until - now + 999) / 1000, UINT32_MAX - 1) : 0;
}

/* Events for 'lost', an access that was usable in 'old' and is not in
 * 'new'. */
static void
access_lost(const struct lif_path_snap_subif *lost,
            const struct lif_path_snap *new, long long int now,
            struct lif_path_events *events)
{
    /* The prefixes that no usable access offers any more, deprecated. */
    struct lif_ra_prefix *deprecated = xcalloc(MAX(lost->n_prefixes, 1),
                                               sizeof *deprecated);
    size_t n_deprecated = 0;
    for (size_t i = 0; i < lost->n_prefixes; i++) {
        const struct lif_prefix *p = &lost->prefixes[i];
        uint32_t valid = seconds_left(p->valid_until, now);
        if (prefix_usable(new, p) || !valid) {
            continue;
        }
        deprecated[n_deprecated++] = (struct lif_ra_prefix) {
            .prefix = p->prefix,
            .plen = p->plen,
            .on_link = p->on_link,
            .autonomous = p->autonomous,
            .valid = valid,
            .preferred = 0,
        };
    }

    bool prefixes_sent = false;
    for (size_t i = 0; i < lost->n_routers; i++) {
        const struct lif_router *r = &lost->routers[i];
        const struct lif_router *alive = find_usable_router(new, &r->addr);
        bool carry_prefixes = !prefixes_sent && n_deprecated;
        if (!carry_prefixes
            && (!r->lifetime
                || (alive && eth_addr_equals(alive->mac, r->mac)))) {
            /* Nothing the host needs to hear: not a default router, or the
             * very same router lives on elsewhere (PMIPv6). */
            continue;
        }

        struct lif_path_event *e = add_event(events, LIF_PATH_EVENT_RA,
                                             new->lif_ofport, lost->name,
                                             alive ? alive->mac : r->mac);
        e->router = r->addr;
        if (alive) {
            /* The same router address lives on: keep it, with the MAC
             * that now answers for it. */
            e->router_lifetime = seconds_left(alive->expires, now);
            e->router_lifetime = MIN(e->router_lifetime, alive->lifetime);
            e->preference = alive->preference;
        } else {
            e->router_lifetime = 0;
            e->preference = r->preference;
        }
        if (carry_prefixes) {
            /* In the name of the access's first router. */
            e->prefixes = xmemdup(deprecated,
                                  n_deprecated * sizeof *deprecated);
            e->n_prefixes = n_deprecated;
            prefixes_sent = true;
        }
    }
    free(deprecated);
}

/* Computes into 'events' (which must be initialized) what to send because
 * a LIF went from 'old' to 'new' at wall-clock time 'now' (msec).  'old' is
 * NULL when lif-controller has just started: every usable access is then
 * new. */
void
lif_path_events_compute(const struct lif_path_snap *old,
                        const struct lif_path_snap *new, long long int now,
                        struct lif_path_events *events)
{
    if (new->lif_ofport == OFPP_NONE) {
        return;
    }

    /* Accesses lost, including those detached. */
    for (size_t i = 0; old && i < old->n_subifs; i++) {
        const struct lif_path_snap_subif *s = &old->subifs[i];
        if (s->usable && !subif_usable(new, s->name)) {
            access_lost(s, new, now, events);
        }
    }

    const struct lif_path_snap_subif *old_active = NULL;
    for (size_t i = 0; old && i < old->n_subifs; i++) {
        if (old->subifs[i].active) {
            old_active = &old->subifs[i];
        }
    }

    for (size_t i = 0; i < new->n_subifs; i++) {
        const struct lif_path_snap_subif *s = &new->subifs[i];
        if (!s->usable) {
            continue;
        }
        const struct lif_path_snap_subif *was = find_subif(old, s->name);
        bool announce = false;
        if (!was || !was->usable || was->ofport != s->ofport) {
            /* Usable now, and was not: ask its routers at once, and tell
             * its neighbors where the host's addresses are (while detached
             * or down, they may have learned another MAC for them). */
            add_event(events, LIF_PATH_EVENT_RS, s->ofport, s->name,
                      s->wire_mac);
            announce = true;
        }
        if (s->active && s->own && old_active
            && !eth_addr_equals(old_active->wire_mac, s->wire_mac)) {
            /* The default path moved to an access that sees another MAC
             * than before. */
            announce = true;
        }
        if (announce) {
            add_event(events, LIF_PATH_EVENT_NA, s->ofport, s->name,
                      s->wire_mac);
        }
    }
}
