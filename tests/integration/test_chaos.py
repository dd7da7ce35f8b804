"""Chaos test: random faults and reconfigurations under traffic, with
invariants checked throughout.

Under three fixed-rate UDP streams (udp-rate: host -> 2001:db8:1::1, and
each access router -> the LIF's 198.51.100.10), a seeded random sequence
of events: attach and detach of a sub-interface, far-end link flaps,
priority changes, lif-controller killed with SIGKILL and restarted,
ovs-vswitchd restarted.  Invariants:

  * no frame ever crosses between the accesses: tcpdump on each access
    router's side, inbound, for the other access's stream, all along;
  * after every event, traffic is restored within a bound: host->access
    packets sent after the event reach an access, and each access that is
    attached and up gets its packets to the host;
  * no flow churn for unchanged configuration: at quiet points a forced
    "recompute" sends no bundle;
  * status true at the end: "lif-ctl show" names the attached
    sub-interfaces with their real carrier and the right active one.

The seed is printed (LIF_CHAOS_SEED reproduces a run).  The short form
(LIF_CHAOS_SECONDS, default 45 s of events) runs in the integration
suite; set LIF_CHAOS_SECONDS=600 or more for the long form.  Every wait
is bounded.
"""

import os
import random
import re
import signal
import time

import pytest

import netns
import rate
from netns import AR_ADDR6, BRIDGE, HOST_ADDR4, wait_until
from rfc7847_helpers import lif_ctl_show

# name -> (sub-interface, priority at start, UDP port of its stream)
ACCESS = {"wlan": ("wlan0", 200, 6001), "lte": ("lte0", 100, 6002)}
HOST_PORT = 6000
PPS = 200
RESTORE_S = 5           # bound for traffic to come back after an event
RESTORE_VSWITCHD_S = 20  # ... after ovs-vswitchd restarts (its OpenFlow
                         # reconnect backs off)
# A re-attached access gets no longer bound: while it was detached, the
# host's own stack answered the access router's ARP with the
# sub-interface's MAC, and lif-controller's announcement of the host's
# addresses on attach (gratuitous ARP, unsolicited NA) corrects the
# router's neighbor cache at once (before it did, this took up to 70 s).


class Crossing:
    """tcpdump on 'ar' in access namespace 'ns', inbound, for the UDP
    stream of the other access (its destination port)."""

    def __init__(self, topo, ns, port):
        self.p = topo.popen(ns, "tcpdump", "-i", "ar", "-Q", "in", "-n",
                            "-l", "-U", "udp dst port %d" % port)
        err = netns.wait_tcpdump_armed(self.p)
        assert "listening on" in err, "tcpdump did not start: " + err

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        out, _ = self.p.communicate(timeout=10)
        return [l for l in out.splitlines() if "UDP" in l]


