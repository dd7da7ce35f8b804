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

#include "lif-model.h"

#include <errno.h>
#include <stdlib.h>

#include "hash.h"
#include "lif-flow-config.h"
#include "flow.h"
#include "lif-tables.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "sha1.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

/* Initializes 'model' as empty. */
void
lif_model_init(struct lif_model *model)
{
    hmap_init(&model->lifs);
}

/* Frees everything in 'model'. */
void
lif_model_destroy(struct lif_model *model)
{
    if (model) {
        struct lif_logical *lif;
        HMAP_FOR_EACH_POP (lif, hmap_node, &model->lifs) {
            lif_logical_destroy(lif);
            free(lif);
        }
        hmap_destroy(&model->lifs);
    }
}

/* Returns the LIF of 'bridge' in 'model', or NULL. */
struct lif_logical *
lif_model_find(const struct lif_model *model, const char *bridge)
{
    struct lif_logical *lif;
    HMAP_FOR_EACH_WITH_HASH (lif, hmap_node, hash_string(bridge, 0),
                             &model->lifs) {
        if (!strcmp(lif->bridge, bridge)) {
            return lif;
        }
    }
    return NULL;
}

/* Returns the sub-interface of 'lif' named 'name', or NULL. */
const struct lif_subif *
lif_logical_find_subif(const struct lif_logical *lif, const char *name)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        if (!strcmp(lif->subifs[i].name, name)) {
            return &lif->subifs[i];
        }
    }
    return NULL;
}

/* Initializes 'lif' as the LIF 'name' on 'bridge', with no sub-interfaces
 * and default settings. */
void
lif_logical_init(struct lif_logical *lif, const char *name,
                 const char *bridge)
{
    *lif = (struct lif_logical) {
        .name = xstrdup(name),
        .bridge = xstrdup(bridge),
        .ofport = OFPP_NONE,
        .usable = true,
        .lladdr_mode = xstrdup("virtual"),
        .neighbor_limit = LIF_NEIGHBOR_LIMIT,
    };
    svec_init(&lif->errors);
}

/* Frees what 'lif' owns (not 'lif' itself). */
void
lif_logical_destroy(struct lif_logical *lif)
{
    if (lif) {
        for (size_t i = 0; i < lif->n_subifs; i++) {
            free(lif->subifs[i].name);
            free(lif->subifs[i].technology);
            svec_destroy(&lif->subifs[i].errors);
            free(lif->subifs[i].routers);
            free(lif->subifs[i].prefixes);
        }
        free(lif->subifs);
        free(lif->name);
        free(lif->bridge);
        free(lif->lladdr_mode);
        svec_destroy(&lif->errors);
        lif_flow_config_destroy(lif->flow);
    }
}

/* Adds a sub-interface 'name' with default settings to 'lif' and returns it.
 * The pointer is valid until the next call. */
struct lif_subif *
lif_logical_add_subif(struct lif_logical *lif, const char *name)
{
    lif->subifs = xrealloc(lif->subifs,
                           (lif->n_subifs + 1) * sizeof *lif->subifs);
    struct lif_subif *subif = &lif->subifs[lif->n_subifs++];
    *subif = (struct lif_subif) {
        .name = xstrdup(name),
        .ofport = OFPP_NONE,
        .priority = LIF_DEFAULT_PRIORITY,
        .technology = xstrdup(""),
        .lladdr_mode = LIF_LLADDR_LOGICAL,
        .carrier = LIF_CARRIER_UNKNOWN,
        .state = LIF_SUBIF_DOWN,
    };
    svec_init(&subif->errors);
    return subif;
}

static int
compare_subifs(const void *a_, const void *b_)
{
    const struct lif_subif *a = a_;
    const struct lif_subif *b = b_;
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return strcmp(a->name, b->name);
}

/* Whether 'subif' can carry traffic at all. */
static bool
subif_is_usable(const struct lif_subif *subif)
{
    return (subif->ofport != OFPP_NONE && subif->link_up
            && subif->carrier != LIF_CARRIER_DOWN);
}

