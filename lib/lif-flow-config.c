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

#include "lif-flow-config.h"

#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "flow.h"
#include "hash.h"
#include "lif-idl.h"
#include "lif-model.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

/* Whether a policy or a pin may match on field 'id': L3 and L4 fields of the
 * packets the host sends. */
static bool
field_is_allowed(enum mf_field_id id)
{
    switch (id) {
    case MFF_PACKET_TYPE:
    case MFF_ETH_TYPE:
    case MFF_IPV4_SRC:
    case MFF_IPV4_DST:
    case MFF_IPV6_SRC:
    case MFF_IPV6_DST:
    case MFF_IPV6_LABEL:
    case MFF_IP_PROTO:
    case MFF_IP_DSCP:
    case MFF_IP_DSCP_SHIFTED:
    case MFF_IP_ECN:
    case MFF_IP_TTL:
    case MFF_IP_FRAG:
    case MFF_TCP_SRC:
    case MFF_TCP_DST:
    case MFF_TCP_FLAGS:
    case MFF_UDP_SRC:
    case MFF_UDP_DST:
    case MFF_SCTP_SRC:
    case MFF_SCTP_DST:
    case MFF_ICMPV4_TYPE:
    case MFF_ICMPV4_CODE:
    case MFF_ICMPV6_TYPE:
    case MFF_ICMPV6_CODE:
        return true;
    default:
        return false;
    }
}

/* Counts the bits that 'match' matches on. */
static int
match_n_bits(const struct match *match)
{
    const uint64_t *words = (const uint64_t *) &match->wc.masks;
    int n = 0;

    for (size_t i = 0; i < sizeof match->wc.masks / sizeof *words; i++) {
        n += count_1bits(words[i]);
    }
    return n;
}

/* Parses 's', a MATCH of a flow routing policy or of a pinned flow, in
 * ovs-ofctl(8) flow syntax, with Open vSwitch's own parser.  It must
 * describe IPv4 or IPv6 packets that the host sends and use only L3 and L4
 * fields.  On success returns NULL and stores the canonical form of the
 * match in '*canonical' (to be freed by the caller) and, if 'n_bits' is
 * nonnull, the number of bits it matches on in '*n_bits'.  On failure
 * returns a malloc()'d message that names the problem and stores NULL in
 * '*canonical'. */
char *
lif_flow_match_parse(const char *s, char **canonical, int *n_bits)
{
    enum ofputil_protocol usable;
    struct ofputil_flow_mod fm;
    struct match match;
    char *error;

    *canonical = NULL;
    error = parse_ofp_str(&fm, OFPFC_DELETE, s, NULL, NULL, &usable);
    if (error) {
        char *msg = xasprintf("match \"%s\": %s", s, error);
        free(error);
        return msg;
    }
    minimatch_expand(&fm.match, &match);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);

    if (fm.table_id != 0xff || fm.priority != OFP_DEFAULT_PRIORITY
        || fm.cookie_mask || fm.out_port != OFPP_ANY
        || fm.out_group != OFPG_ANY) {
        return xasprintf("match \"%s\": only match fields are allowed (no "
                         "table, priority, cookie, out_port or out_group)",
                         s);
    }
    if (!(match.wc.masks.dl_type == OVS_BE16_MAX
          && (match.flow.dl_type == htons(ETH_TYPE_IP)
              || match.flow.dl_type == htons(ETH_TYPE_IPV6)))) {
        return xasprintf("match \"%s\": must name IPv4 or IPv6 traffic "
                         "(for example ip, ipv6, tcp, udp6)", s);
    }
    for (int id = 0; id < MFF_N_IDS; id++) {
        const struct mf_field *mf = mf_from_id(id);
        if (!field_is_allowed(id)
            && mf_are_prereqs_ok(mf, &match.flow, NULL)
            && !mf_is_all_wild(mf, &match.wc)) {
            return xasprintf("match \"%s\": field %s is not allowed: a "
                             "MATCH may use only L3 and L4 fields of the "
                             "packets the host sends (addresses, protocol, "
                             "ports, DSCP, ICMP type...)", s, mf->name);
        }
    }

    struct ds ds = DS_EMPTY_INITIALIZER;
    match_format(&match, NULL, &ds, OFP_DEFAULT_PRIORITY);
    *canonical = ds_steal_cstr(&ds);
    if (n_bits) {
        *n_bits = match_n_bits(&match);
    }
    return NULL;
}

