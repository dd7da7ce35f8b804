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

/* lif-ctl: command-line client for the LIF database.
 *
 * Built on OVS's db-ctl-base, in the manner of vtep-ctl: the generic database
 * commands (list, find, get, set, add, remove, clear, create, destroy,
 * wait-until, ...) come from db-ctl-base, and this file adds "show", "init"
 * and "sync" plus the --wait option (ovn-nbctl's nb_cfg idea): the
 * transaction also increments LIF_Global's next_cfg, and lif-ctl then waits
 * until lif-controller has copied that value into cur_cfg, which it does once
 * the corresponding flows are installed in ovs-vswitchd. */

#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "compiler.h"
#include "db-ctl-base.h"
#include "fatal-signal.h"
#include "lif-ctl-config.h"
#include "jsonrpc.h"
#include "lif-ctl-flow.h"
#include "lif-ctl-state.h"
#include "lif-idl.h"
#include "lif-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "process.h"
#include "stream-ssl.h"
#include "stream.h"
#include "table.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(lif_ctl);

/* --db: The database server to contact. */
static const char *db;

/* --oneline: Write each command's output as a single line? */
static bool oneline;

/* --dry-run: Do not commit any changes. */
static bool dry_run;

/* --wait: Wait for lif-controller to apply the changes? */
static bool wait_for_controller;

/* --timeout: Time to wait for the database and for lif-controller, in
 * seconds, 0 to wait forever, and the time_msec() at which it expires (0 if
 * never). */
static unsigned int timeout;
static long long int deadline;

/* Format for table output. */
static struct table_style table_style = TABLE_STYLE_DEFAULT;

/* The IDL we're using and the current transaction, if any.  This is for use
 * by lif_ctl_exit() only, to allow it to clean up.  Other code should use its
 * context arguments. */
static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

OVS_NO_RETURN static void lif_ctl_exit(int status);
OVS_NO_RETURN static void usage(void);
static void lif_ctl_cmd_init(void);
static char *explain_missing_lif_db(const char *remote);
static void parse_options(int argc, char *argv[], struct shash *local_options);
static void run_prerequisites(struct ctl_command[], size_t n_commands,
                              struct ovsdb_idl *);
static bool do_lif_ctl(const char *args, struct ctl_command *, size_t n,
                       struct ovsdb_idl *);
static void wait_for_cur_cfg(struct ovsdb_idl *, int64_t next_cfg);

