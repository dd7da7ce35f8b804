#!/usr/bin/python3
"""Failover benchmark: packets lost and outage when the far end of the
active access goes down (failover) and comes back (failback), under a
fixed-rate UDP load, for lif-controller and for baselines, N runs each.

    /usr/bin/python3 tests/integration/bench_failover.py --runs 7
    ... --modes controller,bond,ffgroup --pps 100,1000 --linkwatch-busy

Modes (same namespaces/addresses as the tests and lif-sandbox):
  controller  lif-controller (from LIF_BUILDDIR) programs br-lif
  bond        OVS's own active-backup bond over wlan0+lte0
              (bond-detect-mode=carrier, bond-primary=wlan0) + NORMAL flow
  ffgroup     hand-made fast-failover group, nothing reads the carrier

The load is udp-rate (tests/integration/udp-rate.c): numbered datagrams at
exactly PPS packets per second (absolute-time schedule; the sender fails
the run if it fell behind) from the host to 2001:db8:1::1, received in both
access namespaces.  lost = sent - received (both receivers together);
outage = longest run of missing sequence numbers x period.

Each run: traffic checked on wlan; a stream starts; EVENT_AFTER s in, the
wlan access router's end of the veth goes down (failover); the stream
goes on for TAIL s.  Then a second stream, in which wlan comes back
(failback).  With --linkwatch-busy an unrelated veth is toggled 0.1 s
before each failure (see LinkwatchKicker).  Runs as root; everything it
starts is stopped by pid and its namespaces removed, even on Ctrl-C.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns  # noqa: E402
import rate  # noqa: E402
from netns import AR_ADDR6  # noqa: E402

PORT = 5001
MAX_RETRIES = 3
DISCARDED = [0]                 # runs discarded because the sender was late


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


class Run:
    """One failover or failback under load."""

    def __init__(self, stream, resumed, sender):
        self.stream = stream
        self.resumed = resumed      # the stream's tail reached the target
        self.sender = sender

    @property
    def lost(self):
        return self.stream.lost

    @property
    def outage_ms(self):
        return self.stream.outage_ms


def _stream(t, recvs, ident, pps, event_after, tail, event, target):
    """Runs one stream of (event_after + tail) s at pps; calls event()
    event_after s in; returns a Run.  'target' is the access that must
    carry the last 0.2 s of the stream."""
    count = int(round(pps * (event_after + tail)))
    s = rate.Sender(t, "host", AR_ADDR6, PORT, pps, count, ident)
    time.sleep(event_after)
    event()
    try:
        summary = s.wait()
    finally:
        time.sleep(0.2)             # in-flight packets
        recs = {ns: r.collect() for ns, r in recvs.items()}
    stream = rate.analyze([x for v in recs.values() for x in v], count,
                          pps, ident)
    tail_seqs = set(range(count - max(1, int(pps * 0.2)), count))
    got = {seq for rid, seq, _, _ in recs[target] if rid == ident}
    resumed = len(tail_seqs & got) >= 0.9 * len(tail_seqs)
    return Run(stream, resumed, summary)


class Receivers(dict):
    """A udp-rate receiver in each access namespace, for a whole mode."""

    def __init__(self, t):
        super().__init__()
        for name, _, _ in netns.ACCESSES:
            self[name] = rate.Receiver(t, name, PORT, seconds=3600)

    def stop(self):
        for r in self.values():
            r.stop()


def bench_mode(t, recvs, pps, runs, log, kicker=None, event_after=0.5,
               tail=1.5, first_ident=0):
    """'runs' failovers and failbacks at 'pps' on topology 't'.  Returns
    (failover runs, failback runs)."""
    fo, fb = [], []
    mode = t.mode
    ident = first_ident

    def down():
        if kicker:
            kicker.kick()
            time.sleep(0.1)
        t.far_end("wlan", False)

    def up():
        t.far_end("wlan", True)

    for i in range(runs):
        # A run whose sender fell behind its schedule (a busy machine) is
        # not a measurement: it is discarded and repeated, at most
        # MAX_RETRIES times per run, and counted.
        for attempt in range(MAX_RETRIES + 1):
            netns.wait_until(lambda: on_wlan(t), 20, interval=0.2,
                             what="traffic on wlan before run %d" % (i + 1))
            ident += 1
            try:
                r = _stream(t, recvs, ident, pps, event_after, tail, down,
                            "lte")
            except rate.SenderBehind as e:
                log("  (discarded: %s)" % e)
                DISCARDED[0] += 1
                up()
                continue
            ident += 1
            try:
                r2 = _stream(t, recvs, ident, pps, event_after, tail, up,
                             "wlan")
            except rate.SenderBehind as e:
                log("  (discarded: %s)" % e)
                DISCARDED[0] += 1
                up()
                continue
            break
        else:
            raise RuntimeError("the sender fell behind %d times in a row: "
                               "the machine is too busy" % (MAX_RETRIES + 1))
        fo.append(r)
        fb.append(r2)
        log("  %-10s %4d pps run %d: failover lost=%d outage=%.0f ms%s; "
            "failback lost=%d outage=%.0f ms%s"
            % (mode, pps, i + 1, r.lost, r.outage_ms,
               "" if r.resumed else " [NOT resumed on lte]",
               r2.lost, r2.outage_ms,
               "" if r2.resumed else " [NOT back on wlan]"))
    return fo, fb


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def summarize(runs):
    """Figures of a list of Runs, for the results file."""
    return {
        "lost": [r.lost for r in runs],
        "outage_ms": [round(r.outage_ms, 2) for r in runs],
        "median_lost": median([r.lost for r in runs]),
        "median_outage_ms": median([r.outage_ms for r in runs]),
        "resumed": sum(r.resumed for r in runs),
        "runs": len(runs),
        "sender_max_late_us": max(int(r.sender.get("max_late_us", 0))
                                  for r in runs) if runs else 0,
    }


def run_all(modes, pps_list, conditions, runs, log, tag=None):
    """Runs every combination; returns {(mode, cond, pps, what): summary}
    where what is "failover" or "failback"."""
    tag = tag or "lifbench-%d" % os.getpid()
    results = {}
    kicker = None
    if "busy" in conditions:
        kicker = LinkwatchKicker(tag)
    try:
        if kicker:
            kicker.start()
        for mode in modes:
            log("== %s" % mode)
            t0 = time.monotonic()
            t = netns.Topology(mode=mode, tag=tag, log=log)
            recvs = None
            try:
                t.start()
                t.wait_slaac(timeout=20, solicit=True)
                recvs = Receivers(t)
                ident = 0
                for cond in conditions:
                    for pps in pps_list:
                        fo, fb = bench_mode(
                            t, recvs, pps, runs, log,
                            kicker if cond == "busy" else None,
                            first_ident=ident)
                        ident += 1000
                        results[(mode, cond, pps, "failover")] = \
                            summarize(fo)
                        results[(mode, cond, pps, "failback")] = \
                            summarize(fb)
            except (RuntimeError, TimeoutError) as e:
                log("  %s failed: %s" % (mode, e))
                t.dump_logs()
                results[(mode, "error", 0, "failover")] = {"error": str(e)}
            finally:
                if recvs:
                    recvs.stop()
                t.stop()
            log("  (%.0f s)" % (time.monotonic() - t0))
    finally:
        if kicker:
            kicker.stop()
    return results


def report(results, log=print):
    """Prints the table: per-run values, medians, and ratios against the
    OVS bond measured in the same run."""
    log("")
    log("%-10s %-5s %5s %-8s %-34s %6s %9s %7s"
        % ("mode", "cond", "pps", "event", "lost per run", "median",
           "outage_ms", "resumed"))
    for key in sorted(results):
        mode, cond, pps, what = key
        s = results[key]
        if "error" in s:
            log("%-10s FAILED: %s" % (mode, s["error"]))
            continue
        log("%-10s %-5s %5d %-8s %-34s %6g %9.1f %4d/%d"
            % (mode, cond, pps, what, ",".join(map(str, s["lost"])),
               s["median_lost"], s["median_outage_ms"], s["resumed"],
               s["runs"]))
    for key in sorted(results):
        mode, cond, pps, what = key
        bond = results.get(("bond", cond, pps, what))
        s = results[key]
        if mode != "controller" or not bond or "error" in s \
                or "error" in bond:
            continue
        log("%s %s %d pps: lif-controller %g lost (%.1f ms), bond %g "
            "(%.1f ms): difference %+g packets"
            % (what, cond, pps, s["median_lost"], s["median_outage_ms"],
               bond["median_lost"], bond["median_outage_ms"],
               s["median_lost"] - bond["median_lost"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--modes", default="controller,bond,ffgroup",
                    help="comma-separated: controller,bond,ffgroup")
    ap.add_argument("--pps", default="1000",
                    help="comma-separated packet rates (default 1000)")
    ap.add_argument("--linkwatch-busy", action="store_true",
                    help="only the linkwatch-busy condition: toggle an "
                    "unrelated link 0.1 s before each failure, which "
                    "delays the kernel's carrier notification by up to 1 s")
    ap.add_argument("--both", action="store_true",
                    help="quiet and linkwatch-busy")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_failover: must run as root")
    pps_list = [int(x) for x in args.pps.split(",") if x]
    if not 1 <= args.runs <= 100 or not all(10 <= p <= 10000
                                            for p in pps_list):
        sys.exit("bench_failover: --runs 1..100, --pps 10..10000")
    conditions = (["quiet", "busy"] if args.both
                  else ["busy"] if args.linkwatch_busy else ["quiet"])
    modes = [m for m in args.modes.split(",") if m]

    def log(msg):
        print(msg, flush=True)

    results = run_all(modes, pps_list, conditions, args.runs, log)
    report(results, log)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"|".join(map(str, k)): v for k, v in results.items()},
                      f, indent=1)
    failed = any("error" in s or s["resumed"] < s["runs"]
                 for s in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