/* Parses a Flow_Policy "mode" into '*mode'.  Returns false if it is not
 * one. */
bool
lif_flow_mode_from_string(const char *s, enum lif_flow_mode *mode)
{
    if (!strcmp(s, "failover")) {
        *mode = LIF_FLOW_FAILOVER;
    } else if (!strcmp(s, "balance")) {
        *mode = LIF_FLOW_BALANCE;
    } else if (!strcmp(s, "redundant")) {
        *mode = LIF_FLOW_REDUNDANT;
    } else {
        return false;
    }
    return true;
}

/* Returns the Flow_Policy "mode" string for 'mode'. */
const char *
lif_flow_mode_to_string(enum lif_flow_mode mode)
{
    switch (mode) {
    case LIF_FLOW_BALANCE:
        return "balance";
    case LIF_FLOW_REDUNDANT:
        return "redundant";
    case LIF_FLOW_FAILOVER:
    default:
        return "failover";
    }
}

/* Appends to 'names' the sub-interface names in 's', a list separated by
 * commas (Flow_Policy "sub_interfaces"), without spaces and empty names. */
void
lif_flow_split_subifs(const char *s, struct svec *names)
{
    char *copy = xstrdup(s);
    char *save_ptr = NULL;

    for (char *name = strtok_r(copy, ", ", &save_ptr); name;
         name = strtok_r(NULL, ", ", &save_ptr)) {
        svec_add(names, name);
    }
    free(copy);
}

/* Returns LIF_Global options:flow-export-limit from 'options' (which may be
 * NULL). */
int
lif_flow_export_limit(const struct smap *options)
{
    const char *s = options ? smap_get(options, "flow-export-limit") : NULL;
    int value;

    if (s && str_to_int(s, 10, &value) && value >= 0
        && value <= LIF_FLOW_MAX_EXPORT_LIMIT) {
        return value;
    }
    return LIF_FLOW_DEFAULT_EXPORT_LIMIT;
}

/* Frees 'cfg' and everything it owns. */
void
lif_flow_config_destroy(struct lif_flow_config *cfg)
{
    if (cfg) {
        for (size_t i = 0; i < cfg->n_policies; i++) {
            struct lif_flow_policy *p = &cfg->policies[i];
            free(p->name);
            free(p->match);
            svec_destroy(&p->subifs);
            svec_destroy(&p->errors);
        }
        free(cfg->policies);
        for (size_t i = 0; i < cfg->n_pins; i++) {
            free(cfg->pins[i].match);
            free(cfg->pins[i].subif);
            svec_destroy(&cfg->pins[i].errors);
        }
        free(cfg->pins);
        free(cfg);
    }
}

/* Parses integer key 'key' of 'ids' into '*value' if it is within
 * ['min', 'max'], otherwise records an error for 'lif'. */
static void
parse_int_key(const struct smap *ids, const char *key, int min, int max,
              int *value, struct lif_logical *lif)
{
    const char *s = smap_get(ids, key);
    int v;

    if (!s) {
        return;
    }
    if (str_to_int(s, 10, &v) && v >= min && v <= max) {
        *value = v;
    } else {
        svec_add_nocopy(&lif->errors, xasprintf(
                            "%s: \"%s\" is not an integer between %d and %d; "
                            "using %d", key, s, min, max, *value));
    }
}

/* Reads the LIF's own keys from its Interface row. */
static void
parse_lif_flow_keys(const struct ovsrec_interface *iface,
                    struct lif_logical *lif)
{
    struct lif_flow_config *cfg = lif->flow;
    const struct smap *ids = &iface->external_ids;

    parse_int_key(ids, "lif-flow-idle-timeout", 1, 65535,
                  &cfg->idle_timeout, lif);
    parse_int_key(ids, "lif-flow-limit", 1, 10000000, &cfg->limit, lif);

    if (smap_get(ids, "lif-flow-evidence")) {
        svec_add(&lif->errors, "lif-flow-evidence: no longer a setting "
                 "(ignored): a TCP packet moves its flow only if connection "
                 "tracking finds it valid, which costs nothing beyond the "
                 "tracking that reflective flows need anyway");
    }
}

