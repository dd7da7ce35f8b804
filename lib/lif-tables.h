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

#ifndef LIF_TABLES_H
#define LIF_TABLES_H 1

/* The OpenFlow pipeline of a LIF bridge.
 *
 *   table 0  LIF_T_CLASSIFY   in_port=LIF -> LIF_T_FROM_LIF,
 *                             in_port=sub-interface -> LIF_T_FROM_SUBIF,
 *                             anything else (the bridge's LOCAL port, ports
 *                             that are not attached) is dropped.
 *   table 10 LIF_T_FROM_LIF   traffic the host sends: to the LIF's default
 *                             path, a fast-failover group over the
 *                             sub-interfaces in priority order.
 *   table 20 LIF_T_FROM_SUBIF traffic from an access network: to the LIF,
 *                             never to another sub-interface (RFC 7847
 *                             point-to-point link model).
 *
 * Tables 30 to 50 are reserved for the RFC 7847 host rules (Neighbor
 * Discovery, ARP, per-access link-layer identity) and flow placement. */
enum lif_table {
    LIF_T_CLASSIFY = 0,
    LIF_T_FROM_LIF = 10,
    LIF_T_FROM_SUBIF = 20,
};

/* Group ids on a LIF bridge.  Each LIF bridge has one OpenFlow connection
 * and one LIF, so the ids are fixed. */
enum lif_group_id {
    LIF_GROUP_DEFAULT_PATH = 1,     /* Fast failover over sub-interfaces. */
};

/* Flow priorities. */
#define LIF_PRIO_DROP 0             /* Catch-all drop. */
#define LIF_PRIO_DEFAULT 100        /* Ordinary forwarding rules. */


#endif /* lif-tables.h */
