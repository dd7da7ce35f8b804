"""Helpers for test_rfc7847.py: packet capture on a wire, crafted frames,
an extra access network, and parsing of lif-ctl show.

Built on netns.Topology (used read-only).  Every wait is bounded; every
process is started by us and stopped by its Popen object; every namespace
created here is removed by ExtraAccess.stop().
"""

import os
import re
import signal
import subprocess
import tempfile
import time

from scapy.all import (ARP, Ether, ICMPv6NDOptDstLLAddr,  # noqa: F401
                       ICMPv6NDOptSrcLLAddr, IPv6, rdpcap)

import netns
from netns import AR_ADDR4, AR_ADDR6, AR_LL, AR_MAC, wait_until

# A tiny sender run inside a namespace: raw frames, given as hex, out of one
# interface (AF_PACKET), so scapy need not be imported there.
_SENDER = r"""
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
gap = float(sys.argv[2])
for h in sys.argv[3:]:
    s.send(bytes.fromhex(h))
    if gap:
        time.sleep(gap)
"""


def send_frames(topo, ns, iface, frames, gap=0.01):
    """Sends scapy frames (or bytes) out of iface in namespace ns (a
    topology namespace key such as "host" or "lte", or the full name of a
    namespace of our own), gap seconds apart."""
    hexes = [bytes(f).hex() for f in frames]
    argv = ["/usr/bin/python3", "-c", _SENDER, iface, str(gap)] + hexes
    run_in(topo, ns, *argv, timeout=20)


def run_in(topo, ns, *cmd, check=True, timeout=30):
    """Like topo.run(), but ns may also be the name of a namespace that is
    not the topology's (an ExtraAccess's)."""
    if ns in topo.ns:
        return topo.run(ns, *cmd, check=check, timeout=timeout)
    argv = ["ip", "netns", "exec", ns] + list(cmd)
    p = subprocess.run(argv, capture_output=True, text=True,
                       timeout=timeout, env=topo.env)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (rc=%d): %s\n%s%s"
                           % (p.returncode, " ".join(argv), p.stdout,
                              p.stderr))
    return p


def mac_of(topo, dev, ns="host"):
    return run_in(topo, ns, "cat", "/sys/class/net/%s/address"
                  % dev).stdout.strip()


def mtu_of(topo, dev, ns="host"):
    return int(run_in(topo, ns, "cat", "/sys/class/net/%s/mtu"
                      % dev).stdout.strip())


def vsctl_get(topo, *args):
    return topo.vsctl("get", *args).stdout.strip().strip('"')


def link_local(mac):
    """fe80:: modified EUI-64 address for mac."""
    b = bytes.fromhex(mac.replace(":", ""))
    e = bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:]
    return "fe80::%x:%x:%x:%x" % tuple(int.from_bytes(e[i:i + 2], "big")
                                       for i in range(0, 8, 2))


def solicited_node(addr6):
    """(ff02::1:ffXX:XXXX, 33:33:ff:XX:XX:XX) for an IPv6 address."""
    import ipaddress
    low = ipaddress.IPv6Address(addr6).packed[-3:]
    grp = str(ipaddress.IPv6Address("ff02::1:ff%02x:%02x%02x" % tuple(low)))
    mac = "33:33:ff:%02x:%02x:%02x" % tuple(low)
    return grp, mac


# ------------------------------------------------------------------ capture

