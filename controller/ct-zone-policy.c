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

#include "ct-zone-policy.h"

#include <string.h>

#include "hash.h"
#include "lif-flow-config.h"
#include "lif-model.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(ct_zone_policy);

/* The mark on the CT_Zone and CT_Timeout_Policy rows lif-controller owns. */
#define OWNER_KEY "lif-owner"
#define OWNER_VALUE "lif-controller"

/* The timeouts of a timeout policy that the userspace conntrack honours
 * and that end an idle flow (lib/conntrack-tp.c): UDP and "other" first
 * packet, one-way and both-way, ICMP, and established TCP.  TCP's
 * handshake and closing states keep conntrack's defaults, which are short
 * (30 s) except FIN_WAIT: a closing connection is no flow to keep. */
static const char *const idle_keys[] = {
    "icmp_first", "icmp_reply", "tcp_established",
    "udp_first", "udp_multiple", "udp_single",
};

/* How long after a write that did not show up in the database the next
 * attempt is made, in milliseconds. */
#define RETRY_MSEC 1000

/* A zone that some LIF needs, with its idle timeout. */
struct zone_want {
    struct hmap_node node;      /* In "struct dp_want"'s 'zones'. */
    uint16_t zone;
    int64_t timeout;            /* Seconds. */
};

/* What the LIFs of one datapath type need. */
struct dp_want {
    struct hmap zones;          /* Contains "struct zone_want"s. */
};

static bool wrote;              /* The last run wrote something. */
static uint32_t wrote_hash;     /* wants_hash() of what it wrote. */
static long long int retry_at;  /* When to look again after a write. */
static bool warned_schema;      /* The missing tables were logged. */

/* Registers the Open_vSwitch tables and columns this module reads and
 * writes. */
void
ct_zone_policy_register_columns(struct ovsdb_idl *ovs_idl)
{
    ovsdb_idl_add_column(ovs_idl, &ovsrec_open_vswitch_col_datapaths);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_bridge_col_datapath_type);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_datapath);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_datapath_col_ct_zones);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_ct_zone);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_ct_zone_col_timeout_policy);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_ct_zone_col_external_ids);

    ovsdb_idl_add_table(ovs_idl, &ovsrec_table_ct_timeout_policy);
    ovsdb_idl_add_column(ovs_idl, &ovsrec_ct_timeout_policy_col_timeouts);
    ovsdb_idl_add_column(ovs_idl,
                         &ovsrec_ct_timeout_policy_col_external_ids);
}

static bool
is_ours(const struct smap *external_ids)
{
    const char *owner = smap_get(external_ids, OWNER_KEY);
    return owner && !strcmp(owner, OWNER_VALUE);
}

static bool
in_lif_range(int64_t zone)
{
    return (zone >= LIF_FLOW_CT_ZONE_BASE
            && zone < LIF_FLOW_CT_ZONE_BASE + LIF_FLOW_CT_ZONE_N);
}

static const struct zone_want *
find_zone_want(const struct dp_want *dw, int64_t zone)
{
    const struct zone_want *zw;
    HMAP_FOR_EACH_WITH_HASH (zw, node, hash_int(zone, 0), &dw->zones) {
        if (zw->zone == zone) {
            return zw;
        }
    }
    return NULL;
}

/* Fills 'wants' (datapath type -> "struct dp_want") with the zones the
 * LIFs of 'model' need. */
static void
collect_wants(struct ovsdb_idl *ovs_idl, const struct lif_model *model,
              struct shash *wants)
{
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        if (!lif->flow) {
            continue;
        }
        const struct ovsrec_bridge *br
            = ovsrec_bridge_get_for_uuid(ovs_idl, &lif->bridge_uuid);
        if (!br) {
            continue;
        }
        /* ovs-vswitchd's default type, as ofproto_normalize_type(). */
        const char *type = (br->datapath_type && br->datapath_type[0]
                            ? br->datapath_type : "system");
        struct dp_want *dw = shash_find_data(wants, type);
        if (!dw) {
            dw = xmalloc(sizeof *dw);
            hmap_init(&dw->zones);
            shash_add(wants, type, dw);
        }
        if (!find_zone_want(dw, lif->flow->ct_zone)) {
            struct zone_want *zw = xmalloc(sizeof *zw);
            zw->zone = lif->flow->ct_zone;
            zw->timeout = lif->flow->idle_timeout;
            hmap_insert(&dw->zones, &zw->node, hash_int(zw->zone, 0));
        }
    }
}

/* A hash of 'wants' that does not depend on the order of its contents. */
static uint32_t
wants_hash(const struct shash *wants)
{
    uint32_t hash = 0;
    struct shash_node *node;
    SHASH_FOR_EACH (node, wants) {
        const struct dp_want *dw = node->data;
        const struct zone_want *zw;
        HMAP_FOR_EACH (zw, node, &dw->zones) {
            hash ^= hash_int(zw->zone, hash_uint64_basis(zw->timeout,
                                                hash_string(node->name, 0)));
        }
    }
    return hash;
}

