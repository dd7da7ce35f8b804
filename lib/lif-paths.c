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

#include "lif-paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lif-model.h"
#include "lif-ra.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "sset.h"
#include "util.h"

/* The smallest MTU IPv6 allows (RFC 8200). */
#define LIF_IPV6_MIN_MTU 1280

/* What one access's Router Advertisements said. */
struct path_subif {
    struct lif_router routers[LIF_PATHS_MAX_ROUTERS];
    size_t n_routers;
    struct lif_prefix prefixes[LIF_PATHS_MAX_PREFIXES];
    size_t n_prefixes;
    int ra_mtu;                 /* Last MTU option, 0 if none. */
    unsigned long long int n_ra;            /* RAs accepted. */
    unsigned long long int n_malformed;     /* RAs refused as malformed. */
    unsigned long long int n_ignored;       /* Entries that did not fit or
                                             * were invalid. */
    long long int last_ra;      /* When the last valid RA arrived. */
};

/* The path table. */
struct lif_paths {
    struct shash subifs;        /* "bridge/subif" -> struct path_subif. */
};

static char *
subif_key(const char *bridge, const char *subif)
{
    return xasprintf("%s/%s", bridge, subif);
}

static struct path_subif *
find_subif(const struct lif_paths *paths, const char *bridge,
           const char *subif)
{
    char *key = subif_key(bridge, subif);
    struct path_subif *ps = shash_find_data(&paths->subifs, key);
    free(key);
    return ps;
}

static struct path_subif *
find_or_create_subif(struct lif_paths *paths, const char *bridge,
                     const char *subif)
{
    char *key = subif_key(bridge, subif);
    struct path_subif *ps = shash_find_data(&paths->subifs, key);
    if (!ps) {
        ps = xzalloc(sizeof *ps);
        shash_add_nocopy(&paths->subifs, key, ps);
    } else {
        free(key);
    }
    return ps;
}

/* Creates an empty path table. */
struct lif_paths *
lif_paths_create(void)
{
    struct lif_paths *paths = xmalloc(sizeof *paths);
    shash_init(&paths->subifs);
    return paths;
}

/* Frees 'paths'. */
void
lif_paths_destroy(struct lif_paths *paths)
{
    if (paths) {
        shash_destroy_free_data(&paths->subifs);
        free(paths);
    }
}

/* Returns 'now' plus 'seconds', where 0xffffffff seconds is infinity
 * (LLONG_MAX). */
static long long int
lifetime_end(long long int now, uint32_t seconds)
{
    return seconds == UINT32_MAX ? LLONG_MAX : now + seconds * 1000LL;
}

static bool
router_less(const struct lif_router *a, const struct lif_router *b)
{
    /* Default routers first, then by RFC 4191 preference. */
    if (!a->lifetime != !b->lifetime) {
        return a->lifetime != 0;
    }
    return a->preference > b->preference;
}

/* Sorts 'ps''s routers: default routers first, most preferred first; ties
 * keep their order (the router heard from first stays first, so the
 * choice does not flap). */
static void
sort_routers(struct path_subif *ps)
{
    for (size_t i = 1; i < ps->n_routers; i++) {
        struct lif_router r = ps->routers[i];
        size_t j = i;
        while (j > 0 && router_less(&r, &ps->routers[j - 1])) {
            ps->routers[j] = ps->routers[j - 1];
            j--;
        }
        ps->routers[j] = r;
    }
}

/* Learns from the router in 'ra'.  Returns true if what the pipeline or
 * the host's view depends on changed (not a mere refresh). */
