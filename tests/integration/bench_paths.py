#!/usr/bin/python3
"""Benchmark for path awareness (issue: routers that differ per access).

Prints, side by side in one run:

  1. failover loss and outage with a fixed-rate UDP sender at 100 and 1000
     pps, routers of different MACs (same link-local address and prefix)
     against identical routers (PMIPv6): target no worse;
  2. time from an access's loss until the host no longer prefers that
     access's prefix (target <= 100 ms), and from its return until the prefix
     is preferred again (target: one round trip + 100 ms), with the round
     trip to that router measured in the same run;
  3. an RA flood of 10k/s from one access for a few seconds: lif-controller
     CPU and the host's traffic (100 pps ping: loss and median RTT) against
     the same without the flood.

Run as root from a build tree: /usr/bin/python3 bench_paths.py [--runs N]
Every figure is a median with every run's value; nothing is asserted.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import multihome  # noqa: E402
import netns  # noqa: E402
from netns import wait_until  # noqa: E402

PORT = 5600


def log(*args):
    print(*args, flush=True)


def med(values):
    return statistics.median(values) if values else float("nan")


def failover_run(t, pps, seconds=3.0, down_after=1.0):
    """One failover of wlan under a fixed-rate stream to 2001:db8:1::1,
    which both routers answer for.  Returns (lost, outage_ms)."""
    import rate     # The fixed-rate sender (tests/integration/rate.py).

    count = int(pps * seconds)
    recvs = [rate.Receiver(t, ns, PORT) for ns in ("wlan", "lte")]
    try:
        snd = rate.Sender(t, "host", "2001:db8:1::1", PORT, pps, count)
        time.sleep(down_after)
        t.far_end("wlan", False)
        snd.wait(timeout=seconds + 30)
        time.sleep(0.3)
        records = []
        for r in recvs:
            records += r.collect()
    finally:
        for r in recvs:
            r.stop()
    s = rate.analyze(records, count, pps)
    return s.lost, s.outage_ms


def bench_failover(runs, pps_list):
    results = {}
    for label, factory, kw in (
            ("identical routers (PMIPv6)", netns.Topology, {}),
            ("same address, different MACs", multihome.MultihomeTopology,
             {"same_ll": True})):
        for pps in pps_list:
            vals = []
            for i in range(runs):
                t = factory(tag="lifbp-%d" % os.getpid(), log=log, **kw)
                t.start()
                try:
                    wait_until(lambda: t.lif_addr_in("2001:db8:1:")
                               if hasattr(t, "lif_addr_in")
                               else t.lif_addr6(), 20, what="address")
                    r = t.ping("2001:db8:1::1", count=3, interval=0.1)
                    if not r.received:
                        raise RuntimeError("no reply before failover")
                    vals.append(failover_run(t, pps))
                finally:
                    t.stop()
            results[(label, pps)] = vals
            log("%-30s %5d pps: lost %s, outage ms %s" % (
                label, pps, [v[0] for v in vals],
                [round(v[1], 1) for v in vals]))
    return results


def monitor_start(t):
    return t.popen("host", "timeout", "60", "ip", "-ts", "-6", "monitor",
                   "address", "dev", netns.LIF)


def monitor_lines(p):
    p.terminate()
    out, _ = p.communicate(timeout=10)
    return out.splitlines()


def ts_of(line):
    """Wall-clock seconds of an "ip -ts monitor" line."""
    m = re.match(r"\[(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)\]", line)
    if not m:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    tm = time.struct_time((int(y), int(mo), int(d), int(h), int(mi), int(s),
                           0, 0, -1))
    return time.mktime(tm) + float("0." + frac)


def bench_prefix_times(runs):
    lost, back, rtts = [], [], []
    for i in range(runs):
        t = multihome.MultihomeTopology(tag="lifbp-%d" % os.getpid(),
                                        log=log)
        t.start()
        try:
            a1 = wait_until(lambda: t.lif_addr_in("2001:db8:1:"), 20,
                            what="wlan address")
            wait_until(lambda: t.lif_addr_in("2001:db8:2:"), 20,
                       what="lte address")
            r = t.ping("2001:db8:1::1", count=10, interval=0.05)
            rtt = re.search(r"= [\d.]+/([\d.]+)/", r.out)
            rtts.append(float(rtt.group(1)) if rtt else float("nan"))

            mon = monitor_start(t)
            time.sleep(0.3)
            t0 = time.time()
            t.far_end("wlan", False)
            wait_until(lambda: "deprecated" in t.lif_addrs6().get(a1, ()),
                       10, interval=0.01, what="deprecated")
            time.sleep(0.2)
            lines = monitor_lines(mon)
            hits = [ts_of(l) for l in lines if a1 in l and "deprecated" in l]
            lost.append((min(hits) - t0) * 1000 if hits else float("nan"))

            # Routers answer solicitations with a multicast RA at most
            # every 3 s (RFC 4861 MIN_DELAY_BETWEEN_RAS); radvd's last one
            # was at start-up.  Come back after that, as an access that was
            # out for a few seconds would.
            mon = monitor_start(t)
            time.sleep(3.5)
            t0 = time.time()
            t.far_end("wlan", True)
            wait_until(lambda: "deprecated" not in
                       t.lif_addrs6().get(a1, {"deprecated"}), 10,
                       interval=0.01, what="preferred")
            time.sleep(0.2)
            lines = monitor_lines(mon)
            hits = [ts_of(l) for l in lines
                    if a1 in l and "deprecated" not in l and "Deleted"
                    not in l]
            back.append((min(hits) - t0) * 1000 if hits else float("nan"))
        finally:
            t.stop()
    log("access lost -> prefix no longer preferred: median %.0f ms, runs %s"
        " (target <= 100 ms)" % (med(lost), [round(v) for v in lost]))
    log("access back -> prefix preferred again: median %.0f ms, runs %s; "
        "round trip to the router median %.2f ms (target: RTT + 100 ms; the "
        "access comes back 3.5 s after it went, since a router sends at most "
        "one multicast RA per 3 s, RFC 4861 MIN_DELAY_BETWEEN_RAS)"
        % (med(back), [round(v) for v in back], med(rtts)))
    return lost, back, rtts


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ra_frames(builddir, n):
    tool = os.path.join(builddir, "tests", "lif-test-ra")
    frames = []
    for i in range(n):
        hexs = subprocess.run(
            [tool, "compose-ra", "02:00:00:00:ee:%02x" % (i % 256),
             "fe80::ee", "60", "high", "0",
             "2001:db8:f:%x::/64,LA,600,600" % i],
            check=True, capture_output=True, text=True).stdout.strip()
        frames.append(bytes.fromhex(hexs))
    return frames


FLOOD_SCRIPT = r"""
import socket, sys, time
frames = [bytes.fromhex(h) for h in sys.stdin.read().split()]
pps, seconds = float(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("ar", 0))
start = time.monotonic()
n = 0
total = int(pps * seconds)
while n < total:
    due = start + n / pps
    now = time.monotonic()
    if now < due:
        time.sleep(min(due - now, 0.001))
        continue
    s.send(frames[n % len(frames)])
    n += 1
