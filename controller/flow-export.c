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
#if HAVE_DECL_MALLOC_TRIM
#include <malloc.h>
#endif

#include "byte-order.h"
#include "classifier.h"
#include "dirs.h"
#include "flow.h"
#include "jsonrpc.h"
#include "lif-cookie.h"
#include "lif-ct-dump.h"
#include "lif-flow-config.h"
#include "lif-idl.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
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
#include "appctl-client.h"

VLOG_DEFINE_THIS_MODULE(flow_export);

/* How often the statistics and the conntrack entries are asked for, in
 * milliseconds, at most: a dump that took T ms is followed by the next one
 * no earlier than FLOW_EXPORT_DUTY * T ms after it started, so that a huge
 * FLOW table costs the switch and the controller at most about
 * 1 / FLOW_EXPORT_DUTY of their time (2 %). */
#define FLOW_EXPORT_INTERVAL 1000
#define FLOW_EXPORT_DUTY 50

/* Lines of a conntrack dump parsed per flow_export_run(), so that a huge
 * dump never holds up lif-controller's main loop for long. */
#define CT_LINES_PER_RUN 2000

/* After parsing a dump of at least this many bytes (a few thousand
 * entries), lif-controller gives the memory it took back to the system. */
#define CT_TRIM_SIZE (1024 * 1024)

/* The tables whose flows are exported.  The reflective flows are not
 * flows: they come from conntrack. */
static const uint8_t export_tables[] = {
    LIF_T_FLOW_PIN, LIF_T_FLOW_POLICY,
};
#define N_EXPORT_TABLES ARRAY_SIZE(export_tables)

/* One flow as the switch reported it. */
struct fe_entry {
    uint8_t table_id;
    uint64_t cookie;
    uint64_t packets, bytes;
    uint32_t duration;          /* Seconds. */
};

/* One complete dump of the pins and the policies. */
struct fe_dump {
    struct fe_entry *entries;
    size_t n, allocated;
};

/* When the exporter first saw an exported reflective flow. */
struct fe_seen {
    long long int first_seen;   /* time_msec(). */
};

/* The reflective flows: the conntrack entries of the LIF's zone, from
 * ovs-vswitchd's "dpctl/dump-conntrack", whose reply is parsed a few
 * thousand lines at a time into a bounded selection. */
struct fe_ct {
    struct appctl_client *appctl;
    size_t limit;               /* Reflective rows to export; 0: no dumps
                                 * at all. */
    bool requested;             /* A dump was asked for, no reply yet. */
    uint16_t zone;              /* Zone of the dump in progress. */
    long long int next_request; /* time_msec() of the next request. */
    long long int request_time; /* time_msec() of the last request. */
    long long int dump_msec;    /* How long the last dump took. */
    struct jsonrpc_msg *reply;  /* Being parsed. */
    const char *pos;            /* Next line of 'reply' to parse. */
    size_t reply_size;          /* Bytes of dump in 'reply'. */
    size_t n_lines, n_malformed;        /* In the dump being parsed. */
    struct lif_ct_top pending;  /* Being parsed. */
    struct lif_ct_top current;  /* The last complete dump. */
    size_t n_entries;           /* Well-formed entries in the last complete
                                 * dump. */
    size_t n_current_malformed; /* Malformed lines in it. */
    bool dumped;                /* 'current' holds a complete dump. */
    bool fresh;                 /* 'current' not yet written. */
    size_t exported_limit;      /* Limit 'current' was written with. */
    struct shash seen;          /* Exported flows' "struct fe_seen"s, by
                                 * match. */
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
    bool fresh;                 /* 'current' or 'ct.current' not yet
                                 * written. */
    bool dumped;                /* 'current' holds a complete dump. */
    long long int last_write;   /* time_msec() of the last export. */
    size_t n_exported;          /* Rows written, for status. */
    struct fe_ct ct;            /* The reflective flows. */
};

/* All exporters, by bridge name. */
static struct shash exporters = SHASH_INITIALIZER(&exporters);