int
main(int argc, char *argv[])
{
    struct ctl_command *commands;
    struct shash local_options;
    struct ovsdb_idl *idl;
    unsigned int seqno;
    size_t n_commands;

    lif_set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    lif_ctl_cmd_init();

    /* Parse command line. */
    char *args = process_escape_args(argv);
    shash_init(&local_options);
    parse_options(argc, argv, &local_options);
    char *error = ctl_parse_commands(argc - optind, argv + optind,
                                     &local_options, &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    VLOG(ctl_might_write_to_db(commands, n_commands) ? VLL_INFO : VLL_DBG,
         "Called as %s", args);

    /* Like ctl_timeout_setup(), --timeout falls back to $OVS_CTL_TIMEOUT. */
    if (!timeout) {
        const char *env = getenv("OVS_CTL_TIMEOUT");
        if (env && env[0]) {
            str_to_uint(env, 10, &timeout);
        }
    }
    ctl_timeout_setup(timeout);
    if (timeout) {
        deadline = time_msec() + timeout * 1000LL;
    }

    /* Initialize IDL. */
    idl = the_idl = ovsdb_idl_create(db, &lifrec_idl_class, false, false);
    run_prerequisites(commands, n_commands, idl);

    /* Execute the commands.
     *
     * 'seqno' is the database sequence number for which we last tried to
     * execute our transaction.  There's no point in trying to commit more than
     * once for any given sequence number, because if the transaction fails
     * it's because the database changed and we need to obtain an up-to-date
     * view of the database before we try the transaction again. */
    seqno = ovsdb_idl_get_seqno(idl);
    for (;;) {
        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            int retval = ovsdb_idl_get_last_error(idl);
            char *why = retval ? NULL : explain_missing_lif_db(db);
            ctl_fatal("%s: database connection failed (%s)", db,
                      why ? why : ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(idl)) {
            seqno = ovsdb_idl_get_seqno(idl);
            if (do_lif_ctl(args, commands, n_commands, idl)) {
                free(args);
                exit(EXIT_SUCCESS);
            }
        }

        if (seqno == ovsdb_idl_get_seqno(idl)) {
            ovsdb_idl_wait(idl);
            poll_block();
        }
    }
}

/* Frees what parse_options() allocated for getopt_long(): also before the
 * options that exit at once (found by LeakSanitizer). */
static void
free_options(char *short_options, struct option *options, size_t n_global)
{
    free(short_options);
    for (size_t i = n_global; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);
}

/* The IDL gives up without an error code when the server does not serve
 * the LIF database.  Asks server 'remote' which databases it serves and, if
 * LIF is not among them, returns an explanation (the caller frees it);
 * otherwise returns NULL. */
static char *
explain_missing_lif_db(const char *remote)
{
    struct jsonrpc_msg *reply = NULL;
    struct ds names = DS_EMPTY_INITIALIZER;
    char *why = NULL;
    struct stream *stream;

    if (stream_open_block(jsonrpc_stream_open(remote, &stream, DSCP_DEFAULT),
                          5000, &stream)) {
        goto out;
    }
    struct jsonrpc *rpc = jsonrpc_open(stream);
    struct jsonrpc_msg *req = jsonrpc_create_request(
        "list_dbs", json_array_create_empty(), NULL);
    int error = jsonrpc_transact_block(rpc, req, &reply);
    jsonrpc_close(rpc);
    if (error || !reply->result || reply->result->type != JSON_ARRAY) {
        goto out;
    }
    const struct json_array *dbs = json_array(reply->result);
    for (size_t i = 0; i < dbs->n; i++) {
        if (dbs->elems[i]->type != JSON_STRING) {
            continue;
        }
        const char *name = json_string(dbs->elems[i]);
        if (!strcmp(name, "LIF")) {
            goto out;
        }
        if (strcmp(name, "_Server")) {
            ds_put_format(&names, "%s%s", names.length ? ", " : "", name);
        }
    }
    why = xasprintf("the server serves %s but not the LIF database: run "
                    "lif-db-setup, or start lif-controller, which adds it "
                    "back", names.length ? ds_cstr(&names) : "no database");
out:
    ds_destroy(&names);
    jsonrpc_msg_destroy(reply);
    return why;
}

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_NO_SYSLOG,
        OPT_DRY_RUN,
        OPT_WAIT,
        OPT_NO_WAIT,
        OPT_PEER_CA_CERT,
        OPT_LOCAL,
        OPT_COMMANDS,
        OPT_OPTIONS,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option global_long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"no-syslog", no_argument, NULL, OPT_NO_SYSLOG},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"wait", no_argument, NULL, OPT_WAIT},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"commands", no_argument, NULL, OPT_COMMANDS},
        {"options", no_argument, NULL, OPT_OPTIONS},
        VLOG_LONG_OPTIONS,
        TABLE_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {NULL, 0, NULL, 0},
    };
    const int n_global_long_options = ARRAY_SIZE(global_long_options) - 1;
    char *tmp, *short_options;

    struct option *options;
    size_t allocated_options;
    size_t n_options;

    tmp = ovs_cmdl_long_options_to_short_options(global_long_options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    /* We want to parse both global and command-specific options here, but
     * getopt_long() isn't too convenient for the job.  We copy our global
     * options into a dynamic array, then append all of the command-specific
     * options. */
    options = xmemdup(global_long_options, sizeof global_long_options);
    allocated_options = ARRAY_SIZE(global_long_options);
    n_options = n_global_long_options;
    ctl_add_cmd_options(&options, &n_options, &allocated_options, OPT_LOCAL);

    for (;;) {
        int idx;
        int c;

        c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_ONELINE:
            oneline = true;
            break;

        case OPT_NO_SYSLOG:
            vlog_set_levels(&this_module, VLF_SYSLOG, VLL_WARN);
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_WAIT:
            wait_for_controller = true;
            break;

        case OPT_NO_WAIT:
            wait_for_controller = false;
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 'h':
            free_options(short_options, options, n_global_long_options);
            usage();

        case 'V':
            free_options(short_options, options, n_global_long_options);
            lif_print_version();
            printf("DB Schema %s\n", lifrec_get_db_version());
            exit(EXIT_SUCCESS);

        case OPT_COMMANDS:
            ctl_print_commands();       /* Does not return. */
            OVS_NOT_REACHED();

        case OPT_OPTIONS:
            ctl_print_options(global_long_options);     /* Ditto. */
            OVS_NOT_REACHED();

        case 't':
            if (!str_to_uint(optarg, 10, &timeout) || !timeout) {
                ctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)

        STREAM_SSL_OPTION_HANDLERS

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case '?':
            free_options(short_options, options, n_global_long_options);
            exit(EXIT_FAILURE);

        default:
            OVS_NOT_REACHED();
        }
    }
    free_options(short_options, options, n_global_long_options);

    if (!db) {
        db = ctl_default_db();
    }
}

