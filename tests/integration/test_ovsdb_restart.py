"""After any restart of ovsdb-server, the LIF database is served again
without operator action, and lif-controller, lif-ctl and the status recover
(issue 8 item 3).

The topology's ovsdb-server serves the LIF database because netns.py names
lif.db on its command line.  Each test takes it away the way it happens on a
real system, under a fixed-rate ping through the LIF:

  * kill -9, then a start as Debian's ovsdb-server.service does it
    (ovs-ctl --no-ovs-vswitchd ... start: only conf.db);
  * Debian's "systemctl reload ovsdb-server" (ovs-ctl ... restart);
  * ovsdb-server/remove-db LIF.

Then it checks that ovsdb-server serves the LIF database again (lif-controller
adds it: controller/lif-db-keeper.c), that lif-ctl show works, that
lif-controller writes status again (a sub-interface's carrier change shows
up) and that the flows are still there.  The times are printed, not
asserted tightly (the machine is noisy): the bounds below are generous
timeouts.

Run as root:
  /usr/bin/python3 -m pytest -v -s tests/integration/test_ovsdb_restart.py
"""

import os
import signal
import time

import pytest

import netns
from conftest import topology
from netns import AR_ADDR4, BRIDGE, wait_until

OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl"
# The options of Debian's ovsdb-server.service, ExecStart and ExecReload.
OVS_CTL_OPTS = ["--no-ovs-vswitchd", "--no-monitor", "--system-id=random",
                "--no-record-hostname"]
# Generous: the bound is 2 s for the database.
SERVED_TIMEOUT = 20
RECOVER_TIMEOUT = 40
PING_INTERVAL = 0.05


@pytest.fixture
def rtopo(request):
    if not os.access(OVS_CTL, os.X_OK):
        pytest.fail("%s is missing (package openvswitch-switch)" % OVS_CTL)
    for t in topology(request, tag="lifrst-%d" % os.getpid()):
        # ovs-ctl keeps the system-id in OVS_SYSCONFDIR/openvswitch/
        # system-id.conf and sets it on every start (--system-id=random
        # makes one only the first time).  netns.py did not start OVS with
        # ovs-ctl: do what its first start would have done, so that the
        # restarts keep the system-id (and the LIF MAC derived from it).
        sid = "4c1f5e2a-9d3b-4e6f-8a7c-1b2d3e4f5a6b"
        conf = os.path.join(t.rundir, "openvswitch")
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "system-id.conf"), "w") as f:
            f.write(sid + "\n")
        t.vsctl("set", "Open_vSwitch", ".", "external_ids:system-id=" + sid)
        t.host("lif-ctl", "--timeout=10", "--wait", "sync")
        yield t


def served_dbs(topo):
    p = topo.appctl("ovsdb-server", "ovsdb-server/list-dbs", check=False)
    return p.stdout.split() if p.returncode == 0 else []


def lif_served(topo):
    return "LIF" in served_dbs(topo)


def n_flows(topo):
    out = topo.ofctl("dump-flows", BRIDGE, check=False).stdout
    return sum(1 for line in out.splitlines() if "cookie=" in line)


def log_count(topo, text):
    path = os.path.join(topo.rundir, "lif-controller.log")
    with open(path, errors="replace") as f:
        return sum(1 for line in f if text in line)


def static_pipeline(topo):
    """Table 0's flows and the groups, without statistics: what
    lif-controller installs for this configuration (other tables also hold
    learned neighbors and routers, which come and go with traffic)."""
    flows = topo.ofctl("--no-stats", "dump-flows", BRIDGE, "table=0",
                       check=False).stdout.splitlines()
    groups = topo.ofctl("dump-groups", BRIDGE, check=False).stdout
    groups = [g for g in groups.splitlines() if "group_id" in g]
    return sorted(f.strip() for f in flows if "cookie=" in f) + sorted(groups)


def subif_carrier(topo, subif):
    p = topo.host("lif-ctl", "--timeout=5", "--bare", "--columns=carrier",
                  "find", "Sub_Interface", "name=" + subif, check=False)
    return p.stdout.strip() if p.returncode == 0 else None


def ovsdb_pid(topo):
    return topo._pid_from(os.path.join(topo.rundir, "ovsdb-server.pid"))


