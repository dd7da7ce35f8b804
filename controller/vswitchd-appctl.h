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

#ifndef VSWITCHD_APPCTL_H
#define VSWITCHD_APPCTL_H 1

#include <stdbool.h>

struct jsonrpc_msg;
struct svec;

/* vswitchd-appctl: "ovs-appctl" to ovs-vswitchd that never blocks.
 *
 * Connects to ovs-vswitchd's control socket (ovs_rundir()/
 * ovs-vswitchd.PID.ctl, PID from ovs-vswitchd.pid) as a JSON-RPC stream,
 * reconnecting (with a backoff, logging rate-limited) whenever ovs-vswitchd
 * restarts.  One request at a time: vswitchd_appctl_request() sends it,
 * vswitchd_appctl_run() receives the reply bit by bit from the main loop,
 * vswitchd_appctl_take_reply() hands it over. */

struct vswitchd_appctl *vswitchd_appctl_create(const char *name);
void vswitchd_appctl_destroy(struct vswitchd_appctl *);
void vswitchd_appctl_run(struct vswitchd_appctl *);
void vswitchd_appctl_wait(const struct vswitchd_appctl *);

bool vswitchd_appctl_is_connected(const struct vswitchd_appctl *);
unsigned int vswitchd_appctl_get_seqno(const struct vswitchd_appctl *);
bool vswitchd_appctl_is_pending(const struct vswitchd_appctl *);
bool vswitchd_appctl_request(struct vswitchd_appctl *, const char *command,
                             const struct svec *args);
struct jsonrpc_msg *vswitchd_appctl_take_reply(struct vswitchd_appctl *);

#endif /* vswitchd-appctl.h */