/* Frees the current transaction and the underlying IDL and then calls
 * exit(status).
 *
 * Freeing the transaction and the IDL is not strictly necessary, but it makes
 * for a clean memory leak report from valgrind in the normal case.  That makes
 * it easier to notice real memory leaks. */
static void
lif_ctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
    }
    ovsdb_idl_destroy(the_idl);
    exit(status);
}

static void
usage(void)
{
    printf("\
%s: LIF (RFC 7847 logical interface) database utility\n\
usage: %s [OPTIONS] COMMAND [ARG...]\n\
\n\
LIF commands:\n\
  show [LIF]                  print overview of the logical interfaces\n\
  init                        create the LIF_Global row if it is missing\n\
  sync                        do nothing (with --wait: wait for\n\
                              lif-controller to catch up)\n\
\n\
Configuration commands (JSON):\n\
  export                      print the whole LIF configuration\n\
  [--prune] apply FILE        make the databases match FILE (- for stdin)\n\
  state-dump [LIF]            print the live state of the LIFs\n\
\n\
%s\
%s\
%s\
\n\
Options:\n\
  --db=DATABASE               connect to DATABASE\n\
                              (default: %s)\n\
  -t, --timeout=SECS          wait at most SECS seconds\n\
  --wait                      wait for lif-controller to apply the changes\n\
  --no-wait                   do not wait for lif-controller (default)\n\
  --dry-run                   do not commit changes to database\n\
  --oneline                   print exactly one line of output per command\n",
           program_name, program_name, lif_ctl_flow_usage(),
           ctl_get_db_cmd_usage(),
           ctl_list_db_tables_usage(), ctl_default_db());
    table_usage();
    vlog_usage();
    printf("\
  --no-syslog                 equivalent to --verbose=lif_ctl:syslog:warn\n");
    stream_usage("database", true, true, false);
    printf("\n\
Other options:\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n");
    exit(EXIT_SUCCESS);
}

/* How db-ctl-base finds a row from a user-supplied name, in addition to its
 * UUID (or "." for LIF_Global, which has at most one row). */
static const struct ctl_table_class tables[LIFREC_N_TABLES] = {
    [LIFREC_TABLE_LOGICAL_INTERFACE].row_ids[0]
    = {&lifrec_logical_interface_col_name, NULL, NULL},

    [LIFREC_TABLE_SUB_INTERFACE].row_ids[0]
    = {&lifrec_sub_interface_col_name, NULL, NULL},

    [LIFREC_TABLE_FLOW_POLICY].row_ids[0]
    = {&lifrec_flow_policy_col_name, NULL, NULL},
};

/* lif-ctl specific context.  Inherits the 'struct ctl_context' as base. */
struct lif_ctl_context {
    struct ctl_context base;

    /* The LIF_Global row, or NULL if the database has none (yet). */
    const struct lifrec_lif_global *global;
};

/* Casts 'base' into 'struct lif_ctl_context'. */
static struct lif_ctl_context *
lif_ctl_context_cast(struct ctl_context *base)
{
    return CONTAINER_OF(base, struct lif_ctl_context, base);
}

static void
lif_ctl_context_init(struct lif_ctl_context *lif_ctx,
                     struct ctl_command *command, struct ovsdb_idl *idl,
                     struct ovsdb_idl_txn *txn,
                     const struct lifrec_lif_global *global,
                     struct ovsdb_symbol_table *symtab)
{
    ctl_context_init(&lif_ctx->base, command, idl, txn, symtab, NULL);
    lif_ctx->global = global;
}

