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

/* lif-ctl's FLOW table commands (RFC 7847 section 5.7).  MATCHes are
 * validated and canonicalized by lif_flow_match_parse(), the same code
 * that lif-controller uses, so that what lif-ctl accepts the controller
 * accepts, and two spellings of one match are one row. */

#include <config.h>

#include "lif-ctl-flow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "lif-flow-config.h"
#include "lif-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "svec.h"
#include "table.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lif_ctl_flow);

static void
add_columns(struct ctl_context *ctx,
            const struct ovsdb_idl_column *const *columns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ovsdb_idl_add_column(ctx->idl, columns[i]);
    }
}

static void
pre_policy(struct ctl_context *ctx)
{
    static const struct ovsdb_idl_column *const columns[] = {
        &lifrec_flow_policy_col_lif,
        &lifrec_flow_policy_col_name,
        &lifrec_flow_policy_col_priority,
        &lifrec_flow_policy_col_match,
        &lifrec_flow_policy_col_sub_interfaces,
        &lifrec_flow_policy_col_mode,
        &lifrec_flow_policy_col_errors,
        &lifrec_logical_interface_col_name,
        &lifrec_logical_interface_col_sub_interfaces,
        &lifrec_sub_interface_col_name,
    };
    add_columns(ctx, columns, ARRAY_SIZE(columns));
}

static void
pre_flow(struct ctl_context *ctx)
{
    static const struct ovsdb_idl_column *const columns[] = {
        &lifrec_flow_col_lif,
        &lifrec_flow_col_match,
        &lifrec_flow_col_sub_interface,
        &lifrec_flow_col_origin,
        &lifrec_flow_col_pinned,
        &lifrec_flow_col_packets,
        &lifrec_flow_col_bytes,
        &lifrec_flow_col_age,
        &lifrec_flow_col_errors,
        &lifrec_logical_interface_col_name,
        &lifrec_logical_interface_col_sub_interfaces,
        &lifrec_sub_interface_col_name,
    };
    add_columns(ctx, columns, ARRAY_SIZE(columns));
}

/* Returns the Logical_Interface row named 'name', or NULL. */
static const struct lifrec_logical_interface *
find_lif(struct ctl_context *ctx, const char *name)
{
    const struct lifrec_logical_interface *lif;
    LIFREC_LOGICAL_INTERFACE_FOR_EACH (lif, ctx->idl) {
        if (!strcmp(lif->name, name)) {
            return lif;
        }
    }
    return NULL;
}

static bool
lif_has_subif(const struct lifrec_logical_interface *lif, const char *name)
{
    for (size_t i = 0; i < lif->n_sub_interfaces; i++) {
        if (!strcmp(lif->sub_interfaces[i]->name, name)) {
            return true;
        }
    }
    return false;
}

