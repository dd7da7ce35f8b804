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

#include "lif-db-keeper.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "appctl-client.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lif_db_keeper);

/* The name of the database that the keeper keeps served. */
#define LIF_DB_NAME "LIF"

/* How often to ask ovsdb-server while the LIF database is unreachable. */
#define KEEPER_CHECK_INTERVAL 250

/* Give up on one exchange with ovsdb-server after this long. */
#define KEEPER_REQUEST_TIMEOUT 2000

enum keeper_state {
    KEEPER_IDLE,                /* No exchange in progress. */
    KEEPER_LISTING,             /* Sent "ovsdb-server/list-dbs". */
    KEEPER_ADDING,              /* Sent "ovsdb-server/add-db FILE". */
};

/* The keeper. */
struct lif_db_keeper {
    char *db_file;              /* The LIF database file to add. */
    enum keeper_state state;
    struct jsonrpc *rpc;        /* Connection to ovsdb-server's unixctl. */
    struct json *request_id;    /* Id of the outstanding request. */
    long long int deadline;     /* Abandon the exchange at this time. */
    long long int next_check;   /* Earliest time for the next exchange. */
    bool need_check;            /* The LIF connection is down. */
};

/* Creates a keeper that adds 'db_file' to the local ovsdb-server whenever
 * it does not serve the LIF database. */
struct lif_db_keeper *
lif_db_keeper_create(const char *db_file)
{
    struct lif_db_keeper *k = xzalloc(sizeof *k);
    k->db_file = xstrdup(db_file);
    k->state = KEEPER_IDLE;
    return k;
}

static void
keeper_close(struct lif_db_keeper *k)
{
    jsonrpc_close(k->rpc);
    k->rpc = NULL;
    json_destroy(k->request_id);
    k->request_id = NULL;
    k->state = KEEPER_IDLE;
    k->next_check = time_msec() + KEEPER_CHECK_INTERVAL;
}

/* Destroys 'k'. */
void
lif_db_keeper_destroy(struct lif_db_keeper *k)
{
    if (k) {
        keeper_close(k);
        free(k->db_file);
        free(k);
    }
}

/* Sends unixctl command 'cmd' with optional argument 'arg' on k->rpc. */
static bool
keeper_send(struct lif_db_keeper *k, const char *cmd, const char *arg)
{
    struct json *params = json_array_create_empty();
    if (arg) {
        json_array_add(params, json_string_create(arg));
    }
    struct jsonrpc_msg *req = jsonrpc_create_request(cmd, params, NULL);
    json_destroy(k->request_id);
    k->request_id = json_clone(req->id);
    int error = jsonrpc_send(k->rpc, req);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_DBG_RL(&rl, "%s: sending to ovsdb-server failed (%s)",
                    cmd, ovs_strerror(error));
        return false;
    }
    k->deadline = time_msec() + KEEPER_REQUEST_TIMEOUT;
    return true;
}

/* Connects to the local ovsdb-server's control socket and asks which
 * databases it serves. */
static void
keeper_start(struct lif_db_keeper *k)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct stream *stream;
    int error = appctl_client_open_stream("ovsdb-server", &stream);
    if (error) {
        /* Not running (or not local): nothing to do until it is. */
        VLOG_DBG_RL(&rl, "ovsdb-server's control socket in %s: %s",
                    ovs_rundir(), error == ESRCH ? "not running"
                                                 : ovs_strerror(error));
        k->next_check = time_msec() + KEEPER_CHECK_INTERVAL;
        return;
    }
    k->rpc = jsonrpc_open(stream);
    if (keeper_send(k, "ovsdb-server/list-dbs", NULL)) {
        k->state = KEEPER_LISTING;
    } else {
        keeper_close(k);
    }
}

/* Does the reply to "ovsdb-server/list-dbs", one name a line, name the LIF
 * database? */
static bool
list_has_lif(const char *list)
{
    size_t len = strlen(LIF_DB_NAME);
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, "\n");
        if (n == len && !memcmp(p, LIF_DB_NAME, len)) {
            return true;
        }
        p += n + (p[n] == '\n');
    }
    return false;
}

/* Handles 'reply' to the outstanding request: after "list-dbs", sends
 * "add-db" on the same connection if the LIF database is missing. */
static void
keeper_handle_reply(struct lif_db_keeper *k, const struct jsonrpc_msg *reply)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    const struct json *j = reply->type == JSONRPC_REPLY ? reply->result
                                                        : reply->error;
    const char *text = j && j->type == JSON_STRING ? json_string(j) : "";

    if (k->state == KEEPER_LISTING) {
        if (reply->type != JSONRPC_REPLY) {
            VLOG_WARN_RL(&rl, "ovsdb-server/list-dbs failed: %s", text);
        } else if (!list_has_lif(text)) {
            /* ovsdb-server opens the file, maybe as another user: only
             * check that it exists. */
            if (access(k->db_file, F_OK)) {
                VLOG_WARN_RL(&rl, "ovsdb-server does not serve the %s "
                             "database and %s cannot be used (%s): run "
                             "lif-db-setup", LIF_DB_NAME, k->db_file,
                             ovs_strerror(errno));
            } else if (keeper_send(k, "ovsdb-server/add-db", k->db_file)) {
                k->state = KEEPER_ADDING;
                return;
            }
        }
    } else if (k->state == KEEPER_ADDING) {
        if (reply->type == JSONRPC_REPLY) {
            VLOG_INFO("ovsdb-server did not serve the %s database: added %s",
                      LIF_DB_NAME, k->db_file);
        } else {
            VLOG_WARN_RL(&rl, "ovsdb-server/add-db %s failed: %s",
                         k->db_file, text);
        }
    }
    keeper_close(k);
}

/* Checks, while the LIF database connection of 'lif_idl' is down, that the
 * local ovsdb-server serves the LIF database, and adds it if not. */
void
lif_db_keeper_run(struct lif_db_keeper *k, const struct ovsdb_idl *lif_idl)
{
    k->need_check = !ovsdb_idl_is_connected(lif_idl);

    if (k->state == KEEPER_IDLE) {
        if (k->need_check && time_msec() >= k->next_check) {
            keeper_start(k);
        }
        if (k->state == KEEPER_IDLE) {
            return;
        }
    }

    jsonrpc_run(k->rpc);
    struct jsonrpc_msg *msg;
    int error = jsonrpc_recv(k->rpc, &msg);
    if (!error) {
        if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && msg->id && json_equal(msg->id, k->request_id)) {
            keeper_handle_reply(k, msg);
        }
        jsonrpc_msg_destroy(msg);
    } else if (error != EAGAIN || time_msec() >= k->deadline) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_DBG_RL(&rl, "exchange with ovsdb-server failed (%s)",
                    error == EAGAIN ? "timeout" : ovs_retval_to_string(error));
        keeper_close(k);
    }
}

/* Arranges for poll_block() to wake up when lif_db_keeper_run() has work. */
void
lif_db_keeper_wait(const struct lif_db_keeper *k)
{
    if (k->state == KEEPER_IDLE) {
        if (k->need_check) {
            poll_timer_wait_until(k->next_check);
        }
    } else {
        jsonrpc_wait(k->rpc);
        jsonrpc_recv_wait(k->rpc);
        poll_timer_wait_until(k->deadline);
    }
}