/* "show [LIF]". */

static void
pre_cmd_show(struct ctl_context *ctx)
{
    if (table_style.format == TF_JSON) {
        /* "--format=json show" is "state-dump". */
        lif_ctl_pre_state_dump(ctx);
        return;
    }

    static const struct ovsdb_idl_column *columns[] = {
        &lifrec_logical_interface_col_name,
        &lifrec_logical_interface_col_bridge,
        &lifrec_logical_interface_col_mac,
        &lifrec_logical_interface_col_mtu,
        &lifrec_logical_interface_col_lladdr_mode,
        &lifrec_logical_interface_col_connected,
        &lifrec_logical_interface_col_errors,
        &lifrec_logical_interface_col_sub_interfaces,
        &lifrec_sub_interface_col_name,
        &lifrec_sub_interface_col_state,
        &lifrec_sub_interface_col_priority,
        &lifrec_sub_interface_col_technology,
        &lifrec_sub_interface_col_lladdr_mode,
        &lifrec_sub_interface_col_mac,
        &lifrec_sub_interface_col_mtu,
        &lifrec_sub_interface_col_carrier,
        &lifrec_sub_interface_col_prefixes,
        &lifrec_sub_interface_col_router,
        &lifrec_sub_interface_col_routers,
        &lifrec_sub_interface_col_prefix_info,
        &lifrec_sub_interface_col_ra_mtu,
        &lifrec_router_col_address,
        &lifrec_router_col_mac,
        &lifrec_router_col_lifetime,
        &lifrec_router_col_preference,
        &lifrec_prefix_col_prefix,
        &lifrec_prefix_col_on_link,
        &lifrec_prefix_col_autonomous,
        &lifrec_prefix_col_valid_lifetime,
        &lifrec_prefix_col_preferred_lifetime,
        &lifrec_sub_interface_col_statistics,
        &lifrec_sub_interface_col_errors,
        &lifrec_flow_policy_col_lif,
        &lifrec_flow_col_lif,
    };

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        ovsdb_idl_add_column(ctx->idl, columns[i]);
    }
}

/* Appends "KEY: VALUE\n" to 'out', indented by 'indent' spaces, unless
 * 'value' is empty. */
static void
show_string(struct ds *out, int indent, const char *key, const char *value)
{
    if (value && value[0]) {
        ds_put_format(out, "%*s%s: %s\n", indent, "", key, value);
    }
}

/* Appends "KEY: VALUE\n" to 'out', indented by 'indent' spaces, unless
 * 'n_values' is 0 (an optional integer column that is empty). */
static void
show_int(struct ds *out, int indent, const char *key,
         const int64_t *values, size_t n_values)
{
    if (n_values) {
        ds_put_format(out, "%*s%s: %"PRId64"\n", indent, "", key, values[0]);
    }
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;

    return strcmp(*a, *b);
}

/* Appends "KEY: V1, V2, ...\n" to 'out', indented by 'indent' spaces, with
 * the 'n' strings in 'values' in sorted order, unless 'n' is 0. */
static void
show_strings(struct ds *out, int indent, const char *key,
             char **values, size_t n)
{
    if (!n) {
        return;
    }

    const char **sorted = xmemdup(values, n * sizeof *values);
    qsort(sorted, n, sizeof *sorted, compare_strings);

    ds_put_format(out, "%*s%s: ", indent, "", key);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s%s", i ? ", " : "", sorted[i]);
    }
    ds_put_char(out, '\n');
    free(sorted);
}

static int
compare_lifs_by_name(const void *a_, const void *b_)
{
    const struct lifrec_logical_interface *const *a = a_;
    const struct lifrec_logical_interface *const *b = b_;
    int cmp = strcmp((*a)->name, (*b)->name);

    return cmp ? cmp : uuid_compare_3way(&(*a)->header_.uuid,
                                         &(*b)->header_.uuid);
}

/* Higher priority first, then by name, so that the output is the order in
 * which lif-controller prefers the sub-interfaces. */
