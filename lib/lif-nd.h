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

#ifndef LIF_ND_H
#define LIF_ND_H 1

#include <stdbool.h>

#include "openvswitch/types.h"

struct dp_packet;

/* Neighbor Discovery packet rewriting that OVS's actions cannot do. */

bool lif_nd_rewrite_lladdr(struct dp_packet *, const struct eth_addr mac);

#endif /* lif-nd.h */
