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

#include "flow-export.h"

#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "classifier.h"
#include "dirs.h"
#include "flow.h"
#include "lif-cookie.h"
#include "lif-flow-config.h"
#include "lif-idl.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "socket-util.h"
#include "sset.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(flow_export);

/* How often the statistics are asked for, in milliseconds, at most: a
 * dump that took T ms is followed by the next one no earlier than
 * FLOW_EXPORT_DUTY * T ms after it started, so that a huge FLOW table
 * costs the switch and the controller at most about 1 / FLOW_EXPORT_DUTY
 * of their time (2 %). */
#define FLOW_EXPORT_INTERVAL 1000
#define FLOW_EXPORT_DUTY 50

/* The tables whose flows are exported. */
static const uint8_t export_tables[] = {
    LIF_T_FLOW_PIN, LIF_T_FLOW_REFLECT, LIF_T_FLOW_POLICY,
};
#define N_EXPORT_TABLES ARRAY_SIZE(export_tables)

/* One flow as the switch reported it. */
struct fe_entry {
    uint8_t table_id;
    uint64_t cookie;
    struct minimatch match;
    uint16_t port;              /* Learned sub-interface (table 51). */
    uint64_t packets, bytes;
    uint32_t duration;          /* Seconds. */
};

/* One complete dump.  Of the learned reflective flows only the busiest
 * 'limit' are kept, in a min-heap by bytes, so that memory stays bounded
 * however many flows the switch has. */
struct fe_dump {
    struct fe_entry *entries;   /* Pins and policies. */
    size_t n, allocated;
    struct fe_entry *top;       /* Heap of the busiest learned flows. */
    size_t n_top, limit;
    size_t n_learned;           /* Learned flows seen in all. */
};

/* The statistics connection to one LIF bridge. */
struct flow_exporter {
    char *bridge;
    struct rconn *rconn;
    unsigned int conn_seqno;
    long long int next_request; /* time_msec() of the next request. */
    long long int request_time; /* time_msec() of the last request. */
    long long int dump_msec;    /* How long the last dump took. */
    ovs_be32 xids[N_EXPORT_TABLES];
    size_t n_pending;           /* Dumps still in progress. */
    struct fe_dump pending;     /* Being received. */
    struct fe_dump current;     /* The last complete dump. */
    bool fresh;                 /* 'current' not yet written. */
    long long int last_write;   /* time_msec() of the last export. */
    size_t n_exported;          /* Rows written, for status. */
};

/* All exporters, by bridge name. */
static struct shash exporters = SHASH_INITIALIZER(&exporters);

/* Empties 'dump' and makes it keep up to 'limit' learned flows. */
static void
fe_dump_clear(struct fe_dump *dump, size_t limit)
{
    for (size_t i = 0; i < dump->n; i++) {
        minimatch_destroy(&dump->entries[i].match);
    }
    for (size_t i = 0; i < dump->n_top; i++) {
        minimatch_destroy(&dump->top[i].match);
    }
    dump->n = dump->n_top = dump->n_learned = 0;
    if (limit != dump->limit) {
        free(dump->top);
        dump->top = xmalloc((limit + 1) * sizeof *dump->top);
        dump->limit = limit;
    }
}

static void
fe_dump_destroy(struct fe_dump *dump)
{
    fe_dump_clear(dump, 0);
    free(dump->entries);
    free(dump->top);
}

/* Whether 'a' is less busy than 'b'. */
static bool
fe_entry_less(const struct fe_entry *a, const struct fe_entry *b)
{
    return (a->bytes != b->bytes ? a->bytes < b->bytes
            : a->packets < b->packets);
}

static void
fe_heap_swap(struct fe_entry *top, size_t i, size_t j)
{
    struct fe_entry tmp = top[i];
    top[i] = top[j];
    top[j] = tmp;
}

