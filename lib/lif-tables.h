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
 * From the host (the LIF):
 *   table 0  LIF_T_CLASSIFY     in_port=LIF -> LIF_T_FROM_LIF; in_port=sub-
 *                               interface -> LIF_T_FROM_SUBIF; anything else
 *                               (the bridge's LOCAL port, ports that are not
 *                               attached) is dropped.
 *   table 10 LIF_T_FROM_LIF     RFC 7847 section 5.5 rules: Router
 *                               Advertisements and Redirects from the host
 *                               are dropped; ND to link-local multicast and
 *                               broadcast ARP go to every usable
 *                               sub-interface (group LIF_GROUP_ND_ALL);
 *                               unicast ND and ARP go to where the neighbor
 *                               was last heard (LIF_T_NEIGHBOR); everything
 *                               else takes the default path, a fast-
 *                               failover group over the sub-interfaces in
 *                               priority order (LIF_GROUP_DEFAULT_PATH).
 *   table 30 LIF_T_NEIGHBOR     learned: neighbor MAC and address (IPv6 or
 *                               ARP) -> reg1 = the sub-interface it was
 *                               last heard on.
 *   table 35 LIF_T_NEIGHBOR_OUT reg1 names a usable sub-interface ->
 *                               LIF_T_TO_SUBIF; otherwise the default path.
 *   table 40 LIF_T_TO_SUBIF     reg1 = sub-interface: output to it; for a
 *                               sub-interface with its own link-layer
 *                               address (lif-lladdr=own), first rewrite the
 *                               Ethernet source, the ND SLL/TLL options and
 *                               the ARP sender address to that address;
 *                               Router Solicitations, whose option OVS
 *                               cannot rewrite, go to lif-controller
 *                               (metered) to be rewritten there.
 *
 * From an access network (a sub-interface):
 *   table 20 LIF_T_FROM_SUBIF   NS, NA and ARP teach LIF_T_NEIGHBOR where
 *                               their sender lives; then LIF_T_TO_LIF_ETH.
 *   table 22 LIF_T_TO_LIF_ETH   own sub-interface: frames addressed to its
 *                               MAC are readdressed to the LIF's.
 *   table 24 LIF_T_TO_LIF       own sub-interface: ARP target addresses
 *                               equal to its MAC become the LIF's; then
 *                               output to the LIF.  Nothing from a sub-
 *                               interface is ever sent to another one (RFC
 *                               7847 point-to-point link model). */
enum lif_table {
    LIF_T_CLASSIFY = 0,
    LIF_T_FROM_LIF = 10,
    LIF_T_FROM_SUBIF = 20,
    LIF_T_TO_LIF_ETH = 22,
    LIF_T_TO_LIF = 24,
    LIF_T_NEIGHBOR = 30,
    LIF_T_NEIGHBOR_OUT = 35,
    LIF_T_TO_SUBIF = 40,
};

/* Group ids on a LIF bridge.  Each LIF bridge has one OpenFlow connection
 * and one LIF, so the ids are fixed. */
enum lif_group_id {
    LIF_GROUP_DEFAULT_PATH = 1, /* Fast failover over sub-interfaces. */
    LIF_GROUP_ND_ALL = 2,       /* Every usable sub-interface. */
};

/* The meter on every punt to lif-controller, and its rate in packets per
 * second: enough for Router Solicitations, too little to starve the
 * controller. */
#define LIF_METER_PUNT 1
#define LIF_METER_PUNT_RATE 50

/* Opcodes in the userdata of the pipeline's punts to lif-controller. */
enum lif_punt_opcode {
    LIF_PUNT_RS_OWN_LLADDR = 1, /* Router Solicitation to the sub-interface
                                 * in reg1, which has its own MAC. */
};

/* The register that carries the chosen sub-interface's OpenFlow port. */
#define LIF_REG_SUBIF "NXM_NX_REG1[0..15]"
#define LIF_REG_SUBIF_MATCH "reg1"

/* Flow priorities. */
#define LIF_PRIO_DROP 0             /* Catch-all. */
#define LIF_PRIO_DEFAULT 100        /* Ordinary forwarding rules. */
#define LIF_PRIO_ND_UNICAST 150     /* Unicast ND and ARP. */
#define LIF_PRIO_ND_MULTICAST 200   /* Link-local multicast ND, ARP
                                     * broadcast. */
#define LIF_PRIO_HOST_NOT_ROUTER 300    /* RA and Redirect from the host. */

/* Bound on the learned neighbor table, per bridge. */
#define LIF_NEIGHBOR_LIMIT 4096

/* Idle timeout of learned neighbor locations, in seconds. */
#define LIF_NEIGHBOR_IDLE_TIMEOUT 600

#endif /* lif-tables.h */
