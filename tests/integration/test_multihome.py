"""Path awareness and multihoming (RFC 7847 sections 5.3, 6.1 and 6.2) with
access routers that differ: each access's routers and prefixes known,
traffic leaving by its source prefix, the routers' differences hidden from
the host, and the host told the truth when an access is lost or back.

Run as root:  /usr/bin/python3 -m pytest -v tests/integration
"""

import os
import time

import pytest

import multihome
import netns
from conftest import topology
from multihome import SERVER
from netns import wait_until


@pytest.fixture
def mtopo(request):
    yield from topology(request, "controller", tag="lifmh-%d" % os.getpid(),
                        factory=multihome.MultihomeTopology)


@pytest.fixture
def same_ll_topo(request):
    yield from topology(request, "controller", tag="lifll-%d" % os.getpid(),
                        factory=multihome.MultihomeTopology, same_ll=True)


@pytest.fixture
def own_topo(request):
    yield from topology(request, "controller", tag="lifow-%d" % os.getpid(),
                        factory=multihome.MultihomeTopology, own=("lte0",))


def both_addresses(t, timeout=20):
    """Waits for a preferred SLAAC address in each access's prefix.  The
    routers advertise only every 30-60 s: this works within the timeout
    only because lif-controller solicits them when it starts."""
    return wait_until(lambda: (t.lif_addr_in("2001:db8:1:"),
                               t.lif_addr_in("2001:db8:2:"))
                      if t.lif_addr_in("2001:db8:1:")
                      and t.lif_addr_in("2001:db8:2:") else None,
                      timeout, what="addresses in both prefixes")


def ping_from(t, src, dst=SERVER, count=5, interval=0.1):
    return t.ping(dst, count=count, interval=interval, extra=("-I", src))


def test_routers_and_prefixes_shown(mtopo):
    t0 = time.monotonic()
    both_addresses(mtopo)
    print("addresses in both prefixes after %.1f s (radvd advertises every "
          "30-60 s)" % (time.monotonic() - t0))
    show = mtopo.host("lif-ctl", "show").stdout
    print(show)
    assert "router fe80::1 02:00:00:00:ac:01: lifetime 180s" in show
    assert "router fe80::2 02:00:00:00:ac:02: lifetime 180s" in show
    assert ("prefix 2001:db8:1::/64: on-link, autonomous, valid 86400s, "
            "preferred 14400s") in show
    assert "prefix 2001:db8:2::/64" in show
    out = mtopo.host("lif-ctl", "--format=json", "--columns=name,prefixes",
                     "list", "Sub_Interface").stdout
    assert '"lte0",["set",[]]' not in out and "2001:db8:2::/64" in out


def test_source_prefix_routing(mtopo):
    """Whatever router the host picked, each source prefix leaves through
    its own access, to that access's router (BCP 38 drops it elsewhere)."""
    a1, a2 = both_addresses(mtopo)
    print(mtopo.default_routers())
    for src in (a1, a2):
        r = ping_from(mtopo, src, count=10, interval=0.05)
        assert r.received >= 9, "from %s: %s" % (src, r.out)
    # The lte prefix's echo requests reached the lte router.
    before = mtopo.echo_requests("lte")
    r = mtopo.ping("2001:db8:2::1", count=5, interval=0.05,
                   extra=("-I", a2))
    assert r.received >= 4, r.out
    assert mtopo.echo_requests("lte") - before >= 5


def test_access_lost_and_back(mtopo):
    """wlan is lost: the host stops preferring its prefix and router at
    once (lif-controller's RA in the router's name), keeps the address, and
    new traffic takes lte.  wlan back: preferred again within a round trip
    of lif-controller's solicitation, long before radvd's next RA."""
    a1, a2 = both_addresses(mtopo)
    mtopo.ping(SERVER, count=2, interval=0.1)

    t0 = time.monotonic()
    mtopo.far_end("wlan", False)
    wait_until(lambda: "deprecated" in mtopo.lif_addrs6().get(a1, ()), 5,
               interval=0.01, what="wlan's prefix deprecated")
    lost = time.monotonic() - t0
    assert a1 in mtopo.lif_addrs6(), "the address itself must stay valid"
    wait_until(lambda: "fe80::1" not in mtopo.default_routers(), 5,
               interval=0.01, what="wlan's router withdrawn")
    print("wlan lost: prefix deprecated after %.0f ms" % (lost * 1000))
    # New traffic: the host picks lte's address and router.
    r = mtopo.ping(SERVER, count=10, interval=0.05)
    assert r.received >= 9, r.out

    t0 = time.monotonic()
    mtopo.far_end("wlan", True)
    wait_until(lambda: "deprecated" not in mtopo.lif_addrs6().get(a1, {"x"}),
               10, interval=0.01, what="wlan's prefix preferred again")
    back = time.monotonic() - t0
    print("wlan back: prefix preferred after %.0f ms" % (back * 1000))
    wait_until(lambda: "fe80::1" in mtopo.default_routers(), 5,
               interval=0.01, what="wlan's router back")
    r = ping_from(mtopo, a1, count=5)
    assert r.received >= 4, r.out