static void
fe_heap_sift_down(struct fe_entry *top, size_t n, size_t i)
{
    for (;;) {
        size_t min = i;
        size_t l = 2 * i + 1, r = 2 * i + 2;
        if (l < n && fe_entry_less(&top[l], &top[min])) {
            min = l;
        }
        if (r < n && fe_entry_less(&top[r], &top[min])) {
            min = r;
        }
        if (min == i) {
            return;
        }
        fe_heap_swap(top, i, min);
        i = min;
    }
}

/* Offers learned flow 'e' (whose match is still in 'fs_match') to the
 * heap of the busiest. */
static void
fe_dump_offer_learned(struct fe_dump *d, const struct fe_entry *e,
                      const struct match *fs_match)
{
    d->n_learned++;
    if (d->n_top < d->limit) {
        size_t i = d->n_top++;
        d->top[i] = *e;
        minimatch_init(&d->top[i].match, fs_match);
        while (i && fe_entry_less(&d->top[i], &d->top[(i - 1) / 2])) {
            fe_heap_swap(d->top, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    } else if (d->n_top && fe_entry_less(&d->top[0], e)) {
        minimatch_destroy(&d->top[0].match);
        d->top[0] = *e;
        minimatch_init(&d->top[0].match, fs_match);
        fe_heap_sift_down(d->top, d->n_top, 0);
    }
}

static struct flow_exporter *
exporter_create(const char *bridge)
{
    struct flow_exporter *fe = xzalloc(sizeof *fe);
    fe->bridge = xstrdup(bridge);
    fe->rconn = rconn_create(5, 1, DSCP_DEFAULT, 1u << OFP15_VERSION);

    char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), bridge);
    char *name = xasprintf("%s-flow-export", bridge);
    rconn_connect(fe->rconn, target, name);
    free(name);
    free(target);
    return fe;
}

static void
exporter_destroy(struct flow_exporter *fe)
{
    if (fe) {
        rconn_destroy(fe->rconn);
        fe_dump_destroy(&fe->pending);
        fe_dump_destroy(&fe->current);
        free(fe->bridge);
        free(fe);
    }
}

/* Asks for the flows of the exported tables, keeping up to 'limit' learned
 * flows. */
static void
send_requests(struct flow_exporter *fe, size_t limit)
{
    fe_dump_clear(&fe->pending, limit);
    fe->n_pending = 0;
    fe->request_time = time_msec();
    for (size_t i = 0; i < N_EXPORT_TABLES; i++) {
        struct ofputil_flow_stats_request fsr = {
            .aggregate = false,
            .out_port = OFPP_ANY,
            .out_group = OFPG_ANY,
            .table_id = export_tables[i],
        };
        match_init_catchall(&fsr.match);
        struct ofpbuf *msg = ofputil_encode_flow_stats_request(
            &fsr, OFPUTIL_P_OF15_OXM);
        fe->xids[i] = ((struct ofp_header *) msg->data)->xid;
        if (!rconn_send(fe->rconn, msg, NULL)) {
            fe->n_pending++;
        } else {
            fe->xids[i] = 0;
        }
    }
    fe->next_request = fe->request_time + FLOW_EXPORT_INTERVAL;
}

/* Returns the sub-interface port that the learned flow's actions load into
 * the sub-interface register, or 0. */
static uint16_t
learned_port(const struct ofpact *ofpacts, size_t ofpacts_len)
{
    const struct ofpact *a;
    OFPACT_FOR_EACH (a, ofpacts, ofpacts_len) {
        if (a->type == OFPACT_SET_FIELD) {
            const struct ofpact_set_field *sf = ofpact_get_SET_FIELD(a);
            if (sf->field->id == MFF_REG1) {
                return ntohl(sf->value->be32) & 0xffff;
            }
        }
    }
    return 0;
}