static int
compare_subifs_by_priority(const void *a_, const void *b_)
{
    const struct lifrec_sub_interface *const *a = a_;
    const struct lifrec_sub_interface *const *b = b_;

    if ((*a)->priority != (*b)->priority) {
        return (*a)->priority > (*b)->priority ? -1 : 1;
    }
    int cmp = strcmp((*a)->name, (*b)->name);
    return cmp ? cmp : uuid_compare_3way(&(*a)->header_.uuid,
                                         &(*b)->header_.uuid);
}

/* Appends the packet and byte counters of 'subif', if it has any, as
 * "rx: N packets, N bytes; tx: N packets, N bytes". */
static void
show_statistics(struct ds *out, const struct lifrec_sub_interface *subif)
{
    const char *keys[] = { "rx_packets", "rx_bytes", "tx_packets",
                           "tx_bytes" };
    int64_t values[ARRAY_SIZE(keys)];

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        values[i] = -1;
        for (size_t j = 0; j < subif->n_statistics; j++) {
            if (!strcmp(subif->key_statistics[j], keys[i])) {
                values[i] = subif->value_statistics[j];
            }
        }
        if (values[i] < 0) {
            return;
        }
    }
    ds_put_format(out, "        statistics: rx %"PRId64" packets %"PRId64
                  " bytes, tx %"PRId64" packets %"PRId64" bytes\n",
                  values[0], values[1], values[2], values[3]);
}

/* Appends 'seconds', an RA lifetime, to 'out'. */
static void
show_lifetime(struct ds *out, int64_t seconds)
{
    if (seconds == UINT32_MAX) {
        ds_put_cstr(out, "infinite");
    } else {
        ds_put_format(out, "%"PRId64"s", seconds);
    }
}

static int
compare_prefixes(const void *a_, const void *b_)
{
    const struct lifrec_prefix *const *a = a_;
    const struct lifrec_prefix *const *b = b_;

    return strcmp((*a)->prefix, (*b)->prefix);
}

static int
compare_routers(const void *a_, const void *b_)
{
    const struct lifrec_router *const *a = a_;
    const struct lifrec_router *const *b = b_;

    if (!(*a)->lifetime != !(*b)->lifetime) {
        return (*a)->lifetime ? -1 : 1;
    }
    int cmp = strcmp((*a)->address, (*b)->address);
    return cmp ? cmp : strcmp((*a)->mac, (*b)->mac);
}

/* Appends the routers and prefixes of 'subif' (path awareness), one per
 * line, default routers first. */
static void
show_paths(struct ds *out, const struct lifrec_sub_interface *subif)
{
    size_t n_routers = subif->n_routers;
    const struct lifrec_router **routers = xmalloc((n_routers + 1)
                                                   * sizeof *routers);
    for (size_t i = 0; i < n_routers; i++) {
        routers[i] = subif->routers[i];
    }
    qsort(routers, n_routers, sizeof *routers, compare_routers);
    for (size_t i = 0; i < n_routers; i++) {
        const struct lifrec_router *r = routers[i];
        bool def = subif->router && !strcmp(subif->router, r->address);
        ds_put_format(out, "        router %s %s: lifetime ", r->address,
                      r->mac);
        show_lifetime(out, r->lifetime);
        ds_put_format(out, ", preference %s%s\n", r->preference,
                      def ? ", default" : "");
    }
    free(routers);

    size_t n = subif->n_prefix_info;
    const struct lifrec_prefix **prefixes = xmalloc((n + 1)
                                                    * sizeof *prefixes);
    for (size_t i = 0; i < n; i++) {
        prefixes[i] = subif->prefix_info[i];
    }
    qsort(prefixes, n, sizeof *prefixes, compare_prefixes);
    for (size_t i = 0; i < n; i++) {
        const struct lifrec_prefix *p = prefixes[i];
        ds_put_format(out, "        prefix %s:%s%s valid ", p->prefix,
                      p->on_link ? " on-link," : "",
                      p->autonomous ? " autonomous," : "");
        show_lifetime(out, p->valid_lifetime);
        ds_put_cstr(out, ", preferred ");
        show_lifetime(out, p->preferred_lifetime);
        ds_put_char(out, '\n');
    }
    free(prefixes);
    show_int(out, 8, "ra_mtu", subif->ra_mtu, subif->n_ra_mtu);
}