print("sent %d in %.2f s" % (n, time.monotonic() - start))
"""


def flood_run(t, flood, seconds=5.0):
    pid = t._pid_from(os.path.join(t.rundir, "lif-controller.pid"))
    ping = t.ping_start("2001:db8:1::1", count=int(seconds * 100),
                        interval=0.01)
    c0, w0 = cpu_seconds(pid), time.monotonic()
    sent = ""
    if flood:
        frames = " ".join(f.hex() for f in ra_frames(t.builddir, 200))
        p = t.run("wlan", "/usr/bin/python3", "-c", FLOOD_SCRIPT, "10000",
                  str(seconds), input=frames, timeout=seconds + 30)
        sent = p.stdout.strip()
    else:
        time.sleep(seconds)
    c1, w1 = cpu_seconds(pid), time.monotonic()
    res = t.ping_finish(ping)
    rtts = [float(x) for x in re.findall(r"time=([\d.]+) ms", res.out)]
    return {"cpu": (c1 - c0) / (w1 - w0) * 100, "lost": res.lost,
            "sent": res.transmitted, "rtt": med(rtts), "flood": sent}


def bench_flood(runs):
    out = {False: [], True: []}
    for i in range(runs):
        for flood in (False, True):
            t = netns.Topology(tag="lifbp-%d" % os.getpid(), log=log)
            t.start()
            try:
                t.wait_slaac(timeout=20)
                t.ping("2001:db8:1::1", count=3, interval=0.1)
                out[flood].append(flood_run(t, flood))
            finally:
                t.stop()
    for flood in (False, True):
        v = out[flood]
        log("%-22s controller CPU median %.1f %% %s; ping lost %s of %s; "
            "median RTT %.3f ms %s %s" % (
                "RA flood 10k/s:" if flood else "no flood:",
                med([x["cpu"] for x in v]), [round(x["cpu"], 1) for x in v],
                [x["lost"] for x in v], [x["sent"] for x in v],
                med([x["rtt"] for x in v]), [round(x["rtt"], 3) for x in v],
                [x["flood"] for x in v if x["flood"]]))
    base = med([x["rtt"] for x in out[False]])
    if base:
        log("RTT ratio flood/no flood: %.2f"
            % (med([x["rtt"] for x in out[True]]) / base))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pps", default="100,1000")
    ap.add_argument("--only", choices=("failover", "prefix", "flood"))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_paths.py needs root (network namespaces)")
    pps = [int(x) for x in args.pps.split(",")]
    if args.only in (None, "failover"):
        bench_failover(args.runs, pps)
    if args.only in (None, "prefix"):
        bench_prefix_times(args.runs)
    if args.only in (None, "flood"):
        bench_flood(args.runs)


if __name__ == "__main__":
    main()
