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

/* The OpenFlow pipeline of a LIF bridge.  lif-controller(8) documents it
 * table by table, with the precedence of the rules; this is the summary.
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
 *                               else enters the FLOW table chain below.
 *   table 30 LIF_T_NEIGHBOR     learned: neighbor MAC and address (IPv6 or
 *                               ARP) -> reg1 = the sub-interface it was
 *                               last heard on.
 *   table 35 LIF_T_NEIGHBOR_OUT reg1 names a usable sub-interface ->
 *                               LIF_T_ROUTER_MAC; otherwise the default
 *                               path.
 *
 *   The FLOW table chain (RFC 7847 section 5.7), in order of precedence:
 *   each stage either picks a sub-interface (reg1) and goes through that
 *   sub-interface's group LIF_GROUP_SUBIF(port), or passes the packet on
 *   to the next stage.  A sub-interface group sends the packet on if the
 *   sub-interface is live and otherwise hands it to LIF_T_FALLBACK, which
 *   resumes the chain at the stage after the one in reg2, so a flow whose
 *   sub-interface dies takes the next rule at once, in the data plane.
 *   tables 50-59 (LIF_T_FLOW_*) pinned flows, reflective flows and flow
 *                               routing policies (lif-pipeline-flow.c).
 *   table 60 LIF_T_SRC_PREFIX   IPv6 source in a prefix learned on exactly
 *                               one usable access -> that access.
 *                               Otherwise the default path: a fast-failover
 *                               group over the sub-interfaces in priority
 *                               order (LIF_GROUP_DEFAULT_PATH).
 *   table 65 LIF_T_FALLBACK     reg2 = the stage whose sub-interface is not
 *                               live -> the next stage.
 *
 *   table 38 LIF_T_ROUTER_MAC   reg1 = sub-interface: a frame addressed to
 *                               a router learned on another access is
 *                               readdressed to this access's default
 *                               router.
 *   table 40 LIF_T_TO_SUBIF     reg1 = sub-interface: output to it; for a
 *                               sub-interface with its own link-layer
 *                               address (lif-lladdr=own), first rewrite the
 *                               Ethernet source and the ARP sender address
 *                               to that address; RS, NS and NA, whose
 *                               options OVS cannot all rewrite, go to
 *                               lif-controller (metered) to be rewritten
 *                               there.
 *
 * From an access network (a sub-interface):
 *   table 20 LIF_T_FROM_SUBIF   NS, NA and ARP teach LIF_T_NEIGHBOR where
 *                               their sender lives, unless their source is
 *                               not a neighbor's (multicast, zero, the
 *                               host's own MACs, unspecified or multicast
 *                               IP source): those are counted (bounded
 *                               per access, see LIF_NEIGHBOR_LIMIT); a
 *                               copy of each Router Advertisement goes to
 *                               lif-controller
 *                               (metered per access); IP traffic teaches
 *                               the reflective FLOW table; then
 *                               LIF_T_TO_LIF_ETH.
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
    LIF_T_ROUTER_MAC = 38,
    LIF_T_TO_SUBIF = 40,
    LIF_T_FLOW_FIRST = 50,      /* Entry of the FLOW table chain. */
    LIF_T_FLOW_LAST = 59,       /* Tables 50-59 are lif-pipeline-flow.c's. */
    LIF_T_SRC_PREFIX = 60,
    LIF_T_FALLBACK = 65,

    /* The FLOW table's own tables, within LIF_T_FLOW_FIRST...LAST
     * (lif-pipeline-flow.c; lif-controller(8) documents them). */
    LIF_T_FLOW_PIN = 50,            /* Pinned flows; the chain's entry. */
    LIF_T_FLOW_REFLECT = 51,        /* Host's IP after conntrack: ct_mark
                                     * -> reg1. */
    LIF_T_FLOW_REFLECT_OUT = 52,    /* reg1 usable -> its group. */
    LIF_T_FLOW_POLICY = 53,         /* Flow routing policies. */
    LIF_T_FLOW_TRACK = 57,          /* Host's IP -> conntrack. */
    LIF_T_FLOW_EVIDENCE = 58,       /* From an access, after conntrack. */
};

/* The reflective flows of the FLOW table are the conntrack entries of the
 * LIF's zone (lif_flow_config's 'ct_zone').  Their ct_mark says:
 *
 *   bits 0-15 (LIF_CT_MARK_PORT):  the OpenFlow port of the sub-interface
 *       the flow's packets last arrived on with evidence, 0 if none yet.
 *   bit 16 (LIF_CT_MARK_HOST_ORIG):  the host opened the flow, so its
 *       packets are the entry's original direction; otherwise they are the
 *       reply direction. */