static void
show_sub_interface(struct ds *out, const struct lifrec_sub_interface *subif)
{
    ds_put_format(out, "    Sub_Interface %s\n", subif->name);
    show_string(out, 8, "state", subif->state);
    ds_put_format(out, "        priority: %"PRId64"\n", subif->priority);
    show_string(out, 8, "technology", subif->technology);
    show_string(out, 8, "lladdr_mode", subif->lladdr_mode);
    show_string(out, 8, "mac", subif->mac);
    show_int(out, 8, "mtu", subif->mtu, subif->n_mtu);
    show_string(out, 8, "carrier", subif->carrier);
    show_paths(out, subif);
    show_statistics(out, subif);
    show_strings(out, 8, "errors", subif->errors, subif->n_errors);
}

static void
show_lif(struct ctl_context *ctx, const struct lifrec_logical_interface *lif)
{
    struct ds *out = &ctx->output;

    ds_put_format(out, "Logical_Interface %s\n", lif->name);
    show_string(out, 4, "bridge", lif->bridge);
    show_string(out, 4, "mac", lif->mac);
    show_int(out, 4, "mtu", lif->mtu, lif->n_mtu);
    show_string(out, 4, "lladdr_mode", lif->lladdr_mode);
    ds_put_format(out, "    connected: %s\n",
                  lif->connected ? "true" : "false");
    show_strings(out, 4, "errors", lif->errors, lif->n_errors);

    const struct lifrec_sub_interface **subifs
        = xmemdup(lif->sub_interfaces,
                  lif->n_sub_interfaces * sizeof *lif->sub_interfaces);
    qsort(subifs, lif->n_sub_interfaces, sizeof *subifs,
          compare_subifs_by_priority);
    for (size_t i = 0; i < lif->n_sub_interfaces; i++) {
        show_sub_interface(out, subifs[i]);
    }
    free(subifs);

    size_t n_policies = 0;
    const struct lifrec_flow_policy *policy;
    LIFREC_FLOW_POLICY_FOR_EACH (policy, ctx->idl) {
        n_policies += !strcmp(policy->lif, lif->name);
    }

    size_t n_flows = 0;
    const struct lifrec_flow *flow;
    LIFREC_FLOW_FOR_EACH (flow, ctx->idl) {
        n_flows += !strcmp(flow->lif, lif->name);
    }

    ds_put_format(out, "    policies: %"PRIuSIZE"\n", n_policies);
    ds_put_format(out, "    flows: %"PRIuSIZE"\n", n_flows);
}

static void
cmd_show(struct ctl_context *ctx)
{
    if (table_style.format == TF_JSON) {
        lif_ctl_cmd_state_dump(ctx);
        return;
    }
    if (ctx->argc > 1) {
        const struct ovsdb_idl_row *row;
        char *error = ctl_get_row(ctx, &lifrec_table_logical_interface,
                                  ctx->argv[1], true, &row);
        if (error) {
            ctx->error = error;
            return;
        }
        show_lif(ctx, CONTAINER_OF(row, struct lifrec_logical_interface,
                                   header_));
        return;
    }

    size_t n = 0, allocated = 0;
    const struct lifrec_logical_interface **lifs = NULL;
    const struct lifrec_logical_interface *lif;
    LIFREC_LOGICAL_INTERFACE_FOR_EACH (lif, ctx->idl) {
        if (n >= allocated) {
            lifs = x2nrealloc(lifs, &allocated, sizeof *lifs);
        }
        lifs[n++] = lif;
    }
    if (n) {
        qsort(lifs, n, sizeof *lifs, compare_lifs_by_name);
    }
    for (size_t i = 0; i < n; i++) {
        show_lif(ctx, lifs[i]);
    }
    free(lifs);
}

/* "init": creates the LIF_Global row, if the database has none.  (With
 * --wait, do_lif_ctl() creates it in any case.) */
static void
cmd_init(struct ctl_context *ctx)
{
    struct lif_ctl_context *lif_ctx = lif_ctl_context_cast(ctx);

    if (!lif_ctx->global) {
        lif_ctx->global = lifrec_lif_global_insert(ctx->txn);
    }
}

/* "sync": does nothing by itself.  With --wait it is the way to wait for
 * lif-controller to catch up with the database without changing it. */
static void
cmd_sync(struct ctl_context *ctx OVS_UNUSED)
{
}

