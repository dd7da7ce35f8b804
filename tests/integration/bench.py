#!/usr/bin/python3
"""make bench: ovs-lif's figures, side by side with baselines, in one run.

    /usr/bin/python3 tests/integration/bench.py [--runs 7] [--out DIR]
        [--quick] [--skip failover,throughput,latency,scale]

1. Failover and failback under a fixed-rate UDP load (udp-rate) at 100 and
   1000 pps, quiet and with the kernel's linkwatch busy, for lif-controller,
   OVS's active-backup bond and a plain fast-failover group
   (bench_failover.py): packets lost and outage per run, medians.
2. TCP throughput (iperf3, 3 s) host->access and access->host, and
   ovs-vswitchd's packet-socket drops, for lif-controller, the bond and a
   NORMAL bridge; ratios against the NORMAL bridge.
3. Ping latency (200 pings, 10 ms apart: a latency probe, not a load)
   through the same three pipelines.
4. lif-controller's CPU (idle, over 10 s), memory and recompute time with
   2, 16 and 64 sub-interfaces, with the 1 ms carrier poll and with the
   former 10 ms one.

Prints everything, writes results.txt and results.json to DIR (default
./bench-results) and plots (PNG, gnuplot) next to them.  Runs as root,
in namespaces it creates.  --runs 7 takes about 12 minutes; --quick (3
runs, 1000 pps only, fewer scale points) about 5.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_failover  # noqa: E402
import netns  # noqa: E402
from netns import AR_DISTINCT  # noqa: E402

PIPELINES = ("controller", "bond", "normal")


def log(msg):
    print(msg, flush=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------- throughput

def iperf(t, reverse):
    """One 3 s iperf3 TCP run between the host and the wlan access router
    (server there).  Returns Gbit/s."""
    args = ["iperf3", "-6", "-c", AR_DISTINCT["wlan"], "-t", "3", "-J",
            "--connect-timeout", "3000"]
    if reverse:
        args.append("-R")
    for attempt in range(5):
        # The server takes a moment to accept the next test.
        time.sleep(0.5)
        p = t.host(*args, timeout=30, check=False)
        if "busy" not in p.stdout:
            break
    if p.returncode:
        raise RuntimeError("iperf3 failed: %s %s" % (p.stdout[-500:],
                                                      p.stderr))
    j = json.loads(p.stdout)
    if "error" in j or "sum_received" not in j.get("end", {}):
        raise RuntimeError("iperf3: %s" % j.get("error", p.stdout[-300:]))
    return j["end"]["sum_received"]["bits_per_second"] / 1e9


def socket_drops(t):
    return sum(s["drops"] for s in t.packet_sockets()
               if s["iface"] in ("wlan0", "lte0"))


def ping_rtts(t, dst, count=200):
    p = t.host("ping", "-6", "-n", "-c", str(count), "-i", "0.01", "-W",
               "1", dst, timeout=count * 0.01 + 20, check=False)
    return [float(x) for x in re.findall(r"time=([\d.]+) ms", p.stdout)]


def bench_pipelines(runs, do_tput, do_lat):
    res = {}
    for mode in PIPELINES:
        log("== %s: throughput and latency" % mode)
        t = netns.Topology(mode=mode, tag="lifbench-%d" % os.getpid(),
                           log=log)
        srv = None
        try:
            t.start()
            t.wait_slaac(timeout=20, solicit=True)
            netns.wait_until(lambda: t.ping(AR_DISTINCT["wlan"], count=3,
                                            interval=0.1).received >= 2,
                             20, what="wlan router reachable")
            r = {}
            if do_tput:
                srv = t.popen("wlan", "iperf3", "-s", "-6")
                time.sleep(0.5)
                d0 = socket_drops(t)
                r["tput_h2a"] = [iperf(t, False) for _ in range(runs)]
                r["tput_a2h"] = [iperf(t, True) for _ in range(runs)]
                r["socket_drops"] = socket_drops(t) - d0
                r["rcvbuf"] = [s["rcvbuf"] for s in t.packet_sockets()
                               if s["iface"] in ("wlan0", "lte0")]
            if do_lat:
                r["rtt_ms"] = ping_rtts(t, AR_DISTINCT["wlan"])
            res[mode] = r
            log("  %s" % {k: (v if not isinstance(v, list) or len(v) < 10
                              else "median %.3f" % median(v))
                          for k, v in r.items()})
        except (RuntimeError, TimeoutError) as e:
            log("  %s failed: %s" % (mode, e))
            res[mode] = {"error": str(e)}
        finally:
            if srv:
                srv.terminate()
            t.stop()
    return res


# --------------------------------------------------------------------- scale

def proc_cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def proc_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main_thread_cpu_ns(pid):
    with open("/proc/%d/task/%d/schedstat" % (pid, pid)) as f:
        return int(f.read().split()[0])


def recompute_ms(t, pid, n=20):
    """CPU time of lif-controller's main thread per forced recompute: n
    "recompute" commands, each followed by a second command (whose reply
    comes after the loop iteration that recomputed), minus the same with
    two plain commands (/proc/PID/task/PID/schedstat, nanoseconds)."""
    def cost(first):
        c0 = main_thread_cpu_ns(pid)
        for _ in range(n):
            t.appctl("lif-controller", first)
            t.appctl("lif-controller", "version")
        return main_thread_cpu_ns(pid) - c0
    return max(0.0, (cost("recompute") - cost("version")) / n / 1e6)


def bench_scale(points, poll_ms_list, seconds=10):
    res = {}
    hz = os.sysconf("SC_CLK_TCK")
    for poll_ms in poll_ms_list:
        log("== scale, carrier poll every %g ms" % poll_ms)
        t = netns.Topology(mode="controller",
                           tag="lifbench-%d" % os.getpid(), log=log,
                           controller_args=["--carrier-poll-interval=%g"
                                            % poll_ms])
        try:
            t.start()
            n_now = 2
            for n in points:
                if n > n_now:
                    t.add_subifs(n - n_now)
                    n_now = n
                netns.wait_until(
                    lambda: t.appctl("lif-controller", "lif/show")
                    .stdout.count("priority") >= n, 60,
                    what="%d sub-interfaces in lif/show" % n)
                time.sleep(2)
                pid = int(open(os.path.join(t.rundir,
                                            "lif-controller.pid")).read())
                c0 = proc_cpu_ticks(pid)
                time.sleep(seconds)
                cpu = (proc_cpu_ticks(pid) - c0) * 100.0 / hz / seconds
                r = {"cpu_pct": round(cpu, 2), "rss_kb": proc_rss_kb(pid),
                     "recompute_ms": round(recompute_ms(t, pid), 3)}
                res["%g|%d" % (poll_ms, n)] = r
                log("  %d sub-interfaces: %s" % (n, r))
        except (RuntimeError, TimeoutError) as e:
            log("  scale failed: %s" % e)
            res["%g|error" % poll_ms] = {"error": str(e)}
        finally:
            t.stop()
    return res


# ----------------------------------------------------------------- reporting

def write_results(out, results):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    lines = []
    fo = results.get("failover", {})
    if fo:
        lines.append("Failover/failback under a fixed-rate UDP load "
                     "(udp-rate), packets lost per run and median; "
                     "outage = longest gap x period")
        lines.append("%-10s %-5s %5s %-8s %-28s %6s %10s %7s" % (
            "mode", "cond", "pps", "event", "lost per run", "median",
            "outage_ms", "resumed"))
        for key in sorted(fo):
            s = fo[key]
            mode, cond, pps, what = key.split("|")
            if "error" in s:
                lines.append("%-10s FAILED: %s" % (mode, s["error"]))
                continue
            lines.append("%-10s %-5s %5s %-8s %-28s %6g %10s %4d/%d" % (
                mode, cond, pps, what, ",".join(map(str, s["lost"])),
                s["median_lost"], ",".join("%g" % x for x in s["outage_ms"]),
                s["resumed"], s["runs"]))
        for key in sorted(fo):
            mode, cond, pps, what = key.split("|")
            bond = fo.get("|".join(("bond", cond, pps, what)))
            s = fo[key]
            if mode == "controller" and bond and "error" not in s \
                    and "error" not in bond:
                lines.append("  %s %s %s pps: lif-controller median %g lost, "
                             "bond %g (difference %+g)" % (
                                 what, cond, pps, s["median_lost"],
                                 bond["median_lost"],
                                 s["median_lost"] - bond["median_lost"]))
        lines.append("runs discarded because the sender fell behind: %d"
                     % results.get("discarded", 0))
        lines.append("")
    pl = results.get("pipelines", {})
    base = pl.get("normal", {})
    if pl:
        lines.append("TCP throughput (Gbit/s, iperf3 3 s, wlan), every run, "
                     "median and ratio to the NORMAL bridge; packet-socket "
                     "drops; ping RTT median (ms) and ratio")
        for mode in PIPELINES:
            r = pl.get(mode, {})
            if "error" in r:
                lines.append("%-10s FAILED: %s" % (mode, r["error"]))
                continue
            parts = [mode]
            for k in ("tput_h2a", "tput_a2h"):
                if k in r:
                    m = median(r[k])
                    bm = median(base.get(k, [])) if base.get(k) else None
                    parts.append("%s %s median %.2f%s" % (
                        "host->access" if k == "tput_h2a" else "access->host",
                        ",".join("%.2f" % x for x in r[k]), m,
                        " (x%.2f)" % (m / bm) if bm else ""))
            if "tput_h2a" in r:
                parts.append("access->host / host->access %.2f" % (
                    median(r["tput_a2h"]) / median(r["tput_h2a"])))
                parts.append("socket drops %d, rcvbuf %s" % (
                    r["socket_drops"], r["rcvbuf"]))
            if r.get("rtt_ms"):
                m = median(r["rtt_ms"])
                bm = median(base["rtt_ms"]) if base.get("rtt_ms") else None
                parts.append("rtt median %.3f%s" % (
                    m, " (x%.2f)" % (m / bm) if bm else ""))
            lines.append("; ".join(parts))
        lines.append("")
    sc = results.get("scale", {})
    if sc:
        lines.append("lif-controller idle CPU %, RSS and recompute time "
                     "by number of sub-interfaces and carrier poll interval")
        for key in sorted(sc, key=lambda k: (k.split("|")[0],
                                             int(k.split("|")[1])
                                             if k.split("|")[1].isdigit()
                                             else 0)):
            poll, n = key.split("|")
            r = sc[key]
            if "error" in r:
                lines.append("poll %s ms: FAILED: %s" % (poll, r["error"]))
                continue
            lines.append("poll %4s ms, %3s sub-interfaces: CPU %5.2f %%, "
                         "RSS %6d kB, recompute %.3f ms (CPU)" % (
                             poll, n, r["cpu_pct"], r["rss_kb"],
                             r["recompute_ms"]))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "results.txt"), "w") as f:
        f.write(text)
    return text


def gnuplot(script):
    p = subprocess.run(["gnuplot"], input=script, text=True,
                       capture_output=True, timeout=60)
    if p.returncode:
        log("gnuplot failed: %s" % p.stderr)


def plot(out, results):
    fo = results.get("failover", {})
    if fo:
        # Side by side: for each event, condition and rate, the three
        # pipelines next to each other; every run a point, the median a
        # square.
        data = os.path.join(out, "failover.dat")
        labels = []
        order = sorted((k for k in fo if "error" not in fo[k]),
                       key=lambda k: (k.split("|")[3] != "failover",
                                      k.split("|")[1], int(k.split("|")[2]),
                                      k.split("|")[0]))
        with open(data, "w") as f:
            x = 0
            prev = None
            for key in order:
                mode, cond, pps, what = key.split("|")
                group = (what, cond, pps)
                x += 2 if prev and group != prev else 1
                prev = group
                labels.append('"%s: %s %s %s pps" %d'
                              % (mode, what, cond, pps, x))
                for v in fo[key]["lost"]:
                    f.write("%d %d %g\n" % (x, v, fo[key]["median_lost"]))
        gnuplot("""set terminal pngcairo size 1500,800 font ",9"
