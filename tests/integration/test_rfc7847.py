"""RFC 7847 host semantics on the LIF, with real namespaces, the kernel's
IPv6/IPv4 stack on lif0, radvd access routers and captures on the access
wires (issue 3; item 5, sub-interfaces invisible to IP, is in
test_isolation.py).

  1. ND/ARP (section 5.5): link-local multicast ND and broadcast ARP from
     the host reach every access; unicast ND/ARP goes only where the
     neighbour lives; answers go back where the request came from; RAs and
     Redirects from the host never leave; RAs from every access reach the
     LIF.
  2. Link-layer identity (section 5 property 2, section 5.4): a stable
     VLL-ID, lif-vll-id, lif-lladdr=SUBIF, and lif-lladdr=own on an access
     (the LIF's MAC never on that wire, the access's MAC never on the host).
  3. MTU (section 5.2): the LIF's MTU is the lowest of its sub-interfaces'.
  4. Attach and detach under a 100 pps stream (section 5 properties 1, 5).
  6. Status (section 5.7): lif-ctl show.

Run as root:
  /usr/bin/python3 -m pytest -v -s -p no:cacheprovider \
      tests/integration/test_rfc7847.py
"""

import re
import time

import pytest
from scapy.all import (ARP, Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA,
                       ICMPv6ND_Redirect, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, IPv6)

from netns import (AR_ADDR4, AR_ADDR6, AR_LL, AR_MAC, BRIDGE, HOST_ADDR4,
                   LIF, wait_until)
from rfc7847_helpers import (Capture, ExtraAccess, icmp6_type, lif_ctl_show,
                             link_local, mac_of, mac_uses, mtu_of,
                             parse_stats, restart_controller, send_frames,
                             start_controller, stop_controller,
                             solicited_node, stop_all_captures, summarize,
                             vsctl_get)

# Hosts on the access networks other than the access router, with MACs of
# their own so that the data plane can tell where they live.
NEIGH_MAC = "02:00:00:00:ac:02"     # lives behind lte (test 1b)
NEIGH_IP4 = "198.51.100.2"
NEIGH_IP6 = "2001:db8:1::c2"
PEER_MAC = "02:00:00:00:ac:03"      # asks the host from lte (test 1c)
PEER_IP4 = "198.51.100.3"
PEER_IP6 = "2001:db8:1::c3"


@pytest.fixture(autouse=True)
def _no_stray_captures():
    yield
    stop_all_captures()


def settle(topo):
    """SLAAC address from the RAs (bounded), then a first ping so that
    neighbour resolution is out of the way.  Returns the LIF's address."""
    addr = topo.wait_slaac(timeout=20)
    r = topo.ping(AR_ADDR6, count=3, interval=0.2)
    assert r.received > 0, "no IPv6 reply through the LIF: %s" % r.out
    return addr


def lif_mac(topo):
    return mac_of(topo, LIF)


def ofport(topo, iface):
    return int(vsctl_get(topo, "interface", iface, "ofport"))


def flows(topo):
    return topo.ofctl("dump-flows", BRIDGE, check=False).stdout


def evidence(topo):
    return ("\n---- flows\n%s\n---- groups\n%s" % (
        flows(topo), topo.ofctl("dump-groups", BRIDGE, check=False).stdout))


def wait_learned(topo, mac, iface, timeout=3):
    """Waits (bounded, best effort) until the data plane has learned that
    mac lives behind iface (a table 30 flow).  Not an assertion: the wire
    checks that follow are the test."""
    pat = re.compile(r"dl_dst=%s actions=set_field:0x%x/0xffff->reg1"
                     % (re.escape(mac), ofport(topo, iface)))
    try:
        wait_until(lambda: pat.search(topo.ofctl(
            "dump-flows", BRIDGE, "table=30", check=False).stdout),
            timeout, interval=0.05, what="%s learned on %s" % (mac, iface))
    except TimeoutError:
        pass


def nd_of(pkts, typ):
    return [p for p in pkts if icmp6_type(p) == typ]


# ===================================================================== 1. ND