static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    ovsdb_idl_add_table(idl, &lifrec_table_lif_global);
    if (wait_for_controller) {
        ovsdb_idl_add_column(idl, &lifrec_lif_global_col_next_cfg);
        ovsdb_idl_add_column(idl, &lifrec_lif_global_col_cur_cfg);
    }

    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        if (c->syntax->prerequisites) {
            struct lif_ctl_context lif_ctx;

            ds_init(&c->output);
            c->table = NULL;

            lif_ctl_context_init(&lif_ctx, c, idl, NULL, NULL, NULL);
            (c->syntax->prerequisites)(&lif_ctx.base);
            if (lif_ctx.base.error) {
                ctl_fatal("%s", lif_ctx.base.error);
            }
            ctl_context_done(&lif_ctx.base, c);

            ovs_assert(!c->output.string);
            ovs_assert(!c->table);
        }
    }
}

/* Prints the output of 'c', as the global output options ask. */
static void
print_command_output(struct ctl_command *c)
{
    struct ds *ds = &c->output;

    if (c->table) {
        table_print(c->table, &table_style);
    } else if (oneline) {
        ds_chomp(ds, '\n');
        for (size_t j = 0; j < ds->length; j++) {
            int ch = ds->string[j];
            switch (ch) {
            case '\n':
                fputs("\\n", stdout);
                break;

            case '\\':
                fputs("\\\\", stdout);
                break;

            default:
                putchar(ch);
            }
        }
        putchar('\n');
    } else {
        fputs(ds_cstr(ds), stdout);
    }
}

static bool
do_lif_ctl(const char *args, struct ctl_command *commands, size_t n_commands,
           struct ovsdb_idl *idl)
{
    const struct lifrec_lif_global *global;
    enum ovsdb_idl_txn_status status;
    struct ovsdb_symbol_table *symtab;
    struct lif_ctl_context lif_ctx;
    struct ovsdb_idl_txn *txn;
    struct ctl_command *c;
    struct shash_node *node;
    int64_t next_cfg = 0;
    char *error = NULL;

    txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }

    ovsdb_idl_txn_add_comment(txn, "lif-ctl: %s", args);

    /* With --dry-run nothing changes, so there is nothing to wait for. */
    bool must_wait = wait_for_controller && !dry_run;
    global = lifrec_lif_global_first(idl);
    if (must_wait) {
        if (!global) {
            /* A new row starts with next_cfg = cur_cfg = 0, so the increment
             * below makes its next_cfg 1. */
            global = lifrec_lif_global_insert(txn);
        }

        /* Increment next_cfg even if nothing else changes ("force"), so that
         * "lif-ctl --wait sync" waits for lif-controller to catch up. */
        ovsdb_idl_txn_increment(txn, &global->header_,
                                &lifrec_lif_global_col_next_cfg, true);
    }

    symtab = ovsdb_symbol_table_create();
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }
    lif_ctl_context_init(&lif_ctx, NULL, idl, txn, global, symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ctl_context_init_command(&lif_ctx.base, c,
                                 c == &commands[n_commands - 1]);
        if (c->syntax->run) {
            (c->syntax->run)(&lif_ctx.base);
        }
        if (lif_ctx.base.error) {
            ctl_fatal("%s", lif_ctx.base.error);
        }
        ctl_context_done_command(&lif_ctx.base, c);

        if (lif_ctx.base.try_again) {
            ctl_context_done(&lif_ctx.base, NULL);
            goto try_again;
        }
    }
    ctl_context_done(&lif_ctx.base, NULL);

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_fatal("row id \"%s\" is referenced but never created "
                      "(e.g. with \"-- --id=%s create ...\")",
                      node->name, node->name);
        }
        if (!symbol->strong_ref) {
            if (!symbol->weak_ref) {
                VLOG_WARN("row id \"%s\" was created but no reference to it "
                          "was inserted, so it will not actually appear in "
                          "the database", node->name);
            } else {
                VLOG_WARN("row id \"%s\" was created but only a weak "
                          "reference to it was inserted, so it will not "
                          "actually appear in the database", node->name);
            }
        }
    }

    status = ovsdb_idl_txn_commit_block(txn);
    if (must_wait && status == TXN_SUCCESS) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (c = commands; c < &commands[n_commands]; c++) {
            if (c->syntax->postprocess) {
                lif_ctl_context_init(&lif_ctx, c, idl, txn, global, symtab);
                (c->syntax->postprocess)(&lif_ctx.base);
                if (lif_ctx.base.error) {
                    ctl_fatal("%s", lif_ctx.base.error);
                }
                ctl_context_done(&lif_ctx.base, c);
            }
        }
    }
    error = xstrdup(ovsdb_idl_txn_get_error(txn));

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        /* Should not happen--we never call ovsdb_idl_txn_abort(). */
        ctl_fatal("transaction aborted");

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s", error);

    case TXN_NOT_LOCKED:
        /* Should not happen--we never call ovsdb_idl_set_lock(). */
        ctl_fatal("database not locked");

    default:
        OVS_NOT_REACHED();
    }
    free(error);
    ovsdb_idl_txn_destroy(txn);
    txn = the_idl_txn = NULL;

    ovsdb_symbol_table_destroy(symtab);

    for (c = commands; c < &commands[n_commands]; c++) {
        print_command_output(c);
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);

        shash_destroy_free_data(&c->options);
    }
    free(commands);

    if (must_wait && status == TXN_SUCCESS) {
        fflush(stdout);
        wait_for_cur_cfg(idl, next_cfg);
    }

    ovsdb_idl_destroy(idl);
    the_idl = NULL;

    return true;