def test_same_address_different_macs(same_ll_topo):
    """Two routers share fe80::1 and the prefix but not their MACs: after
    the preferred access is lost, the host's frames reach the other router
    at once, without waiting for its neighbor cache."""
    t = same_ll_topo
    addr = wait_until(lambda: t.lif_addr_in("2001:db8:1:"), 20,
                      what="SLAAC address")
    r = t.ping("2001:db8:1::1", count=3, interval=0.1)
    assert r.received >= 2, r.out
    res = t.measure_failover("wlan", dst="2001:db8:1::1", count=400,
                             interval=0.01)
    print("failover with routers of different MACs: %r (address %s)"
          % (res, addr))
    assert res.answered_tail(100) >= 95, res.out
    # Bounded: no wait for the neighbor cache (~93 lost before this).
    assert res.lost <= 20, res


def test_host_configuration_survives_mac_changes(mtopo):
    """A static address and route on the LIF survive a VLL-ID change, a
    borrowed-MAC change and a controller restart (ovs-vswitchd would take
    the tap device down to change its MAC; lif-controller changes it live)."""
    t = mtopo
    lif = netns.LIF
    t.host("ip", "-6", "addr", "add", "2001:db8:5::99/64", "dev", lif,
           "nodad")
    t.host("ip", "-6", "route", "add", "2001:db8:55::/64", "via",
           "2001:db8:5::1", "dev", lif)

    def intact():
        addrs = t.host("ip", "-6", "addr", "show", "dev", lif).stdout
        routes = t.host("ip", "-6", "route", "show", "dev", lif).stdout
        return "2001:db8:5::99/64" in addrs and "2001:db8:55::/64" in routes

    def mac():
        return t.host("cat", "/sys/class/net/%s/address"
                      % lif).stdout.strip()

    assert intact()
    t.vsctl("set", "interface", lif,
            "external_ids:lif-vll-id=02:00:00:00:55:01")
    wait_until(lambda: mac() == "02:00:00:00:55:01", 10, what="VLL-ID")
    wait_until(lambda: t.vsctl("get", "interface", lif, "mac").stdout.strip()
               == '"02:00:00:00:55:01"', 10, what="mac column")
    time.sleep(0.5)
    assert intact(), "static configuration lost on a VLL-ID change"

    wlan_mac = t.host("cat", "/sys/class/net/wlan0/address").stdout.strip()
    t.vsctl("set", "interface", lif, "external_ids:lif-lladdr=wlan0")
    wait_until(lambda: mac() == wlan_mac, 10, what="borrowed MAC")
    time.sleep(0.5)
    assert intact(), "static configuration lost on a borrowed-MAC change"

    # Restart with another MAC on the device: the controller sets it back.
    t.appctl("lif-controller", "exit", "--restart")
    wait_until(lambda: not os.path.exists(os.path.join(
        t.rundir, "lif-controller.pid")), 10, what="controller exit")
    t.vsctl("remove", "interface", lif, "external_ids", "lif-lladdr")
    t.host(os.path.join(t.builddir, "controller", "lif-controller"),
           "unix:%s/db.sock" % t.rundir, "--pidfile", "--detach",
           "--no-chdir", "--log-file")
    wait_until(lambda: mac() == "02:00:00:00:55:01", 10, what="VLL-ID back")
    time.sleep(0.5)
    assert intact(), "static configuration lost on controller start"
    log = open(os.path.join(t.rundir, "lif-controller.log")).read()
    assert "while up" in log


def test_unsolicited_na_on_own_access(own_topo):
    """lte0 has its own MAC (lif-lladdr=own): when the default path moves
    there, its router hears at once, from an unsolicited NA, that the
    host's addresses are at lte0's MAC."""
    t = own_topo
    a1, a2 = both_addresses(t)
    lte_mac = t.host("cat", "/sys/class/net/lte0/address").stdout.strip()
    cap = t.popen("lte", "timeout", "20", "tcpdump", "-l", "-n", "-e",
                  "-i", "ar", "icmp6 and ip6[40] == 136")
    err = netns.wait_tcpdump_armed(cap)
    assert "listening on" in err, err
    t.far_end("wlan", False)
    wait_until(lambda: t.host("lif-ctl", "get", "Sub_Interface", "lte0",
                              "state").stdout.strip() == "active", 10,
               what="lte0 active")
    time.sleep(1)
    cap.terminate()
    out, _ = cap.communicate(timeout=10)
    print(out)
    nas = [l for l in out.splitlines() if "neighbor advertisement" in l
           and "ff02::1" in l]
    assert any(a2 in l for l in nas), out
    assert all(lte_mac in l for l in nas), out
