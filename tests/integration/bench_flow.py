#!/usr/bin/python3
"""FLOW table benchmark (issue 7).  Figures are ratios against a baseline
measured in the same run, on the same bridge.

    LIF_BUILDDIR=$PWD/_build /usr/bin/python3 tests/integration/bench_flow.py
        [--flows 100000] [--policies 1000] [--runs 3]

  1. Throughput of one bulk TCP flow (iperf3, 5 s) from the host through
     the LIF to the wlan access router, three ways: (a) nothing else on
     the bridge; (b) the lte access router sends UDP to the host at a fixed
     rate (--rate), all of it one flow: one reflective flow; (c) the same
     sender at the same rate cycles over --flows flows, each refreshed well
     within its idle timeout: --flows concurrent reflective flows.  The
     figure is (c)/(b): the cost of the FLOW entries themselves, the
     sender's own load being in both (target >= 0.9); (c)/(a) is printed
     too.
  2. With those flows: lif-controller CPU and RSS over 10 s (its export
     dumps them), the time of one export dump, ovs-vswitchd RSS.
  3. --policies flow routing policies added in one transaction: time until
     installed (lif-ctl --wait), groups and flows installed; then a
     recompute that changes nothing: time, and bundles sent (must be 0).
  4. Move latency: the host sends a UDP flow at 1000 pps (fixed rate); the
     flow's packets arrive alternately through lte and wlan; how many host
     packets still left through the old access after the first packet
     arrived through the new one (and for how long).

Runs as root; everything is torn down by pid and namespace name.
"""

import argparse
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flow_helpers as fh  # noqa: E402
import netns  # noqa: E402
from netns import AR_ADDR6, BRIDGE  # noqa: E402
from rfc7847_helpers import Capture  # noqa: E402

# paced UDP from the lte access router for SECS seconds at RATE datagrams
# per second, cycling over NFLOWS flows: destination ports 10000..59999 and
# one source socket per 50000 flows.
FLOWS_SENDER = r"""
import socket, sys, time
dst, nflows, rate, secs = (sys.argv[1], int(sys.argv[2]), float(sys.argv[3]),
                           float(sys.argv[4]))
socks = []
for k in range((nflows + 49999) // 50000):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("2001:db8:1::1", 20000 + k))
    socks.append(s)
t0 = time.monotonic()
for i in range(int(rate * secs)):
    f = i % nflows
    socks[f // 50000].sendto(b"x", (dst, 10000 + f % 50000))
    if i % 100 == 0:
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
"""

# fixed-rate UDP from the host: DST PORT SPORT RATE SECONDS.
HOST_STREAM = r"""
import socket, sys, time
dst, port, sport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rate, secs = float(sys.argv[4]), float(sys.argv[5])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", sport))
t0 = time.monotonic()
n = int(rate * secs)
for i in range(n):
    delay = t0 + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    s.sendto(b"stream %d" % i, (dst, port))
"""


def iperf(t, secs=5):
    server = t.popen("wlan", "timeout", str(secs + 20), "iperf3", "-s",
                     "-1", "-B", AR_ADDR6)
    time.sleep(0.5)
    out = t.host("iperf3", "-c", AR_ADDR6, "-t", str(secs), "-J",
                 timeout=secs + 30).stdout
    server.wait(timeout=30)
    import json
    return json.loads(out)["end"]["sum_received"]["bits_per_second"] / 1e9


def pid_of(t, name):
    with open(os.path.join(t.rundir, name + ".pid")) as f:
        return int(f.read())


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
    return int(m.group(1)) / 1024


def n_flows(t, table):
    out = t.ofctl("dump-aggregate", BRIDGE, "table=%d" % table).stdout
    return int(re.search(r"flow_count=(\d+)", out).group(1))


def status_field(t, pattern):
    out = t.appctl("lif-controller", "connection-status").stdout
    m = re.search(pattern, out)
    return int(m.group(1)) if m else None


def throughput(t, runs):
    return statistics.median(iperf(t) for _ in range(runs))


