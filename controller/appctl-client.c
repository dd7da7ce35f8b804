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

#include "appctl-client.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "daemon.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "stream.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(appctl_client);

/* Reconnection backoff, in milliseconds. */
#define BACKOFF_MIN 1000
#define BACKOFF_MAX 8000

/* A non-blocking unixctl client of one local Open vSwitch daemon. */
struct appctl_client {
    char *name;                 /* For log messages. */
    char *daemon;               /* "ovs-vswitchd", "ovsdb-server"... */
    struct stream *stream;      /* Connecting, or NULL. */
    struct jsonrpc *rpc;        /* Connected, or NULL. */
    long long int next_connect; /* time_msec() of the next attempt. */
    int backoff;                /* Milliseconds between attempts. */
    bool was_connected;         /* Connected once: losing it is news. */
    unsigned int conn_seqno;    /* Connections made so far. */

    struct json *request_id;    /* Outstanding request's id, or NULL. */
    struct jsonrpc_msg *reply;  /* Its reply, until taken. */
};

/* Creates a client of the local 'daemon' (e.g. "ovs-vswitchd"), 'name'
 * naming it in log messages.  It connects from appctl_client_run(). */
struct appctl_client *
appctl_client_create(const char *name, const char *daemon)
{
    struct appctl_client *ctl = xzalloc(sizeof *ctl);
    ctl->name = xstrdup(name);
    ctl->daemon = xstrdup(daemon);
    ctl->backoff = BACKOFF_MIN;
    return ctl;
}

static void
disconnect(struct appctl_client *ctl, int error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

    if (ctl->rpc) {
        VLOG_INFO_RL(&rl, "%s: connection to %s lost (%s), reconnecting",
                     ctl->name, ctl->daemon, ovs_retval_to_string(error));
    }
    jsonrpc_close(ctl->rpc);
    ctl->rpc = NULL;
    stream_close(ctl->stream);
    ctl->stream = NULL;
    json_destroy(ctl->request_id);
    ctl->request_id = NULL;
    ctl->next_connect = time_msec() + ctl->backoff;
    ctl->backoff = MIN(ctl->backoff * 2, BACKOFF_MAX);
}

/* Closes 'ctl' and frees it. */
void
appctl_client_destroy(struct appctl_client *ctl)
{
    if (ctl) {
        jsonrpc_close(ctl->rpc);
        stream_close(ctl->stream);
        json_destroy(ctl->request_id);
        jsonrpc_msg_destroy(ctl->reply);
        free(ctl->name);
        free(ctl->daemon);
        free(ctl);
    }
}

/* Starts opening, into '*streamp', the control socket of the local
 * 'daemon' that its pidfile in ovs_rundir() names.  Returns 0 if it
 * started, ESRCH if the daemon is not running (no pidfile: no warning,
 * since a restarting daemon is no news), otherwise an errno value. */
int
appctl_client_open_stream(const char *daemon, struct stream **streamp)
{
    char *pidfile = xasprintf("%s/%s.pid", ovs_rundir(), daemon);
    struct stat st;
    /* read_pidfile() logs a warning for a missing pidfile. */
    pid_t pid = stat(pidfile, &st) ? 0 : read_pidfile(pidfile);
    free(pidfile);
    *streamp = NULL;
    if (pid <= 0) {
        return pid ? -pid : ESRCH;
    }

    char *target = xasprintf("unix:%s/%s.%ld.ctl", ovs_rundir(), daemon,
                             (long int) pid);
    int error = stream_open(target, streamp, DSCP_DEFAULT);
    free(target);
    return error;
}

/* Starts connecting to the daemon. */
static void
start_connect(struct appctl_client *ctl)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    int error = appctl_client_open_stream(ctl->daemon, &ctl->stream);

    if (error) {
        VLOG_INFO_RL(&rl, "%s: %s: %s", ctl->name, ctl->daemon,
                     error == ESRCH ? "not running" : ovs_strerror(error));
        disconnect(ctl, error);
    }
}

