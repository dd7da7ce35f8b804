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
struct lif_paths;
struct pinctrl;

/* path-notify: sends the packets that lif_path_events_compute() asked for
 * (see lif-path-events.h): RAs to the host on the LIF, RSs and unsolicited
 * NAs on sub-interfaces.  The host's addresses for the NAs are read from
 * the LIF's network device (getifaddrs), in lif-controller's network
 * namespace.
 *
 * Like a host (RFC 4861 section 6.3.7), lif-controller solicits an access
 * several times until a Router Advertisement arrives on it (at 0, 100, 300
 * and 1000 ms): a router whose interface has just come up may not answer
 * the first one. */
void path_notify_send(const struct lif_path_events *, const char *bridge,
                      const char *lif_name, struct pinctrl *);
void path_notify_run(const char *bridge, struct pinctrl *,
                     const struct lif_paths *);
void path_notify_wait(void);
void path_notify_forget(const char *bridge);

#endif /* path-notify.h */
