"""DHCPv4 through the LIF (RFC 7847 section 5.5; issue 3 item 2).

Through a "logical" sub-interface the host's DHCP client gets a lease, and
the server sees the LIF's link-layer address as chaddr.  Through an "own"
one the frame carries the sub-interface's MAC while chaddr (inside the UDP
payload, not rewritten) still carries the LIF's: a server that goes by
chaddr, like dnsmasq here, still answers; lif-controller(8) documents this.

Run as root:  /usr/bin/python3 -m pytest -v tests/integration/test_dhcp.py
"""

import os
import signal

from netns import wait_until


def _lif_mac(topo):
    return topo.vsctl("get", "interface", "lif0",
                      "mac").stdout.strip().strip('"')


def _subif_mac(topo, name):
    return topo.vsctl("get", "interface", name,
                      "mac_in_use").stdout.strip().strip('"')


def _dhcp_exchange(topo, tag):
    """Runs a DHCP server on the wlan access router and a DHCP client on the
    LIF; returns (client output, server log, leases file contents)."""
    rd = topo.rundir
    leases = os.path.join(rd, "dnsmasq-%s.leases" % tag)
    pidfile = os.path.join(rd, "dnsmasq-%s.pid" % tag)
    logfile = os.path.join(rd, "dnsmasq-%s.log" % tag)
    topo.run("wlan", "dnsmasq", "--interface=ar", "--bind-interfaces",
             "--port=0", "--no-resolv", "--no-hosts", "--dhcp-authoritative",
             "--dhcp-range=198.51.100.100,198.51.100.150,255.255.255.0,120",
             "--dhcp-leasefile=" + leases, "--pid-file=" + pidfile,
             "--log-dhcp", "--log-facility=" + logfile)
    pid = wait_until(lambda: topo._pid_from(pidfile), 10,
                     what="dnsmasq pidfile")
    try:
        # -q: quit once a lease is obtained; -n: fail if none; -s /bin/true:
        # do not configure anything on the LIF.
        client = topo.host("busybox", "udhcpc", "-f", "-q", "-n", "-i",
                           "lif0", "-t", "5", "-T", "2", "-s", "/bin/true",
                           check=False, timeout=40)
        wait_until(lambda: os.path.exists(leases)
                   and os.path.getsize(leases) > 0, 10,
                   what="dnsmasq lease")
    finally:
        os.kill(int(pid), signal.SIGTERM)
    with open(logfile) as f:
        log = f.read()
    with open(leases) as f:
        lease = f.read()
    return client.stdout + client.stderr, log, lease


def test_dhcpv4_through_logical_subif(topo):
    mac = _lif_mac(topo)
    out, log, lease = _dhcp_exchange(topo, "logical")
    print(out)
    assert "obtained" in out, out
    # The lease is the LIF's: chaddr is the LIF's link-layer address.
    assert mac in lease, lease
    assert "DHCPACK(ar)" in log and mac in log, log


def test_dhcpv4_through_own_subif(topo):
    topo.vsctl("set", "interface", "wlan0", "external_ids:lif-lladdr=own")
    topo.host("lif-ctl", "--timeout=10", "--wait", "sync")
    mac = _lif_mac(topo)
    wmac = _subif_mac(topo, "wlan0")
    out, log, lease = _dhcp_exchange(topo, "own")
    print(out)
    # chaddr is not rewritten: the server leases to the LIF's address, and
    # the answer reaches the host.
    assert "obtained" in out, out
    assert mac in lease, lease
    assert wmac not in lease, lease