/* Connects, sends and receives, without blocking. */
void
appctl_client_run(struct appctl_client *ctl)
{
    if (!ctl->rpc && !ctl->stream && time_msec() >= ctl->next_connect) {
        start_connect(ctl);
    }
    if (ctl->stream) {
        int error = stream_connect(ctl->stream);
        if (!error) {
            ctl->rpc = jsonrpc_open(ctl->stream);
            ctl->stream = NULL;
            ctl->backoff = BACKOFF_MIN;
            if (ctl->was_connected) {
                VLOG_INFO("%s: reconnected to %s", ctl->name, ctl->daemon);
            }
            ctl->was_connected = true;
            ctl->conn_seqno++;
        } else if (error != EAGAIN) {
            disconnect(ctl, error);
        }
    }
    if (!ctl->rpc) {
        return;
    }

    jsonrpc_run(ctl->rpc);
    for (;;) {
        struct jsonrpc_msg *msg;
        int error = jsonrpc_recv(ctl->rpc, &msg);
        if (error == EAGAIN) {
            break;
        } else if (error) {
            disconnect(ctl, error);
            return;
        }
        if (ctl->request_id && msg->id
            && json_equal(msg->id, ctl->request_id)
            && (msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)) {
            json_destroy(ctl->request_id);
            ctl->request_id = NULL;
            jsonrpc_msg_destroy(ctl->reply);
            ctl->reply = msg;
        } else {
            jsonrpc_msg_destroy(msg);
        }
    }
    int status = jsonrpc_get_status(ctl->rpc);
    if (status) {
        disconnect(ctl, status);
    }
}

/* Arranges for poll_block() to wake up when appctl_client_run() has work
 * to do. */
void
appctl_client_wait(const struct appctl_client *ctl)
{
    if (ctl->reply) {
        poll_immediate_wake();
    }
    if (ctl->rpc) {
        jsonrpc_wait(ctl->rpc);
        jsonrpc_recv_wait(ctl->rpc);
    } else if (ctl->stream) {
        stream_run_wait(ctl->stream);
        stream_connect_wait(ctl->stream);
    } else {
        poll_timer_wait_until(ctl->next_connect);
    }
}

/* Whether 'ctl' is connected to its daemon. */
bool
appctl_client_is_connected(const struct appctl_client *ctl)
{
    return ctl->rpc != NULL;
}

/* The number of connections made so far: a change means a new connection,
 * perhaps to a restarted daemon that knows nothing of earlier requests. */
unsigned int
appctl_client_get_seqno(const struct appctl_client *ctl)
{
    return ctl->conn_seqno;
}

/* Whether a request is waiting for its reply.  A request whose connection
 * is lost never gets one: it is no longer pending. */
bool
appctl_client_is_pending(const struct appctl_client *ctl)
{
    return ctl->request_id != NULL;
}

/* Sends "COMMAND ARGS..." to the daemon.  Returns false, doing nothing,
 * if 'ctl' is not connected or a request is pending. */
bool
appctl_client_request(struct appctl_client *ctl, const char *command,
                        const struct svec *args)
{
    if (!ctl->rpc || ctl->request_id) {
        return false;
    }

    struct json *params = json_array_create_empty();
    for (size_t i = 0; i < args->n; i++) {
        json_array_add(params, json_string_create(args->names[i]));
    }
    struct jsonrpc_msg *request = jsonrpc_create_request(command, params,
                                                         NULL);
    ctl->request_id = json_clone(request->id);
    int error = jsonrpc_send(ctl->rpc, request);
    if (error) {
        disconnect(ctl, error);
        return false;
    }
    return true;
}

/* Returns the reply to the last request, if it arrived, and forgets it: the
 * caller must jsonrpc_msg_destroy() it.  Returns NULL otherwise. */
struct jsonrpc_msg *
appctl_client_take_reply(struct appctl_client *ctl)
{
    struct jsonrpc_msg *reply = ctl->reply;
    ctl->reply = NULL;
    return reply;
}
