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

#include "lif-pipeline.h"

#include "lif-cookie.h"
#include "lif-flow-table.h"
#include "lif-model.h"
#include "lif-tables.h"
#include "openvswitch/dynamic-string.h"
#include "flow.h"
#include "openvswitch/ofp-port.h"
#include "svec.h"
#include "util.h"

/* Adds a flow, with printf-style 'match_fmt', to 'out'.  Records an error
 * in 'errors' if the flow does not parse. */
static void OVS_PRINTF_FORMAT(6, 8)
add_flow(struct lif_flow_table *out, struct svec *errors, uint8_t table_id,
         uint16_t priority, uint64_t cookie, const char *match_fmt,
         const char *actions, ...)
{
    va_list args;
    va_start(args, actions);
    char *match = xvasprintf(match_fmt, args);
    va_end(args);

    char *error = lif_flow_table_add_flow(out, table_id, priority, cookie,
                                          match, actions);
    if (error) {
        svec_add_nocopy(errors, error);
    }
    free(match);
}

/* Adds to 'out' a priority-0 flow in 'table_id' that matches everything. */
static void
add_catchall_flow(struct lif_flow_table *out, struct svec *errors,
                  uint8_t table_id, uint64_t cookie, const char *actions)
{
    char *error = lif_flow_table_add_flow(out, table_id, LIF_PRIO_DROP,
                                          cookie, "", actions);
    if (error) {
        svec_add_nocopy(errors, error);
    }
}

/* The fast-failover group that is the LIF's default path: a bucket per
 * sub-interface that can carry traffic, most preferred first.  ovs-vswitchd
 * uses the first bucket whose watch_port is live, so a link that goes down
 * is skipped in the data plane, without the controller.  Sub-interfaces
 * that the carrier poller saw go down are left out as well: the kernel may
 * tell ovs-vswitchd about them up to a second later. */
static void
build_default_path(const struct lif_logical *lif,
                   struct lif_flow_table *out, struct svec *errors)
{
    struct ds spec = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&spec, "type=ff");
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport == OFPP_NONE
            || subif->carrier == LIF_CARRIER_DOWN) {
            continue;
        }
        ds_put_format(&spec, ",bucket=watch_port:%"PRIu16
                      ",actions=output:%"PRIu16,
                      ofp_to_u16(subif->ofport), ofp_to_u16(subif->ofport));
    }
    char *error = lif_flow_table_add_group(out, LIF_GROUP_DEFAULT_PATH,
                                           ds_cstr(&spec));
    if (error) {
        svec_add_nocopy(errors, error);
    }
    ds_destroy(&spec);

    add_catchall_flow(out, errors, LIF_T_FROM_LIF,
                      lif_cookie(LIF_COOKIE_LIF_DEFAULT, &lif->uuid),
                      "group:1");
}

/* Computes into 'out' the flows and groups for 'lif'.  Flows are added to
 * whatever 'out' already holds. */
void
lif_pipeline_build(const struct lif_logical *lif, struct lif_flow_table *out,
                   struct svec *errors)
{
    BUILD_ASSERT_DECL(LIF_GROUP_DEFAULT_PATH == 1);

    /* Whatever nothing else claims is dropped: the bridge's local port,
     * ports that are not attached yet, and everything when the LIF itself
     * is unusable. */
    add_catchall_flow(out, errors, LIF_T_CLASSIFY,
                      lif_cookie(LIF_COOKIE_DROP, &lif->uuid), "drop");
    if (!lif->usable || lif->ofport == OFPP_NONE) {
        return;
    }

    /* Traffic from the host. */
    add_flow(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
             lif_cookie(LIF_COOKIE_CLASSIFY, &lif->uuid),
             "in_port=%"PRIu16, "resubmit(,10)", ofp_to_u16(lif->ofport));
    build_default_path(lif, out, errors);

    /* Traffic from the access networks: every sub-interface delivers to the
     * LIF and to nothing else. */
    for (size_t i = 0; i < lif->n_subifs; i++) {
        const struct lif_subif *subif = &lif->subifs[i];
        if (subif->ofport != OFPP_NONE) {
            add_flow(out, errors, LIF_T_CLASSIFY, LIF_PRIO_DEFAULT,
                     lif_cookie(LIF_COOKIE_CLASSIFY, &subif->uuid),
                     "in_port=%"PRIu16, "resubmit(,20)",
                     ofp_to_u16(subif->ofport));
        }
    }
    char *to_lif = xasprintf("output:%"PRIu16, ofp_to_u16(lif->ofport));
    add_catchall_flow(out, errors, LIF_T_FROM_SUBIF,
                      lif_cookie(LIF_COOKIE_SUBIF_IN, &lif->uuid), to_lif);
    free(to_lif);
}

/* Returns the name of OpenFlow table 'table_id' of the LIF pipeline, or NULL
 * if the pipeline does not use that table. */
const char *
lif_table_name(int table_id)
{
    switch (table_id) {
    case LIF_T_CLASSIFY:
        return "classify";
    case LIF_T_FROM_LIF:
        return "from-lif";
    case LIF_T_FROM_SUBIF:
        return "from-subif";
    default:
        return NULL;
    }
}
