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

#ifndef APPCTL_CLIENT_H
#define APPCTL_CLIENT_H 1

#include <stdbool.h>

struct jsonrpc_msg;
struct stream;
struct svec;

/* appctl-client: "ovs-appctl" to a local Open vSwitch daemon (ovs-vswitchd,
 * ovsdb-server) that never blocks.
 *
 * Connects to the daemon's control socket (ovs_rundir()/DAEMON.PID.ctl,
 * PID from DAEMON.pid) as a JSON-RPC stream, reconnecting (with a backoff,
 * logging rate-limited) whenever the daemon restarts.  One request at a
 * time: appctl_client_request() sends it, appctl_client_run() receives the
 * reply bit by bit from the main loop, appctl_client_take_reply() hands it
 * over.  appctl_client_open_stream() alone opens the socket, for a caller
 * that keeps its own connection. */

int appctl_client_open_stream(const char *daemon, struct stream **);

struct appctl_client *appctl_client_create(const char *name,
                                           const char *daemon);
void appctl_client_destroy(struct appctl_client *);
void appctl_client_run(struct appctl_client *);
void appctl_client_wait(const struct appctl_client *);

bool appctl_client_is_connected(const struct appctl_client *);
unsigned int appctl_client_get_seqno(const struct appctl_client *);
bool appctl_client_is_pending(const struct appctl_client *);
bool appctl_client_request(struct appctl_client *, const char *command,
                           const struct svec *args);
struct jsonrpc_msg *appctl_client_take_reply(struct appctl_client *);

#endif /* appctl-client.h */