set output "%s"
set title "Packets lost per failover and failback at 100 and 1000 pps (udp-rate), every run (dots) and median (squares); quiet and linkwatch busy"
set ylabel "packets lost + 1 (log scale)"
set logscale y
set yrange [0.8:2000]
set xrange [0:%d]
set bmargin 16
set xtics rotate by -70 (%s)
set grid ytics
set key top left
plot "%s" using 1:($2+1) with points pt 7 ps 1 title "lost+1, one run", \\
     "%s" using 1:($3+1) with points pt 4 ps 2.5 lw 2 lc rgb "red" title "median+1"
""" % (os.path.join(out, "failover.png"), x + 1, ", ".join(labels), data,
       data))
    pl = results.get("pipelines", {})
    if pl:
        data = os.path.join(out, "pipelines.dat")
        with open(data, "w") as f:
            for i, mode in enumerate(PIPELINES):
                r = pl.get(mode, {})
                if "tput_h2a" not in r:
                    continue
                f.write("%d %s %.3f %.3f %.3f\n" % (
                    i, mode, median(r["tput_h2a"]), median(r["tput_a2h"]),
                    median(r["rtt_ms"]) if r.get("rtt_ms") else 0))
        gnuplot("""set terminal pngcairo size 1000,500 font ",10"