def test_nd_multicast_and_broadcast_arp_reach_every_access(topo):
    """1a: RS (to ff02::2), NS to a solicited-node group (from the LIF's
    address and from ::), NA to all-nodes, and broadcast ARP sent by the
    host appear on both access wires, not only on the default one (wlan)."""
    addr = settle(topo)
    mac = lif_mac(topo)
    ll = link_local(mac)
    topo.host("ip", "neigh", "flush", "dev", LIF)
    dad_grp, dad_mac = solicited_node("2001:db8:1::77")
    crafted = [
        # DAD-style NS from the unspecified address.
        Ether(src=mac, dst=dad_mac) / IPv6(src="::", dst=dad_grp, hlim=255)
        / ICMPv6ND_NS(tgt="2001:db8:1::77"),
        # Unsolicited NA to all-nodes.
        Ether(src=mac, dst="33:33:00:00:00:01")
        / IPv6(src=ll, dst="ff02::1", hlim=255)
        / ICMPv6ND_NA(tgt=addr, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(
            lladdr=mac),
    ]
    caps = {a: Capture(topo, a, "ar", "in") for a in ("wlan", "lte")}
    try:
        # The host's own stack: broadcast ARP (neighbour cache flushed),
        # an RS (rdisc6) and a multicast NS (ndisc6).
        topo.host("ping", "-4", "-n", "-c", "1", "-W", "2", AR_ADDR4,
                  check=False, timeout=10)
        topo.host("rdisc6", "-1", "-r", "1", "-w", "1000", LIF, check=False,
                  timeout=10)
        topo.host("ndisc6", "-1", "-r", "1", "-w", "1000", AR_ADDR6, LIF,
                  check=False, timeout=10)
        send_frames(topo, "host", LIF, crafted)
    finally:
        got = {a: c.stop() for a, c in caps.items()}

    sol_grp, _ = solicited_node(AR_ADDR6)
    for a, pkts in got.items():
        what = "on %s's wire:\n%s%s" % (a, summarize(pkts), evidence(topo))
        arp = [p for p in pkts if ARP in p and p[ARP].op == 1
               and p[Ether].dst == "ff:ff:ff:ff:ff:ff"
               and p[ARP].pdst == AR_ADDR4 and p[ARP].psrc == HOST_ADDR4]
        rs = [p for p in nd_of(pkts, 133) if p[IPv6].dst == "ff02::2"]
        ns = [p for p in nd_of(pkts, 135) if p[IPv6].dst == sol_grp
              and p[ICMPv6ND_NS].tgt == AR_ADDR6
              and p[IPv6].src in (ll, addr)]
        dad = [p for p in nd_of(pkts, 135) if p[IPv6].src == "::"
               and p[ICMPv6ND_NS].tgt == "2001:db8:1::77"]
        na = [p for p in nd_of(pkts, 136) if p[IPv6].dst == "ff02::1"
              and p[ICMPv6ND_NA].tgt == addr]
        print("%s: %d frames: arp=%d rs=%d ns=%d dad-ns=%d na=%d"
              % (a, len(pkts), len(arp), len(rs), len(ns), len(dad),
                 len(na)))
        assert arp, "host's broadcast ARP missing " + what
        # With lif-lladdr=logical (the default) nothing is dropped: the RS
        # must go out everywhere.
        assert rs, "host's RS to ff02::2 missing " + what
        assert ns, "host's multicast NS missing " + what
        assert dad, "NS from :: missing " + what
        assert na, "NA to ff02::1 missing " + what


def test_unicast_nd_arp_only_where_neighbor_lives(topo):
    """1b: once NEIGH_MAC has been heard on lte, the host's unicast NS, NA
    and ARP to it appear on lte's wire and not on wlan's, although wlan is
    the default path."""
    addr = settle(topo)
    mac = lif_mac(topo)
    ll = link_local(mac)
    # The neighbour speaks on lte: an ARP request and an NS, for addresses
    # nobody has (so that the host does not answer and muddle things).
    grp, gmac = solicited_node("2001:db8:1::99")
    send_frames(topo, "lte", "ar", [
        Ether(src=NEIGH_MAC, dst="ff:ff:ff:ff:ff:ff")
        / ARP(op=1, hwsrc=NEIGH_MAC, psrc=NEIGH_IP4, pdst="198.51.100.99"),
        Ether(src=NEIGH_MAC, dst=gmac)
        / IPv6(src=NEIGH_IP6, dst=grp, hlim=255)
        / ICMPv6ND_NS(tgt="2001:db8:1::99")
        / ICMPv6NDOptSrcLLAddr(lladdr=NEIGH_MAC),
    ])
    wait_learned(topo, NEIGH_MAC, "lte0")

    n = 3
    frames = []
    for _ in range(n):
        frames += [
            Ether(src=mac, dst=NEIGH_MAC)
            / IPv6(src=ll, dst=NEIGH_IP6, hlim=255)
            / ICMPv6ND_NS(tgt=NEIGH_IP6) / ICMPv6NDOptSrcLLAddr(lladdr=mac),
            Ether(src=mac, dst=NEIGH_MAC)
            / IPv6(src=addr, dst=NEIGH_IP6, hlim=255)
            / ICMPv6ND_NA(tgt=addr, R=0, S=1, O=1)
            / ICMPv6NDOptDstLLAddr(lladdr=mac),
            Ether(src=mac, dst=NEIGH_MAC)
            / ARP(op=1, hwsrc=mac, psrc=HOST_ADDR4, hwdst=NEIGH_MAC,
                  pdst=NEIGH_IP4),
        ]
    caps = {a: Capture(topo, a, "ar", "in") for a in ("wlan", "lte")}
    try:
        send_frames(topo, "host", LIF, frames)
    finally:
        got = {a: c.stop() for a, c in caps.items()}

    to_neigh = {a: [p for p in pkts if p[Ether].dst == NEIGH_MAC]
                for a, pkts in got.items()}
    lte = to_neigh["lte"]
    kinds = {"ns": len(nd_of(lte, 135)), "na": len(nd_of(lte, 136)),
             "arp": len([p for p in lte if ARP in p])}
    print("to %s: lte %s (%d frames), wlan %d frames"
          % (NEIGH_MAC, kinds, len(lte), len(to_neigh["wlan"])))
    assert to_neigh["wlan"] == [], (
        "unicast ND/ARP to a neighbour on lte leaked to wlan:\n%s%s"
        % (summarize(to_neigh["wlan"]), evidence(topo)))
    assert all(v >= n for v in kinds.values()), (
        "unicast ND/ARP to the neighbour did not reach lte: %s\n%s%s"
        % (kinds, summarize(got["lte"]), evidence(topo)))


def test_answer_goes_back_on_the_access_it_came_from(topo):
    """1c: the host's ARP reply and NA to a request that arrived on lte go
    back on lte, not on wlan (the default path, checked first)."""
    addr = settle(topo)
    w0, l0 = topo.echo_requests("wlan"), topo.echo_requests("lte")
    r = topo.ping(AR_ADDR6, count=3, interval=0.05)
    assert r.received >= 2, r.out
    assert topo.echo_requests("wlan") - w0 >= 2 and \
        topo.echo_requests("lte") == l0, "precondition: wlan is the default"

    grp, gmac = solicited_node(addr)
    requests = [
        Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff")
        / ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP4, pdst=HOST_ADDR4),
        Ether(src=PEER_MAC, dst=gmac) / IPv6(src=PEER_IP6, dst=grp, hlim=255)
        / ICMPv6ND_NS(tgt=addr) / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
    ]
    caps = {a: Capture(topo, a, "ar", "in") for a in ("wlan", "lte")}
    try:
        send_frames(topo, "lte", "ar", requests + requests, gap=0.2)
    finally:
        got = {a: c.stop(linger=1.0) for a, c in caps.items()}

    def answers(pkts):
        arp = [p for p in pkts if ARP in p and p[ARP].op == 2
               and p[ARP].psrc == HOST_ADDR4 and p[ARP].pdst == PEER_IP4]
        na = [p for p in nd_of(pkts, 136) if p[ICMPv6ND_NA].tgt == addr
              and p[IPv6].dst == PEER_IP6]
        return arp, na

    (arp_l, na_l), (arp_w, na_w) = answers(got["lte"]), answers(got["wlan"])
    to_peer_w = [p for p in got["wlan"] if p[Ether].dst == PEER_MAC]
    print("answers on lte: arp=%d na=%d; on wlan: arp=%d na=%d, "
          "frames to the peer on wlan: %d" % (len(arp_l), len(na_l),
                                              len(arp_w), len(na_w),
                                              len(to_peer_w)))
    assert arp_l, "ARP reply did not come back on lte:\n%s%s" % (
        summarize(got["lte"]), evidence(topo))
    assert na_l, "NA did not come back on lte:\n%s%s" % (
        summarize(got["lte"]), evidence(topo))
    assert not (arp_w or na_w or to_peer_w), (
        "answers to lte's requests went out on wlan:\n%s%s"
        % (summarize(got["wlan"]), evidence(topo)))