static void
destroy_wants(struct shash *wants)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, wants) {
        struct dp_want *dw = node->data;
        struct zone_want *zw;
        HMAP_FOR_EACH_POP (zw, node, &dw->zones) {
            free(zw);
        }
        hmap_destroy(&dw->zones);
        free(dw);
    }
    shash_destroy(wants);
}

static bool
timeouts_match(const struct ovsrec_ct_timeout_policy *tp, int64_t timeout)
{
    if (tp->n_timeouts != ARRAY_SIZE(idle_keys)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(idle_keys); i++) {
        size_t j;
        for (j = 0; j < tp->n_timeouts; j++) {
            if (!strcmp(tp->key_timeouts[j], idle_keys[i])) {
                break;
            }
        }
        if (j >= tp->n_timeouts || tp->value_timeouts[j] != timeout) {
            return false;
        }
    }
    return true;
}

/* Makes 'zw''s zone in Datapath 'dp' (of 'type') a CT_Zone of ours with the
 * idle timeout policy.  Returns the CT_Zone the zone should name, and in
 * '*changed' whether anything was written.  The caller puts a new CT_Zone
 * into 'dp''s "ct_zones". */
static const struct ovsrec_ct_zone *
ensure_zone(struct ovsdb_idl_txn *txn, const char *type,
            const struct ovsrec_datapath *dp, const struct zone_want *zw,
            bool *changed)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    const struct ovsrec_ct_zone *cz = NULL;
    const struct smap ids = SMAP_CONST1(&ids, OWNER_KEY, OWNER_VALUE);

    for (size_t i = 0; dp && i < dp->n_ct_zones; i++) {
        if (dp->key_ct_zones[i] == zw->zone) {
            cz = dp->value_ct_zones[i];
            break;
        }
    }
    if (cz && !is_ours(&cz->external_ids)) {
        VLOG_WARN_RL(&rl, "datapath %s: conntrack zone %"PRIu16" is a LIF's "
                     "(lif-controller owns zones %d to %d): replacing its "
                     "CT_Zone", type, zw->zone, LIF_FLOW_CT_ZONE_BASE,
                     LIF_FLOW_CT_ZONE_BASE + LIF_FLOW_CT_ZONE_N - 1);
        cz = NULL;
    }
    if (!cz) {
        cz = ovsrec_ct_zone_insert(txn);
        ovsrec_ct_zone_set_external_ids(cz, &ids);
        *changed = true;
    }

    /* A policy row of ours never changes: "ovs-vsctl add-zone-tp" gives a
     * user's zone an existing row with the same timeouts, ours too. */
    const struct ovsrec_ct_timeout_policy *tp = cz->timeout_policy;
    if (!tp || !is_ours(&tp->external_ids)
        || !timeouts_match(tp, zw->timeout)) {
        int64_t values[ARRAY_SIZE(idle_keys)];
        for (size_t i = 0; i < ARRAY_SIZE(idle_keys); i++) {
            values[i] = zw->timeout;
        }
        VLOG_INFO("datapath %s: conntrack zone %"PRIu16": idle timeouts "
                  "%"PRId64" s", type, zw->zone, zw->timeout);
        tp = ovsrec_ct_timeout_policy_insert(txn);
        ovsrec_ct_timeout_policy_set_external_ids(tp, &ids);
        ovsrec_ct_timeout_policy_set_timeouts(
            tp, CONST_CAST(const char **, idle_keys), values,
            ARRAY_SIZE(idle_keys));
        ovsrec_ct_zone_set_timeout_policy(cz, tp);
        *changed = true;
    }
    return cz;
}

/* Makes the zones of 'dw' in the Datapath row of 'type' what they should
 * be, creating the row if needed.  Returns true if it wrote anything. */
