"""Helpers for the FLOW table integration tests (test_flow.py): small UDP
and TCP programs run inside the topology's namespaces with /usr/bin/python3,
every one bounded in time and count."""

import json
import select
import subprocess

PY = "/usr/bin/python3"

# listen PORT SECONDS: prints "ready", then for SECONDS seconds collects the
# source ports of the UDP datagrams to PORT and prints them as JSON.
UDP_LISTEN = r"""
import json, socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
ports = []
while time.monotonic() < end:
    s.settimeout(max(0.01, end - time.monotonic()))
    try:
        _, addr = s.recvfrom(2048)
        ports.append(addr[1])
    except socket.timeout:
        pass
print(json.dumps(ports), flush=True)
"""

# send DST PORT SPORT... : one datagram from each source port SPORT.
UDP_SEND = r"""
import socket, sys, time
dst, port = sys.argv[1], int(sys.argv[2])
for sport in sys.argv[3:]:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", int(sport)))
    s.sendto(b"flow-test", (dst, port))
    s.close()
    time.sleep(0.002)
"""

# echo PORT SECONDS: answers every datagram to PORT for SECONDS seconds.
UDP_ECHO = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    s.settimeout(max(0.01, end - time.monotonic()))
    try:
        data, addr = s.recvfrom(2048)
        s.sendto(data, addr)
    except socket.timeout:
        pass
"""

# peer SRC SPORT DST DPORT COUNT GAP: sends COUNT datagrams from SRC:SPORT,
# GAP seconds apart, and prints how many answers came back (waiting up to
# a second after the last one).
UDP_PEER = r"""
import socket, sys, time
src, sport, dst, dport = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4])
count, gap = int(sys.argv[5]), float(sys.argv[6])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((src, sport))
got = 0
for i in range(count):
    s.sendto(b"peer %d" % i, (dst, dport))
    end = time.monotonic() + gap
    while time.monotonic() < end:
        s.settimeout(max(0.001, end - time.monotonic()))
        try:
            s.recv(2048)
            got += 1
        except socket.timeout:
            pass
end = time.monotonic() + 1.0
while time.monotonic() < end:
    s.settimeout(max(0.001, end - time.monotonic()))
    try:
        s.recv(2048)
        got += 1
    except socket.timeout:
        pass
print(got)
"""

# tcp_server PORT SECONDS: accepts one connection and prints the number of
# bytes it received when the peer closes (or SECONDS pass).
TCP_SERVER = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[1])))
s.listen(1)
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[2])
s.settimeout(float(sys.argv[2]))
c, _ = s.accept()
n = 0
while time.monotonic() < end:
    c.settimeout(max(0.01, end - time.monotonic()))
    try:
        d = c.recv(65536)
    except (socket.timeout, ConnectionError):
        break
    if not d:
        break
    n += len(d)
print(n, flush=True)
"""

# tcp_client DST PORT: connects, prints its local port, then sends one
# 100-byte chunk per "send" line it reads on stdin (printing "sent", or
# "reset" and stopping if the connection was reset), and closes on
# anything else or end of input.
TCP_CLIENT = r"""
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
print(c.getsockname()[1], flush=True)
for line in sys.stdin:
    if line.strip() != "send":
        break
    try:
        c.sendall(b"x" * 100)
        print("sent", flush=True)
    except OSError:
        print("reset", flush=True)
        break
c.close()
print("closed", flush=True)
"""


def readline(p, timeout=10):
    """Reads one line from p.stdout within timeout seconds, or raises."""
    ready, _, _ = select.select([p.stdout], [], [], timeout)
    if not ready:
        raise TimeoutError("no output from %s" % p.args)
    line = p.stdout.readline()
    if not line:
        raise RuntimeError("%s exited: %s" % (p.args, p.stderr.read()))
    return line.strip()


def start(topo, ns, script, *args):
    """Starts script in namespace ns; returns the Popen (stdin a pipe)."""
    return topo.popen(ns, PY, "-c", script, *[str(a) for a in args],
                      stdin=subprocess.PIPE)


def finish(p, timeout=30):
    out, err = p.communicate(timeout=timeout)
    if p.returncode:
        raise RuntimeError("%s failed: %s" % (p.args, err))
    return out


def listen_both(topo, port, seconds):
    """UDP listeners on both access routers; returns {access: Popen}."""
    ps = {}
    for access in ("wlan", "lte"):
        ps[access] = start(topo, access, UDP_LISTEN, port, seconds)
        assert readline(ps[access]) == "ready"
    return ps


def collect(ps, timeout=30):
    """Source ports each listener of listen_both() saw."""
    return {a: json.loads(finish(p, timeout).strip().splitlines()[-1])
            for a, p in ps.items()}


def host_send(topo, dst, port, sports):
    topo.host(PY, "-c", UDP_SEND, dst, str(port), *[str(s) for s in sports],
              timeout=60)


def peer(topo, access, src, sport, dst, dport, count, gap=0.2):
    """Runs UDP_PEER in access; returns the number of answers it got."""
    out = topo.run(access, PY, "-c", UDP_PEER, src, str(sport), dst,
                   str(dport), str(count), str(gap),
                   timeout=count * gap + 30).stdout
    return int(out.strip())


def lif_ctl(topo, *args, check=True):
    return topo.host("lif-ctl", "--timeout=20", *args, check=check)


def flow_rows(topo):
    """The Flow table as a list of dicts (lif-ctl flow-list, JSON)."""
    out = lif_ctl(topo, "--format=json", "flow-list").stdout
    t = json.loads(out)
    return [dict(zip(t["headings"], row)) for row in t["data"]]