class Capture:
    """tcpdump on one interface in one namespace, writing pcap to a file
    that we own (tcpdump's stdout, so its privilege drop does not matter).
    stop() returns the captured frames as scapy packets.  Captures that a
    failing test left running are stopped by stop_all_captures()."""

    running = []

    def __init__(self, topo, ns, iface, direction=None, bpf=None):
        self.topo = topo
        self.what = "%s:%s" % (ns, iface)
        fd, self.path = tempfile.mkstemp(prefix="lifcap.", suffix=".pcap")
        self.f = os.fdopen(fd, "wb")
        argv = ["timeout", "120", "tcpdump", "-i", iface, "-n", "-U",
                "--immediate-mode", "-s", "0", "-w", "-"]
        if direction:
            argv += ["-Q", direction]
        if bpf:
            argv += [bpf]
        nsname = topo.ns.get(ns, ns)
        self.p = subprocess.Popen(["ip", "netns", "exec", nsname] + argv,
                                  stdout=self.f, stderr=subprocess.PIPE,
                                  env=topo.env)
        err = netns.wait_tcpdump_armed(self.p)
        if "listening on" not in err:
            self._kill()
            os.unlink(self.path)
            raise RuntimeError("tcpdump on %s did not start: %s"
                               % (self.what, err))
        self.pkts = None
        Capture.running.append(self)

    def _kill(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=5)
        if self.p.stderr:
            self.p.stderr.close()
        self.f.close()

    def has_frames(self):
        """Whether tcpdump has written a frame yet (it writes each one at
        once: -U, --immediate-mode); for waiting on a frame's arrival."""
        return os.path.getsize(self.path) > 24     # the pcap file header

    def stop(self, linger=0.5):
        if self.pkts is not None:
            return self.pkts
        time.sleep(linger)          # let in-flight frames arrive
        self._kill()
        if self in Capture.running:
            Capture.running.remove(self)
        try:
            self.pkts = list(rdpcap(self.path)) \
                if os.path.getsize(self.path) > 0 else []
        finally:
            os.unlink(self.path)
        return self.pkts

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pkts is None:
            try:
                self.stop(linger=0)
            except Exception:
                pass


def stop_all_captures():
    for c in list(Capture.running):
        try:
            c.stop(linger=0)
        except Exception:
            pass
    Capture.running = []


def summarize(pkts, limit=30):
    lines = []
    for p in pkts[:limit]:
        try:
            lines.append("%s > %s %s" % (p[Ether].src, p[Ether].dst,
                                         p.summary()))
        except Exception:
            lines.append(repr(p)[:200])
    if len(pkts) > limit:
        lines.append("... %d more" % (len(pkts) - limit))
    return "\n".join(lines)


def icmp6_type(p):
    """ICMPv6 type of a frame, or None."""
    if IPv6 not in p:
        return None
    ip = p[IPv6]
    # Walk extension headers (hop-by-hop for MLD etc.).
    nh, pl = ip.nh, ip.payload
    for _ in range(4):
        if nh == 58:
            raw = bytes(pl)
            return raw[0] if raw else None
        if nh in (0, 43, 60):
            nh, pl = pl.nh, pl.payload
            continue
        return None
    return None


def mac_uses(p, mac):
    """Where mac appears in frame p: list of strings (eth.src, eth.dst,
    nd.sllao, nd.tllao, arp.sha, arp.tha, raw)."""
    mac = mac.lower()
    where = []
    if Ether in p:
        if p[Ether].src.lower() == mac:
            where.append("eth.src")
        if p[Ether].dst.lower() == mac:
            where.append("eth.dst")
    for layer in p.layers():
        if layer in (ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr):
            name = ("nd.sllao" if layer is ICMPv6NDOptSrcLLAddr
                    else "nd.tllao")
            i = 1
            while i < 8 and p.getlayer(layer, i) is not None:
                if p.getlayer(layer, i).lladdr.lower() == mac \
                        and name not in where:
                    where.append(name)
                i += 1
    if ARP in p:
        if p[ARP].hwsrc.lower() == mac:
            where.append("arp.sha")
        if p[ARP].hwdst.lower() == mac:
            where.append("arp.tha")
    if bytes.fromhex(mac.replace(":", "")) in bytes(p):
        where.append("raw")
    return where


# ------------------------------------------------------------ lif-controller

def controller_pid(topo):
    return topo._pid_from(os.path.join(topo.rundir, "lif-controller.pid"))


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return not f.read().split(") ")[-1].startswith("Z")
    except OSError:
        return False


def stop_controller(topo, *args):
    """`ovs-appctl -t lif-controller exit [args]`; waits until it is gone."""
    old = controller_pid(topo)
    topo.appctl("lif-controller", "exit", *args)
    if old:
        wait_until(lambda: not _alive(old), 10, interval=0.05,
                   what="lif-controller (pid %d) to exit" % old)


def connected(topo):
    out = topo.appctl("lif-controller", "connection-status",
                      check=False).stdout
    return bool(re.search(r"(?<!not )connected", out))


def start_controller(topo):
    """Starts lif-controller with netns.Topology's command line (its
    pidfile is in the run directory, so Topology.stop() kills it) and waits
    until it is connected to the bridge."""
    ctl = os.path.join(topo.builddir, "controller", "lif-controller")
    topo.host(ctl, "unix:%s/db.sock" % topo.rundir, "--pidfile",
              "--detach", "--no-chdir", "--log-file")
    wait_until(lambda: connected(topo), 15, interval=0.1,
               what="lif-controller to connect")
    return controller_pid(topo)