static bool
sync_datapath(struct ovsdb_idl_txn *txn,
              const struct ovsrec_open_vswitch *ovs, const char *type,
              const struct dp_want *dw)
{
    const struct ovsrec_datapath *dp = NULL;
    bool changed = false;

    for (size_t i = 0; i < ovs->n_datapaths; i++) {
        if (!strcmp(ovs->key_datapaths[i], type)) {
            dp = ovs->value_datapaths[i];
            break;
        }
    }

    if (dp) {
        const struct zone_want *zw;
        HMAP_FOR_EACH (zw, node, &dw->zones) {
            bool zone_changed = false;
            const struct ovsrec_ct_zone *cz = ensure_zone(txn, type, dp, zw,
                                                          &zone_changed);
            bool named = false;
            for (size_t i = 0; i < dp->n_ct_zones; i++) {
                if (dp->key_ct_zones[i] == zw->zone) {
                    named = dp->value_ct_zones[i] == cz;
                    break;
                }
            }
            if (!named) {
                ovsrec_datapath_update_ct_zones_setkey(dp, zw->zone, cz);
            }
            changed |= zone_changed;
        }
        return changed;
    }

    /* A new Datapath row, with all its zones at once.  Verifying
     * "datapaths" makes the transaction try again if someone else added
     * this type meanwhile, rather than replace theirs. */
    VLOG_INFO("datapath %s: adding its Datapath row for the LIFs' conntrack "
              "zones", type);
    size_t n = hmap_count(&dw->zones);
    int64_t *keys = xmalloc(n * sizeof *keys);
    struct ovsrec_ct_zone **values = xmalloc(n * sizeof *values);
    size_t i = 0;
    const struct zone_want *zw;
    HMAP_FOR_EACH (zw, node, &dw->zones) {
        keys[i] = zw->zone;
        values[i] = CONST_CAST(struct ovsrec_ct_zone *,
                               ensure_zone(txn, type, NULL, zw, &changed));
        i++;
    }
    dp = ovsrec_datapath_insert(txn);
    ovsrec_datapath_set_ct_zones(dp, keys, values, n);
    ovsrec_open_vswitch_verify_datapaths(ovs);
    ovsrec_open_vswitch_update_datapaths_setkey(ovs, type, dp);
    free(keys);
    free(values);
    return true;
}

/* Removes from every Datapath row the zones in the LIFs' range whose
 * CT_Zone is ours and that no LIF of that type needs any more.  Returns
 * true if it wrote anything. */
static bool
remove_stale_zones(const struct ovsrec_open_vswitch *ovs,
                   const struct shash *wants)
{
    bool changed = false;

    for (size_t i = 0; i < ovs->n_datapaths; i++) {
        const char *type = ovs->key_datapaths[i];
        const struct ovsrec_datapath *dp = ovs->value_datapaths[i];
        const struct dp_want *dw = shash_find_data(wants, type);

        for (size_t j = 0; j < dp->n_ct_zones; j++) {
            int64_t zone = dp->key_ct_zones[j];
            if (in_lif_range(zone)
                && is_ours(&dp->value_ct_zones[j]->external_ids)
                && (!dw || !find_zone_want(dw, zone))) {
                VLOG_INFO("datapath %s: removing conntrack zone %"PRId64
                          " (no LIF uses it)", type, zone);
                ovsrec_datapath_update_ct_zones_delkey(dp, zone);
                changed = true;
            }
        }
    }
    return changed;
}

static bool
server_has_tables(struct ovsdb_idl *ovs_idl)
{
    return (ovsdb_idl_server_has_column(ovs_idl,
                                        &ovsrec_open_vswitch_col_datapaths)
            && ovsdb_idl_server_has_table(ovs_idl, &ovsrec_table_datapath)
            && ovsdb_idl_server_has_table(ovs_idl, &ovsrec_table_ct_zone)
            && ovsdb_idl_server_has_table(ovs_idl,
                                          &ovsrec_table_ct_timeout_policy));
}

/* Makes the conntrack timeout policies of the LIFs' zones in the
 * Open_vSwitch database follow 'model', writing only what differs. */
void
ct_zone_policy_run(struct ovsdb_idl_txn *txn, struct ovsdb_idl *ovs_idl,
                   const struct lif_model *model)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

    if (!txn) {
        return;                 /* A transaction is in flight. */
    }
    if (!server_has_tables(ovs_idl)) {
        if (!warned_schema) {
            VLOG_WARN("the Open_vSwitch database has no Datapath, CT_Zone "
                      "or CT_Timeout_Policy table: the LIFs' idle timeouts "
                      "are not applied to their conntrack zones");
            warned_schema = true;
        }
        wrote = false;
        return;
    }
    warned_schema = false;

    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(ovs_idl);
    if (!ovs) {
        return;
    }

    struct shash wants = SHASH_INITIALIZER(&wants);
    collect_wants(ovs_idl, model, &wants);

    bool changed = false;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &wants) {
        changed |= sync_datapath(txn, ovs, node->name, node->data);
    }
    changed |= remove_stale_zones(ovs, &wants);
    uint32_t hash = wants_hash(&wants);
    destroy_wants(&wants);

    /* This run has a transaction, so the previous one has completed: if
     * the LIFs still want the same, what it wrote should be in the
     * database by now. */
    if (changed && wrote && hash == wrote_hash) {
        VLOG_WARN_RL(&rl, "the conntrack zone timeout policies written by "
                     "the last transaction are not in the database; "
                     "retrying");
    }
    wrote = changed;
    wrote_hash = hash;
    if (changed) {
        retry_at = time_msec() + RETRY_MSEC;
    }
}

/* Arranges for the main loop to wake up to retry a write that failed. */
void
ct_zone_policy_wait(void)
{
    if (wrote) {
        poll_timer_wait_until(retry_at);
    }
}

/* Forgets the module's state (nothing in the database changes). */
void
ct_zone_policy_destroy(void)
{
    wrote = false;
    warned_schema = false;
}