set output "%s"
set multiplot layout 1,2
set style data histograms
set style fill solid 0.6 border -1
set title "TCP throughput (median, Gbit/s)"
set yrange [0:*]
plot "%s" using 3:xtic(2) title "host->access", "" using 4 title "access->host"
set title "ping RTT (median, ms)"
plot "%s" using 5:xtic(2) title "RTT" lc rgb "dark-green"
unset multiplot
""" % (os.path.join(out, "pipelines.png"), data, data))
    sc = results.get("scale", {})
    if sc:
        data = os.path.join(out, "scale.dat")
        polls = sorted({k.split("|")[0] for k in sc})
        with open(data, "w") as f:
            for poll in polls:
                for key in sorted((k for k in sc if k.startswith(poll + "|")
                                   and "error" not in sc[k]),
                                  key=lambda k: int(k.split("|")[1])):
                    r = sc[key]
                    f.write("%s %.2f %d %.2f\n" % (key.split("|")[1],
                                                   r["cpu_pct"],
                                                   r["rss_kb"],
                                                   r["recompute_ms"]))
                f.write("\n\n")
        plots = []
        for what, col in (("CPU % (idle)", 2), ("RSS kB", 3),
                          ("CPU ms per forced recompute", 4)):
            plots.append('set title "%s"\nplot %s' % (
                what, ", ".join('"%s" index %d using 1:%d with linespoints '
                                'title "poll %s ms"' % (data, i, col, poll)
                                for i, poll in enumerate(polls))))
        gnuplot("""set terminal pngcairo size 1400,450 font ",10"