/* Completes 'lif' once its sub-interfaces are added: sorts them by
 * preference, derives each one's state and the LIF's MTU, and resolves a
 * borrowed link-layer address. */
void
lif_logical_finish(struct lif_logical *lif)
{
    if (lif->n_subifs) {
        qsort(lif->subifs, lif->n_subifs, sizeof *lif->subifs,
              compare_subifs);
    }

    bool have_active = false;
    lif->mtu = 0;
    for (size_t i = 0; i < lif->n_subifs; i++) {
        struct lif_subif *subif = &lif->subifs[i];
        if (!subif_is_usable(subif)) {
            subif->state = LIF_SUBIF_DOWN;
        } else if (!have_active) {
            subif->state = LIF_SUBIF_ACTIVE;
            have_active = true;
        } else {
            subif->state = LIF_SUBIF_STANDBY;
        }
        if (subif->mtu > 0 && (!lif->mtu || subif->mtu < lif->mtu)) {
            lif->mtu = subif->mtu;
        }
    }

    if (strcmp(lif->lladdr_mode, "virtual")) {
        const struct lif_subif *owner
            = lif_logical_find_subif(lif, lif->lladdr_mode);
        if (!owner) {
            svec_add_nocopy(&lif->errors, xasprintf(
                                "lif-lladdr: \"%s\" is not a sub-interface "
                                "of this LIF; using a virtual link-layer "
                                "address", lif->lladdr_mode));
            free(lif->lladdr_mode);
            lif->lladdr_mode = xstrdup("virtual");
        } else if (!eth_addr_is_zero(owner->mac)) {
            lif->mac = owner->mac;
        }
    }
}

/* Stores in 'dpid' the datapath-id (16 hex digits and a null) that
 * lif-controller gives 'bridge': fixed, so that adding a port never changes
 * it (a change reconnects every OpenFlow connection to the bridge). */
void
lif_datapath_id_derive(const char *bridge, char dpid[17])
{
    static const char tag[] = "ovs-lif datapath-id";
    uint8_t digest[SHA1_DIGEST_SIZE];
    struct sha1_ctx ctx;

    sha1_init(&ctx);
    sha1_update(&ctx, tag, sizeof tag);
    sha1_update(&ctx, bridge, strlen(bridge));
    sha1_final(&ctx, digest);

    /* A locally administered, unicast "MAC" in the low 48 bits. */
    digest[2] = (digest[2] & ~0x01) | 0x02;
    for (int i = 0; i < 8; i++) {
        snprintf(&dpid[i * 2], 3, "%02x", digest[i]);
    }
}

/* Stores in 'ea' the virtual link-layer identifier (VLL-ID) of the LIF named
 * 'lif_name' on the host with 'system_id' (which may be NULL): a locally
 * administered unicast MAC that stays the same across restarts of the
 * controller and of the host. */
void
lif_vll_id_derive(const char *system_id, const char *lif_name,
                  struct eth_addr *ea)
{
    struct sha1_ctx ctx;
    uint8_t digest[SHA1_DIGEST_SIZE];
    static const char tag[] = "ovs-lif vll-id";

    sha1_init(&ctx);
    sha1_update(&ctx, tag, sizeof tag);
    if (system_id) {
        sha1_update(&ctx, system_id, strlen(system_id) + 1);
    }
    sha1_update(&ctx, lif_name, strlen(lif_name) + 1);
    sha1_final(&ctx, digest);

    memcpy(ea->ea, digest, ETH_ADDR_LEN);
    ea->ea[0] = (ea->ea[0] & ~0x01) | 0x02;     /* Unicast, local. */
}

/* Returns true if 'iface' is the bridge's own local port. */
static bool
iface_is_bridge_local(const struct ovsrec_bridge *br,
                      const struct ovsrec_interface *iface)
{
    return !strcmp(iface->name, br->name);
}

/* Whether an Interface with 'external_ids' is marked as a LIF
 * (lif-role=logical). */
bool
lif_interface_is_logical(const struct smap *external_ids)
{
    const char *role = smap_get(external_ids, "lif-role");
    return role && !strcmp(role, "logical");
}