static int
compare_lifs_by_bridge(const void *a_, const void *b_)
{
    const struct lif_logical *const *a = a_;
    const struct lif_logical *const *b = b_;
    return strcmp((*a)->bridge, (*b)->bridge);
}

/* Gives every LIF of 'model' its own conntrack zone: all netdev bridges
 * share one datapath, and with it one connection tracker.  A LIF keeps
 * its zone as long as no other LIF's bridge name hashes to the same one. */
static void
assign_ct_zones(struct lif_model *model)
{
    size_t n = hmap_count(&model->lifs);
    struct lif_logical **lifs = xmalloc((n + 1) * sizeof *lifs);
    unsigned long *used = bitmap_allocate(LIF_FLOW_CT_ZONE_N);
    struct lif_logical *lif;
    size_t i = 0;

    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        lifs[i++] = lif;
    }
    qsort(lifs, n, sizeof *lifs, compare_lifs_by_bridge);
    for (i = 0; i < n; i++) {
        uint32_t z = hash_string(lifs[i]->bridge, 0) % LIF_FLOW_CT_ZONE_N;
        while (bitmap_is_set(used, z)) {
            z = (z + 1) % LIF_FLOW_CT_ZONE_N;
        }
        bitmap_set1(used, z);
        lifs[i]->flow->ct_zone = LIF_FLOW_CT_ZONE_BASE + z;
    }
    bitmap_free(used);
    free(lifs);
}

static int
compare_policies(const void *a_, const void *b_)
{
    const struct lif_flow_policy *a = a_;
    const struct lif_flow_policy *b = b_;
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return strcmp(a->name, b->name);
}

static int
compare_pins(const void *a_, const void *b_)
{
    const struct lif_flow_pin *a = a_;
    const struct lif_flow_pin *b = b_;
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    return uuid_compare_3way(&a->uuid, &b->uuid);
}

static void
add_policy(struct lif_logical *lif, const struct lifrec_flow_policy *row)
{
    struct lif_flow_config *cfg = lif->flow;
    cfg->policies = xrealloc(cfg->policies,
                             (cfg->n_policies + 1) * sizeof *cfg->policies);
    struct lif_flow_policy *p = &cfg->policies[cfg->n_policies++];

    *p = (struct lif_flow_policy) {
        .name = xstrdup(row->name),
        .uuid = row->header_.uuid,
        .priority = row->priority,
    };
    svec_init(&p->subifs);
    svec_init(&p->errors);

    char *error = lif_flow_match_parse(row->match, &p->match, NULL);
    if (error) {
        svec_add_nocopy(&p->errors, xasprintf("%s; the policy is ignored",
                                              error));
        free(error);
    }
    if (!lif_flow_mode_from_string(row->mode, &p->mode)) {
        svec_add_nocopy(&p->errors, xasprintf("mode \"%s\" is not failover, "
                                              "balance or redundant; using "
                                              "failover", row->mode));
    }

    struct svec names = SVEC_EMPTY_INITIALIZER;
    lif_flow_split_subifs(row->sub_interfaces, &names);
    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.names[i];
        if (!lif_logical_find_subif(lif, name)) {
            svec_add_nocopy(&p->errors, xasprintf(
                                "sub-interface %s: LIF %s has no such "
                                "sub-interface", name, lif->name));
        } else if (!svec_contains_unsorted(&p->subifs, name)) {
            svec_add(&p->subifs, name);
        }
    }
    if (!names.n) {
        svec_add(&p->errors, "no sub-interfaces listed; the policy has no "
                 "effect");
    }
    svec_destroy(&names);
}

