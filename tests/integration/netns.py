"""Network-namespace topology for ovs-lif integration tests and benchmarks.

The same topology as utilities/lif-sandbox:

    host ns (<tag>-host)                           access namespaces
    +--------------------------------------+
    |  lif0 (internal, the LIF)            |       <tag>-wlan: "ar" 02:00:00:00:ac:01
    |   198.51.100.10/24 + SLAAC 2001:db8:1::/64   fe80::1, 2001:db8:1::1/64,
    |   |                                  |         2001:db8:1::a, 198.51.100.1/24,
    |  br-lif (datapath_type=netdev)       |         radvd
    |   |-- wlan0 (prio 200) <== veth ==> ar (wlan ns)
    |   `-- lte0  (prio 100) <== veth ==> ar (lte ns)
    |  ovsdb-server, ovs-vswitchd,         |       <tag>-lte: the same "ar" (same MAC,
    |  lif-controller (all in this ns)     |         same addresses: PMIPv6, RFC 5213)
    +--------------------------------------+         plus 2001:db8:1::b

Both access routers share one MAC, link-local and addresses, like PMIPv6
MAGs; each also has one distinct address (2001:db8:1::a on wlan, ::b on
lte) so a test can tell which access answered.

Pipelines ("mode"):
  controller  lif-controller from the build tree programs br-lif;
  ffgroup     a hand-made fast-failover group (the reference without our
              carrier polling);
  bond        no LIF: OVS's own active-backup bond over wlan0+lte0 with a
              NORMAL flow (the baseline for bench_failover.py).

Everything OVS runs inside the host namespace; everything is torn down by
pid (validated against /proc/PID/cmdline) and by the namespace names this
object created.  Every wait is bounded.  Addresses used: 2001:db8::/32 and
198.51.100.0/24 only.
"""

import os
import select
import re
import shutil
import signal
import subprocess
import tempfile
import time

AR_MAC = "02:00:00:00:ac:01"
AR_LL = "fe80::1"
AR_ADDR6 = "2001:db8:1::1"
AR_ADDR4 = "198.51.100.1"
PREFIX6 = "2001:db8:1::"
HOST_ADDR4 = "198.51.100.10"
AR_DISTINCT = {"wlan": "2001:db8:1::a", "lte": "2001:db8:1::b"}
ACCESSES = (  # name, sub-interface, priority
    ("wlan", "wlan0", 200),
    ("lte", "lte0", 100),
)
BRIDGE = "br-lif"
LIF = "lif0"
RMEM = 4 * 1024 * 1024

RADVD_CONF = """interface ar {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 10;
    prefix %s/64 {
        AdvOnLink on;
        AdvAutonomous on;
    };
};
""" % PREFIX6


def _default_srcdir():
    return os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def find_vswitch_schema(ovs_build=None):
    for cand in ("/usr/share/openvswitch/vswitch.ovsschema",
                 ovs_build and os.path.join(ovs_build, "vswitchd",
                                            "vswitch.ovsschema")):
        if cand and os.path.exists(cand):
            return cand
    raise RuntimeError("vswitch.ovsschema not found "
                       "(install openvswitch-common)")