static bool
learn_router(struct path_subif *ps, const struct lif_ra *ra,
             long long int now)
{
    struct eth_addr mac = ra->have_sllao ? ra->sllao : ra->eth_src;
    size_t i;

    for (i = 0; i < ps->n_routers; i++) {
        struct lif_router *r = &ps->routers[i];
        if (ipv6_addr_equals(&r->addr, &ra->ip6_src)
            && eth_addr_equals(r->mac, mac)) {
            break;
        }
    }

    if (!ra->router_lifetime) {
        /* Not (or no longer) a default router.  Keep it as a router whose
         * MAC the host may use, but only while it is known anyway. */
        if (i < ps->n_routers && ps->routers[i].lifetime) {
            ps->routers[i].lifetime = 0;
            sort_routers(ps);
            return true;
        }
        return false;
    }

    bool changed = false;
    if (i == ps->n_routers) {
        if (ps->n_routers >= LIF_PATHS_MAX_ROUTERS) {
            ps->n_ignored++;
            return false;
        }
        ps->n_routers++;
        ps->routers[i] = (struct lif_router) {
            .addr = ra->ip6_src,
            .mac = mac,
        };
        changed = true;
    }

    struct lif_router *r = &ps->routers[i];
    if (r->lifetime != ra->router_lifetime
        || r->preference != ra->preference) {
        changed = true;
    }
    r->lifetime = ra->router_lifetime;
    r->preference = ra->preference;
    r->expires = now + ra->router_lifetime * 1000LL;
    if (changed) {
        sort_routers(ps);
    }
    return changed;
}

/* Learns one Prefix Information option.  Returns true on a change that
 * matters (a new prefix, a prefix withdrawn, a change of flags or of
 * whether it is preferred). */
static bool
learn_prefix(struct path_subif *ps, const struct lif_ra_prefix *pio,
             long long int now)
{
    size_t i;
    for (i = 0; i < ps->n_prefixes; i++) {
        struct lif_prefix *p = &ps->prefixes[i];
        if (p->plen == pio->plen && ipv6_addr_equals(&p->prefix,
                                                     &pio->prefix)) {
            break;
        }
    }

    if (!pio->valid) {
        if (i < ps->n_prefixes) {
            ps->prefixes[i] = ps->prefixes[--ps->n_prefixes];
            return true;
        }
        return false;
    }

    bool changed = false;
    if (i == ps->n_prefixes) {
        if (ps->n_prefixes >= LIF_PATHS_MAX_PREFIXES) {
            ps->n_ignored++;
            return false;
        }
        ps->n_prefixes++;
        ps->prefixes[i] = (struct lif_prefix) {
            .prefix = pio->prefix,
            .plen = pio->plen,
        };
        changed = true;
    }

    struct lif_prefix *p = &ps->prefixes[i];
    if (p->on_link != pio->on_link || p->autonomous != pio->autonomous
        || !p->preferred != !pio->preferred) {
        changed = true;
    }
    p->on_link = pio->on_link;
    p->autonomous = pio->autonomous;
    p->valid = pio->valid;
    p->preferred = pio->preferred;
    p->valid_until = lifetime_end(now, pio->valid);
    p->preferred_until = lifetime_end(now, pio->preferred);
    return changed;
}

/* Learns from 'ra', a well-formed Router Advertisement heard on 'subif' of
 * LIF bridge 'bridge' at wall-clock time 'now' (msec).  Returns true if the
 * routers, prefixes or MTU of that access changed (a mere refresh of their
 * lifetimes returns false). */
bool
lif_paths_learn(struct lif_paths *paths, const char *bridge,
                const char *subif, const struct lif_ra *ra,
                long long int now)
{
    struct path_subif *ps = find_or_create_subif(paths, bridge, subif);
    bool changed = false;

    ps->n_ra++;
    ps->last_ra = now;
    ps->n_ignored += ra->n_prefixes_ignored;
    changed |= learn_router(ps, ra, now);
    for (size_t i = 0; i < ra->n_prefixes; i++) {
        changed |= learn_prefix(ps, &ra->prefixes[i], now);
    }
    if (ra->mtu && ra->mtu <= UINT16_MAX
        && ra->mtu != (uint32_t) ps->ra_mtu) {
        ps->ra_mtu = ra->mtu;
        changed = true;
    }
    return changed;
}

/* Returns when the last valid Router Advertisement was heard on 'subif' of
 * 'bridge' (wall-clock msec), or 0 if none was. */
long long int
lif_paths_last_ra(const struct lif_paths *paths, const char *bridge,
                  const char *subif)
{
    const struct path_subif *ps = find_subif(paths, bridge, subif);
    return ps ? ps->last_ra : 0;
}

/* Counts a malformed Router Advertisement heard on 'subif' of 'bridge'. */
void
lif_paths_count_malformed(struct lif_paths *paths, const char *bridge,
                          const char *subif)
{
    find_or_create_subif(paths, bridge, subif)->n_malformed++;
}

/* Removes every router and prefix whose lifetime ended at 'now'.  Returns
 * true if anything changed, including a prefix that stopped being
 * preferred. */