static const struct lifrec_flow_policy *
find_policy(struct ctl_context *ctx, const char *lif, const char *name)
{
    const struct lifrec_flow_policy *p;
    LIFREC_FLOW_POLICY_FOR_EACH (p, ctx->idl) {
        if (!strcmp(p->lif, lif) && !strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static const struct lifrec_flow *
find_flow(struct ctl_context *ctx, const char *lif, const char *match)
{
    const struct lifrec_flow *f;
    LIFREC_FLOW_FOR_EACH (f, ctx->idl) {
        if (!strcmp(f->lif, lif) && !strcmp(f->match, match)) {
            return f;
        }
    }
    return NULL;
}

/* Parses MATCH 'arg' into '*canonical' or sets ctx->error. */
static bool
parse_match(struct ctl_context *ctx, const char *arg, char **canonical)
{
    char *error = lif_flow_match_parse(arg, canonical, NULL);
    if (error) {
        ctx->error = error;
        return false;
    }
    return true;
}

/* "policy-add LIF NAME PRIORITY MATCH SUBIF[,SUBIF...]". */
static void
cmd_policy_add(struct ctl_context *ctx)
{
    const char *lif_name = ctx->argv[1];
    const char *name = ctx->argv[2];
    const char *mode_s = shash_find_data(&ctx->options, "--mode");
    if (ctx->argc > 6) {
        /* "--mode=MODE" may also follow the arguments, as in
         * DESIGN's "policy-add ... SUBIF[,SUBIF...] [--mode=MODE]". */
        if (strncmp(ctx->argv[6], "--mode=", 7)) {
            ctx->error = xasprintf("%s: only --mode=MODE may follow the "
                                   "sub-interfaces", ctx->argv[6]);
            return;
        }
        mode_s = ctx->argv[6] + 7;
    }
    enum lif_flow_mode mode = LIF_FLOW_FAILOVER;
    char *match = NULL;
    int priority;

    if (!str_to_int(ctx->argv[3], 10, &priority)
        || priority < 0 || priority > 65535) {
        ctx->error = xasprintf("priority \"%s\" is not an integer between "
                               "0 and 65535", ctx->argv[3]);
        return;
    }
    if (mode_s && !lif_flow_mode_from_string(mode_s, &mode)) {
        ctx->error = xasprintf("--mode=%s: the mode is failover, balance or "
                               "redundant", mode_s);
        return;
    }
    struct svec subifs = SVEC_EMPTY_INITIALIZER;
    lif_flow_split_subifs(ctx->argv[5], &subifs);
    if (!subifs.n) {
        ctx->error = xstrdup("at least one sub-interface is required");
        goto out;
    }
    if (!parse_match(ctx, ctx->argv[4], &match)) {
        goto out;
    }
    if (find_policy(ctx, lif_name, name)) {
        if (!shash_find(&ctx->options, "--may-exist")) {
            ctx->error = xasprintf("LIF %s already has a policy named %s",
                                   lif_name, name);
            goto out;
        }
        lifrec_flow_policy_delete(find_policy(ctx, lif_name, name));
    }

    /* Sub-interfaces that do not exist (yet) are not an error: they may be
     * attached later.  Say so, though. */
    const struct lifrec_logical_interface *lif = find_lif(ctx, lif_name);
    if (!lif) {
        VLOG_WARN("no LIF named %s (yet): the policy applies once it "
                  "exists", lif_name);
    } else {
        for (size_t i = 0; i < subifs.n; i++) {
            if (!lif_has_subif(lif, subifs.names[i])) {
                VLOG_WARN("LIF %s has no sub-interface %s (yet)", lif_name,
                          subifs.names[i]);
            }
        }
    }

    char *list = svec_join(&subifs, ",", "");
    const struct lifrec_flow_policy *p = lifrec_flow_policy_insert(ctx->txn);
    lifrec_flow_policy_set_lif(p, lif_name);
    lifrec_flow_policy_set_name(p, name);
    lifrec_flow_policy_set_priority(p, priority);
    lifrec_flow_policy_set_match(p, match);
    lifrec_flow_policy_set_sub_interfaces(p, list);
    lifrec_flow_policy_set_mode(p, lif_flow_mode_to_string(mode));
    free(list);

out:
    free(match);
    svec_destroy(&subifs);
}

/* "policy-del LIF NAME". */
static void
cmd_policy_del(struct ctl_context *ctx)
{
    const struct lifrec_flow_policy *p
        = find_policy(ctx, ctx->argv[1], ctx->argv[2]);
    if (p) {
        lifrec_flow_policy_delete(p);
    } else if (!shash_find(&ctx->options, "--if-exists")) {
        ctx->error = xasprintf("LIF %s has no policy named %s",
                               ctx->argv[1], ctx->argv[2]);
    }
}

static void
add_text_cell(struct table *t, char *text)
{
    table_add_cell(t)->text = text;
}

static int
compare_policies(const void *a_, const void *b_)
{
    const struct lifrec_flow_policy *const *a = a_;
    const struct lifrec_flow_policy *const *b = b_;
    int cmp = strcmp((*a)->lif, (*b)->lif);
    if (cmp) {
        return cmp;
    }
    if ((*a)->priority != (*b)->priority) {
        return (*a)->priority > (*b)->priority ? -1 : 1;
    }
    return strcmp((*a)->name, (*b)->name);
}

/* "policy-list [LIF]": the policies, by LIF, highest priority first. */
static void
cmd_policy_list(struct ctl_context *ctx)
{
    const struct lifrec_flow_policy **rows = NULL;
    size_t n = 0, allocated = 0;
    const struct lifrec_flow_policy *p;

    LIFREC_FLOW_POLICY_FOR_EACH (p, ctx->idl) {
        if (ctx->argc < 2 || !strcmp(p->lif, ctx->argv[1])) {
            if (n >= allocated) {
                rows = x2nrealloc(rows, &allocated, sizeof *rows);
            }
            rows[n++] = p;
        }
    }
    if (n) {
        qsort(rows, n, sizeof *rows, compare_policies);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "lif");
    table_add_column(t, "name");
    table_add_column(t, "priority");
    table_add_column(t, "mode");
    table_add_column(t, "match");
    table_add_column(t, "sub_interfaces");
    table_add_column(t, "errors");
    for (size_t i = 0; i < n; i++) {
        p = rows[i];
        struct svec errors = { .names = p->errors, .n = p->n_errors };
        table_add_row(t);
        add_text_cell(t, xstrdup(p->lif));
        add_text_cell(t, xstrdup(p->name));
        add_text_cell(t, xasprintf("%"PRId64, p->priority));
        add_text_cell(t, xstrdup(p->mode));
        add_text_cell(t, xstrdup(p->match));
        add_text_cell(t, xstrdup(p->sub_interfaces));
        add_text_cell(t, svec_join(&errors, "; ", ""));
    }
    free(rows);
    ctx->table = t;
}

static int
compare_flows(const void *a_, const void *b_)
{
    const struct lifrec_flow *const *a = a_;
    const struct lifrec_flow *const *b = b_;
    int cmp = strcmp((*a)->lif, (*b)->lif);
    if (cmp) {
        return cmp;
    }
    if ((*a)->pinned != (*b)->pinned) {
        return (*a)->pinned ? -1 : 1;
    }
    bool a_reflective = !strcmp((*a)->origin, "reflective");
    bool b_reflective = !strcmp((*b)->origin, "reflective");
    if (a_reflective != b_reflective) {
        return a_reflective ? 1 : -1;
    }
    if ((*a)->bytes != (*b)->bytes) {
        return (*a)->bytes > (*b)->bytes ? -1 : 1;
    }
    return strcmp((*a)->match, (*b)->match);
}

/* "flow-list [LIF]": the FLOW table, by LIF, pinned flows first, then the
 * others but the reflective ones, the busiest first, then the reflective
 * ones (which have no counters) by match. */
static void
cmd_flow_list(struct ctl_context *ctx)
{
    const struct lifrec_flow **rows = NULL;
    size_t n = 0, allocated = 0;
    const struct lifrec_flow *f;

    LIFREC_FLOW_FOR_EACH (f, ctx->idl) {
        if (ctx->argc < 2 || !strcmp(f->lif, ctx->argv[1])) {
            if (n >= allocated) {
                rows = x2nrealloc(rows, &allocated, sizeof *rows);
            }
            rows[n++] = f;
        }
    }
    if (n) {
        qsort(rows, n, sizeof *rows, compare_flows);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "lif");
    table_add_column(t, "match");
    table_add_column(t, "sub_interface");
    table_add_column(t, "origin");
    table_add_column(t, "packets");
    table_add_column(t, "bytes");
    table_add_column(t, "age");
    table_add_column(t, "errors");
    for (size_t i = 0; i < n; i++) {
        f = rows[i];
        struct svec errors = { .names = f->errors, .n = f->n_errors };
        table_add_row(t);
        add_text_cell(t, xstrdup(f->lif));
        add_text_cell(t, xstrdup(f->match));
        add_text_cell(t, xstrdup(f->sub_interface));
        add_text_cell(t, xstrdup(f->origin));
        /* Conntrack keeps no counters of the reflective flows. */
        bool counted = strcmp(f->origin, "reflective");
        add_text_cell(t, counted ? xasprintf("%"PRId64, f->packets)
                      : xstrdup("-"));
        add_text_cell(t, counted ? xasprintf("%"PRId64, f->bytes)
                      : xstrdup("-"));
        add_text_cell(t, xasprintf("%"PRId64, f->age));
        add_text_cell(t, svec_join(&errors, "; ", ""));
    }
    free(rows);
    ctx->table = t;
}

/* "flow-move LIF MATCH SUBIF": pins the flows that MATCH to SUBIF. */
static void
cmd_flow_move(struct ctl_context *ctx)
{
    const char *lif_name = ctx->argv[1];
    const char *subif = ctx->argv[3];
    char *match;

    if (!parse_match(ctx, ctx->argv[2], &match)) {
        return;
    }
    const struct lifrec_logical_interface *lif = find_lif(ctx, lif_name);
    if (!lif) {
        ctx->error = xasprintf("no LIF named %s", lif_name);
    } else if (!lif_has_subif(lif, subif)) {
        ctx->error = xasprintf("LIF %s has no sub-interface %s", lif_name,
                               subif);
    } else {
        /* One row per (LIF, match): an exported row becomes the pin. */
        const struct lifrec_flow *f = find_flow(ctx, lif_name, match);
        if (!f) {
            f = lifrec_flow_insert(ctx->txn);
            lifrec_flow_set_lif(f, lif_name);
            lifrec_flow_set_match(f, match);
        }
        lifrec_flow_set_sub_interface(f, subif);
        lifrec_flow_set_origin(f, "pinned");
        lifrec_flow_set_pinned(f, true);
    }
    free(match);
}

/* "flow-unpin LIF MATCH": removes the pin of MATCH. */
static void
cmd_flow_unpin(struct ctl_context *ctx)
{
    char *match;

    if (!parse_match(ctx, ctx->argv[2], &match)) {
        return;
    }
    const struct lifrec_flow *f = find_flow(ctx, ctx->argv[1], match);
    if (f && f->pinned) {
        lifrec_flow_delete(f);
    } else if (!shash_find(&ctx->options, "--if-exists")) {
        ctx->error = xasprintf("LIF %s has no pinned flow %s", ctx->argv[1],
                               match);
    }
    free(match);
}

static const struct ctl_command_syntax flow_commands[] = {
    {"policy-add", 5, 6,
     "LIF NAME PRIORITY MATCH SUBIF[,SUBIF...] [--mode=MODE]",
     pre_policy, cmd_policy_add, NULL, "--mode=,--may-exist", RW},
    {"policy-del", 2, 2, "LIF NAME", pre_policy, cmd_policy_del, NULL,
     "--if-exists", RW},
    {"policy-list", 0, 1, "[LIF]", pre_policy, cmd_policy_list, NULL, "",
     RO},
    {"flow-list", 0, 1, "[LIF]", pre_flow, cmd_flow_list, NULL, "", RO},
    {"flow-move", 3, 3, "LIF MATCH SUBIF", pre_flow, cmd_flow_move, NULL,
     "", RW},
    {"flow-unpin", 2, 2, "LIF MATCH", pre_flow, cmd_flow_unpin, NULL,
     "--if-exists", RW},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Registers the FLOW table commands with db-ctl-base. */
void
lif_ctl_flow_register_commands(void)
{
    ctl_register_commands(flow_commands);
}

/* Returns the usage text of the FLOW table commands. */
const char *
lif_ctl_flow_usage(void)
{
    return
        "FLOW table commands:\n"
        "  policy-add LIF NAME PRIORITY MATCH SUBIF[,SUBIF...] "
        "[--mode=MODE]\n"
        "                              add a flow routing policy (MODE:\n"
        "                              failover, balance or redundant)\n"
        "  policy-del LIF NAME         delete a policy\n"
        "  policy-list [LIF]           list the policies\n"
        "  flow-list [LIF]             list the FLOW table\n"
        "  flow-move LIF MATCH SUBIF   pin the flows that MATCH to SUBIF\n"
        "  flow-unpin LIF MATCH        release the pin of MATCH\n"
        "\n";
}