class Chaos:
    def __init__(self, topo, seed):
        self.t = topo
        self.rng = random.Random(seed)
        self.attached = {"wlan": True, "lte": True}
        self.up = {"wlan": True, "lte": True}
        self.prio = {a: ACCESS[a][1] for a in ACCESS}
        self.events = []
        self.recv = {}
        self.send = {}
        self.seen = {}          # sender id -> [(sent_ns, seq)]

    # -- traffic -------------------------------------------------------
    def start_traffic(self, seconds):
        """Stream 0: host -> 2001:db8:1::1, received in both access
        namespaces; streams 1 and 2: wlan and lte -> the LIF's IPv4
        address, each to its own port, so that a frame of one seen on the
        other access is recognisable."""
        t = self.t
        count = int(PPS * seconds)
        for name in ACCESS:
            self.recv[name] = rate.Receiver(t, name, HOST_PORT,
                                            seconds=seconds + 60)
            self.recv["host-" + name] = rate.Receiver(
                t, "host", ACCESS[name][2], seconds=seconds + 60)
        # A busy machine may delay the senders; the chaos test measures
        # restoration in seconds, so a generous lateness bound.
        self.send[0] = rate.Sender(t, "host", AR_ADDR6, HOST_PORT, PPS,
                                   count, 0, max_late_ms=1000)
        for i, name in enumerate(ACCESS, 1):
            self.send[i] = rate.Sender(t, name, HOST_ADDR4, ACCESS[name][2],
                                       PPS, count, i, max_late_ms=1000)

    def collect(self):
        for r in self.recv.values():
            for rid, seq, sent, _ in r.collect():
                self.seen.setdefault(rid, []).append((sent, seq))

    def arrived_after(self, ident, t_ns):
        self.collect()
        return any(sent > t_ns for sent, _ in self.seen.get(ident, []))

    # -- events --------------------------------------------------------
    def live(self):
        return [a for a in ACCESS if self.attached[a] and self.up[a]]

    def choose(self):
        """A random event that leaves at least one access attached and
        up, so that traffic has somewhere to go."""
        choices = []
        for a in ACCESS:
            others_live = [x for x in self.live() if x != a]
            if self.attached[a] and others_live:
                choices.append(("detach", a))
            if not self.attached[a]:
                choices.append(("attach", a))
            if self.up[a] and others_live:
                choices.append(("down", a))
            if not self.up[a]:
                choices.append(("up", a))
            if self.attached[a]:
                choices.append(("priority", a))
        choices += [("kill-controller", None), ("restart-vswitchd", None)]
        return self.rng.choice(choices)

    def apply(self, what, a):
        t = self.t
        if what == "detach":
            t.vsctl("del-port", BRIDGE, ACCESS[a][0])
            self.attached[a] = False
        elif what == "attach":
            t.vsctl("add-port", BRIDGE, ACCESS[a][0], "--", "set",
                    "interface", ACCESS[a][0],
                    "external_ids:lif-priority=%d" % self.prio[a],
                    "external_ids:lif-technology=" + a)
            self.attached[a] = True
        elif what in ("down", "up"):
            t.far_end(a, what == "up")
            self.up[a] = what == "up"
        elif what == "priority":
            # Never a tie: which of two equals is active is not the point.
            others = {self.prio[x] for x in ACCESS if x != a}
            self.prio[a] = self.rng.choice([p for p in (50, 100, 150, 200,
                                                        250)
                                            if p not in others])
            t.vsctl("set", "interface", ACCESS[a][0],
                    "external_ids:lif-priority=%d" % self.prio[a])
        elif what == "kill-controller":
            pid = int(open(os.path.join(t.rundir,
                                        "lif-controller.pid")).read())
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not os.path.exists("/proc/%d/status" % pid)
                       or "Z" in open("/proc/%d/status" % pid).read()
                       .split("State:")[1][:4], 5,
                       what="lif-controller to die")
            ctl = os.path.join(t.builddir, "controller", "lif-controller")
            t.host(ctl, "unix:%s/db.sock" % t.rundir, "--pidfile",
                   "--detach", "--no-chdir", "--log-file")
        elif what == "restart-vswitchd":
            t.appctl("ovs-vswitchd", "exit", check=False)
            pidfile = os.path.join(t.rundir, "ovs-vswitchd.pid")
            wait_until(lambda: not os.path.exists(pidfile), 10,
                       what="ovs-vswitchd to exit")
            t.host("ovs-vswitchd", "unix:%s/db.sock" % t.rundir,
                   "--pidfile", "--detach", "--no-chdir", "--log-file")

    def restored(self, t_ns, bound):
        """Waits (bounded) until the host's stream reached an access and
        every live access's stream reached the host, for packets sent after
        t_ns.  Returns the time it took, in seconds."""
        start = time.monotonic()
        wanted = [0] + [i for i, a in enumerate(ACCESS, 1)
                        if a in self.live()]
        try:
            wait_until(lambda: all(self.arrived_after(i, t_ns)
                                   for i in wanted),
                       bound, interval=0.1,
                       what="traffic restored (streams %s)" % wanted)
        except TimeoutError:
            self.diagnose(wanted, t_ns)
            raise
        return time.monotonic() - start

    def diagnose(self, wanted, t_ns):
        t = self.t
        print("state: attached %s, up %s, priorities %s"
              % (self.attached, self.up, self.prio))
        for i in wanted:
            print("stream %d arrived after the event: %s"
                  % (i, self.arrived_after(i, t_ns)))
        for cmd in (("lif-controller", "lif/show"),
                    ("lif-controller", "connection-status")):
            print(t.appctl(*cmd, check=False).stdout)
        print(t.ofctl("dump-groups", BRIDGE, check=False).stdout)
        print(t.ofctl("dump-flows", BRIDGE, "--names", check=False).stdout)
        for name in ACCESS:
            print(name, t.run(name, "ip", "neigh", check=False).stdout)

    def bundles(self):
        out = self.t.appctl("lif-controller", "connection-status").stdout
        m = re.search(r"(\d+) bundles", out)
        return int(m.group(1)) if m else None

    def no_churn(self):
        """A forced recompute with unchanged configuration sends nothing.
        Inputs may still be settling after an event (ovs-vswitchd reports a
        link state up to a second late), so a bundle right after the
        recompute is only a failure if it happens on three tries in a row,
        each after 1.5 s without any bundle."""
        def settled():
            b = self.bundles()
            time.sleep(1.5)
            return b is not None and b == self.bundles()
        diffs = []
        for attempt in range(3):
            wait_until(settled, 20, interval=0.1, what="no more bundles")
            flows0 = self.t.appctl("lif-controller", "lif/flows").stdout
            before = self.bundles()
            self.t.appctl("lif-controller", "recompute")
            time.sleep(0.5)
            after = self.bundles()
            if before == after:
                return
            flows1 = self.t.appctl("lif-controller", "lif/flows").stdout
            a, b = set(flows0.splitlines()), set(flows1.splitlines())
            diffs.append(sorted("-" + x for x in a - b)
                         + sorted("+" + x for x in b - a))
        raise AssertionError("a recompute of an unchanged configuration "
                             "sent bundles three times; desired-state "
                             "changes:\n%s" % "\n".join(
                                 "\n".join(d) for d in diffs)[:3000])

    def check_status(self):
        """lif-ctl show matches the real state."""
        def expected():
            live = self.live()
            active = (max(live, key=lambda a: (self.prio[a], a))
                      if live else None)
            return {ACCESS[a][0]: ("active" if a == active else None,
                                   "up" if self.up[a] else "down")
                    for a in ACCESS if self.attached[a]}

        def matches():
            show = lif_ctl_show(self.t)
            exp = expected()
            subifs = show["subifs"]
            if set(subifs) != set(exp):
                return False
            for name, (state, carrier) in exp.items():
                if subifs[name].get("carrier") != carrier:
                    return False
                if state and subifs[name].get("state") != state:
                    return False
                if not state and subifs[name].get("state") == "active":
                    return False
            return True
        try:
            wait_until(matches, 10, interval=0.2, what="status")
        except TimeoutError:
            raise AssertionError("lif-ctl show does not match the real "
                                 "state %s:\n%s" % (expected(),
                                                    lif_ctl_show(self.t)
                                                    ["text"]))