static void
add_pin(struct lif_logical *lif, const struct lifrec_flow *row)
{
    struct lif_flow_config *cfg = lif->flow;
    cfg->pins = xrealloc(cfg->pins, (cfg->n_pins + 1) * sizeof *cfg->pins);
    struct lif_flow_pin *pin = &cfg->pins[cfg->n_pins++];
    int n_bits = 0;

    *pin = (struct lif_flow_pin) {
        .uuid = row->header_.uuid,
        .subif = xstrdup(row->sub_interface),
    };
    svec_init(&pin->errors);

    char *error = lif_flow_match_parse(row->match, &pin->match, &n_bits);
    if (error) {
        svec_add_nocopy(&pin->errors, xasprintf("%s; the pin is ignored",
                                                error));
        free(error);
    } else if (!lif_logical_find_subif(lif, row->sub_interface)) {
        svec_add_nocopy(&pin->errors, xasprintf(
                            "sub-interface %s: LIF %s has no such "
                            "sub-interface; the pin is ignored",
                            row->sub_interface, lif->name));
        free(pin->match);
        pin->match = NULL;
    }
    /* More specific pins first. */
    pin->priority = 100 + n_bits;
}

/* Two policies with the same match and priority would be one OpenFlow
 * flow: the later one (by name) is ignored.  Likewise for pins. */
static void
check_duplicates(struct lif_flow_config *cfg)
{
    struct shash seen = SHASH_INITIALIZER(&seen);
    for (size_t i = 0; i < cfg->n_policies; i++) {
        struct lif_flow_policy *p = &cfg->policies[i];
        if (!p->match) {
            continue;
        }
        char *key = xasprintf("%d %s", p->priority, p->match);
        const struct lif_flow_policy *first = shash_find_data(&seen, key);
        if (first) {
            svec_add_nocopy(&p->errors, xasprintf(
                                "same match and priority as policy %s; the "
                                "policy is ignored", first->name));
            free(p->match);
            p->match = NULL;
            free(key);
        } else {
            shash_add_nocopy(&seen, key, p);
        }
    }
    shash_clear(&seen);
    for (size_t i = 0; i < cfg->n_pins; i++) {
        struct lif_flow_pin *pin = &cfg->pins[i];
        if (pin->match && !shash_add_once(&seen, pin->match, pin)) {
            svec_add(&pin->errors, "another pinned flow has the same match; "
                     "this one is ignored");
            free(pin->match);
            pin->match = NULL;
        }
    }
    shash_destroy(&seen);
}

/* Adds to every LIF of 'model' its FLOW table configuration: the LIF's
 * lif-flow-* keys from its Interface row in 'ovs_idl', and the Flow_Policy
 * and pinned Flow rows for it in 'lif_idl' (which may be NULL: no
 * policies and no pins), validated.  Rows for LIFs that 'model' does not
 * have are ignored here. */
void
lif_flow_config_build(struct lif_model *model, struct ovsdb_idl *ovs_idl,
                      struct ovsdb_idl *lif_idl)
{
    struct shash by_name = SHASH_INITIALIZER(&by_name);
    struct lif_logical *lif;

    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        lif_flow_config_destroy(lif->flow);
        lif->flow = xzalloc(sizeof *lif->flow);
        lif->flow->idle_timeout = LIF_FLOW_DEFAULT_IDLE_TIMEOUT;
        lif->flow->limit = LIF_FLOW_DEFAULT_LIMIT;
        shash_add_once(&by_name, lif->name, lif);

        const struct ovsrec_interface *iface
            = ovs_idl ? ovsrec_interface_get_for_uuid(ovs_idl, &lif->uuid)
                      : NULL;
        if (iface) {
            parse_lif_flow_keys(iface, lif);
        }
    }
    assign_ct_zones(model);

    if (lif_idl) {
        const struct lifrec_flow_policy *policy;
        LIFREC_FLOW_POLICY_FOR_EACH (policy, lif_idl) {
            lif = shash_find_data(&by_name, policy->lif);
            if (lif) {
                add_policy(lif, policy);
            }
        }
        const struct lifrec_flow *flow;
        LIFREC_FLOW_FOR_EACH (flow, lif_idl) {
            lif = flow->pinned ? shash_find_data(&by_name, flow->lif) : NULL;
            if (lif) {
                add_pin(lif, flow);
            }
        }
    }

    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        struct lif_flow_config *cfg = lif->flow;
        if (cfg->n_policies) {
            qsort(cfg->policies, cfg->n_policies, sizeof *cfg->policies,
                  compare_policies);
        }
        if (cfg->n_pins) {
            qsort(cfg->pins, cfg->n_pins, sizeof *cfg->pins, compare_pins);
        }
        check_duplicates(cfg);
    }
    shash_destroy(&by_name);
}