def is_running(pid):
    """Is pid alive (neither gone nor a zombie)?"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return not f.read().split(") ")[-1].startswith("Z")
    except OSError:
        return False


def ovs_ctl(topo, action):
    return topo.host(OVS_CTL, *OVS_CTL_OPTS, action, timeout=60)


def kill9_and_start(topo):
    pid = ovsdb_pid(topo)
    assert pid, "no ovsdb-server pid"
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not is_running(pid), 5, what="ovsdb-server to die")
    # A detached daemon's zombie stays in /proc where PID 1 does not reap
    # (containers), and ovs-ctl would take it for a running ovsdb-server;
    # on a real system the pid is gone.  Only then remove the stale pidfile.
    if os.path.exists("/proc/%d" % pid):
        os.unlink(os.path.join(topo.rundir, "ovsdb-server.pid"))
    ovs_ctl(topo, "start")


def reload_(topo):
    ovs_ctl(topo, "restart")


def remove_db(topo):
    topo.appctl("ovsdb-server", "ovsdb-server/remove-db", "LIF")


def check_recovery(topo, disrupt, what):
    """Runs disrupt(topo) under a 20 pps ping and checks the recovery."""
    assert lif_served(topo)
    flows_before = n_flows(topo)
    assert flows_before > 0
    pipeline_before = static_pipeline(topo)
    # Sub-interfaces given back to the host stack, and LIF MACs set.
    restored_before = log_count(topo, "no longer a sub-interface")
    mac_before = log_count(topo, "setting mac=")
    topo.host("lif-ctl", "--timeout=10", "--wait", "sync")
    r = topo.ping(AR_ADDR4, count=3, interval=0.2)
    assert r.received > 0, "no traffic through the LIF before: %s" % r.out

    count = int(30 / PING_INTERVAL)
    ping = topo.ping_start(AR_ADDR4, count, interval=PING_INTERVAL)
    time.sleep(2)

    t0 = time.monotonic()
    disrupt(topo)
    t_cmd = time.monotonic()
    wait_until(lambda: lif_served(topo), SERVED_TIMEOUT, interval=0.02,
               what="ovsdb-server to serve the LIF database again")
    t_served = time.monotonic()
    # The switch kept the flows through the outage.
    flows_outage = n_flows(topo)
    pipeline_outage = static_pipeline(topo)
    # lif-ctl works as soon as it is served; --wait needs lif-controller.
    show = topo.host("lif-ctl", "--timeout=10", "show", check=False)
    assert show.returncode == 0, "lif-ctl show: %s" % show.stderr
    assert "wlan0" in show.stdout
    wait_until(lambda: topo.host("lif-ctl", "--timeout=2", "--wait", "sync",
                                 check=False).returncode == 0,
               RECOVER_TIMEOUT, interval=0.1,
               what="lif-controller to catch up (lif-ctl --wait sync)")
    t_sync = time.monotonic()

    # Status: lif-controller writes it again (a carrier change shows).
    assert subif_carrier(topo, "lte0") == "up"
    topo.far_end("lte", False)
    wait_until(lambda: subif_carrier(topo, "lte0") == "down", 15,
               interval=0.1, what="lte0 carrier down in the status")
    t_status = time.monotonic()
    topo.far_end("lte", True)
    wait_until(lambda: subif_carrier(topo, "lte0") == "up", 15,
               interval=0.1, what="lte0 carrier up in the status")

    res = topo.ping_finish(ping, timeout=60)
    flows_after = n_flows(topo)   # may differ: RAs after the carrier flap
    keeper = topo.host("grep", "-c", "lif_db_keeper.*added",
                       os.path.join(topo.rundir, "lif-controller.log"),
                       check=False).stdout.strip()
    print("\n%s: disruption command %.2f s; LIF database served %.2f s "
          "after it returned; lif-controller in sync after %.2f s; status "
          "written %.2f s after the carrier change; ping: %d sent, %d lost, "
          "longest gap %d packets = %.2f s; flows %d, %d when served again, "
          "%d at the end; keeper adds logged: %s"
          % (what, t_cmd - t0, t_served - t_cmd, t_sync - t_cmd,
             t_status - t_sync, res.transmitted, res.lost, res.max_gap(),
             res.max_gap() * PING_INTERVAL, flows_before, flows_outage,
             flows_after,
             keeper))
    # Never a model without ovs-vswitchd's interface status (ephemeral
    # columns, empty in a restarted ovsdb-server): no sub-interface given
    # back to the host stack, the LIF's MAC not set again.
    assert log_count(topo, "no longer a sub-interface") == restored_before
    assert log_count(topo, "setting mac=") == mac_before
    assert pipeline_outage == pipeline_before
    assert static_pipeline(topo) == pipeline_before
    assert flows_after > 0
    assert res.answered_tail(20) == 20, "traffic did not come back: %r" % res
    return res


def test_kill9_then_service_start(rtopo):
    """ovsdb-server crashes; the service starts it with conf.db only."""
    check_recovery(rtopo, kill9_and_start, "kill -9 + ovs-ctl start")
    pid = ovsdb_pid(rtopo)
    cmdline = open("/proc/%d/cmdline" % pid).read()
    assert "lif.db" not in cmdline, \
        "the restarted ovsdb-server was given lif.db on its command line"


def test_service_reload(rtopo):
    """Debian's "systemctl reload ovsdb-server" (ovs-ctl restart)."""
    check_recovery(rtopo, reload_, "ovs-ctl restart (reload)")


def test_remove_db(rtopo):
    """ovsdb-server/remove-db LIF."""
    check_recovery(rtopo, remove_db, "ovsdb-server/remove-db LIF")


def test_no_keeper_leaves_it_to_the_admin(rtopo):
    """--no-lif-db-keeper: lif-controller does not add the database, and
    lif-ctl says why it cannot connect."""
    t = rtopo
    t.appctl("lif-controller", "exit", "--restart")
    wait_until(lambda: not os.path.exists(os.path.join(t.rundir,
                                                       "lif-controller.pid")),
               10, what="lif-controller to exit")
    ctl = os.path.join(t.builddir, "controller", "lif-controller")
    t.host(ctl, "unix:%s/db.sock" % t.rundir, "--pidfile", "--detach",
           "--no-chdir", "--log-file", "--no-lif-db-keeper")
    remove_db(t)
    time.sleep(3)
    assert not lif_served(t)
    p = t.host("lif-ctl", "--timeout=5", "show", check=False)
    assert p.returncode != 0
    assert "not the LIF database" in p.stderr, p.stderr
    assert "Open_vSwitch" in p.stderr, p.stderr