def test_host_ra_and_redirect_never_leave(topo):
    """1d: RAs (multicast and unicast) and a Redirect sent by the host do
    not appear on any access wire; a multicast NS sent the same way, in the
    same batch, does (positive control)."""
    settle(topo)
    mac = lif_mac(topo)
    ll = link_local(mac)
    ctl_grp, ctl_mac = solicited_node("2001:db8:1::7e57")
    frames = [
        Ether(src=mac, dst="33:33:00:00:00:01")
        / IPv6(src=ll, dst="ff02::1", hlim=255)
        / ICMPv6ND_RA(routerlifetime=1800)
        / ICMPv6NDOptSrcLLAddr(lladdr=mac)
        / ICMPv6NDOptPrefixInfo(prefix="2001:db8:99::", prefixlen=64),
        Ether(src=mac, dst=AR_MAC) / IPv6(src=ll, dst=AR_LL, hlim=255)
        / ICMPv6ND_RA(routerlifetime=1800)
        / ICMPv6NDOptSrcLLAddr(lladdr=mac),
        Ether(src=mac, dst=AR_MAC) / IPv6(src=ll, dst=AR_LL, hlim=255)
        / ICMPv6ND_Redirect(tgt="fe80::99", dst="2001:db8:1::99"),
        Ether(src=mac, dst=AR_MAC) / IPv6(src=ll, dst=AR_ADDR6, hlim=255)
        / ICMPv6ND_Redirect(tgt="2001:db8:1::98", dst="2001:db8:1::98"),
        # Positive control.
        Ether(src=mac, dst=ctl_mac) / IPv6(src=ll, dst=ctl_grp, hlim=255)
        / ICMPv6ND_NS(tgt="2001:db8:1::7e57")
        / ICMPv6NDOptSrcLLAddr(lladdr=mac),
    ]
    caps = {a: Capture(topo, a, "ar", "in") for a in ("wlan", "lte")}
    try:
        send_frames(topo, "host", LIF, frames + frames)
    finally:
        got = {a: c.stop() for a, c in caps.items()}
    for a, pkts in got.items():
        ctl = [p for p in nd_of(pkts, 135)
               if p[ICMPv6ND_NS].tgt == "2001:db8:1::7e57"]
        bad = nd_of(pkts, 134) + nd_of(pkts, 137)
        print("%s: control NS %d, RA/Redirect %d" % (a, len(ctl), len(bad)))
        assert len(ctl) >= 2, ("positive control: multicast NS missing on "
                               "%s:\n%s" % (a, summarize(pkts)))
        assert bad == [], ("RA/Redirect from the host left on %s:\n%s%s"
                           % (a, summarize(bad), evidence(topo)))


