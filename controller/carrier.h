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
 * before it reaches ovs-vswitchd over rtnetlink, and a fast-failover group
 * only switches when ovs-vswitchd hears of it.  A thread of lif-controller's
 * own therefore reads each sub-interface's link state every few
 * milliseconds with the ETHTOOL_GLINK ioctl.  That read returns the carrier
 * at once and also makes the kernel flush the pending link event, so
 * ovs-vswitchd learns of the change too.  A change wakes the main loop,
 * which takes the dead sub-interface out of the failover group.
 *
 * Devices that cannot be queried (the dummy ports of the hermetic tests, or
 * devices in another network namespace) are reported as
 * LIF_CARRIER_UNKNOWN, which leaves them to ovs-vswitchd's own link state.
 */

void carrier_init(int interval_ms);
void carrier_destroy(void);
void carrier_set_devices(const struct sset *names);
void carrier_get(struct simap *states);
uint64_t carrier_seq_read(void);
void carrier_wait(uint64_t seqno);
int carrier_get_interval(void);

#endif /* carrier.h */