static void
fe_dump_destroy(struct fe_dump *dump)
{
    free(dump->entries);
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

    char *ct_name = xasprintf("%s flow export", bridge);
    fe->ct.appctl = appctl_client_create(ct_name, "ovs-vswitchd");
    free(ct_name);
    lif_ct_top_init(&fe->ct.pending, 0);
    lif_ct_top_init(&fe->ct.current, 0);
    shash_init(&fe->ct.seen);
    return fe;
}

static void
exporter_destroy(struct flow_exporter *fe)
{
    if (fe) {
        rconn_destroy(fe->rconn);
        fe_dump_destroy(&fe->pending);
        fe_dump_destroy(&fe->current);
        appctl_client_destroy(fe->ct.appctl);
        jsonrpc_msg_destroy(fe->ct.reply);
        lif_ct_top_destroy(&fe->ct.pending);
        lif_ct_top_destroy(&fe->ct.current);
        shash_destroy_free_data(&fe->ct.seen);
        free(fe->bridge);
        free(fe);
    }
}

/* Asks for the flows of the exported tables. */
static void
send_requests(struct flow_exporter *fe)
{
    fe->pending.n = 0;
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
        if (d->n >= d->allocated) {
            d->entries = x2nrealloc(d->entries, &d->allocated,
                                    sizeof *d->entries);
        }
        d->entries[d->n++] = e;
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
                    fe->pending.n = 0;
                    fe->fresh = fe->dumped = true;
                    fe->dump_msec = time_msec() - fe->request_time;
                    fe->next_request = MAX(
                        fe->next_request,
                        fe->request_time + FLOW_EXPORT_DUTY * fe->dump_msec);
                }
            }
        }
    }
}

/* Schedules the next conntrack dump after the one that started at
 * 'ct->request_time'. */
static void
ct_schedule_next(struct fe_ct *ct)
{
    ct->dump_msec = time_msec() - ct->request_time;
    ct->next_request = MAX(ct->request_time + FLOW_EXPORT_INTERVAL,
                           ct->request_time
                           + FLOW_EXPORT_DUTY * ct->dump_msec);
}

/* Parses up to CT_LINES_PER_RUN lines of the conntrack dump that 'fe'
 * received; at its end, makes it the current one. */
static void
ct_parse_some(struct flow_exporter *fe)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct fe_ct *ct = &fe->ct;
    struct ds line = DS_EMPTY_INITIALIZER;

    for (int i = 0; i < CT_LINES_PER_RUN && *ct->pos; i++) {
        const char *end = strchr(ct->pos, '\n');
        size_t len = end ? (size_t) (end - ct->pos) : strlen(ct->pos);
        ds_clear(&line);
        ds_put_buffer(&line, ct->pos, len);
        ct->pos += len + (end != NULL);
        if (!len) {
            continue;
        }

        struct lif_ct_entry e;
        char *error = lif_ct_dump_parse_line(ds_cstr(&line), &e);
        ct->n_lines++;
        if (error) {
            ct->n_malformed++;
            VLOG_WARN_RL(&rl, "%s: conntrack zone %"PRIu16": skipping "
                         "malformed dump line (%s): %.200s", fe->bridge,
                         ct->zone, error, ds_cstr(&line));
            free(error);
        } else if (e.zone == ct->zone && lif_ct_entry_port(&e)) {
            lif_ct_top_offer(&ct->pending, &e);
        }
    }
    ds_destroy(&line);

    if (!*ct->pos) {
        jsonrpc_msg_destroy(ct->reply);
        ct->reply = NULL;
        ct->pos = NULL;
#if HAVE_DECL_MALLOC_TRIM
        if (ct->reply_size >= CT_TRIM_SIZE) {
            /* Give the memory of a big dump back to the system. */
            malloc_trim(0);
        }
#endif
        lif_ct_top_sort(&ct->pending);
        lif_ct_top_swap(&ct->pending, &ct->current);
        ct->n_entries = ct->n_lines - ct->n_malformed;
        ct->n_current_malformed = ct->n_malformed;
        fe->fresh = ct->fresh = ct->dumped = true;
        ct_schedule_next(ct);
    }
}