def global_prefixes(topo):
    out = topo.host("ip", "-6", "-o", "addr", "show", "dev", LIF, "scope",
                    "global").stdout
    return set(re.findall(r"inet6 (2001:db8:[0-9a-f]+):", out))


def test_ras_from_every_access_reach_the_lif(topo):
    """1e: the LIF gets its SLAAC address from radvd's RAs by itself,
    rdisc6 on lif0 gets an answer, and a prefix advertised only on lte (the
    standby) and one only on wlan both become addresses on lif0."""
    topo.wait_slaac(timeout=20)          # no solicitation from the test
    r = topo.host("rdisc6", "-1", "-r", "3", "-w", "1000", LIF, check=False,
                  timeout=15)
    print(r.stdout.strip().splitlines()[:3])
    assert r.returncode == 0 and "2001:db8:1::/64" in r.stdout, (
        "rdisc6 on lif0 got no RA: %s %s" % (r.stdout, r.stderr))

    def ra(prefix):
        return (Ether(src=AR_MAC, dst="33:33:00:00:00:01")
                / IPv6(src=AR_LL, dst="ff02::1", hlim=255)
                / ICMPv6ND_RA(routerlifetime=0)
                / ICMPv6NDOptSrcLLAddr(lladdr=AR_MAC)
                / ICMPv6NDOptPrefixInfo(prefix=prefix, prefixlen=64, L=1,
                                        A=1, validlifetime=300,
                                        preferredlifetime=300))
    send_frames(topo, "lte", "ar", [ra("2001:db8:2::")] * 2, gap=0.1)
    send_frames(topo, "wlan", "ar", [ra("2001:db8:3::")] * 2, gap=0.1)
    try:
        wait_until(lambda: {"2001:db8:2", "2001:db8:3"}
                   <= global_prefixes(topo), 10, interval=0.1,
                   what="addresses from both accesses' RAs")
    finally:
        print("LIF prefixes: %s" % sorted(global_prefixes(topo)))


