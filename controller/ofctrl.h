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

#ifndef OFCTRL_H
#define OFCTRL_H 1

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/types.h"

struct ds;
struct lif_flow_table;
struct lif_meters;
struct ofputil_port_stats;

/* ofctrl: lif-controller's OpenFlow connection to one bridge.
 *
 * It connects to the bridge's management socket,
 * unix:$OVS_RUNDIR/<bridge>.mgmt (a service connection: no Controller row,
 * no fail-open, no flow flush on connect), over OpenFlow 1.5, and keeps a
 * mirror of the flows and groups it installed.  ofctrl_put() sends the
 * difference between that mirror and a desired table as one atomic bundle.
 *
 * After every (re)connection, ofctrl first reads every flow and group the
 * switch has into its mirror; the first put then makes the switch exactly
 * the desired state in one atomic bundle: what is wrong or missing is
 * replaced or added, what is not desired is deleted, and flows that are
 * already right are left alone (a restarted lif-controller does not even
 * reset their counters or durations).  There is never a moment with an
 * empty table.  Flows are never deleted when lif-controller exits.
 *
 * Back-pressure: a put is refused while an earlier one is still in flight.
 * Each put ends with a barrier; when its reply arrives, the put's
 * configuration number becomes ofctrl_get_cur_cfg(), which is how
 * "lif-ctl --wait" learns that a change is installed.  An OpenFlow error
 * means the mirror can no longer be trusted: after a back-off (1 s,
 * doubling up to 60 s) ofctrl reads the switch again and resynchronizes.
 *
 * Every 5 seconds ofctrl also asks for port statistics, the packet and byte
 * counters lif-controller reports per sub-interface, and for the counters
 * of the ND and ARP packets the pipeline did not learn neighbors from. */
struct ofctrl;

struct ofctrl *ofctrl_create(const char *bridge);
void ofctrl_destroy(struct ofctrl *);

void ofctrl_run(struct ofctrl *);
void ofctrl_wait(struct ofctrl *);

void ofctrl_set_meters(struct ofctrl *, const struct lif_meters *);
bool ofctrl_put(struct ofctrl *, const struct lif_flow_table *desired,
                int64_t req_cfg);
bool ofctrl_is_connected(const struct ofctrl *);
bool ofctrl_get_port_stats(const struct ofctrl *, ofp_port_t,
                           struct ofputil_port_stats *);
uint64_t ofctrl_get_nd_refused(const struct ofctrl *, ofp_port_t);
int64_t ofctrl_get_cur_cfg(const struct ofctrl *);
const char *ofctrl_get_bridge(const struct ofctrl *);
const struct lif_flow_table *ofctrl_get_installed(const struct ofctrl *);
void ofctrl_forget_group(struct ofctrl *, uint32_t group_id);
void ofctrl_format_status(const struct ofctrl *, struct ds *);

#endif /* ofctrl.h */
