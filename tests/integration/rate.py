"""Fixed-rate UDP load for the integration tests and benchmarks.

Wraps udp-rate (tests/integration/udp-rate.c, built by "make"): a sender
that sends numbered datagrams at exactly N packets per second with
absolute-time scheduling, and receivers that record every datagram's
sender id, sequence number and send/receive times (CLOCK_MONOTONIC, the
same in every network namespace).  analyze() merges what the receivers got
(a stream may arrive through either access) and reports lost packets and
the outage: the longest run of missing sequence numbers times the period.

The sender checks itself: it exits with status 3 when it fell behind its
schedule by more than MAX_LATE_MS (it runs at a real-time priority, but on
a busy machine with a non-preemptible kernel a few milliseconds of delay
happen), and Sender.wait() raises then, so a figure is never computed from
a load that was not what it claims.  Every sender reports its largest
lateness (max_late_us), which the benchmarks record.
"""

import os
import signal
import subprocess
import time

import netns

MAX_LATE_MS = 10


def tool_path(builddir=None):
    builddir = builddir or os.environ.get("LIF_BUILDDIR",
                                          "/work/main/_build")
    path = os.path.join(builddir, "tests", "integration", "udp-rate")
    if not os.access(path, os.X_OK):
        raise RuntimeError("%s not found: run make first" % path)
    return path


class Receiver:
    """udp-rate recv in namespace 'ns' of topology 't', on 'port'."""

    def __init__(self, t, ns, port, seconds=600):
        self.t = t
        self.ns = ns
        self.path = os.path.join(t.rundir, "recv-%s-%d-%d.txt"
                                 % (ns, port, time.monotonic_ns()))
        self.out = open(self.path, "w")
        self.offset = 0
        self.p = t.popen(ns, tool_path(t.builddir), "recv", str(port),
                         str(seconds), stdout=self.out,
                         stderr=subprocess.PIPE)
        netns.wait_until(self._ready, 10, interval=0.02,
                         what="udp-rate receiver in %s" % ns)

    def _ready(self):
        if self.p.poll() is not None:
            raise RuntimeError("udp-rate recv in %s exited: %s"
                               % (self.ns, self.p.stderr.read()))
        with open(self.path) as f:
            return f.readline().startswith("ready")

    def collect(self):
        """Returns the records [(id, seq, sent_ns, recv_ns)] received since
        the last collect()."""
        recs = []
        with open(self.path) as f:
            f.seek(self.offset)
            while True:
                line = f.readline()
                if not line.endswith("\n"):
                    break           # incomplete: read it next time
                self.offset = f.tell()
                parts = line.split()
                if len(parts) == 4:
                    recs.append(tuple(int(x) for x in parts))
        return recs

    def stop(self):
        """Stops the receiver; returns the records not collected yet."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=5)
        self.out.close()
        recs = self.collect()
        os.unlink(self.path)
        return recs


class SenderBehind(RuntimeError):
    """The sender could not keep to its schedule (a busy machine)."""


class Sender:
    """udp-rate send from namespace 'ns' of topology 't'."""

    def __init__(self, t, ns, dst, port, pps, count, ident=0,
                 max_late_ms=MAX_LATE_MS):
        self.pps, self.count, self.ident = pps, count, ident
        self.start_ns = time.monotonic_ns()
        self.p = t.popen(ns, tool_path(t.builddir), "send", dst, str(port),
                         str(pps), str(count), str(ident),
                         str(int(max_late_ms * 1000)))

    def wait(self, timeout=None, strict=True):
        """Waits for the sender to finish; returns its summary as a dict.
        Raises RuntimeError if it failed, or with 'strict' if it fell
        behind its schedule (then raises SenderBehind)."""
        if timeout is None:
            timeout = self.count / self.pps + 30
        try:
            out, err = self.p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate(timeout=5)
            raise RuntimeError("udp-rate send did not finish in %d s"
                               % timeout)
        summary = dict(kv.split("=", 1) for kv in out.split())
        if self.p.returncode == 3 and strict:
            raise SenderBehind("udp-rate send fell behind its schedule "
                               "(the load was not %d pps): %s"
                               % (self.pps, out.strip()))
        if self.p.returncode not in (0, 3):
            raise RuntimeError("udp-rate send failed (rc=%d): %s %s"
                               % (self.p.returncode, out, err))
        return summary

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        return self.wait()


class Stream:
    """What analyze() found for one sender."""

    def __init__(self, count, pps, seqs, gaps, dups):
        self.count = count
        self.pps = pps
        self.received = len(seqs)
        self.lost = count - len(seqs)
        self.gaps = gaps            # [(first missing seq, run length)]
        self.dups = dups
        self.max_gap = max((n for _, n in gaps), default=0)

    @property
    def outage_ms(self):
        return self.max_gap * 1000.0 / self.pps

    def __repr__(self):
        return ("Stream(sent=%d received=%d lost=%d max_gap=%d "
                "outage=%.1f ms dups=%d)"
                % (self.count, self.received, self.lost, self.max_gap,
                   self.outage_ms, self.dups))


def analyze(records, count, pps, ident=0):
    """Merges receiver records (lists of (id, seq, sent_ns, recv_ns)) for
    sender 'ident' that sent 'count' packets at 'pps'.  Missing sequence
    numbers at the end of the stream count as a gap too."""
    seen = set()
    dups = 0
    for rid, seq, _, _ in records:
        if rid != ident or seq >= count:
            continue
        if seq in seen:
            dups += 1
        seen.add(seq)
    gaps = []
    run_start = None
    for seq in range(count):
        if seq in seen:
            if run_start is not None:
                gaps.append((run_start, seq - run_start))
                run_start = None
        elif run_start is None:
            run_start = seq
    if run_start is not None:
        gaps.append((run_start, count - run_start))
    return Stream(count, pps, seen, gaps, dups)


def arrivals(records, ident=0):
    """Sorted [(sent_ns, seq)] of one sender's received packets."""
    return sorted((sent, seq) for rid, seq, sent, _ in records
                  if rid == ident)