# ====================================================== 2. link-layer identity

def macs(topo):
    return lif_mac(topo), vsctl_get(topo, "interface", LIF, "mac")


def wait_mac(topo, want, timeout=15):
    try:
        wait_until(lambda: macs(topo) == (want, want), timeout,
                   interval=0.1, what="lif0 MAC %s" % want)
    except TimeoutError:
        pytest.fail("lif0 MAC (kernel, Interface mac) is %s, want %s"
                    % (macs(topo), want))


def test_virtual_vll_id_stable_and_configurable(topo):
    """2a: lif0's MAC is the VLL-ID lif-controller sets (kernel == Interface
    mac, a locally administered unicast address); it is the same after the
    controller restarts and recomputes it from nothing (mac column cleared
    meanwhile) and after lif0 is re-created ("host restart");
    external_ids:lif-vll-id chooses it, also across a restart."""
    k, db = macs(topo)
    print("VLL-ID %s" % k)
    assert k == db, "kernel MAC %s != Interface mac %s" % (k, db)
    first = int(k.split(":")[0], 16)
    assert first & 1 == 0 and first & 2 == 2, "not local unicast: " + k

    # Controller restart, with the mac column cleared while it is down:
    # it must derive the same VLL-ID again.
    stop_controller(topo, "--restart")
    topo.vsctl("clear", "interface", LIF, "mac")
    start_controller(topo)
    wait_until(lambda: vsctl_get(topo, "interface", LIF, "mac") not in
               ("", "[]"), 15, interval=0.1, what="mac set again")
    assert macs(topo) == (k, k), "VLL-ID changed across restart: %s -> %s" \
        % (k, macs(topo))

    # Plain `exit` and restart.
    restart_controller(topo)
    time.sleep(0.5)
    assert macs(topo) == (k, k)

    # Host restart: the internal port is re-created with a random MAC.
    topo.vsctl("del-port", BRIDGE, LIF)
    topo.vsctl("add-port", BRIDGE, LIF, "--", "set", "interface", LIF,
               "type=internal", "external_ids:lif-role=logical")
    wait_until(lambda: topo.host("ip", "link", "show", LIF,
                                 check=False).returncode == 0, 15,
               what="lif0 to come back")
    wait_mac(topo, k)

    # Chosen VLL-ID.
    vll = "02:00:5e:00:53:77"
    topo.vsctl("set", "interface", LIF, "external_ids:lif-vll-id=" + vll)
    wait_mac(topo, vll)
    restart_controller(topo)
    time.sleep(0.5)
    assert macs(topo) == (vll, vll), macs(topo)
    assert lif_ctl_show(topo)["lif"].get("mac") == vll


def test_lif_borrows_subif_mac(topo):
    """2b: lif-lladdr=lte0 makes lif0's MAC lte0's; when lte0's MAC
    changes, lif0 follows; removing the key goes back to the VLL-ID."""
    vll = lif_mac(topo)
    lte_mac = mac_of(topo, "lte0")
    topo.vsctl("set", "interface", LIF, "external_ids:lif-lladdr=lte0")
    wait_mac(topo, lte_mac)
    new = "02:00:00:00:1e:01"
    topo.host("ip", "link", "set", "lte0", "address", new)
    wait_mac(topo, new, timeout=20)
    topo.vsctl("remove", "interface", LIF, "external_ids", "lif-lladdr")
    wait_mac(topo, vll)


