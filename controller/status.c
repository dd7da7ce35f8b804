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

#include "status.h"

#include <limits.h>

#include "lif-idl.h"
#include "lif-model.h"
#include "openvswitch/hmap.h"
#include "flow.h"
#include "netdev.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/shash.h"
#include "packets.h"
#include "util.h"

static void
format_mac(const struct eth_addr mac, char s[ETH_ADDR_STRLEN + 1])
{
    if (eth_addr_is_zero(mac)) {
        s[0] = '\0';
    } else {
        snprintf(s, ETH_ADDR_STRLEN + 1, ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));
    }
}

static void
write_statistics(const struct lifrec_sub_interface *row,
                 const struct ofputil_port_stats *ps,
                 const struct lif_subif *subif)
{
    const struct netdev_stats *st = &ps->stats;
    const char *keys[] = {
        "rx_packets", "rx_bytes", "rx_dropped", "rx_errors",
        "tx_packets", "tx_bytes", "tx_dropped", "tx_errors",
        "ra_received", "ra_malformed", "ra_ignored",
    };
    const int64_t values[] = {
        st->rx_packets, st->rx_bytes, st->rx_dropped, st->rx_errors,
        st->tx_packets, st->tx_bytes, st->tx_dropped, st->tx_errors,
        subif->n_ra, subif->n_ra_malformed, subif->n_ra_ignored,
    };
    BUILD_ASSERT_DECL(ARRAY_SIZE(keys) == ARRAY_SIZE(values));
    lifrec_sub_interface_set_statistics(row, keys, values, ARRAY_SIZE(keys));
}

static const char *
preference_to_string(int preference)
{
    return preference > 0 ? "high" : preference < 0 ? "low" : "medium";
}

static void
write_router(const struct lifrec_router *row, const struct lif_router *r)
{
    char addr[INET6_ADDRSTRLEN];
    char mac[ETH_ADDR_STRLEN + 1];
    int64_t expires = r->expires;

    ipv6_string_mapped(addr, &r->addr);
    format_mac(r->mac, mac);
    lifrec_router_set_address(row, addr);
    lifrec_router_set_mac(row, mac);
    lifrec_router_set_lifetime(row, r->lifetime);
    lifrec_router_set_preference(row, preference_to_string(r->preference));
    lifrec_router_set_expires(row, &expires, r->lifetime != 0);
}

static void
write_prefix(const struct lifrec_prefix *row, const struct lif_prefix *p,
             const char *cidr)
{
    int64_t valid_until = p->valid_until;
    int64_t preferred_until = p->preferred_until;

    lifrec_prefix_set_prefix(row, cidr);
    lifrec_prefix_set_on_link(row, p->on_link);
    lifrec_prefix_set_autonomous(row, p->autonomous);
    lifrec_prefix_set_valid_lifetime(row, p->valid);
    lifrec_prefix_set_preferred_lifetime(row, p->preferred);
    lifrec_prefix_set_valid_until(row, &valid_until,
                                  p->valid_until != LLONG_MAX);
    lifrec_prefix_set_preferred_until(row, &preferred_until,
                                      p->preferred
                                      && p->preferred_until != LLONG_MAX);
}

/* Writes what the accesses' Router Advertisements said (path awareness)
 * into 'row', reusing the Router and Prefix rows that stay, so that an
 * unchanged path table sends nothing. */
