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

#ifndef CT_ZONE_LIMIT_H
#define CT_ZONE_LIMIT_H 1

struct ds;
struct lif_model;

/* ct-zone-limit: each LIF's external_ids:lif-flow-limit as the connection
 * limit of its conntrack zone, so that an access that opens flow after flow
 * (for example from random source ports) fills its own LIF's zone and not
 * the datapath's connection tracker.
 *
 * Open vSwitch 3.1 keeps zone limits only in the datapath, set with
 * "ovs-appctl dpctl/ct-set-limits": lif-controller sends that, without
 * blocking, whenever a LIF's limit differs from what it last set and after
 * every new connection to ovs-vswitchd (a restarted one has none), and
 * "dpctl/ct-del-limits" for the zones of LIFs that are gone. */

void ct_zone_limit_set_model(const struct lif_model *);
void ct_zone_limit_run(void);
void ct_zone_limit_wait(void);
void ct_zone_limit_format_status(struct ds *);
void ct_zone_limit_destroy(void);

#endif /* ct-zone-limit.h */
