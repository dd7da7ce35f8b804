"""Sub-interfaces invisible to the host IP stack (RFC 7847 section 5,
property 1; issue 3 item 5).

The topology here does NOT pre-configure the sub-interfaces
(Topology(isolate_subifs=False)): wlan0 and lte0 start as the kernel makes
them (IPv6 on, SLAAC from the access routers' RAs, ARP answered for every
local address), so everything checked below is lif-controller's doing.

Run as root:  /usr/bin/python3 -m pytest -v tests/integration/test_isolation.py
"""

import os
import re
import subprocess
import time

import pytest

import netns
from conftest import topology
from netns import HOST_ADDR4, wait_until

# What lif-controller sets on an attached sub-interface.
ISOLATED = {
    "ipv6/conf/%s/disable_ipv6": "1",
    "ipv4/conf/%s/rp_filter": "1",
    "ipv4/conf/%s/arp_ignore": "8",
}


@pytest.fixture
def itopo(request):
    yield from topology(request, tag="lifiso-%d" % os.getpid(),
                        isolate_subifs=False)


def sysctl(topo, fmt, dev):
    p = topo.host("cat", "/proc/sys/net/" + fmt % dev, check=False)
    return p.stdout.strip() if p.returncode == 0 else None


def settings(topo, dev):
    return {fmt: sysctl(topo, fmt, dev) for fmt in ISOLATED}


def defaults(topo):
    return {fmt: sysctl(topo, fmt, "default") for fmt in ISOLATED}


def ipv6_addrs(topo, dev):
    out = topo.host("ip", "-6", "-o", "addr", "show", "dev", dev).stdout
    return re.findall(r"inet6 (\S+)", out)


def mac_of(topo, dev):
    return topo.host("cat", "/sys/class/net/%s/address" % dev).stdout.strip()


def wait_isolated(topo, dev, timeout=15):
    wait_until(lambda: settings(topo, dev) == {k: v for k, v in
                                                ISOLATED.items()},
               timeout, interval=0.1, what="%s to be isolated (now %s)"
               % (dev, settings(topo, dev)))


def try_isolated(topo, dev, timeout=15):
    """Like wait_isolated(), but returns the problem (or None) so that a
    test can check the behaviour on the wire first and report both."""
    try:
        wait_isolated(topo, dev, timeout)
        return None
    except TimeoutError as e:
        return str(e)


def settle(topo):
    addr = topo.wait_slaac(timeout=25, solicit=True)
    r = topo.ping(netns.AR_ADDR6, count=3, interval=0.2)
    assert r.received > 0, "no IPv6 reply through the LIF: %s" % r.out
    return addr


class Capture:
    """tcpdump on the access router's end ("ar") of one access network:
    frames arriving from the host whose source MAC is `mac`."""

    def __init__(self, topo, access, mac):
        self.mac = mac
        self.p = topo.popen(access, "timeout", "120", "tcpdump", "-i", "ar",
                            "-Q", "in", "-n", "-e", "-l", "-U", "-vv",
                            "ether src " + mac)
        err = netns.wait_tcpdump_armed(self.p)
        assert "listening on" in err, "tcpdump did not start: " + err

    def stop(self):
        time.sleep(1.0)         # in-flight frames
        self.p.terminate()
        try:
            out, _ = self.p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, _ = self.p.communicate(timeout=5)
        # With -vv a frame may span several lines; frames start with a
        # timestamp.
        frames, cur = [], None
        for line in out.splitlines():
            if re.match(r"^\d\d:\d\d:\d\d\.", line):
                cur = [line]
                frames.append(cur)
            elif cur is not None:
                cur.append(line)
        return ["\n".join(f) for f in frames]


def single_replies(topo, dst, access="wlan", count=10):
    """Pings dst from the access router; returns the PingResult after
    checking one reply per request and no DUP!."""
    topo.ping(dst, count=2, interval=0.2, ns=access, wait=2)   # warm-up
    r = topo.ping(dst, count=count, interval=0.1, ns=access, wait=2)
    dups = r.out.count("DUP!")
    print("%s -> %s: sent %d, received %d, DUP %d"
          % (access, dst, r.transmitted, r.received, dups))
    assert dups == 0, "duplicate replies (host stack answered via the " \
        "sub-interface too):\n" + r.out
    assert r.transmitted == count and r.received == count, r.out
    return r