def wait_until(pred, timeout, interval=0.05, what="condition"):
    """Polls pred() until it returns a true value or timeout seconds pass.
    Returns the value; raises TimeoutError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        val = pred()
        if val:
            return val
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1f s waiting for %s"
                               % (timeout, what))
        time.sleep(interval)


def wait_tcpdump_armed(p, timeout=10):
    """Waits until the tcpdump process p (started with stderr=PIPE) says
    "listening on", which it does once its capture is armed, or until it
    exits or timeout seconds pass.  Returns what it wrote to stderr, which
    the caller checks for "listening on"."""
    err = ""
    deadline = time.monotonic() + timeout
    while "listening on" not in err:
        left = deadline - time.monotonic()
        if left <= 0 or p.poll() is not None:
            break
        ready, _, _ = select.select([p.stderr], [], [], left)
        if ready:
            chunk = os.read(p.stderr.fileno(), 4096).decode(errors="replace")
            if not chunk:
                break
            err += chunk
    return err


class PingResult:
    """Parsed output of iputils ping."""

    def __init__(self, out, count=None):
        self.out = out
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        self.transmitted = int(m.group(1)) if m else 0
        self.received = int(m.group(2)) if m else 0
        self.seqs = sorted({int(s) for s in
                            re.findall(r"bytes from .*icmp_seq=(\d+)", out)})
        self.count = count

    @property
    def lost(self):
        return self.transmitted - self.received

    def max_gap(self):
        """Largest run of consecutive unanswered sequence numbers (between
        answered ones, or at the end of the stream)."""
        if not self.seqs:
            return self.transmitted
        gap, prev = 0, 0
        for s in self.seqs:
            gap = max(gap, s - prev - 1)
            prev = s
        return max(gap, self.transmitted - prev)

    def answered_tail(self, n):
        """How many of the last n sequence numbers sent were answered."""
        last = set(range(max(1, self.transmitted - n + 1),
                         self.transmitted + 1))
        return len(last & set(self.seqs))

    def __repr__(self):
        return ("PingResult(sent=%d received=%d lost=%d max_gap=%d)"
                % (self.transmitted, self.received, self.lost,
                   self.max_gap()))


class Topology:
    def __init__(self, mode="controller", builddir=None, srcdir=None,
                 tag=None, log=print, isolate_subifs=True,
                 controller_args=()):
        assert mode in ("controller", "ffgroup", "bond", "normal")
        self.mode = mode
        self.controller_args = list(controller_args)
        self.extra_subifs = []
        # True: the topology itself sets disable_ipv6=1 on the sub-interfaces
        # before they are attached.  False: leaves them as the kernel made
        # them, so that a test can check that lif-controller isolates them.
        self.isolate_subifs = isolate_subifs
        self.builddir = builddir or os.environ.get("LIF_BUILDDIR",
                                                   "/work/main/_build")
        self.srcdir = srcdir or os.environ.get("LIF_SRCDIR",
                                               _default_srcdir())
        self.tag = tag or "liftest-%d" % os.getpid()
        self.ns = {"host": self.tag + "-host"}
        for name, _, _ in ACCESSES:
            self.ns[name] = "%s-%s" % (self.tag, name)
        self.created_ns = []
        self.procs = []          # Popen objects we started
        self.rundir = None
        self.log = log
        self.env = None

    # ---- running commands -------------------------------------------------
    def run(self, ns, *cmd, check=True, timeout=30, env=None, input=None):
        """Runs cmd inside namespace ns ("host", "wlan", "lte" or None for
        the current one).  Returns CompletedProcess (text)."""
        argv = list(cmd)
        if ns is not None:
            argv = ["ip", "netns", "exec", self.ns[ns]] + argv
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout, env=env or self.env, input=input)
        if check and p.returncode != 0:
            raise RuntimeError("command failed (rc=%d): %s\nstdout: %s\n"
                               "stderr: %s" % (p.returncode, " ".join(argv),
                                               p.stdout, p.stderr))
        return p

    def host(self, *cmd, **kw):
        return self.run("host", *cmd, **kw)

    def popen(self, ns, *cmd, **kw):
        argv = ["ip", "netns", "exec", self.ns[ns]] + list(cmd)
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("text", True)
        p = subprocess.Popen(argv, env=self.env, **kw)
        self.procs.append(p)
        return p

    def vsctl(self, *args, **kw):
        return self.host("ovs-vsctl", "--timeout=20", *args, **kw)

    def ofctl(self, *args, **kw):
        return self.host("ovs-ofctl", "-O", "OpenFlow15", *args, **kw)

    def appctl(self, target, *args, **kw):
        return self.host("ovs-appctl", "--timeout=10", "-t", target, *args,
                         **kw)

    # ---- setup ------------------------------------------------------------
    def start(self):
        try:
            self._start()
        except BaseException:
            self.log("setup failed; logs follow")
            self.dump_logs()
            self.stop()
            raise
        return self

    def _start(self):
        if os.geteuid() != 0:
            raise RuntimeError("must run as root")
        for ns in self.ns.values():
            if os.path.exists("/run/netns/" + ns):
                raise RuntimeError("namespace %s already exists" % ns)
        self.rundir = tempfile.mkdtemp(prefix="lif-test.")
        env = dict(os.environ)
        for var in ("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR",
                    "OVS_SYSCONFDIR"):
            env[var] = self.rundir
        env["PATH"] = ":".join([os.path.join(self.builddir, "controller"),
                                os.path.join(self.builddir, "utilities"),
                                env.get("PATH", "/usr/bin:/bin"),
                                "/usr/sbin", "/sbin"])
        self.env = env

        for ns in self.ns.values():
            subprocess.run(["ip", "netns", "add", ns], check=True,
                           timeout=10)
            self.created_ns.append(ns)

        # Host namespace: no forwarding, RAs accepted on new interfaces
        # (lif0 does not exist yet), big packet-socket receive buffers.
        self.host("ip", "link", "set", "lo", "up")
        self.host("sysctl", "-qw", "net.ipv4.ip_forward=0",
                  "net.ipv6.conf.all.forwarding=0",
                  "net.ipv6.conf.default.accept_ra=2",
                  "net.ipv6.conf.default.autoconf=1")
        self._set_rmem()

        for name, subif, _ in ACCESSES:
            self._setup_access(name, subif)

        self._start_ovs()
        self._setup_bridge()
        self._setup_lif()
        n_attached = 1 if self.mode == "normal" else len(ACCESSES)
        wait_until(lambda: len([s for s in self.packet_sockets()
                                if s["iface"] in [a[1] for a in ACCESSES]])
                   >= n_attached, 10,
                   what="ovs-vswitchd's packet sockets")
        self.verify_packet_sockets()

    def _host_rmem(self):
        """net.core.rmem_default and rmem_max as the host namespace sees
        them (what a socket created there gets)."""
        return tuple(int(self.host("cat", "/proc/sys/net/core/" + k)
                         .stdout.strip())
                     for k in ("rmem_default", "rmem_max"))

    def _set_rmem(self):
        """ovs-vswitchd reads each sub-interface through a packet socket
        whose receive buffer is net.core.rmem_default when the socket is
        created (OVS 3.1 sets no SO_RCVBUF); with the default ~208 KiB,
        access->host TCP loses segments there.  Depending on the kernel the
        setting is per namespace, global, or (6.x) global and read-only in
        child namespaces, where "sysctl -w" prints an error and still exits
        0.  So: set it in the host namespace; if that did not take (read
        back, never trust the exit status), raise the global value in the
        root namespace (never lowered, and left raised: parallel test beds
        share it; it is what a production host needs anyway, see
        README.md); if it still does not apply, fail.
        verify_packet_sockets() then checks the sockets themselves."""
        if min(self._host_rmem()) >= RMEM:
            return
        self.host("sysctl", "-qw", "net.core.rmem_max=%d" % RMEM,
                  "net.core.rmem_default=%d" % RMEM, check=False)
        if min(self._host_rmem()) >= RMEM:
            return
        for key in ("rmem_max", "rmem_default"):
            path = "/proc/sys/net/core/" + key
            with open(path) as f:
                old = int(f.read().strip())
            if old < RMEM:
                with open(path, "w") as f:
                    f.write("%d\n" % RMEM)
                self.log("raised the machine-wide net.core.%s from %d to %d "
                         "(read-only or global in child namespaces on this "
                         "kernel; left raised)" % (key, old, RMEM))
        got = self._host_rmem()
        if min(got) < RMEM:
            raise RuntimeError("net.core.rmem_default/rmem_max are %s in "
                               "the host namespace, not %d: ovs-vswitchd's "
                               "packet sockets would drop packets"
                               % (got, RMEM))

    def packet_sockets(self):
        """ovs-vswitchd's packet sockets in the host namespace, from
        "ss -0 -m -p": [{"iface", "rcvbuf", "drops"}]."""
        out = self.host("ss", "-0", "-n", "-m", "-p").stdout
        socks = []
        cur = None
        for line in out.splitlines():
            if line.startswith("p_raw") or line.startswith("p_dgr"):
                cur = None
                if '"ovs-vswitchd"' in line:
                    m = re.search(r"\*:(\S+)", line)
                    cur = {"iface": m.group(1) if m else "?"}
            m = re.search(r"skmem:\(r\d+,rb(\d+),.*,d(\d+)\)", line)
            if m and cur is not None:
                cur["rcvbuf"] = int(m.group(1))
                cur["drops"] = int(m.group(2))
                socks.append(cur)
                cur = None
        return socks

    def verify_packet_sockets(self):
        """Checks that every packet socket ovs-vswitchd reads a
        sub-interface through has a receive buffer of at least RMEM; raises
        RuntimeError otherwise (a test bed whose setting does not apply
        must not pass for one that does)."""
        socks = [s for s in self.packet_sockets()
                 if s["iface"] in [a[1] for a in ACCESSES]]
        if not socks:
            raise RuntimeError("no packet socket of ovs-vswitchd found "
                               "with ss -0 in %s" % self.ns["host"])
        small = [s for s in socks if s["rcvbuf"] < RMEM]
        if small:
            raise RuntimeError("ovs-vswitchd's packet sockets have smaller "
                               "receive buffers than %d bytes: %s"
                               % (RMEM, small))
        return socks

    def _setup_access(self, name, subif):
        self._link_access(name, subif, AR_MAC,
                          (AR_LL, AR_ADDR6, AR_DISTINCT[name]))
        self.run(name, "ip", "addr", "add", AR_ADDR4 + "/24", "dev", "ar")
        self.run(name, "ip", "link", "set", "ar", "up")
        self._start_radvd(name, RADVD_CONF)

    def _link_access(self, name, subif, mac, addrs6):
        """The veth between sub-interface 'subif' (host side: invisible to
        IP unless isolate_subifs is false, offloads off for the netdev
        datapath) and "ar", the access router in namespace 'name', with
        'mac' and the /64 addresses 'addrs6', left down."""
        ns = self.ns[name]
        self.host("ip", "link", "add", subif, "type", "veth", "peer", "name",
                  "ar", "netns", ns)
        if self.isolate_subifs:
            self.host("sysctl", "-qw",
                      "net.ipv6.conf.%s.disable_ipv6=1" % subif)
        self.host("ethtool", "-K", subif, "tx", "off", "tso", "off", "gso",
                  "off", check=False)
        self.host("ip", "link", "set", subif, "up")
        self.run(name, "ip", "link", "set", "lo", "up")
        self.run(name, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1",
                 "net.ipv6.conf.all.keep_addr_on_down=1",
                 "net.ipv6.conf.ar.keep_addr_on_down=1",
                 "net.ipv6.conf.ar.addr_gen_mode=1",
                 "net.ipv6.conf.ar.accept_dad=0")
        self.run(name, "ethtool", "-K", "ar", "tx", "off", "tso", "off",
                 "gso", "off", check=False)
        self.run(name, "ip", "link", "set", "ar", "address", mac)
        for addr in addrs6:
            self.run(name, "ip", "-6", "addr", "add", addr + "/64", "dev",
                     "ar", "nodad")

    def _start_radvd(self, name, conf_text):
        """radvd with 'conf_text' on "ar" in namespace 'name'."""
        conf = os.path.join(self.rundir, "radvd-%s.conf" % name)
        with open(conf, "w") as f:
            f.write(conf_text)
        os.chmod(conf, 0o644)
        pidfile = os.path.join(self.rundir, "radvd-%s.pid" % name)
        self.run(name, "radvd", "-C", conf, "-p", pidfile, "-m", "logfile",
                 "-l", os.path.join(self.rundir, "radvd-%s.log" % name))
        wait_until(lambda: self._pid_from(pidfile), 10,
                   what="radvd %s pidfile" % name)

    def _start_ovs(self):
        rd = self.rundir
        conf_db = os.path.join(rd, "conf.db")
        lif_db = os.path.join(rd, "lif.db")
        self.host("ovsdb-tool", "create", conf_db, find_vswitch_schema())
        lif_schema = os.path.join(self.srcdir, "ovsdb", "lif.ovsschema")
        setup = os.path.join(self.srcdir, "utilities", "lif-db-setup")
        dbs = [conf_db]
        if self.mode == "controller" or os.path.exists(lif_schema):
            self.host("sh", setup, "--no-add", "--db-file=" + lif_db,
                      "--schema=" + lif_schema)
            dbs.append(lif_db)
        self.host("ovsdb-server", *dbs, "--remote=punix:%s/db.sock" % rd,
                  "--pidfile", "--detach", "--no-chdir", "--log-file")
        self.vsctl("--no-wait", "init")
        self.host("ovs-vswitchd", "unix:%s/db.sock" % rd, "--pidfile",
                  "--detach", "--no-chdir", "--log-file")

    def _setup_bridge(self):
        b = BRIDGE
        if self.mode == "bond":
            self.vsctl(
                "add-br", b, "--", "set", "bridge", b,
                "datapath_type=netdev", "fail-mode=secure",
                "--", "add-port", b, LIF, "--", "set", "interface", LIF,
                "type=internal",
                "--", "add-bond", b, "bond0", "wlan0", "lte0",
                "bond_mode=active-backup",
                "other_config:bond-detect-mode=carrier",
                "other_config:bond-primary=wlan0")
            self.ofctl("add-flow", b, "actions=NORMAL")
            return
        if self.mode == "normal":
            # The baseline pipeline: one access (wlan0) and the LIF port on
            # a bridge with a single NORMAL flow.
            self.vsctl("add-br", b, "--", "set", "bridge", b,
                       "datapath_type=netdev", "fail-mode=secure",
                       "--", "add-port", b, LIF, "--", "set", "interface",
                       LIF, "type=internal", "--", "add-port", b, "wlan0")
            self.ofctl("add-flow", b, "actions=NORMAL")
            return
        args = ["add-br", b, "--", "set", "bridge", b,
                "datapath_type=netdev", "fail-mode=secure",
                "--", "add-port", b, LIF, "--", "set", "interface", LIF,
                "type=internal", "external_ids:lif-role=logical"]
        for name, subif, prio in ACCESSES:
            args += ["--", "add-port", b, subif, "--", "set", "interface",
                     subif, "external_ids:lif-priority=%d" % prio,
                     "external_ids:lif-technology=" + name]
        self.vsctl(*args)
        if self.mode == "ffgroup":
            buckets = ",".join("bucket=watch_port:%s,output:%s" % (s, s)
                               for _, s, _ in ACCESSES)
            self.ofctl("add-group", b, "group_id=1,type=ff," + buckets)
            self.ofctl("add-flow", b, "in_port=%s,actions=group:1" % LIF)
            for _, subif, _ in ACCESSES:
                self.ofctl("add-flow", b,
                           "in_port=%s,actions=output:%s" % (subif, LIF))
        else:
            ctl = os.path.join(self.builddir, "controller", "lif-controller")
            if not os.access(ctl, os.X_OK):
                raise RuntimeError("%s not found: build first" % ctl)
            self.host(ctl, "unix:%s/db.sock" % self.rundir, "--pidfile",
                      "--detach", "--no-chdir", "--log-file",
                      *self.controller_args)
            # Installed pipeline: a group and a flow from the LIF.
            wait_until(lambda: "group_id" in self.ofctl(
                "dump-groups", b, check=False).stdout, 15,
                what="lif-controller to install its group")

    def _setup_lif(self):
        wait_until(lambda: self.host("ip", "link", "show", LIF,
                                     check=False).returncode == 0, 15,
                   what="%s to appear" % LIF)
        self.host("sysctl", "-qw", "net.ipv6.conf.%s.accept_ra=2" % LIF,
                  "net.ipv6.conf.%s.autoconf=1" % LIF)
        self.host("ip", "addr", "add", HOST_ADDR4 + "/24", "dev", LIF)
        self.host("ip", "link", "set", LIF, "up")
        # The bridge's local port carries nothing here: keep it quiet.
        self.host("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % BRIDGE,
                  check=False)

    def add_subifs(self, n, first_prio=50):
        """Adds n more sub-interfaces "xN" to br-lif (for scale figures):
        veths whose far ends ("xN") sit, up, in one more namespace
        <tag>-extra.  Bounded: n <= 200."""
        assert 0 < n <= 200
        ns = self.tag + "-extra"
        if ns not in self.created_ns:
            subprocess.run(["ip", "netns", "add", ns], check=True,
                           timeout=10)
            self.created_ns.append(ns)
        args = []
        for i in range(len(self.extra_subifs), len(self.extra_subifs) + n):
            name = "x%d" % i
            self.host("ip", "link", "add", name, "type", "veth", "peer",
                      "name", name, "netns", ns)
            self.host("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1"
                      % name)
            self.host("ip", "link", "set", name, "up")
            subprocess.run(["ip", "-n", ns, "link", "set", name, "up"],
                           check=True, timeout=10)
            args += ["--", "add-port", BRIDGE, name, "--", "set",
                     "interface", name,
                     "external_ids:lif-priority=%d" % max(1, first_prio - i)]
            self.extra_subifs.append(name)
        self.vsctl(*args, timeout=120)

    # ---- queries ------------------------------------------------------------
    def lif_addr6(self):
        out = self.host("ip", "-6", "-o", "addr", "show", "dev", LIF,
                        "scope", "global", check=False).stdout
        for line in out.splitlines():
            if "tentative" in line:
                continue
            m = re.search(r"inet6 (2001:db8:1:[0-9a-f:]*)/64", line)
            if m:
                return m.group(1)
        return None

    def wait_slaac(self, timeout=20, solicit=False):
        """Waits for a usable SLAAC address on the LIF.  solicit=True sends
        Router Solicitations with rdisc6 to speed it up (not used when
        testing that the product gets the address by itself)."""
        deadline = time.monotonic() + timeout
        t0 = time.monotonic()
        while time.monotonic() < deadline:
            a = self.lif_addr6()
            if a:
                self.slaac_time = time.monotonic() - t0
                return a
            if solicit:
                self.host("rdisc6", "-1", "-q", "-w", "300", LIF,
                          check=False, timeout=5)
            time.sleep(0.1)
        raise TimeoutError("no SLAAC address on %s after %d s; %s" % (
            LIF, timeout, self.host("ip", "addr", "show", "dev", LIF,
                                    check=False).stdout))

    def _pid_from(self, pidfile):
        try:
            with open(pidfile) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def echo_requests(self, access):
        """ICMPv6 + ICMPv4 echo requests received by that access router."""
        out = self.run(access, "cat", "/proc/net/snmp6").stdout
        v6 = int(re.search(r"^Icmp6InEchos\s+(\d+)", out, re.M).group(1))
        out = self.run(access, "cat", "/proc/net/snmp").stdout
        lines = [l.split() for l in out.splitlines() if l.startswith("Icmp:")]
        v4 = int(dict(zip(lines[0][1:], lines[1][1:]))["InEchos"])
        return v6 + v4

    def far_end(self, access, up):
        """Takes the access router's end of the veth down or up: the host
        side (wlan0/lte0) loses or regains carrier, as when a radio link
        drops.  The kernel flushes the link-local address on down
        (keep_addr_on_down keeps only globals), so it is restored on up."""
        self.run(access, "ip", "link", "set", "ar", "up" if up else "down")
        if up:
            self.run(access, "ip", "-6", "addr", "replace", AR_LL + "/64",
                     "dev", "ar", "nodad")

    def ping(self, dst, count=5, interval=0.2, timeout=None, wait=1, ns="host",
             extra=()):
        if timeout is None:
            timeout = count * interval + 10
        fam = "-6" if ":" in dst else "-4"
        p = self.run(ns, "ping", fam, "-n", "-c", str(count), "-i",
                     str(interval), "-W", str(wait), *extra, dst,
                     check=False, timeout=timeout + 5)
        return PingResult(p.stdout, count)

    def ping_start(self, dst, count, interval=0.01, wait=1):
        fam = "-6" if ":" in dst else "-4"
        return self.popen("host", "timeout", str(int(count * interval + 20)),
                          "ping", fam, "-n", "-c", str(count), "-i",
                          str(interval), "-W", str(wait), dst)

    def ping_finish(self, p, timeout=60):
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate(timeout=5)
        return PingResult(out)

    def measure_failover(self, access="wlan", dst=AR_ADDR6, count=400,
                         interval=0.01, down_after=1.0):
        """100 pps ping; the far end of `access` goes down down_after s
        in.  Returns the PingResult."""
        p = self.ping_start(dst, count, interval)
        time.sleep(down_after)
        self.far_end(access, False)
        return self.ping_finish(p, timeout=count * interval + 30)

    def dump_logs(self, tail=40):
        if not self.rundir or not os.path.isdir(self.rundir):
            return
        for f in sorted(os.listdir(self.rundir)):
            if f.endswith(".log"):
                path = os.path.join(self.rundir, f)
                with open(path, errors="replace") as fh:
                    lines = fh.readlines()[-tail:]
                self.log("==== %s (last %d lines)\n%s"
                         % (f, len(lines), "".join(lines)))

    # ---- teardown -------------------------------------------------------
    @staticmethod
    def _kill_pid(pid, expect, timeout=5):
        """Kills pid if its command line still mentions `expect`."""
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return
        if expect not in cmd:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not os.path.exists("/proc/%d" % pid):
                return
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().split(") ")[-1].startswith("Z"):
                        return      # zombie of a detached daemon: gone
            except OSError:
                return
            time.sleep(0.05)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
        self.procs = []
        if self.rundir:
            for name, expect in (("lif-controller", "lif-controller"),
                                 ("ovs-vswitchd", "ovs-vswitchd"),
                                 ("ovsdb-server", "ovsdb-server"),
                                 ("radvd-wlan", "radvd"),
                                 ("radvd-lte", "radvd")):
                pid = self._pid_from(os.path.join(self.rundir,
                                                  name + ".pid"))
                if pid:
                    self._kill_pid(pid, expect)
        for ns in reversed(self.created_ns):
            subprocess.run(["ip", "netns", "del", ns], check=False,
                           timeout=10)
        self.created_ns = []
        if self.rundir and os.environ.get("LIF_KEEP_RUNDIR") != "1":
            shutil.rmtree(self.rundir, ignore_errors=True)
        self.rundir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