static void
handle_flow_stats_reply(struct flow_exporter *fe, const struct ofpbuf *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct ofpbuf b = ofpbuf_const_initializer(msg->data, msg->size);
    uint64_t stub[1024 / 8];
    struct ofpbuf ofpacts = OFPBUF_STUB_INITIALIZER(stub);

    for (;;) {
        struct ofputil_flow_stats fs;
        int retval = ofputil_decode_flow_stats_reply(&fs, &b, false,
                                                     &ofpacts);
        if (retval) {
            if (retval != EOF) {
                VLOG_WARN_RL(&rl, "%s: bad flow statistics reply: %s",
                             fe->bridge, ofperr_to_string(retval));
            }
            break;
        }
        struct fe_dump *d = &fe->pending;
        struct fe_entry e = {
            .table_id = fs.table_id,
            .cookie = ntohll(fs.cookie),
            .packets = fs.packet_count == UINT64_MAX ? 0 : fs.packet_count,
            .bytes = fs.byte_count == UINT64_MAX ? 0 : fs.byte_count,
            .duration = fs.duration_sec,
        };
        if (e.table_id == LIF_T_FLOW_REFLECT) {
            if (e.cookie >> 56 == LIF_COOKIE_LEARNED) {
                e.port = learned_port(fs.ofpacts, fs.ofpacts_len);
                fe_dump_offer_learned(d, &e, &fs.match);
            }
            continue;
        }
        if (d->n >= d->allocated) {
            d->entries = x2nrealloc(d->entries, &d->allocated,
                                    sizeof *d->entries);
        }
        d->entries[d->n] = e;
        minimatch_init(&d->entries[d->n++].match, &fs.match);
    }
    ofpbuf_uninit(&ofpacts);

    if (!ofpmp_more(msg->data)) {
        const struct ofp_header *oh = msg->data;
        for (size_t i = 0; i < N_EXPORT_TABLES; i++) {
            if (fe->xids[i] && fe->xids[i] == oh->xid) {
                fe->xids[i] = 0;
                if (!--fe->n_pending) {
                    struct fe_dump tmp = fe->current;
                    fe->current = fe->pending;
                    fe->pending = tmp;
                    fe_dump_clear(&fe->pending, fe->pending.limit);
                    fe->fresh = true;
                    fe->dump_msec = time_msec() - fe->request_time;
                    fe->next_request = MAX(
                        fe->next_request,
                        fe->request_time + FLOW_EXPORT_DUTY * fe->dump_msec);
                }
            }
        }
    }
}

static void
exporter_run(struct flow_exporter *fe, size_t limit)
{
    rconn_run(fe->rconn);

    unsigned int seqno = rconn_get_connection_seqno(fe->rconn);
    if (seqno != fe->conn_seqno) {
        fe->conn_seqno = seqno;
        fe->n_pending = 0;
        memset(fe->xids, 0, sizeof fe->xids);
        fe->next_request = 0;
    }
    if (rconn_is_connected(fe->rconn) && !fe->n_pending
        && time_msec() >= fe->next_request) {
        send_requests(fe, limit);
    }

    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(fe->rconn);
        if (!msg) {
            return;
        }
        const struct ofp_header *oh = msg->data;
        enum ofptype type;
        if (!ofptype_decode(&type, oh)) {
            if (type == OFPTYPE_ECHO_REQUEST) {
                rconn_send(fe->rconn, ofputil_encode_echo_reply(oh), NULL);
            } else if (type == OFPTYPE_FLOW_STATS_REPLY) {
                handle_flow_stats_reply(fe, msg);
            } else if (type == OFPTYPE_ERROR) {
                /* A request failed: start over at the next interval. */
                fe->n_pending = 0;
                memset(fe->xids, 0, sizeof fe->xids);
            }
        }
        ofpbuf_delete(msg);
    }
    poll_immediate_wake();
}

/* Sets 'errors' as the value of a row's "errors" column through 'set',
 * logging them (rate-limited) when they change. */
static void
log_new_errors(const char *what, char **old, size_t n_old,
               const struct svec *errors)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    for (size_t i = 0; i < errors->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < n_old; j++) {
            seen = seen || !strcmp(old[j], errors->names[i]);
        }
        if (!seen) {
            VLOG_WARN_RL(&rl, "%s: %s", what, errors->names[i]);
        }
    }
}

static const struct lif_logical *
find_lif_by_name(const struct lif_model *model, const char *name)
{
    const struct lif_logical *lif;
    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        if (!strcmp(lif->name, name)) {
            return lif;
        }
    }
    return NULL;
}