def test_chaos(topo):
    if topo.mode != "controller":
        pytest.skip("exercises lif-controller")
    seconds = int(os.environ.get("LIF_CHAOS_SECONDS", "45"))
    assert 10 <= seconds <= 24 * 3600, "LIF_CHAOS_SECONDS out of range"
    seed = int(os.environ.get("LIF_CHAOS_SEED", str(int(time.time()))))
    print("chaos: seed %d (LIF_CHAOS_SEED=%d reproduces), %d s"
          % (seed, seed, seconds))

    topo.wait_slaac(timeout=20, solicit=True)
    chaos = Chaos(topo, seed)
    cross = {"wlan": Crossing(topo, "wlan", ACCESS["lte"][2]),
             "lte": Crossing(topo, "lte", ACCESS["wlan"][2])}
    chaos.start_traffic(seconds + 120)

    try:
        chaos.restored(time.monotonic_ns(), 20)
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline and n < 1000:
            n += 1
            what, a = chaos.choose()
            chaos.apply(what, a)
            # Restored means: packets sent once the event is complete get
            # through.
            t_ev = time.monotonic_ns()
            bound = (RESTORE_VSWITCHD_S if what == "restart-vswitchd"
                     else RESTORE_S)
            took = chaos.restored(t_ev, bound)
            chaos.events.append((what, a, took))
            print("  event %d: %s %s: traffic restored after %.2f s"
                  % (n, what, a or "", took))
            if n % 4 == 0:
                chaos.no_churn()
            time.sleep(chaos.rng.uniform(0.2, 1.5))

        chaos.no_churn()
        chaos.check_status()
    finally:
        crossed = {ns: c.stop() for ns, c in cross.items()}
        for s in chaos.send.values():
            if s.p.poll() is None:
                s.p.terminate()
        for r in chaos.recv.values():
            r.stop()
    print("chaos: %d events, seed %d" % (len(chaos.events), seed))
    for ns, lines in crossed.items():
        assert lines == [], ("frames of the other access reached %s:\n%s"
                             % (ns, "\n".join(lines[:10])))
    assert len(chaos.events) >= 5, "too few events to mean anything"