bool
lif_paths_expire(struct lif_paths *paths, long long int now)
{
    bool changed = false;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &paths->subifs) {
        struct path_subif *ps = node->data;
        size_t i = 0;
        while (i < ps->n_routers) {
            struct lif_router *r = &ps->routers[i];
            if (r->lifetime && r->expires <= now) {
                memmove(r, r + 1,
                        (ps->n_routers - i - 1) * sizeof *r);
                ps->n_routers--;
                changed = true;
            } else {
                i++;
            }
        }
        i = 0;
        while (i < ps->n_prefixes) {
            struct lif_prefix *p = &ps->prefixes[i];
            if (p->valid_until <= now) {
                ps->prefixes[i] = ps->prefixes[--ps->n_prefixes];
                changed = true;
                continue;
            }
            if (p->preferred && p->preferred_until <= now) {
                p->preferred = 0;
                changed = true;
            }
            i++;
        }
        /* Routers that are not default routers live only while the
         * access has a default router or a prefix. */
        if (ps->n_routers && !ps->n_prefixes
            && !ps->routers[0].lifetime) {
            ps->n_routers = 0;
            changed = true;
        }
    }
    return changed;
}

/* Returns the wall-clock time (msec) of the next expiry in 'paths', or
 * LLONG_MAX if nothing expires. */
long long int
lif_paths_next_expiry(const struct lif_paths *paths)
{
    long long int next = LLONG_MAX;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &paths->subifs) {
        const struct path_subif *ps = node->data;
        for (size_t i = 0; i < ps->n_routers; i++) {
            if (ps->routers[i].lifetime) {
                next = MIN(next, ps->routers[i].expires);
            }
        }
        for (size_t i = 0; i < ps->n_prefixes; i++) {
            const struct lif_prefix *p = &ps->prefixes[i];
            next = MIN(next, p->valid_until);
            if (p->preferred) {
                next = MIN(next, p->preferred_until);
            }
        }
    }
    return next;
}

/* Forgets every access of 'bridge' that is not in 'subifs' (detached
 * sub-interfaces), or every access of 'bridge' if 'subifs' is NULL.
 * Returns true if anything was forgotten. */
bool
lif_paths_retain(struct lif_paths *paths, const char *bridge,
                 const struct sset *subifs)
{
    size_t len = strlen(bridge);
    bool changed = false;
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &paths->subifs) {
        if (strncmp(node->name, bridge, len) || node->name[len] != '/') {
            continue;
        }
        if (!subifs || !sset_contains(subifs, node->name + len + 1)) {
            free(node->data);
            shash_delete(&paths->subifs, node);
            changed = true;
        }
    }
    return changed;
}

/* Copies what 'paths' knows about the accesses of 'lif' into its
 * sub-interfaces, and lowers the
 * LIF's MTU to the lowest MTU that an access's routers advertise (RFC 7847
 * section 5.2; advertised MTUs below the IPv6 minimum of 1280 are
 * ignored, as RFC 4861 section 6.3.4 says). */
void
lif_paths_fill(const struct lif_paths *paths, struct lif_logical *lif)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        struct lif_subif *subif = &lif->subifs[i];
        const struct path_subif *ps = find_subif(paths, lif->bridge,
                                                 subif->name);
        free(subif->routers);
        free(subif->prefixes);
        subif->routers = NULL;
        subif->prefixes = NULL;
        subif->n_routers = subif->n_prefixes = 0;
        subif->ra_mtu = 0;
        if (!ps) {
            continue;
        }

        subif->routers = xmemdup(ps->routers,
                                 ps->n_routers * sizeof *ps->routers);
        subif->n_routers = ps->n_routers;
        subif->prefixes = xmemdup(ps->prefixes,
                                  ps->n_prefixes * sizeof *ps->prefixes);
        subif->n_prefixes = ps->n_prefixes;
        subif->ra_mtu = ps->ra_mtu;
        subif->n_ra = ps->n_ra;
        subif->n_ra_malformed = ps->n_malformed;
        subif->n_ra_ignored = ps->n_ignored;

        if (ps->ra_mtu >= LIF_IPV6_MIN_MTU
            && (!lif->mtu || ps->ra_mtu < lif->mtu)) {
            lif->mtu = ps->ra_mtu;
        }
    }
}