def restart_controller(topo, *args):
    stop_controller(topo, *args)
    return start_controller(topo)


# ------------------------------------------------------------- lif-ctl show

def lif_ctl_show(topo):
    """Parses `lif-ctl show` into {"lif": {...}, "subifs": {name: {...}}}."""
    out = topo.host("lif-ctl", "--timeout=10", "show").stdout
    res = {"lif": {}, "subifs": {}, "text": out}
    cur = res["lif"]
    for line in out.splitlines():
        m = re.match(r"\s*Sub_Interface (\S+)", line)
        if m:
            cur = res["subifs"].setdefault(m.group(1), {})
            continue
        m = re.match(r"\s*(\w[\w ]*?):\s*(.*)$", line)
        if m:
            cur[m.group(1)] = m.group(2).strip()
    return res


def parse_stats(text):
    """'rx 4 packets 620 bytes, tx 0 packets 0 bytes' -> dict of ints."""
    d = {}
    for direction, pk, by in re.findall(
            r"(rx|tx)\s+(\d+)\s+packets\s+(\d+)\s+bytes", text or ""):
        d[direction + "_packets"] = int(pk)
        d[direction + "_bytes"] = int(by)
    return d


# ---------------------------------------------------------- extra access

class ExtraAccess:
    """A third access network: namespace <tag>-<name> with an `ar` end that
    is a PMIPv6 MAG like the topology's (same MAC, link-local and shared
    addresses, plus `distinct`), and the host end `subif` in the host
    namespace, not yet attached to the bridge."""

    def __init__(self, topo, name, subif, distinct):
        self.topo = topo
        self.ns = "%s-%s" % (topo.tag, name)
        self.subif = subif
        self.distinct = distinct
        self.created = False

    def start(self):
        t = self.topo
        if os.path.exists("/run/netns/" + self.ns):
            raise RuntimeError("namespace %s already exists" % self.ns)
        subprocess.run(["ip", "netns", "add", self.ns], check=True,
                       timeout=10)
        self.created = True
        t.host("ip", "link", "add", self.subif, "type", "veth", "peer",
               "name", "ar", "netns", self.ns)
        t.host("sysctl", "-qw",
               "net.ipv6.conf.%s.disable_ipv6=1" % self.subif)
        t.host("ethtool", "-K", self.subif, "tx", "off", "tso", "off", "gso",
               "off", check=False)
        t.host("ip", "link", "set", self.subif, "up")
        r = self.run
        r("ip", "link", "set", "lo", "up")
        r("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1",
          "net.ipv6.conf.all.keep_addr_on_down=1",
          "net.ipv6.conf.ar.keep_addr_on_down=1",
          "net.ipv6.conf.ar.addr_gen_mode=1",
          "net.ipv6.conf.ar.accept_dad=0")
        r("ethtool", "-K", "ar", "tx", "off", "tso", "off", "gso", "off",
          check=False)
        r("ip", "link", "set", "ar", "address", AR_MAC)
        for a in (AR_LL + "/64", AR_ADDR6 + "/64", self.distinct + "/64"):
            r("ip", "-6", "addr", "add", a, "dev", "ar", "nodad")
        r("ip", "addr", "add", AR_ADDR4 + "/24", "dev", "ar")
        r("ip", "link", "set", "ar", "up")
        return self

    def run(self, *cmd, check=True, timeout=30):
        return run_in(self.topo, self.ns, *cmd, check=check, timeout=timeout)

    def echo_requests(self):
        out = self.run("cat", "/proc/net/snmp6").stdout
        return int(re.search(r"^Icmp6InEchos\s+(\d+)", out, re.M).group(1))

    def stop(self):
        if self.created:
            # Deleting the namespace deletes its veth end and so the pair.
            subprocess.run(["ip", "netns", "del", self.ns], check=False,
                           timeout=10)
            self.created = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


__all__ = ["Capture", "stop_all_captures", "ExtraAccess", "send_frames", "run_in", "mac_of",
           "mtu_of", "vsctl_get", "link_local", "solicited_node",
           "summarize", "icmp6_type", "mac_uses", "restart_controller", "stop_controller",
           "start_controller",
           "lif_ctl_show", "parse_stats", "netns"]
