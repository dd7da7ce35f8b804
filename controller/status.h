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

#ifndef STATUS_H
#define STATUS_H 1

#include <stdbool.h>

#include "openvswitch/types.h"

struct lif_model;
struct ofputil_port_stats;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct shash;

/* status: writes the live state of every LIF (the RFC 7847 LIF table) into
 * the LIF database's Logical_Interface and Sub_Interface tables. */

/* What status_run() needs to know about the OpenFlow side of the bridges. */
struct status_source {
    /* Whether lif-controller has an OpenFlow connection to 'bridge'. */
    bool (*connected)(const char *bridge, void *aux);

    /* The latest statistics of 'port' on 'bridge', if any. */
    bool (*port_stats)(const char *bridge, ofp_port_t port,
                       struct ofputil_port_stats *, void *aux);

    void *aux;
};

void status_run(struct ovsdb_idl_txn *, struct ovsdb_idl *lif_idl,
                const struct lif_model *, const struct status_source *);
void status_clear(struct ovsdb_idl_txn *, struct ovsdb_idl *lif_idl);

#endif /* status.h */
