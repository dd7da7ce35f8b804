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

#ifndef PATH_NOTIFY_H
#define PATH_NOTIFY_H 1

struct lif_path_events;
struct pinctrl;

/* path-notify: sends the packets that lif_path_events_compute() asked for
 * (see lif-path-events.h): RAs to the host on the LIF, RSs and unsolicited
 * NAs on sub-interfaces.  The host's addresses for the NAs are read from
 * the LIF's network device (getifaddrs), in lif-controller's network
 * namespace. */
void path_notify_send(const struct lif_path_events *, const char *bridge,
                      const char *lif_name, struct pinctrl *);

#endif /* path-notify.h */
