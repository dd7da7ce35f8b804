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

#ifndef FAILOVER_H
#define FAILOVER_H 1

#include <stddef.h>
#include <stdint.h>

struct lif_flow_table;
struct lif_logical;
struct sset;

/* failover: the fast path from a carrier change to the switch.
 *
 * A fast-failover group switches as soon as ovs-vswitchd considers a
 * watched port dead, but ovs-vswitchd learns of a carrier change from
 * rtnetlink (up to a second late, see carrier.h) and then takes several
 * milliseconds to process it.  An OpenFlow group-mod takes effect in the
 * data path within about a millisecond.  So the carrier thread, the moment
 * it sees a sub-interface's carrier change, rewrites every group that has
 * a bucket watching that sub-interface, without the buckets that watch a
 * sub-interface whose carrier is down: exactly what ovs-vswitchd's own
 * liveness check will do once it knows.  It does so over an OpenFlow
 * connection of its own to the bridge, from the groups the main loop last
 * computed (failover_update()), without waiting for the main loop.
 *
 * The main loop stays the owner of the installed state: once the switch
 * has confirmed the fast path's group-mods (a barrier reply),
 * failover_take_changed() returns the groups concerned, and the main loop
 * makes ofctrl rewrite them from its own desired state
 * (ofctrl_forget_group()), which by then reflects the carrier change too.
 * So whatever order the two connections' messages reach the switch in,
 * the switch ends with the main loop's desired state.
 *
 * Threads: failover_update(), failover_retain(), failover_take_changed()
 * and failover_wait() belong to the main thread; failover_run() and
 * failover_react() to the carrier thread. */

void failover_update(const struct lif_logical *,
                     const struct lif_flow_table *desired);
void failover_retain(const struct sset *bridges);
size_t failover_take_changed(const char *bridge, uint32_t **group_ids);
uint64_t failover_seq_read(void);
void failover_wait(uint64_t seqno);

void failover_run(void);
void failover_react(const struct sset *down, const struct sset *changed);

#endif /* failover.h */