try_again:
    /* Our transaction needs to be rerun, or a prerequisite was not met.  Free
     * resources and return so that the caller can try again. */
    if (txn) {
        ovsdb_idl_txn_abort(txn);
        ovsdb_idl_txn_destroy(txn);
        the_idl_txn = NULL;
    }
    ovsdb_symbol_table_destroy(symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
    }
    free(error);
    return false;
}

/* Waits until LIF_Global's cur_cfg reaches 'next_cfg', that is, until
 * lif-controller has installed the configuration that our transaction
 * produced.  If --timeout expires first, reports it and dies with SIGALRM,
 * the way --timeout always ends OVS's *-ctl programs. */
static void
wait_for_cur_cfg(struct ovsdb_idl *idl, int64_t next_cfg)
{
    /* ctl_timeout_setup() armed an alarm that would kill us silently at the
     * same moment as 'deadline'.  Push it out of the way and enforce the
     * deadline here, so that a timeout says what we were waiting for. */
    if (deadline) {
        time_alarm(UINT_MAX);
    }

    /* lif-controller may be restarted, or the database reconnected, while we
     * wait; keep the connection alive meanwhile. */
    ovsdb_idl_enable_reconnect(idl);
    for (;;) {
        ovsdb_idl_run(idl);

        const struct lifrec_lif_global *global = lifrec_lif_global_first(idl);
        if (global && global->cur_cfg >= next_cfg) {
            return;
        }

        if (deadline && time_msec() >= deadline) {
            char *msg = xasprintf("timed out after %u seconds waiting for "
                                  "lif-controller to apply configuration "
                                  "%"PRId64" (LIF_Global cur_cfg is "
                                  "%"PRId64"); is lif-controller running?",
                                  timeout, next_cfg,
                                  global ? global->cur_cfg : 0);
            vlog_set_levels(&this_module, VLF_CONSOLE, VLL_OFF);
            VLOG_ERR("%s", msg);
            ovs_error(0, "%s", msg);
            free(msg);

            fatal_signal_handler(SIGALRM);
            fatal_signal_run();
            OVS_NOT_REACHED();
        }

        ovsdb_idl_wait(idl);
        if (deadline) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
    }
}

static const struct ctl_command_syntax lif_commands[] = {
    {"show", 0, 1, "[LIF]", pre_cmd_show, cmd_show, NULL, "", RO},
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"sync", 0, 0, "", NULL, cmd_sync, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Registers lif-ctl's own commands and the common database commands. */
static void
lif_ctl_cmd_init(void)
{
    ctl_init(&lifrec_idl_class, lifrec_table_classes, tables, NULL,
             lif_ctl_exit);
    ctl_register_commands(lif_commands);

    static const struct lif_ctl_config_globals config_globals = {
        &db, &dry_run, &wait_for_controller,
    };
    lif_ctl_config_register(&config_globals);
    lif_ctl_flow_register_commands();
}