/* Parses 's', a lif-priority value, into '*priority'.  Returns false, with
 * '*priority' unchanged, if it is not an integer between 0 and 65535. */
bool
lif_priority_from_string(const char *s, int *priority)
{
    int value;
    if (str_to_int(s, 10, &value) && value >= 0 && value <= 65535) {
        *priority = value;
        return true;
    }
    return false;
}

/* Parses 's', a sub-interface's lif-lladdr value, into '*mode'.  Returns
 * false, with '*mode' unchanged, if it is neither "logical" nor "own". */
bool
lif_lladdr_mode_from_string(const char *s, enum lif_lladdr_mode *mode)
{
    if (!strcmp(s, "own")) {
        *mode = LIF_LLADDR_OWN;
    } else if (!strcmp(s, "logical")) {
        *mode = LIF_LLADDR_LOGICAL;
    } else {
        return false;
    }
    return true;
}

static bool
iface_is_logical(const struct ovsrec_interface *iface)
{
    return lif_interface_is_logical(&iface->external_ids);
}

static ofp_port_t
iface_ofport(const struct ovsrec_interface *iface)
{
    if (iface->n_ofport && iface->ofport[0] > 0
        && iface->ofport[0] < ofp_to_u16(OFPP_MAX)) {
        return u16_to_ofp(iface->ofport[0]);
    }
    return OFPP_NONE;
}

static void
parse_subif_keys(const struct ovsrec_interface *iface,
                 struct lif_subif *subif)
{
    const struct smap *ids = &iface->external_ids;

    const char *prio = smap_get(ids, "lif-priority");
    if (prio && !lif_priority_from_string(prio, &subif->priority)) {
        svec_add_nocopy(&subif->errors, xasprintf(
                            "lif-priority: \"%s\" is not an integer "
                            "between 0 and 65535; using %d", prio,
                            LIF_DEFAULT_PRIORITY));
    }

    const char *tech = smap_get(ids, "lif-technology");
    if (tech) {
        free(subif->technology);
        subif->technology = xstrdup(tech);
    }

    const char *lladdr = smap_get(ids, "lif-lladdr");
    if (lladdr && !lif_lladdr_mode_from_string(lladdr,
                                               &subif->lladdr_mode)) {
        svec_add_nocopy(&subif->errors, xasprintf(
                            "lif-lladdr: \"%s\" is neither \"logical\" "
                            "nor \"own\"; using \"logical\"", lladdr));
    }

    const char *role = smap_get(ids, "lif-role");
    if (role) {
        svec_add_nocopy(&subif->errors, xasprintf(
                            "lif-role: \"%s\" is not a role a sub-interface "
                            "can have (only the LIF has lif-role=logical); "
                            "ignored", role));
    }

    if (iface->mac_in_use) {
        eth_addr_from_string(iface->mac_in_use, &subif->mac);
    }
    if (iface->n_mtu && iface->mtu[0] > 0) {
        subif->mtu = iface->mtu[0];
    }
    subif->ofport = iface_ofport(iface);
    subif->link_up = ((!iface->admin_state
                       || !strcmp(iface->admin_state, "up"))
                      && iface->link_state
                      && !strcmp(iface->link_state, "up"));
}

static void
parse_lif_keys(const struct ovsrec_interface *iface, const char *system_id,
               struct lif_logical *lif)
{
    const struct smap *ids = &iface->external_ids;

    lif->uuid = iface->header_.uuid;
    lif->ofport = iface_ofport(iface);

    lif_vll_id_derive(system_id, iface->name, &lif->mac);
    const char *vll_id = smap_get(ids, "lif-vll-id");
    if (vll_id) {
        struct eth_addr ea;
        if (eth_addr_from_string(vll_id, &ea) && !eth_addr_is_zero(ea)
            && !eth_addr_is_multicast(ea)) {
            lif->mac = ea;
        } else {
            svec_add_nocopy(&lif->errors, xasprintf(
                                "lif-vll-id: \"%s\" is not a unicast MAC "
                                "address; using "ETH_ADDR_FMT, vll_id,
                                ETH_ADDR_ARGS(lif->mac)));
        }
    }