#define LIF_CT_MARK_PORT 0xffff
#define LIF_CT_MARK_HOST_ORIG 0x10000

/* The stages of the FLOW table chain, as kept in LIF_REG_STAGE while a
 * packet goes through a sub-interface group, in order of precedence. */
enum lif_stage {
    LIF_STAGE_NONE = 0,
    LIF_STAGE_PIN = 1,          /* lif-ctl flow-move. */
    LIF_STAGE_REFLECTIVE = 2,   /* Learned from the access. */
    LIF_STAGE_POLICY = 3,       /* Flow_Policy. */
    LIF_STAGE_SRC_PREFIX = 4,   /* Source-prefix routing. */
};

/* Group ids on a LIF bridge.  Each LIF bridge has one OpenFlow connection
 * and one LIF, so the ids are fixed. */
enum lif_group_id {
    LIF_GROUP_DEFAULT_PATH = 1, /* Fast failover over sub-interfaces. */
    LIF_GROUP_ND_ALL = 2,       /* Every usable sub-interface. */
    LIF_GROUP_ALWAYS_LIVE = 3,  /* Never used for packets: fast-failover
                                 * buckets that must always be live watch
                                 * it (OVS requires a watch). */
    LIF_GROUP_SUBIF_BASE = 0x100,   /* + ofport: one sub-interface, or
                                     * LIF_T_FALLBACK if it is not live. */
    LIF_GROUP_POLICY_BASE = 0x20000,    /* Flow_Policy groups, from here
                                         * up (lif-pipeline-flow.c). */
};

/* The group of the sub-interface on OpenFlow port 'port'. */
#define LIF_GROUP_SUBIF(PORT) (LIF_GROUP_SUBIF_BASE + (PORT))

/* The meters on punts to lif-controller, and their rates in packets per
 * second.  LIF_METER_PUNT: the host's RS, NS and NA to accesses with
 * their own link-layer address, enough for them, too little to starve the
 * controller.  LIF_METER_RA(port): copies
 * of the Router Advertisements from one access, so that a flood from one
 * access never hides another access's routers. */
#define LIF_METER_PUNT 1
#define LIF_METER_PUNT_RATE 50
#define LIF_METER_RA_BASE 0x100
#define LIF_METER_RA(PORT) (LIF_METER_RA_BASE + (PORT))
#define LIF_METER_RA_RATE 20

/* Opcodes in the userdata of the pipeline's punts to lif-controller. */
enum lif_punt_opcode {
    LIF_PUNT_ND_OWN_LLADDR = 1, /* RS, NS or NA to the sub-interface in
                                 * reg1, which has its own MAC. */
    LIF_PUNT_RA = 2,            /* Copy of a Router Advertisement that
                                 * arrived on in_port. */
};

/* The register that carries the chosen sub-interface's OpenFlow port. */
#define LIF_REG_SUBIF "NXM_NX_REG1[0..15]"
#define LIF_REG_SUBIF_MATCH "reg1"

/* The register that carries the FLOW table stage (enum lif_stage) that
 * chose reg1. */
#define LIF_REG_STAGE "NXM_NX_REG2[0..7]"
#define LIF_REG_STAGE_MATCH "reg2"

/* Flow priorities. */
#define LIF_PRIO_DROP 0             /* Catch-all. */
#define LIF_PRIO_DEFAULT 100        /* Ordinary forwarding rules. */
#define LIF_PRIO_RA_PUNT 120        /* Copies of RAs from an access. */
#define LIF_PRIO_ND_UNICAST 150     /* Unicast ND and ARP. */
#define LIF_PRIO_ND_MULTICAST 200   /* Link-local multicast ND, ARP
                                     * broadcast. */
#define LIF_PRIO_HOST_NOT_ROUTER 300    /* RA and Redirect from the host. */

#define LIF_PRIO_ND_REFUSE 110     /* ND and ARP not to learn from. */

/* Default bound on the learned neighbor table, per access (each access
 * learns with its own cookie, and OVS counts a learn action's limit per
 * table and cookie): external_ids:lif-neighbor-limit on the LIF. */
#define LIF_NEIGHBOR_LIMIT 4096

/* Lifetime of a learned neighbor location, in seconds, counted from the
 * last time the neighbor itself was heard on its access: a hard timeout,
 * which the host's own packets to the neighbor do not refresh. */
#define LIF_NEIGHBOR_HARD_TIMEOUT 600

#endif /* lif-tables.h */