/* Takes the reply to a conntrack dump request. */
static void
ct_take_reply(struct flow_exporter *fe, struct jsonrpc_msg *reply,
              size_t limit)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct fe_ct *ct = &fe->ct;

    ct->requested = false;
    if (reply->error || !reply->result
        || reply->result->type != JSON_STRING) {
        const struct json *why = reply->error ? reply->error : reply->result;
        char *s = why ? json_to_string(why, 0) : xstrdup("no result");
        VLOG_WARN_RL(&rl, "%s: dpctl/dump-conntrack zone=%"PRIu16" failed: "
                     "%.200s", fe->bridge, ct->zone, s);
        free(s);
        jsonrpc_msg_destroy(reply);
        ct_schedule_next(ct);
        return;
    }
    ct->reply = reply;
    ct->pos = json_string(reply->result);
    ct->reply_size = strlen(ct->pos);
    ct->n_lines = ct->n_malformed = 0;
    lif_ct_top_clear(&ct->pending, limit);
    ct_parse_some(fe);
}

/* Asks ovs-vswitchd for the conntrack entries of 'zone', at most once a
 * second and within the duty cycle, and parses what it answers.  With a
 * 'limit' of 0 no reflective row is exported: no need to ask. */
static void
exporter_run_ct(struct flow_exporter *fe, uint16_t zone, size_t limit)
{
    struct fe_ct *ct = &fe->ct;

    ct->limit = limit;
    appctl_client_run(ct->appctl);
    if (ct->reply) {
        ct_parse_some(fe);
    } else if (ct->requested) {
        struct jsonrpc_msg *reply = appctl_client_take_reply(ct->appctl);
        if (reply) {
            ct_take_reply(fe, reply, limit);
        } else if (!appctl_client_is_pending(ct->appctl)) {
            /* The connection went: ask again once it is back. */
            ct->requested = false;
        }
    } else if (limit && appctl_client_is_connected(ct->appctl)
               && time_msec() >= ct->next_request) {
        struct svec args = SVEC_EMPTY_INITIALIZER;
        svec_add(&args, "-s");
        svec_add_nocopy(&args, xasprintf("zone=%"PRIu16, zone));
        if (appctl_client_request(ct->appctl, "dpctl/dump-conntrack",
                                    &args)) {
            ct->requested = true;
            ct->zone = zone;
            ct->request_time = time_msec();
        }
        svec_destroy(&args);
    }
}

static void
exporter_run_of(struct flow_exporter *fe)
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
        send_requests(fe);
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

/* Returns the name of the sub-interface of 'lif' at 'port', or NULL. */
static const char *
subif_name_by_port(const struct lif_logical *lif, uint16_t port)
{
    for (size_t i = 0; i < lif->n_subifs; i++) {
        if (lif->subifs[i].ofport != OFPP_NONE
            && ofp_to_u16(lif->subifs[i].ofport) == port) {
            return lif->subifs[i].name;
        }
    }
    return NULL;
}

static void
set_counters(const struct lifrec_flow *row, const struct fe_entry *e)
{
    lifrec_flow_set_packets(row, e->packets);
    lifrec_flow_set_bytes(row, e->bytes);
    lifrec_flow_set_age(row, e->duration);
}

/* Writes one exported row for 'lif' with 'match', reusing a row of
 * 'old' (exported rows by match) if there is one, and returns it for the
 * caller to set its counters.  Returns NULL, writing nothing, if 'used'
 * already has 'match'. */