static const struct lif_flow_policy *
find_policy(const struct lif_logical *lif, const struct uuid *uuid)
{
    for (size_t i = 0; lif->flow && i < lif->flow->n_policies; i++) {
        if (uuid_equals(&lif->flow->policies[i].uuid, uuid)) {
            return &lif->flow->policies[i];
        }
    }
    return NULL;
}

static const struct lif_flow_pin *
find_pin(const struct lif_logical *lif, const struct uuid *uuid)
{
    for (size_t i = 0; lif->flow && i < lif->flow->n_pins; i++) {
        if (uuid_equals(&lif->flow->pins[i].uuid, uuid)) {
            return &lif->flow->pins[i];
        }
    }
    return NULL;
}

/* Writes the "errors" column of Flow_Policy rows and pinned Flow rows. */
static void
write_errors(struct ovsdb_idl *lif_idl, const struct lif_model *model)
{
    struct svec errors = SVEC_EMPTY_INITIALIZER;

    const struct lifrec_flow_policy *p;
    LIFREC_FLOW_POLICY_FOR_EACH (p, lif_idl) {
        const struct lif_logical *lif = find_lif_by_name(model, p->lif);
        const struct lif_flow_policy *policy
            = lif ? find_policy(lif, &p->header_.uuid) : NULL;

        svec_clear(&errors);
        if (!lif) {
            svec_add_nocopy(&errors, xasprintf("no LIF named %s", p->lif));
        } else if (policy) {
            svec_append(&errors, &policy->errors);
        }
        char *what = xasprintf("LIF %s policy %s", p->lif, p->name);
        log_new_errors(what, p->errors, p->n_errors, &errors);
        free(what);
        lifrec_flow_policy_set_errors(p, (const char **) errors.names,
                                      errors.n);
    }

    const struct lifrec_flow *f;
    LIFREC_FLOW_FOR_EACH (f, lif_idl) {
        if (!f->pinned) {
            continue;
        }
        const struct lif_logical *lif = find_lif_by_name(model, f->lif);
        const struct lif_flow_pin *pin
            = lif ? find_pin(lif, &f->header_.uuid) : NULL;

        svec_clear(&errors);
        if (!lif) {
            svec_add_nocopy(&errors, xasprintf("no LIF named %s", f->lif));
        } else if (pin) {
            svec_append(&errors, &pin->errors);
        }
        char *what = xasprintf("LIF %s pinned flow %s", f->lif, f->match);
        log_new_errors(what, f->errors, f->n_errors, &errors);
        free(what);
        lifrec_flow_set_errors(f, (const char **) errors.names, errors.n);
    }
    svec_destroy(&errors);
}

static int
compare_entries_by_bytes(const void *a_, const void *b_)
{
    const struct fe_entry *const *a = a_;
    const struct fe_entry *const *b = b_;
    if ((*a)->bytes != (*b)->bytes) {
        return (*a)->bytes > (*b)->bytes ? -1 : 1;
    }
    if ((*a)->packets != (*b)->packets) {
        return (*a)->packets > (*b)->packets ? -1 : 1;
    }
    return 0;
}

static const char *
subif_name_by_port(const struct lif_logical *lif, uint16_t port)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        if (lif->subifs[i].ofport != OFPP_NONE
            && ofp_to_u16(lif->subifs[i].ofport) == port) {
            return lif->subifs[i].name;
        }
    }
    return "";
}

static void
set_counters(const struct lifrec_flow *row, const struct fe_entry *e)
{
    lifrec_flow_set_packets(row, e->packets);
    lifrec_flow_set_bytes(row, e->bytes);
    lifrec_flow_set_age(row, e->duration);
}

/* Writes one exported row for 'lif' with 'match', reusing a row of
 * 'old' (exported rows by match) if there is one. */