static void
write_paths(struct ovsdb_idl_txn *txn, const struct lifrec_sub_interface *row,
            const struct lif_subif *subif)
{
    /* Routers, by address and MAC. */
    struct shash old = SHASH_INITIALIZER(&old);
    for (size_t i = 0; i < row->n_routers; i++) {
        const struct lifrec_router *r = row->routers[i];
        char *key = xasprintf("%s %s", r->address, r->mac);
        shash_add_once(&old, key, r);
        free(key);
    }
    struct lifrec_router **routers
        = xmalloc((subif->n_routers + 1) * sizeof *routers);
    for (size_t i = 0; i < subif->n_routers; i++) {
        const struct lif_router *r = &subif->routers[i];
        char addr[INET6_ADDRSTRLEN];
        ipv6_string_mapped(addr, &r->addr);
        char *key = xasprintf("%s "ETH_ADDR_FMT, addr, ETH_ADDR_ARGS(r->mac));
        const struct lifrec_router *rrow = shash_find_and_delete(&old, key);
        free(key);
        if (!rrow) {
            rrow = lifrec_router_insert(txn);
        }
        write_router(rrow, r);
        routers[i] = CONST_CAST(struct lifrec_router *, rrow);
    }
    lifrec_sub_interface_set_routers(row, routers, subif->n_routers);
    free(routers);
    shash_destroy(&old);

    const struct lif_router *def = lif_subif_default_router(subif);
    if (def) {
        char addr[INET6_ADDRSTRLEN];
        ipv6_string_mapped(addr, &def->addr);
        lifrec_sub_interface_set_router(row, addr);
    } else {
        lifrec_sub_interface_set_router(row, NULL);
    }

    /* Prefixes, by prefix. */
    shash_init(&old);
    for (size_t i = 0; i < row->n_prefix_info; i++) {
        shash_add_once(&old, row->prefix_info[i]->prefix,
                       row->prefix_info[i]);
    }
    struct lifrec_prefix **prefixes
        = xmalloc((subif->n_prefixes + 1) * sizeof *prefixes);
    char **cidrs = xmalloc((subif->n_prefixes + 1) * sizeof *cidrs);
    for (size_t i = 0; i < subif->n_prefixes; i++) {
        const struct lif_prefix *p = &subif->prefixes[i];
        char addr[INET6_ADDRSTRLEN];
        ipv6_string_mapped(addr, &p->prefix);
        cidrs[i] = xasprintf("%s/%d", addr, p->plen);
        const struct lifrec_prefix *prow = shash_find_and_delete(&old,
                                                                 cidrs[i]);
        if (!prow) {
            prow = lifrec_prefix_insert(txn);
        }
        write_prefix(prow, p, cidrs[i]);
        prefixes[i] = CONST_CAST(struct lifrec_prefix *, prow);
    }
    lifrec_sub_interface_set_prefix_info(row, prefixes, subif->n_prefixes);
    lifrec_sub_interface_set_prefixes(row, (const char **) cidrs,
                                      subif->n_prefixes);
    for (size_t i = 0; i < subif->n_prefixes; i++) {
        free(cidrs[i]);
    }
    free(cidrs);
    free(prefixes);
    shash_destroy(&old);

    int64_t ra_mtu = subif->ra_mtu;
    lifrec_sub_interface_set_ra_mtu(row, &ra_mtu, subif->ra_mtu > 0);
}

static void
write_subif(struct ovsdb_idl_txn *txn,
            const struct lifrec_sub_interface *row,
            const struct lif_subif *subif, const char *bridge,
            const struct eth_addr lif_mac, const struct status_source *src)
{
    char mac[ETH_ADDR_STRLEN + 1];
    int64_t ofport = ofp_to_u16(subif->ofport);
    int64_t mtu = subif->mtu;

    lifrec_sub_interface_set_name(row, subif->name);
    lifrec_sub_interface_set_ofport(row, &ofport,
                                    subif->ofport != OFPP_NONE);
    lifrec_sub_interface_set_state(row,
                                   lif_subif_state_to_string(subif->state));
    lifrec_sub_interface_set_priority(row, subif->priority);
    lifrec_sub_interface_set_technology(row, subif->technology);
    lifrec_sub_interface_set_lladdr_mode(
        row, lif_lladdr_mode_to_string(subif->lladdr_mode));
    /* The address on the wire: the sub-interface's own, or the LIF's. */
    format_mac(subif->lladdr_mode == LIF_LLADDR_OWN ? subif->mac : lif_mac,
               mac);
    lifrec_sub_interface_set_mac(row, mac);
    lifrec_sub_interface_set_mtu(row, &mtu, subif->mtu > 0);
    lifrec_sub_interface_set_carrier(row,
                                     lif_carrier_to_string(subif->carrier));
    lifrec_sub_interface_set_errors(
        row, (const char **) subif->errors.names, subif->errors.n);

    struct ofputil_port_stats ps;
    if (subif->ofport != OFPP_NONE
        && src->port_stats(bridge, subif->ofport, &ps, src->aux)) {
        write_statistics(row, &ps, subif);
    }
    write_paths(txn, row, subif);
}

