#!/usr/bin/python3
"""Failover benchmark: packets lost at 100 pps when the far end of the
active access goes down, for lif-controller and for baselines, N runs each.

    /usr/bin/python3 tests/integration/bench_failover.py --runs 5
    ... --modes controller,bond,ffgroup

Modes (same namespaces/addresses as the tests and lif-sandbox):
  controller  lif-controller (from LIF_BUILDDIR) programs br-lif
  bond        OVS's own active-backup bond over wlan0+lte0
              (bond-detect-mode=carrier, bond-primary=wlan0) + NORMAL flow
  ffgroup     hand-made fast-failover group, no carrier polling

Each run: traffic verified on wlan, ping -i 0.01 -c COUNT to 2001:db8:1::1,
the wlan access router's end of the veth goes down DOWN_AFTER s in, loss =
transmitted - received (max gap = longest run of unanswered seqs; x10 ms is
the outage).  Then wlan comes back and the next run waits (bounded) for
traffic to return to wlan.  Runs as root; everything it starts is stopped
by pid and its namespaces removed, even on Ctrl-C.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns  # noqa: E402
from netns import AR_ADDR6  # noqa: E402


def on_wlan(t):
    """True if a short ping burst is answered and carried by wlan only."""
    w, l = t.echo_requests("wlan"), t.echo_requests("lte")
    r = t.ping(AR_ADDR6, count=10, interval=0.02, wait=1)
    return (r.received >= 9 and t.echo_requests("wlan") - w >= 9
            and t.echo_requests("lte") == l)


class LinkwatchKicker:
    """Makes the kernel's linkwatch "busy" like a host where other links
    change: a veth pair between two scratch namespaces, each end ifindex 2
    (so, like wlan0 here, its events are not "urgent"), whose carrier is
    toggled.  For the next second, further non-urgent carrier events (such
    as wlan0 losing carrier) are held back by up to 1 s, unless something
    reads the carrier (which syncs that device's pending event)."""

    def __init__(self, tag):
        self.ns = [tag + "-lwa", tag + "-lwb"]
        self.created = []

    def start(self):
        for ns in self.ns:
            subprocess.run(["ip", "netns", "add", ns], check=True, timeout=10)
            self.created.append(ns)
        subprocess.run(["ip", "-n", self.ns[0], "link", "add", "lw", "type",
                        "veth", "peer", "name", "lw", "netns", self.ns[1]],
                       check=True, timeout=10)
        for ns in self.ns:
            subprocess.run(["ip", "-n", ns, "link", "set", "lw", "up"],
                           check=True, timeout=10)
        return self

    def kick(self):
        for state in ("down", "up"):
            subprocess.run(["ip", "-n", self.ns[1], "link", "set", "lw",
                            state], check=True, timeout=10)

    def stop(self):
        for ns in self.created:
            subprocess.run(["ip", "netns", "del", ns], check=False, timeout=10)
        self.created = []


def bench_mode(mode, runs, count, down_after, log, interval=0.01,
               kicker=None):
    results = []
    t = netns.Topology(mode=mode, tag="lifbench-%d" % os.getpid(),
                       log=log)
    t.start()
    try:
        t.wait_slaac(timeout=20, solicit=True)
        for i in range(runs):
            netns.wait_until(lambda: on_wlan(t), 20, interval=0.2,
                             what="traffic on wlan before run %d" % (i + 1))
            lte0 = t.echo_requests("lte")
            p = t.ping_start(AR_ADDR6, count, interval)
            time.sleep(down_after)
            if kicker:
                kicker.kick()
                time.sleep(0.1)
            t.far_end("wlan", False)
            r = t.ping_finish(p, timeout=count * interval + 30)
            lte = t.echo_requests("lte") - lte0
            t.far_end("wlan", True)
            ok = r.answered_tail(50) >= 45 and lte > 0
            results.append((r, ok))
            log("  %-10s run %d: sent=%d lost=%d max_gap=%d (~%g ms)%s"
                % (mode, i + 1, r.transmitted, r.lost, r.max_gap(),
                   r.max_gap() * interval * 1000,
                   "" if ok else "  [traffic did NOT resume on lte]"))
    finally:
        t.stop()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--modes", default="controller,bond,ffgroup",
                    help="comma-separated: controller,bond,ffgroup")
    ap.add_argument("--count", type=int, default=300,
                    help="pings per run (100 pps)")
    ap.add_argument("--down-after", type=float, default=1.0)
    ap.add_argument("--interval", type=float, default=0.01,
                    help="ping interval in s (0.01 = 100 pps; 0.002 gives "
                    "2 ms resolution)")
    ap.add_argument("--linkwatch-busy", action="store_true",
                    help="toggle an unrelated link 0.1 s before each "
                    "failure (as on a host where links change), which "
                    "delays the kernel's carrier notification by up to 1 s")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_failover: must run as root")
    if (not 1 <= args.runs <= 100 or not 150 <= args.count <= 20000
            or not 0.001 <= args.interval <= 1
            or args.count * args.interval > 120):
        sys.exit("bench_failover: --runs 1..100, --count 150..20000, "
                 "--interval 0.001..1, count*interval <= 120 s")

    modes = [m for m in args.modes.split(",") if m]
    ctl = os.path.join(os.environ.get("LIF_BUILDDIR", "/work/main/_build"),
                       "controller", "lif-controller")
    if "controller" in modes and not os.access(ctl, os.X_OK):
        print("note: %s not built; skipping mode 'controller'" % ctl)
        modes.remove("controller")

    def log(msg):
        print(msg, flush=True)

    kicker = None
    if args.linkwatch_busy:
        kicker = LinkwatchKicker("lifbench-%d" % os.getpid())
    table = {}
    try:
        if kicker:
            kicker.start()
        run_modes(modes, args, kicker, table, log)
    finally:
        if kicker:
            kicker.stop()
    report(args, table)
    failed = any(res is None or not all(ok for _, ok in res)
                 for res in table.values())
    return 1 if failed else 0


def run_modes(modes, args, kicker, table, log):
    for mode in modes:
        log("== %s" % mode)
        t0 = time.monotonic()
        try:
            table[mode] = bench_mode(mode, args.runs, args.count,
                                     args.down_after, log, args.interval,
                                     kicker)
        except (RuntimeError, TimeoutError) as e:
            log("  %s failed: %s" % (mode, e))
            table[mode] = None
        log("  (%.0f s)" % (time.monotonic() - t0))


def report(args, table):
    print()
    pps = 1 / args.interval
    print("Loss at %g pps, far end of the active access taken down "
          "(%d runs each%s)" % (pps, args.runs, ", linkwatch busy"
                                if args.linkwatch_busy else ""))
    print("%-11s %-28s %7s %7s %7s %9s" % ("mode", "lost per run", "median",
                                           "min", "max", "resumed"))
    medians = {}
    for mode, res in table.items():
        if not res:
            print("%-11s %s" % (mode, "FAILED (see above)"))
            continue
        lost = [r.lost for r, _ in res]
        medians[mode] = statistics.median(lost)
        print("%-11s %-28s %7g %7d %7d %6d/%d"
              % (mode, ",".join(map(str, lost)), medians[mode], min(lost),
                 max(lost), sum(ok for _, ok in res), len(res)))
    if "controller" in medians:
        base = medians["controller"]
        for mode in ("bond", "ffgroup"):
            if mode in medians:
                print("median loss %s / controller: %g / %g packets "
                      "(%+g ms)" % (mode, medians[mode], base,
                                    (medians[mode] - base) * args.interval
                                    * 1000))


if __name__ == "__main__":
    sys.exit(main())