def test_own_lladdr_hides_lif_mac_on_the_wire(topo):
    """2c: with lif-lladdr=own on wlan0, during ping6 and ping (with fresh
    ND/ARP on both sides) wlan's wire never carries the LIF's MAC (Ethernet
    src/dst, SLLAO/TLLAO, ARP sha/tha, or anywhere in the frame), it does
    carry wlan0's MAC (in headers and in ND/ARP options: the rewrite
    happened), the pings succeed, and lif0 never sees wlan0's MAC.  Then
    with lte0 own as well (any number of own accesses at once), the host's
    replicated broadcast ARP and multicast NS carry wlan0's MAC on wlan and
    lte0's on lte, never the LIF's, and lif0 sees neither access's MAC in
    the answers."""
    settle(topo)
    mac = lif_mac(topo)
    wmac = mac_of(topo, "wlan0")
    topo.vsctl("set", "interface", "wlan0", "external_ids:lif-lladdr=own")
    # Wait (bounded) for the rewrite to be installed.
    try:
        wait_until(lambda: wmac in flows(topo), 10, interval=0.1,
                   what="flows mentioning wlan0's MAC")
    except TimeoutError:
        pass
    topo.host("ip", "neigh", "flush", "dev", LIF)
    for a in ("wlan", "lte"):
        topo.run(a, "ip", "neigh", "flush", "dev", "ar")
    w0 = topo.echo_requests("wlan")
    cw = Capture(topo, "wlan", "ar")
    ch = Capture(topo, "host", LIF)
    try:
        r6 = topo.ping(AR_ADDR6, count=5, interval=0.2)
        r4 = topo.ping(AR_ADDR4, count=5, interval=0.2)
    finally:
        wire, host = cw.stop(), ch.stop()
    print("ping6 %r, ping %r; wlan wire %d frames, lif0 %d frames"
          % (r6, r4, len(wire), len(host)))
    print("wlan wire:\n" + summarize(wire, 40))
    assert r6.received >= 4, r6.out
    assert r4.received >= 4, r4.out
    assert topo.echo_requests("wlan") - w0 >= 8, "pings did not use wlan"

    leaks = [(p, mac_uses(p, mac)) for p in wire if mac_uses(p, mac)]
    assert leaks == [], ("LIF MAC %s on wlan's wire:\n%s%s" % (
        mac, "\n".join("%s  <- %s" % (u, p.summary()) for p, u in leaks),
        evidence(topo)))
    uses = set()
    for p in wire:
        uses.update(mac_uses(p, wmac))
    print("wlan0's MAC on the wire in: %s" % sorted(uses))
    assert "eth.src" in uses
    assert "nd.sllao" in uses or "nd.tllao" in uses, \
        "no ND exchange with wlan0's MAC in an option was captured"
    assert "arp.sha" in uses, "no ARP with wlan0's MAC as sha was captured"

    hleaks = [(p, mac_uses(p, wmac)) for p in host if mac_uses(p, wmac)]
    assert hleaks == [], ("wlan0's MAC %s seen on lif0:\n%s%s" % (
        wmac, "\n".join("%s  <- %s" % (u, p.summary()) for p, u in hleaks),
        evidence(topo)))
    assert any(p[Ether].dst == mac for p in host if Ether in p), \
        "positive control: nothing to the LIF's MAC captured on lif0"

    # Both accesses own at once.
    lmac = mac_of(topo, "lte0")
    topo.vsctl("set", "interface", "lte0", "external_ids:lif-lladdr=own")
    try:
        wait_until(lambda: lmac in flows(topo), 10, interval=0.1,
                   what="flows mentioning lte0's MAC")
    except TimeoutError:
        pass
    topo.host("ip", "neigh", "flush", "dev", LIF)
    caps = {a: Capture(topo, a, "ar") for a in ("wlan", "lte")}
    ch = Capture(topo, "host", LIF)
    try:
        r4 = topo.ping(AR_ADDR4, count=2, interval=0.2)
        topo.host("ndisc6", "-r", "1", "-w", "1000", AR_ADDR6, LIF,
                  check=False, timeout=10)
    finally:
        got = {a: c.stop() for a, c in caps.items()}
        host = ch.stop()
    assert r4.received >= 1, r4.out
    for a, own in (("wlan", wmac), ("lte", lmac)):
        pkts = got[a]
        leaks = [(p, mac_uses(p, mac)) for p in pkts if mac_uses(p, mac)]
        assert leaks == [], ("both own: LIF MAC %s on %s's wire:\n%s%s" % (
            mac, a, "\n".join("%s  <- %s" % (u, p.summary())
                              for p, u in leaks), evidence(topo)))
        uses = set()
        for p in pkts:
            uses.update(mac_uses(p, own))
        print("both own: %s's own MAC on its wire in %s" % (a, sorted(uses)))
        assert {"arp.sha", "nd.sllao"} <= uses, (
            "both own: the host's ARP/NS on %s do not carry %s:\n%s"
            % (a, own, summarize(pkts)))
    for own in (wmac, lmac):
        hleaks = [(p, mac_uses(p, own)) for p in host if mac_uses(p, own)]
        assert hleaks == [], ("both own: %s seen on lif0:\n%s" % (
            own, "\n".join("%s  <- %s" % (u, p.summary())
                           for p, u in hleaks)))


