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

#include "lif-pipeline-private.h"

#include "lif-cookie.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-port.h"
#include "svec.h"
#include "util.h"

/* Path awareness (RFC 7847 section 5 property 3): the punt of Router
 * Advertisements to lif-controller, source-prefix routing
 * (LIF_T_SRC_PREFIX) and router-MAC translation (LIF_T_ROUTER_MAC). */
void
lif_pl_build_path(const struct lif_logical *lif OVS_UNUSED,
                  struct lif_flow_table *out OVS_UNUSED,
                  struct svec *errors OVS_UNUSED)
{
}