    const char *lladdr = smap_get(ids, "lif-lladdr");
    if (lladdr && lladdr[0]) {
        free(lif->lladdr_mode);
        lif->lladdr_mode = xstrdup(lladdr);
    }

    const char *limit = smap_get(ids, "lif-neighbor-limit");
    if (limit) {
        int value;
        if (str_to_int(limit, 10, &value) && value >= 1 && value <= 65535) {
            lif->neighbor_limit = value;
        } else {
            svec_add_nocopy(&lif->errors, xasprintf(
                                "lif-neighbor-limit: \"%s\" is not an "
                                "integer between 1 and 65535; using %d",
                                limit, LIF_NEIGHBOR_LIMIT));
        }
    }

    if (strcmp(iface->type, "internal")) {
        svec_add_nocopy(&lif->errors, xasprintf(
                            "interface %s has lif-role=logical but type "
                            "\"%s\": a LIF must be an internal interface; "
                            "bridge %s is left without LIF flows",
                            iface->name, iface->type[0] ? iface->type
                            : "system", lif->bridge));
        lif->usable = false;
    }
}

/* Whether 'iface' may be a LIF: lif-role=logical on an internal
 * interface. */
static bool
iface_can_be_lif(const struct ovsrec_interface *iface)
{
    return iface_is_logical(iface) && !strcmp(iface->type, "internal");
}

/* Returns true if 'a' is a better choice than 'b' (which may be NULL) for
 * the LIF of a bridge that has no incumbent: an interface that can be a LIF
 * beats one that cannot, then the lower OpenFlow port (ports are numbered
 * as they are added, so this is normally the one that has been on the
 * bridge the longest), then the lower name. */
static bool
better_lif(const struct ovsrec_interface *a, const struct ovsrec_interface *b)
{
    if (!b) {
        return true;
    }
    if (iface_can_be_lif(a) != iface_can_be_lif(b)) {
        return iface_can_be_lif(a);
    }
    uint16_t pa = ofp_to_u16(iface_ofport(a));
    uint16_t pb = ofp_to_u16(iface_ofport(b));
    if (pa != pb) {
        /* OFPP_NONE, "not assigned yet", is the highest. */
        return pa < pb;
    }
    return strcmp(a->name, b->name) < 0;
}

/* Picks the LIF of 'br' among its interfaces with lif-role=logical, or
 * returns NULL if there is none.  The incumbent, the interface that was
 * the bridge's LIF before ('incumbent', may be NULL), stays the LIF as long
 * as it can be one: adding another interface with lif-role=logical never
 * takes the bridge over.  Otherwise see better_lif(). */
static const struct ovsrec_interface *
choose_lif(const struct ovsrec_bridge *br, const char *incumbent)
{
    const struct ovsrec_interface *best = NULL;
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];
        for (size_t j = 0; j < port->n_interfaces; j++) {
            const struct ovsrec_interface *iface = port->interfaces[j];
            if (!iface_is_logical(iface)) {
                continue;
            }
            if (incumbent && !strcmp(iface->name, incumbent)
                && iface_can_be_lif(iface)) {
                return iface;
            }
            if (better_lif(iface, best)) {
                best = iface;
            }
        }
    }
    return best;
}

static void
build_bridge(const struct ovsrec_bridge *br, const char *system_id,
             const struct simap *carriers, const struct smap *incumbents,
             struct lif_model *model)
{
    const struct ovsrec_interface *lif_iface
        = choose_lif(br, smap_get(incumbents, br->name));
    if (!lif_iface) {
        return;
    }

    struct lif_logical *lif = xmalloc(sizeof *lif);
    lif_logical_init(lif, lif_iface->name, br->name);
    lif->bridge_uuid = br->header_.uuid;
    hmap_insert(&model->lifs, &lif->hmap_node, hash_string(br->name, 0));
    parse_lif_keys(lif_iface, system_id, lif);