static void
write_lif(struct ovsdb_idl_txn *txn,
          const struct lifrec_logical_interface *row,
          const struct lif_logical *lif, const struct status_source *src)
{
    char mac[ETH_ADDR_STRLEN + 1];
    int64_t ofport = ofp_to_u16(lif->ofport);
    int64_t mtu = lif->mtu;

    lifrec_logical_interface_set_name(row, lif->name);
    lifrec_logical_interface_set_bridge(row, lif->bridge);
    lifrec_logical_interface_set_ofport(row, &ofport,
                                        lif->ofport != OFPP_NONE);
    lifrec_logical_interface_set_lladdr_mode(row, lif->lladdr_mode);
    format_mac(lif->mac, mac);
    lifrec_logical_interface_set_mac(row, mac);
    lifrec_logical_interface_set_mtu(row, &mtu, lif->mtu > 0);
    lifrec_logical_interface_set_connected(
        row, src->connected(lif->bridge, src->aux));
    lifrec_logical_interface_set_errors(
        row, (const char **) lif->errors.names, lif->errors.n);

    /* Keep the rows of sub-interfaces that stay, so that their UUIDs are
     * stable; unreferenced Sub_Interface rows are garbage collected. */
    struct shash old = SHASH_INITIALIZER(&old);
    for (size_t i = 0; i < row->n_sub_interfaces; i++) {
        shash_add_once(&old, row->sub_interfaces[i]->name,
                       row->sub_interfaces[i]);
    }
    struct lifrec_sub_interface **subifs
        = xmalloc((lif->n_subifs + 1) * sizeof *subifs);
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lifrec_sub_interface *sub
            = shash_find_and_delete(&old, lif->subifs[i].name);
        if (!sub) {
            sub = lifrec_sub_interface_insert(txn);
        }
        write_subif(txn, sub, &lif->subifs[i], lif->bridge, lif->mac, src);
        subifs[i] = CONST_CAST(struct lifrec_sub_interface *, sub);
    }
    lifrec_logical_interface_set_sub_interfaces(row, subifs, lif->n_subifs);
    free(subifs);
    shash_destroy(&old);
}

/* Makes the Logical_Interface and Sub_Interface tables in 'lif_idl' reflect
 * 'model' and what 'src' says about the OpenFlow side.  A transaction that
 * changes nothing is not sent. */
void
status_run(struct ovsdb_idl_txn *txn, struct ovsdb_idl *lif_idl,
           const struct lif_model *model, const struct status_source *src)
{
    if (!txn) {
        return;
    }

    struct shash rows = SHASH_INITIALIZER(&rows);
    const struct lifrec_logical_interface *row;
    LIFREC_LOGICAL_INTERFACE_FOR_EACH_SAFE (row, lif_idl) {
        if (!shash_add_once(&rows, row->bridge, row)) {
            /* Two rows for one bridge: someone else wrote one. */
            lifrec_logical_interface_delete(row);
        }
    }

    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        row = shash_find_and_delete(&rows, lif->bridge);
        if (!row) {
            row = lifrec_logical_interface_insert(txn);
        }
        write_lif(txn, row, lif, src);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &rows) {
        lifrec_logical_interface_delete(node->data);
    }
    shash_destroy(&rows);
}

/* Removes every row lif-controller writes, for a clean exit. */
void
status_clear(struct ovsdb_idl_txn *txn OVS_UNUSED, struct ovsdb_idl *lif_idl)
{
    const struct lifrec_logical_interface *row;
    LIFREC_LOGICAL_INTERFACE_FOR_EACH_SAFE (row, lif_idl) {
        lifrec_logical_interface_delete(row);
    }
}