static void
write_exported(struct ovsdb_idl_txn *txn, const struct lif_logical *lif,
               struct shash *old, struct sset *used, const char *match,
               const char *subif, const char *origin,
               const struct fe_entry *e)
{
    if (!sset_add(used, match)) {
        return;
    }
    const struct lifrec_flow *row = shash_find_and_delete(old, match);
    if (!row) {
        row = lifrec_flow_insert(txn);
        lifrec_flow_set_lif(row, lif->name);
        lifrec_flow_set_match(row, match);
        lifrec_flow_set_pinned(row, false);
    }
    lifrec_flow_set_sub_interface(row, subif);
    lifrec_flow_set_origin(row, origin);
    set_counters(row, e);
}

/* Exports what 'fe' last dumped for 'lif'. */
static void
export_lif(struct ovsdb_idl_txn *txn, struct ovsdb_idl *lif_idl,
           const struct lif_logical *lif, struct flow_exporter *fe,
           int limit)
{
    struct shash old = SHASH_INITIALIZER(&old);
    struct sset used = SSET_INITIALIZER(&used);
    const struct lifrec_flow *row;

    LIFREC_FLOW_FOR_EACH (row, lif_idl) {
        if (strcmp(row->lif, lif->name)) {
            continue;
        }
        if (row->pinned) {
            sset_add(&used, row->match);
        } else if (!shash_add_once(&old, row->match, row)) {
            lifrec_flow_delete(row);
        }
    }

    struct fe_dump *d = &fe->current;
    const struct fe_entry **learned
        = xmalloc((d->n_top + 1) * sizeof *learned);
    size_t n_learned = 0;
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < d->n_top; i++) {
        learned[n_learned++] = &d->top[i];
    }

    for (size_t i = 0; i < d->n; i++) {
        const struct fe_entry *e = &d->entries[i];
        struct uuid uuid = UUID_ZERO;
        uuid.parts[0] = e->cookie & 0xffffffff;

        if (e->table_id == LIF_T_FLOW_PIN
                   && e->cookie >> 56 == LIF_COOKIE_PIN) {
            for (size_t j = 0; j < lif->flow->n_pins; j++) {
                const struct lif_flow_pin *pin = &lif->flow->pins[j];
                if (pin->uuid.parts[0] == uuid.parts[0]) {
                    row = lifrec_flow_get_for_uuid(lif_idl, &pin->uuid);
                    if (row) {
                        set_counters(row, e);
                    }
                }
            }
        } else if (e->table_id == LIF_T_FLOW_POLICY
                   && e->cookie >> 56 == LIF_COOKIE_POLICY) {
            for (size_t j = 0; j < lif->flow->n_policies; j++) {
                const struct lif_flow_policy *p = &lif->flow->policies[j];
                if (p->uuid.parts[0] == uuid.parts[0] && p->match) {
                    char *subifs = svec_join(&p->subifs, ",", "");
                    write_exported(txn, lif, &old, &used, p->match, subifs,
                                   "policy", e);
                    free(subifs);
                }
            }
        }
    }

    /* The busiest reflective flows, as many as the limit allows. */
    if (n_learned) {
        qsort(learned, n_learned, sizeof *learned, compare_entries_by_bytes);
    }
    size_t n = MIN(n_learned, (size_t) limit);
    for (size_t i = 0; i < n; i++) {
        struct match match;
        minimatch_expand(&learned[i]->match, &match);
        ds_clear(&ds);
        match_format(&match, NULL, &ds, OFP_DEFAULT_PRIORITY);
        write_exported(txn, lif, &old, &used, ds_cstr(&ds),
                       subif_name_by_port(lif, learned[i]->port),
                       "reflective", learned[i]);
    }
    fe->n_exported = sset_count(&used);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &old) {
        lifrec_flow_delete(node->data);
    }
    ds_destroy(&ds);
    free(learned);
    sset_destroy(&used);
    shash_destroy(&old);
}

/* Tells 'lif_idl' that changes to the columns flow_export_run() writes
 * (counters and errors) need not wake lif-controller up: otherwise every
 * export would trigger a recompute. */