def ct_zone(t):
    """The LIF's conntrack zone, from the flows of table 20."""
    out = t.ofctl("dump-flows", BRIDGE, "table=20").stdout
    return int(re.search(r",ipv6 actions=ct\(.*zone=(\d+)", out).group(1))


def n_reflective(t, zone):
    """Conntrack entries in the LIF's zone: its reflective flows."""
    out = t.appctl("ovs-vswitchd", "dpctl/ct-stats-show",
                   "zone=%d" % zone).stdout
    m = re.search(r"Total: (\d+)", out)
    return int(m.group(1)) if m else 0


def start_sender(t, addr, nflows, rate, secs):
    return t.popen("lte", fh.PY, "-c", FLOWS_SENDER, addr, str(nflows),
                   str(rate), str(secs))


def stream_seq(p):
    """The sequence number of a HOST_STREAM datagram."""
    payload = bytes(p["UDP"].payload)
    return int(payload.split()[1]) if payload.startswith(b"stream ") else -1


def move_latency(t, addr, runs):
    """Host packets through the old access after the flow moved.

    The host's packets are numbered.  A capture on the LIF, in the host's
    namespace, gives the moment the network's first packet through the new
    access reached the host, and so the last host packet sent before it;
    the old access router's capture says which later ones still went its
    way.  (Comparing capture times across namespaces instead would count
    packets that were already on their way.)"""
    results = []
    stream = t.popen("host", fh.PY, "-c",
                     HOST_STREAM, AR_ADDR6, "6000", "6001", "1000",
                     str(3 * runs + 5))
    time.sleep(0.5)
    old = "wlan"
    for i in range(runs + 1):
        new = "lte" if old == "wlan" else "wlan"
        caps = {a: Capture(t, a, "ar", bpf="udp and port 6001")
                for a in ("wlan", "lte")}
        host_cap = Capture(t, "host", netns.LIF, bpf="udp and port 6001")
        time.sleep(0.3)
        fh.peer(t, new, AR_ADDR6, 6000, addr, 6001, 1, gap=0.01)
        time.sleep(1.5)
        pkts = {a: c.stop(linger=0.2) for a, c in caps.items()}
        at_host = host_cap.stop(linger=0.2)
        trigger = [p.time for p in at_host if p.sport == 6000]
        if i and trigger:
            t0 = trigger[0]
            before = [stream_seq(p) for p in at_host
                      if p.sport == 6001 and p.time < t0]
            last = max(before) if before else -1
            late = [p for p in pkts[old]
                    if p.sport == 6001 and stream_seq(p) > last]
            results.append((len(late),
                            max(stream_seq(p) for p in late) - last
                            if late else 0))
        old = new
    stream.kill()
    return results


