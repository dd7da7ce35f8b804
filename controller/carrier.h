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

#ifndef CARRIER_H
#define CARRIER_H 1

#include <stdint.h>

struct simap;
struct sset;

/* carrier: fast link-failure detection for sub-interfaces.
 *
 * The kernel's linkwatch can hold a carrier-down event for up to a second
 * before it reaches anyone over rtnetlink (ovs-vswitchd included), and
 * there is no other notification of a carrier change.  The carrier bit
 * itself, though, changes at once, and so do the device's carrier_changes
 * counter.  A thread of lif-controller's own therefore reads each
 * sub-interface's /sys/class/net/DEV/carrier_changes every interval
 * (1 ms by default, on an absolute schedule): a lockless read that never
 * waits for the RTNL lock and costs about 1.5 us.  When the counter moves,
 * the thread
 *
 *   1. tells the failover fast path (failover.h), which rewrites the
 *      switch's fast-failover groups without the dead sub-interface's
 *      buckets over its own OpenFlow connection, at once;
 *   2. reads the link state with the ETHTOOL_GLINK ioctl, which confirms
 *      it and makes the kernel deliver its pending link event, so that
 *      ovs-vswitchd learns of the change too;
 *   3. wakes the main loop, which recomputes and installs the new state
 *      through ofctrl as usual.
 *
 * Devices without a usable sysfs entry in lif-controller's network
 * namespace are polled with ETHTOOL_GLINK every 10 ms instead.  Devices
 * that cannot be queried at all (the dummy ports of the hermetic tests, or
 * devices in another network namespace) are LIF_CARRIER_UNKNOWN, which
 * leaves them to ovs-vswitchd's own link state. */

void carrier_init(int interval_us);
void carrier_destroy(void);
void carrier_set_devices(const struct sset *names);
void carrier_get(struct simap *states);
uint64_t carrier_seq_read(void);
void carrier_wait(uint64_t seqno);
int carrier_get_interval(void);

#endif /* carrier.h */