void
flow_export_init_idl(struct ovsdb_idl *lif_idl)
{
    ovsdb_idl_omit_alert(lif_idl, &lifrec_flow_col_packets);
    ovsdb_idl_omit_alert(lif_idl, &lifrec_flow_col_bytes);
    ovsdb_idl_omit_alert(lif_idl, &lifrec_flow_col_age);
    ovsdb_idl_omit_alert(lif_idl, &lifrec_flow_col_errors);
    ovsdb_idl_omit_alert(lif_idl, &lifrec_flow_policy_col_errors);
}

/* Keeps one exporter per connected LIF bridge of 'model', runs them, and
 * with 'txn' (which may be NULL) writes what they dumped and the errors of
 * the FLOW table configuration into 'lif_idl'. */
void
flow_export_run(struct ovsdb_idl_txn *txn, struct ovsdb_idl *lif_idl,
                const struct lif_model *model)
{
    struct sset bridges = SSET_INITIALIZER(&bridges);
    const struct lif_logical *lif;
    const struct lifrec_lif_global *global = lifrec_lif_global_first(lif_idl);
    int limit = lif_flow_export_limit(global ? &global->options : NULL);

    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        if (lif->usable && lif->bridge_ready && lif->flow) {
            sset_add(&bridges, lif->bridge);
            if (!shash_find(&exporters, lif->bridge)) {
                shash_add(&exporters, lif->bridge,
                          exporter_create(lif->bridge));
            }
        }
    }
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &exporters) {
        if (!sset_contains(&bridges, node->name)) {
            exporter_destroy(node->data);
            shash_delete(&exporters, node);
        } else {
            exporter_run(node->data, limit);
        }
    }
    sset_destroy(&bridges);

    if (!txn) {
        return;
    }
    write_errors(lif_idl, model);

    /* Exported rows of LIFs that are gone. */
    const struct lifrec_flow *row;
    LIFREC_FLOW_FOR_EACH_SAFE (row, lif_idl) {
        if (!row->pinned && !find_lif_by_name(model, row->lif)) {
            lifrec_flow_delete(row);
        }
    }

    HMAP_FOR_EACH (lif, hmap_node, &model->lifs) {
        struct flow_exporter *fe = shash_find_data(&exporters, lif->bridge);
        if (fe && fe->fresh) {
            fe->fresh = false;
            export_lif(txn, lif_idl, lif, fe, limit);
        }
    }
}

/* Arranges for poll_block() to wake up when flow_export_run() has work. */
void
flow_export_wait(void)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &exporters) {
        struct flow_exporter *fe = node->data;
        rconn_run_wait(fe->rconn);
        rconn_recv_wait(fe->rconn);
        if (rconn_is_connected(fe->rconn) && !fe->n_pending) {
            poll_timer_wait_until(fe->next_request);
        }
        if (fe->fresh) {
            poll_immediate_wake();
        }
    }
}

/* Deletes the rows that flow_export_run() exported (not the pinned ones),
 * for a clean exit. */
void
flow_export_clear(struct ovsdb_idl *lif_idl)
{
    const struct lifrec_flow *row;
    LIFREC_FLOW_FOR_EACH_SAFE (row, lif_idl) {
        if (!row->pinned) {
            lifrec_flow_delete(row);
        }
    }
}

/* Appends a line per exporter to 'ds'. */
void
flow_export_format_status(struct ds *ds)
{
    const struct shash_node **nodes = shash_sort(&exporters);
    for (size_t i = 0; i < shash_count(&exporters); i++) {
        const struct flow_exporter *fe = nodes[i]->data;
        ds_put_format(ds, "%s flow export: %s, %"PRIuSIZE" learned flows, "
                      "%"PRIuSIZE" rows exported, last dump %lld ms\n",
                      fe->bridge, rconn_is_connected(fe->rconn)
                      ? "connected" : "not connected",
                      fe->current.n_learned, fe->n_exported,
                      fe->dump_msec);
    }
    free(nodes);
}

/* Closes every connection. */
void
flow_export_destroy_all(void)
{
    struct shash_node *node;
    SHASH_FOR_EACH_SAFE (node, &exporters) {
        exporter_destroy(node->data);
        shash_delete(&exporters, node);
    }
}