    char dpid[17];
    lif_datapath_id_derive(br->name, dpid);
    lif->bridge_ready = (br->fail_mode && !strcmp(br->fail_mode, "secure")
                         && br->datapath_id && !strcmp(br->datapath_id, dpid));

    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];
        for (size_t j = 0; j < port->n_interfaces; j++) {
            const struct ovsrec_interface *iface = port->interfaces[j];
            if (iface == lif_iface || iface_is_bridge_local(br, iface)) {
                continue;
            }
            if (iface_is_logical(iface)) {
                /* Neither a LIF nor a sub-interface: no traffic at all. */
                if (!iface_can_be_lif(iface)) {
                    svec_add_nocopy(&lif->errors, xasprintf(
                                        "interface %s has lif-role=logical "
                                        "but type \"%s\": a LIF must be an "
                                        "internal interface; %s is ignored",
                                        iface->name, iface->type[0]
                                        ? iface->type : "system",
                                        iface->name));
                } else {
                    svec_add_nocopy(&lif->errors, xasprintf(
                                        "interface %s also has "
                                        "lif-role=logical, but bridge %s "
                                        "already has LIF %s (one LIF per "
                                        "bridge): %s is ignored",
                                        iface->name, br->name, lif->name,
                                        iface->name));
                }
                continue;
            }

            struct lif_subif *subif = lif_logical_add_subif(lif, iface->name);
            subif->uuid = iface->header_.uuid;
            parse_subif_keys(iface, subif);
            const struct simap_node *c = simap_find(carriers, iface->name);
            if (c) {
                subif->carrier = c->data;
            }
        }
    }
    svec_sort(&lif->errors);
    lif_logical_finish(lif);
}

/* Computes into 'model' (which must be initialized and empty) every LIF that
 * 'ovs_idl', a replica of the Open_vSwitch database, describes.  'carriers'
 * maps device names to the "enum lif_carrier" the carrier poller sees.
 * 'incumbents' maps bridge names to the name of the interface that was
 * that bridge's LIF until now, which stays its LIF while it can be one.
 * Reads nothing else and changes nothing. */
void
lif_model_build(struct ovsdb_idl *ovs_idl, const struct simap *carriers,
                const struct smap *incumbents, struct lif_model *model)
{
    const struct ovsrec_open_vswitch *cfg = ovsrec_open_vswitch_first(ovs_idl);
    const char *system_id = cfg ? smap_get(&cfg->external_ids, "system-id")
                                : NULL;

    const struct ovsrec_bridge *br;
    OVSREC_BRIDGE_FOR_EACH (br, ovs_idl) {
        build_bridge(br, system_id, carriers, incumbents, model);
    }
}

/* Returns the default router of 'subif': the most preferred of its routers
 * with a non-zero router lifetime, or NULL. */
const struct lif_router *
lif_subif_default_router(const struct lif_subif *subif)
{
    for (size_t i = 0; i < subif->n_routers; i++) {
        if (subif->routers[i].lifetime) {
            return &subif->routers[i];
        }
    }
    return NULL;
}

/* Returns a string for 'carrier'. */
const char *
lif_carrier_to_string(enum lif_carrier carrier)
{
    switch (carrier) {
    case LIF_CARRIER_UP:
        return "up";
    case LIF_CARRIER_DOWN:
        return "down";
    case LIF_CARRIER_UNKNOWN:
    default:
        return "unknown";
    }
}

/* Returns a string for 'state', as in the Sub_Interface "state" column. */
const char *
lif_subif_state_to_string(enum lif_subif_state state)
{
    switch (state) {
    case LIF_SUBIF_ACTIVE:
        return "active";
    case LIF_SUBIF_STANDBY:
        return "standby";
    case LIF_SUBIF_DOWN:
    default:
        return "down";
    }
}

/* Returns a string for 'mode', as in external_ids:lif-lladdr. */
const char *
lif_lladdr_mode_to_string(enum lif_lladdr_mode mode)
{
    return mode == LIF_LLADDR_OWN ? "own" : "logical";
}