set output "%s"
set multiplot layout 1,3 title "lif-controller, idle, by number of sub-interfaces"
set xlabel "sub-interfaces"
set yrange [0:*]
set key bottom right
%s
unset multiplot
""" % (os.path.join(out, "scale.png"), "\n".join(plots)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out", default="bench-results")
    ap.add_argument("--quick", action="store_true",
                    help="3 runs, 1000 pps only, fewer scale points")
    ap.add_argument("--skip", default="",
                    help="comma-separated parts to skip: failover,"
                    "throughput,latency,scale")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: must run as root")
    if not 1 <= args.runs <= 50:
        sys.exit("bench: --runs 1..50")
    skip = set(x for x in args.skip.split(",") if x)
    runs = 3 if args.quick else args.runs
    pps = [1000] if args.quick else [100, 1000]
    points = [2, 64] if args.quick else [2, 16, 64]

    t0 = time.monotonic()
    results = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "runs": runs, "kernel": os.uname().release}
    if "failover" not in skip:
        fo = bench_failover.run_all(["controller", "bond", "ffgroup"], pps,
                                    ["quiet", "busy"], runs, log)
        results["failover"] = {"|".join(map(str, k)): v
                               for k, v in fo.items()}
        results["discarded"] = bench_failover.DISCARDED[0]
    if not {"throughput", "latency"} <= skip:
        results["pipelines"] = bench_pipelines(
            min(runs, 3), "throughput" not in skip, "latency" not in skip)
    if "scale" not in skip:
        results["scale"] = bench_scale(points, [1, 10])
    results["seconds"] = round(time.monotonic() - t0)

    text = write_results(args.out, results)
    plot(args.out, results)
    log("")
    log(text)
    log("results and plots in %s (%d s)" % (os.path.abspath(args.out),
                                            results["seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