# ================================================================== 3. MTU

def test_lif_mtu_is_lowest_subif_mtu(topo):
    """3: lowering wlan's MTU to 1400 lowers lif0's; restoring it restores
    lif0's; lowered again, detaching wlan0 gives 1500, re-attaching 1400."""
    def set_wlan_mtu(m):
        topo.host("ip", "link", "set", "wlan0", "mtu", str(m))
        topo.run("wlan", "ip", "link", "set", "ar", "mtu", str(m))

    def wait_mtu(m, why):
        try:
            wait_until(lambda: mtu_of(topo, LIF) == m, 15, interval=0.1,
                       what="lif0 MTU %d" % m)
        except TimeoutError:
            pytest.fail("%s: lif0 MTU %d, want %d (mtu_request %s)" % (
                why, mtu_of(topo, LIF), m,
                vsctl_get(topo, "interface", LIF, "mtu_request")))
        t = time.monotonic() - t0
        print("%s: lif0 MTU %d after %.2f s" % (why, m, t))

    assert mtu_of(topo, LIF) == 1500
    t0 = time.monotonic()
    set_wlan_mtu(1400)
    wait_mtu(1400, "wlan MTU 1400")
    assert vsctl_get(topo, "interface", LIF, "mtu_request") == "1400"
    t0 = time.monotonic()
    set_wlan_mtu(1500)
    wait_mtu(1500, "wlan MTU restored")
    t0 = time.monotonic()
    set_wlan_mtu(1400)
    wait_mtu(1400, "wlan MTU 1400 again")
    t0 = time.monotonic()
    topo.vsctl("del-port", BRIDGE, "wlan0")
    wait_mtu(1500, "wlan0 detached")
    t0 = time.monotonic()
    topo.vsctl("add-port", BRIDGE, "wlan0", "--", "set", "interface",
               "wlan0", "external_ids:lif-priority=200",
               "external_ids:lif-technology=wlan")
    wait_mtu(1400, "wlan0 re-attached")
    # And the kernel uses it: a 1400-byte IPv4 packet with DF passes, a
    # 1401-byte one is refused locally.
    r = topo.ping(AR_ADDR4, count=2, interval=0.2,
                  extra=("-M", "do", "-s", str(1400 - 28)))
    assert r.received >= 1, r.out
    r = topo.ping(AR_ADDR4, count=1, extra=("-M", "do", "-s",
                                            str(1401 - 28)))
    assert r.received == 0 and "+1 errors" in r.out, r.out


# ================================================ 4. attach/detach under load

def test_attach_detach_under_traffic(topo):
    """4: under a 100 pps ping to 2001:db8:1::1, attaching a third access
    (nr0, priority 50) and detaching the standby lte0 cost at most 3
    packets; then detaching the active wlan0 moves the stream to the
    remaining access (nr0), which answers it."""
    settle(topo)
    extra = ExtraAccess(topo, "nr", "nr0", "2001:db8:1::c")
    try:
        extra.start()
        p = topo.ping_start(AR_ADDR6, count=300, interval=0.01)
        time.sleep(0.7)
        topo.vsctl("add-port", BRIDGE, "nr0", "--", "set", "interface",
                   "nr0", "external_ids:lif-priority=50",
                   "external_ids:lif-technology=5g")
        time.sleep(0.8)
        topo.vsctl("del-port", BRIDGE, "lte0")
        r = topo.ping_finish(p)
        print("attach nr0 + detach lte0 (standby): sent=%d received=%d "
              "lost=%d max_gap=%d" % (r.transmitted, r.received, r.lost,
                                      r.max_gap()))
        assert r.transmitted >= 290, r.out
        assert r.received >= r.transmitted - 3, r

        n0 = extra.echo_requests()
        w0 = topo.echo_requests("wlan")
        p = topo.ping_start(AR_ADDR6, count=300, interval=0.01)
        time.sleep(1.0)
        topo.vsctl("del-port", BRIDGE, "wlan0")
        r = topo.ping_finish(p)
        n1 = extra.echo_requests()
        print("detach wlan0 (active): sent=%d received=%d lost=%d "
              "max_gap=%d (~%d ms); echo requests wlan +%d, nr +%d"
              % (r.transmitted, r.received, r.lost, r.max_gap(),
                 r.max_gap() * 10, topo.echo_requests("wlan") - w0,
                 n1 - n0))
        assert r.transmitted >= 290, r.out
        assert r.answered_tail(100) >= 98, r
        assert n1 - n0 >= 100, "nr did not carry the stream"
        assert r.max_gap() <= 100, "outage over 1 s: %r" % r
    finally:
        extra.stop()