def report_moves(t, addr, runs):
    res = move_latency(t, addr, runs)
    print("move latency over %d moves at 1000 pps: host packets sent "
          "after the network's first packet through the new access "
          "reached the host that still left through the old one: %s "
          "(median %s); the last of them the Nth sent after it: %s"
          % (len(res), [n for n, _ in res],
             statistics.median(n for n, _ in res) if res else None,
             [k for _, k in res]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flows", type=int, default=100000)
    ap.add_argument("--rate", type=float, default=10000)
    ap.add_argument("--policies", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only-moves", action="store_true",
                    help="measure the move latency only")
    args = ap.parse_args()

    t = netns.Topology(tag="liftest-bench-%d" % os.getpid())
    t.start()
    try:
        addr = t.wait_slaac(timeout=20, solicit=True)
        t.ping(AR_ADDR6, count=3, interval=0.2)
        ctl, vsd = pid_of(t, "lif-controller"), pid_of(t, "ovs-vswitchd")
        zone = ct_zone(t)
        if args.only_moves:
            report_moves(t, addr, args.runs * 2)
            return
        # Every flow is refreshed every flows/rate seconds: well within
        # conntrack's shortest UDP timeout (30 s) and the idle timeout.
        cycle = args.flows / args.rate
        if cycle > 20:
            sys.exit("--flows / --rate = %.0f s: too long a cycle to keep "
                     "the flows alive" % cycle)

        # 1. Throughput: (a) nothing else; (b) one flow at --rate.
        base = throughput(t, args.runs)
        busy_s = 3 * args.runs * 8 + 30
        sender = start_sender(t, addr, 1, args.rate, busy_s)
        time.sleep(2)
        one = n_reflective(t, zone)
        base_one = throughput(t, args.runs)
        sender.kill()
        sender.wait()
        print("TCP throughput: %.2f Gbit/s alone; %.2f Gbit/s with one "
              "reflective flow of %.0f packets/s (%d conntrack entries in "
              "the zone)" % (base, base_one, args.rate, one))

        # 2. --flows concurrent flows at the same rate.
        vsd_rss0 = rss_mib(vsd)
        ctl_rss0 = rss_mib(ctl)
        sender = start_sender(t, addr, args.flows, args.rate,
                              cycle + busy_s + 60)
        time.sleep(cycle + 2)
        learned = n_reflective(t, zone)
        print("%d reflective flows (conntrack entries in the LIF's zone) "
              "after one cycle of %d flows at %.0f packets/s"
              % (learned, args.flows, args.rate))
        with_flows = throughput(t, args.runs)
        print("TCP throughput with %d FLOW entries: %.2f Gbit/s, ratio %.2f "
              "against one flow at the same rate (target >= 0.9), %.2f "
              "against nothing else" % (learned, with_flows,
                                        with_flows / base_one,
                                        with_flows / base))

        c0 = cpu_seconds(ctl)
        time.sleep(10)
        c1 = cpu_seconds(ctl)
        dump_ms = status_field(t, r"last dump (\d+) ms")
        ct_dump_ms = status_field(t, r"conntrack: .*last dump (\d+) ms")
        exported = len(fh.flow_rows(t))
        print("lif-controller: %.1f %% CPU over 10 s, RSS %.1f MiB (%.1f "
              "before the flows; target < 64); one export dump: %s ms of "
              "OpenFlow statistics, %s ms of conntrack entries; %d rows "
              "exported" % ((c1 - c0) * 10, rss_mib(ctl), ctl_rss0,
                            dump_ms, ct_dump_ms, exported))
        print("ovs-vswitchd RSS %.1f MiB with the flows, %.1f MiB before "
              "(+%.1f); %d flows still in the zone"
              % (rss_mib(vsd), vsd_rss0, rss_mib(vsd) - vsd_rss0,
                 n_reflective(t, zone)))
        sender.kill()
        sender.wait()

        # 3. Policies.
        bundles0 = status_field(t, r"(\d+) bundles")
        cmds = []
        for i in range(args.policies):
            cmds += ["--", "policy-add", "lif0", "p%d" % i, str(1 + i),
                     "udp6,tp_dst=%d" % (30000 + i), "lte0,wlan0"]
        t0 = time.monotonic()
        fh.lif_ctl(t, "--wait", *cmds[1:])
        add_s = time.monotonic() - t0
        bundles1 = status_field(t, r"(\d+) bundles")
        groups = t.ofctl("dump-groups", BRIDGE).stdout.count("group_id=")
        print("%d policies in one transaction: installed in %.2f s "
              "(%d bundles), %d flows in table 53, %d groups"
              % (args.policies, add_s, bundles1 - bundles0, n_flows(t, 53),
                 groups))
        t0 = time.monotonic()
        t.appctl("lif-controller", "recompute")
        fh.lif_ctl(t, "--wait", "sync")
        rec_s = time.monotonic() - t0
        bundles2 = status_field(t, r"(\d+) bundles")
        print("recompute with %d policies that changes nothing: %.2f s "
              "(including lif-ctl --wait), %d bundles sent"
              % (args.policies, rec_s, bundles2 - bundles1))

        c0 = cpu_seconds(ctl)
        time.sleep(10)
        c1 = cpu_seconds(ctl)
        print("lif-controller with %d policies and the export running: "
              "%.1f %% CPU over 10 s, RSS %.1f MiB"
              % (args.policies, (c1 - c0) * 10, rss_mib(ctl)))

        # 4. Move latency.
        report_moves(t, addr, args.runs * 2)
    finally:
        t.stop()


if __name__ == "__main__":
    main()
