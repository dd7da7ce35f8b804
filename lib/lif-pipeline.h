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

#ifndef LIF_PIPELINE_H
#define LIF_PIPELINE_H 1

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct lif_flow_table;
struct lif_logical;
struct svec;

/* A meter the pipeline's flows use: an OpenFlow meter id and its rate in
 * packets per second (one drop band). */
struct lif_meter {
    uint32_t id;
    uint32_t rate;
};

/* The meters of one bridge, sorted by id. */
struct lif_meters {
    struct lif_meter *meters;
    size_t n, allocated;
};

void lif_meters_init(struct lif_meters *);
void lif_meters_destroy(struct lif_meters *);
void lif_meters_add(struct lif_meters *, uint32_t id, uint32_t rate);
bool lif_meters_equal(const struct lif_meters *, const struct lif_meters *);
void lif_pipeline_meters(const struct lif_logical *, struct lif_meters *);

/* The pipeline compiler: a pure function from one LIF of the model to the
 * OpenFlow flows and groups its bridge needs (see lif-tables.h for the
 * tables).  Errors (which would be bugs in the compiler) are appended to
 * 'errors' and the offending flow is left out. */
void lif_pipeline_build(const struct lif_logical *, struct lif_flow_table *,
                        struct svec *errors);

const char *lif_table_name(int table_id);

#endif /* lif-pipeline.h */