def test_subif_invisible_while_attached(itopo):
    t = itopo
    lif6 = settle(t)
    problems = [p for p in (try_isolated(t, "wlan0"),
                            try_isolated(t, "lte0")) if p]

    mac = mac_of(t, "wlan0")
    cap = Capture(t, "wlan", mac)
    # Give the host stack every reason to speak on wlan0: the access
    # router forgets its neighbours (so it sends ARP requests and NSs for
    # the LIF's addresses), pings, and the link flaps (RS, MLD, DAD).
    t.run("wlan", "ip", "neigh", "flush", "dev", "ar", check=False)
    single_replies(t, lif6)
    single_replies(t, HOST_ADDR4)
    t.far_end("wlan", False)
    time.sleep(0.5)
    t.far_end("wlan", True)
    time.sleep(3.0)             # carrier up: when the kernel sends RS/DAD

    def via_wlan():
        w = t.echo_requests("wlan")
        t.ping(netns.AR_ADDR6, count=3, interval=0.05)
        return t.echo_requests("wlan") - w >= 2
    try:
        wait_until(via_wlan, 15, interval=0.3,
                   what="LIF traffic back on wlan")
    except TimeoutError as e:
        problems.append(str(e))
    t.run("wlan", "ip", "neigh", "flush", "dev", "ar", check=False)
    single_replies(t, lif6)
    single_replies(t, HOST_ADDR4)
    frames = cap.stop()

    rs_mld = [f for f in frames
              if re.search(r"router solicitation|multicast listener", f)]
    print("frames with wlan0's MAC %s on the wlan wire: %d (RS/MLD: %d)"
          % (mac, len(frames), len(rs_mld)))
    assert rs_mld == [], "host stack sent RS/MLD on wlan0:\n" + \
        "\n".join(rs_mld[:10])
    # wlan0 is lif-lladdr=logical: forwarded LIF traffic carries the LIF's
    # MAC, so nothing at all may carry wlan0's own.
    assert frames == [], "host stack sent frames with wlan0's MAC:\n" + \
        "\n".join(frames[:10])
    assert ipv6_addrs(t, "wlan0") == [], \
        "wlan0 has IPv6 addresses: %s" % ipv6_addrs(t, "wlan0")
    assert ipv6_addrs(t, "lte0") == [], \
        "lte0 has IPv6 addresses: %s" % ipv6_addrs(t, "lte0")
    assert problems == []


def test_own_lladdr_single_reply(itopo):
    """lif-lladdr=own: the access sends to wlan0's own MAC, which the
    kernel would accept as its own and answer besides the LIF."""
    t = itopo
    lif6 = settle(t)
    problem = try_isolated(t, "wlan0")
    t.vsctl("set", "interface", "wlan0", "external_ids:lif-lladdr=own")
    mac = mac_of(t, "wlan0")
    # Returns once lif-controller has installed the change.
    t.host("lif-ctl", "--timeout=10", "--wait", "sync")
    # What the access learns from the (rewritten) NA/ARP reply: the LIF's
    # addresses at wlan0's MAC.
    for dst in (lif6, HOST_ADDR4):
        t.run("wlan", "ip", "neigh", "replace", dst, "lladdr", mac, "dev",
              "ar", "nud", "permanent")
    single_replies(t, lif6)
    single_replies(t, HOST_ADDR4)
    assert problem is None, problem


def state_file(t):
    return os.path.join(t.rundir, "lif-controller.isolation")


def test_restored_after_del_port(itopo):
    t = itopo
    orig = defaults(t)
    print("kernel defaults:", orig)
    wait_isolated(t, "wlan0")
    wait_isolated(t, "lte0")
    with open(state_file(t)) as f:
        assert "wlan0" in f.read()
    t.vsctl("del-port", "wlan0")
    wait_until(lambda: settings(t, "wlan0") == orig, 10, interval=0.1,
               what="wlan0 settings restored (now %s)"
               % settings(t, "wlan0"))
    # IPv6 is back: the kernel gives wlan0 its link-local again.
    wait_until(lambda: any(a.startswith("fe80:")
                           for a in ipv6_addrs(t, "wlan0")), 10,
               what="wlan0 link-local address after restore")
    assert settings(t, "lte0") == ISOLATED, "lte0 must stay isolated"
    with open(state_file(t)) as f:
        assert "wlan0" not in f.read()

    # Attach again: isolated again.
    t.vsctl("add-port", netns.BRIDGE, "wlan0", "--", "set", "interface",
            "wlan0", "external_ids:lif-priority=200")
    wait_isolated(t, "wlan0")
    assert ipv6_addrs(t, "wlan0") == []


def controller_cmd(t):
    return [os.path.join(t.builddir, "controller", "lif-controller"),
            "unix:%s/db.sock" % t.rundir, "--pidfile", "--detach",
            "--no-chdir", "--log-file"]


def test_restored_when_detached_while_controller_down(itopo):
    t = itopo
    orig = defaults(t)
    wait_isolated(t, "wlan0")
    t.appctl("lif-controller", "exit", "--restart")
    wait_until(lambda: t.appctl("lif-controller", "version",
                                check=False).returncode != 0, 10,
               what="lif-controller to exit")
    # Exit restores nothing: the sub-interfaces stay attached.
    assert settings(t, "wlan0") == ISOLATED
    t.vsctl("del-port", "wlan0")
    time.sleep(0.5)
    assert settings(t, "wlan0") == ISOLATED
    t.host(*controller_cmd(t))
    wait_until(lambda: settings(t, "wlan0") == orig, 15, interval=0.1,
               what="wlan0 restored by the restarted controller (now %s)"
               % settings(t, "wlan0"))
    assert settings(t, "lte0") == ISOLATED


def test_ipv4_address_on_subif_reported(itopo):
    t = itopo
    wait_isolated(t, "lte0")
    t.host("ip", "addr", "add", "203.0.113.5/24", "dev", "lte0")

    def errors():
        p = t.host("lif-ctl", "--bare", "--columns=errors", "find",
                   "Sub_Interface", "name=lte0", check=False)
        return p.stdout if "203.0.113.5/24" in p.stdout else None
    out = wait_until(errors, 15, interval=0.2,
                     what="Sub_Interface lte0 errors to report the address")
    print(out)
    assert "stays visible to the host stack" in out