# ================================================================ 6. status

def test_status_shows_subinterfaces(topo):
    """6: lif-ctl show lists, per sub-interface, state (active/standby/down),
    the MAC used on the wire, MTU, priority, technology and packet/byte
    counters that count the traffic (refreshed every 5 s)."""
    settle(topo)
    mac = lif_mac(topo)
    r = topo.ping(AR_ADDR6, count=30, interval=0.02)
    assert r.received >= 28, r.out
    show = None

    def counted():
        nonlocal show
        show = lif_ctl_show(topo)
        st = parse_stats(show["subifs"].get("wlan0", {}).get("statistics"))
        return st.get("tx_packets", 0) >= 30 and st.get("rx_packets", 0) >= 30
    try:
        wait_until(counted, 12, interval=0.5, what="wlan0 counters")
    finally:
        print(show and show["text"])
    subs = show["subifs"]
    assert set(subs) == {"wlan0", "lte0"}, subs
    wrong_mac = []
    want = {"wlan0": ("active", "200", "wlan"),
            "lte0": ("standby", "100", "lte")}
    for name, (state, prio, tech) in want.items():
        s = subs[name]
        assert s.get("state") == state, (name, s)
        assert s.get("priority") == prio, (name, s)
        assert s.get("technology") == tech, (name, s)
        assert s.get("mtu") == "1500", (name, s)
        # lif-lladdr=logical: the MAC used on the wire is the LIF's
        # (checked last, so that the rest is exercised in any case).
        if s.get("mac") != mac:
            wrong_mac.append("%s: mac %s, but frames on its wire carry the "
                             "LIF's %s (lladdr_mode %s)"
                             % (name, s.get("mac"), mac,
                                s.get("lladdr_mode")))
        for k in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes"):
            assert k in parse_stats(s.get("statistics")), (name, s)
    st = parse_stats(subs["wlan0"]["statistics"])
    assert st["tx_bytes"] >= 30 * 100 and st["rx_bytes"] >= 30 * 100, st
    # The same in the Sub_Interface row (what lif-ctl show prints).
    row = topo.host("lif-ctl", "--timeout=10", "get", "Sub_Interface",
                    "wlan0", "state", "priority", "technology", "mtu",
                    "statistics").stdout.split("\n")
    assert row[:4] == ["active", "200", "wlan", "1500"], row
    db = dict(re.findall(r"(\w+)=(\d+)", row[4]))
    assert int(db.get("tx_packets", 0)) >= 30 and \
        int(db.get("rx_packets", 0)) >= 30, row[4]

    # own: the MAC on the wire is the sub-interface's.
    topo.vsctl("set", "interface", "wlan0", "external_ids:lif-lladdr=own")
    wmac = mac_of(topo, "wlan0")
    wait_until(lambda: lif_ctl_show(topo)["subifs"]["wlan0"].get("mac")
               == wmac, 10, interval=0.2, what="wlan0 mac %s in status"
               % wmac)

    # down: lte's far end goes away.
    topo.far_end("lte", False)
    wait_until(lambda: lif_ctl_show(topo)["subifs"]["lte0"].get("state")
               == "down", 10, interval=0.2, what="lte0 state down")
    # MTU in status follows the device.
    topo.host("ip", "link", "set", "wlan0", "mtu", "1400")
    wait_until(lambda: lif_ctl_show(topo)["subifs"]["wlan0"].get("mtu")
               == "1400", 10, interval=0.2, what="wlan0 mtu 1400 in status")
    assert wrong_mac == [], "\n".join(wrong_mac)