static const struct lifrec_flow *
write_exported(struct ovsdb_idl_txn *txn, const struct lif_logical *lif,
               struct shash *old, struct sset *used, const char *match,
               const char *subif, const char *origin)
{
    if (!sset_add(used, match)) {
        return NULL;
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
    return row;
}

/* Writes the reflective flows that 'fe' last dumped for 'lif': the most
 * recently active first, at most 'limit', without counters (conntrack keeps
 * none), each with its age since the exporter first saw it. */
static void
export_reflective(struct ovsdb_idl_txn *txn, const struct lif_logical *lif,
                  struct flow_exporter *fe, struct shash *old,
                  struct sset *used, size_t limit)
{
    struct fe_ct *ct = &fe->ct;
    if (!ct->dumped || (!ct->fresh && limit == ct->exported_limit)) {
        /* Nothing known yet (ovs-vswitchd unreachable, or lif-controller
         * just started), or nothing new: keep the reflective rows there
         * are.  (Rewriting them would cost a database update per row for
         * their age alone.) */
        struct shash_node *node;
        SHASH_FOR_EACH_SAFE (node, old) {
            const struct lifrec_flow *row = node->data;
            if (!strcmp(row->origin, "reflective")) {
                sset_add(used, row->match);
                shash_delete(old, node);
            }
        }
        return;
    }

    struct shash seen = SHASH_INITIALIZER(&seen);
    struct ds match = DS_EMPTY_INITIALIZER;
    long long int now = time_msec();
    for (size_t i = 0; i < MIN(ct->current.n, limit); i++) {
        const struct lif_ct_entry *e = &ct->current.heap[i];
        const char *subif = subif_name_by_port(lif, lif_ct_entry_port(e));
        if (!subif) {
            continue;
        }
        ds_clear(&match);
        lif_ct_entry_format_host_match(e, &match);
        const struct lifrec_flow *row = write_exported(
            txn, lif, old, used, ds_cstr(&match), subif, "reflective");
        if (!row) {
            continue;
        }

        struct fe_seen *fs = shash_find_and_delete(&ct->seen,
                                                   ds_cstr(&match));
        if (!fs) {
            fs = xmalloc(sizeof *fs);
            fs->first_seen = now;
        }
        shash_add(&seen, ds_cstr(&match), fs);
        lifrec_flow_set_packets(row, 0);
        lifrec_flow_set_bytes(row, 0);
        lifrec_flow_set_age(row, (now - fs->first_seen) / 1000);
    }

    ct->fresh = false;
    ct->exported_limit = limit;

    /* Only the exported flows' first sightings are kept. */
    shash_clear_free_data(&ct->seen);
    shash_swap(&ct->seen, &seen);
    shash_destroy(&seen);
    ds_destroy(&match);
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
                    row = write_exported(txn, lif, &old, &used, p->match,
                                         subifs, "policy");
                    if (row) {
                        set_counters(row, e);
                    }
                    free(subifs);
                }
            }
        }
    }

    export_reflective(txn, lif, fe, &old, &used, limit);
    fe->n_exported = sset_count(&used);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &old) {
        lifrec_flow_delete(node->data);
    }
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
            struct flow_exporter *fe = node->data;
            lif = lif_model_find(model, node->name);
            exporter_run_ct(fe, lif->flow->ct_zone, limit);
            exporter_run_of(fe);
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
        if (fe && fe->fresh && fe->dumped) {
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
        appctl_client_wait(fe->ct.appctl);
        if (fe->ct.reply) {
            /* The rest of the dump to parse. */
            poll_immediate_wake();
        } else if (!fe->ct.requested && fe->ct.limit
                   && appctl_client_is_connected(fe->ct.appctl)) {
            poll_timer_wait_until(fe->ct.next_request);
        }
        if (fe->fresh && fe->dumped) {
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
        const struct fe_ct *ct = &fe->ct;
        ds_put_format(ds, "%s flow export: %s, %"PRIuSIZE" rows exported, "
                      "last dump %lld ms; conntrack: %s, zone %"PRIu16
                      ", %"PRIuSIZE" entries, %"PRIuSIZE" reflective, "
                      "%"PRIuSIZE" malformed, last dump %lld ms\n",
                      fe->bridge, rconn_is_connected(fe->rconn)
                      ? "connected" : "not connected",
                      fe->n_exported, fe->dump_msec,
                      appctl_client_is_connected(ct->appctl)
                      ? "connected" : "not connected",
                      ct->zone, ct->n_entries, ct->current.n_offered,
                      ct->n_current_malformed, ct->dump_msec);
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
