"""The FLOW table (issue 7) with real namespaces: flow routing policies
steering real traffic, balance over many flows, a flow moved by the network
(its packets arriving through the other access), flow-move and flow-unpin,
and a forged TCP segment that must not move a connection.

Run as root:
  LIF_BUILDDIR=$PWD/_build /usr/bin/python3 -m pytest -p no:cacheprovider \
      -v -s tests/integration/test_flow.py
"""

import random
import re
import time

from scapy.all import IPv6, TCP, Ether

import flow_helpers as fh
import netns
from netns import AR_ADDR6, AR_MAC, wait_until
from rfc7847_helpers import (Capture, mac_of, send_frames,
                             stop_all_captures)

import pytest


@pytest.fixture(autouse=True)
def _no_stray_captures():
    yield
    stop_all_captures()


def settle(topo):
    """A SLAAC address on the LIF and neighbour resolution done."""
    addr = topo.wait_slaac(timeout=20)
    r = topo.ping(AR_ADDR6, count=3, interval=0.2)
    assert r.received > 0, r.out
    return addr


def state(topo, subif):
    return fh.lif_ctl(topo, "get", "Sub_Interface", subif,
                      "state").stdout.strip()


def test_policy_steers_real_traffic(topo):
    settle(topo)
    # Without a policy: the default path, wlan0.
    ps = fh.listen_both(topo, 5001, 3)
    fh.host_send(topo, AR_ADDR6, 5001, range(40000, 40010))
    seen = fh.collect(ps)
    assert len(seen["wlan"]) == 10 and not seen["lte"], seen

    fh.lif_ctl(topo, "--wait", "policy-add", "lif0", "to-lte", "10",
               "udp6,tp_dst=5001", "lte0")
    ps = fh.listen_both(topo, 5001, 3)
    fh.host_send(topo, AR_ADDR6, 5001, range(40010, 40020))
    fh.host_send(topo, AR_ADDR6, 5009, range(40020, 40021))  # not matched
    seen = fh.collect(ps)
    assert len(seen["lte"]) == 10 and not seen["wlan"], seen

    # failover: lte down -> wlan, in order of the list.
    fh.lif_ctl(topo, "--wait", "--may-exist", "policy-add", "lif0",
               "to-lte", "10", "udp6,tp_dst=5001", "lte0,wlan0")
    topo.far_end("lte", False)
    wait_until(lambda: state(topo, "lte0") == "down", 10, what="lte0 down")
    ps = fh.listen_both(topo, 5001, 3)
    fh.host_send(topo, AR_ADDR6, 5001, range(40030, 40040))
    seen = fh.collect(ps)
    topo.far_end("lte", True)
    assert len(seen["wlan"]) == 10, seen


def test_balance_over_many_flows(topo):
    settle(topo)
    fh.lif_ctl(topo, "--wait", "policy-add", "lif0", "bulk", "10",
               "udp6,tp_dst=5002", "wlan0,lte0", "--mode=balance")
    sports = list(range(41000, 41064))

    def round_():
        ps = fh.listen_both(topo, 5002, 3)
        fh.host_send(topo, AR_ADDR6, 5002, sports)
        return {a: set(p) for a, p in fh.collect(ps).items()}

    first = round_()
    print("balance: wlan %d flows, lte %d flows"
          % (len(first["wlan"]), len(first["lte"])))
    assert first["wlan"] and first["lte"], first
    assert not first["wlan"] & first["lte"], "a flow split"
    assert first["wlan"] | first["lte"] == set(sports)
    # The same flows take the same access.
    assert round_() == first

    # wlan goes down: only its flows move.
    topo.far_end("wlan", False)
    wait_until(lambda: state(topo, "wlan0") == "down", 10,
               what="wlan0 down")
    fh.lif_ctl(topo, "--wait", "sync")
    down = round_()
    topo.far_end("wlan", True)
    assert down["lte"] == set(sports), down


def test_network_moves_a_flow(topo):
    addr = settle(topo)
    echo = fh.start(topo, "host", fh.UDP_ECHO, 5003, 40)
    assert fh.readline(echo) == "ready"
    # The peer talks through lte (not the default path): the answers follow.
    got = fh.peer(topo, "lte", AR_ADDR6, 7003, addr, 5003, 5)
    assert got == 5, "answers through lte: %d of 5" % got
    # The network moves the flow to wlan: its packets arrive there, and the
    # host's answers follow from the answer to the very first one on: the
    # packet that arrives marks the flow's conntrack entry in the datapath.
    got_wlan = fh.peer(topo, "wlan", AR_ADDR6, 7003, addr, 5003, 5)
    print("after the move: %d of 5 answers through wlan" % got_wlan)
    assert got_wlan == 5
    # The FLOW table shows it.
    def reflective_on_wlan():
        return [r for r in fh.flow_rows(topo)
                if r["origin"] == "reflective" and "tp_src=5003" in r["match"]
                and r["sub_interface"] == "wlan0"]
    wait_until(reflective_on_wlan, 10, what="the exported flow")
    echo.kill()


def test_flow_move_and_unpin(topo):
    addr = settle(topo)
    echo = fh.start(topo, "host", fh.UDP_ECHO, 5004, 60)
    assert fh.readline(echo) == "ready"
    assert fh.peer(topo, "lte", AR_ADDR6, 7004, addr, 5004, 3) == 3
    # Pinned to wlan: the answers to what arrives through lte leave
    # through wlan (and so never reach the lte peer).
    match = "udp6,tp_src=5004,ipv6_dst=%s" % AR_ADDR6
    fh.lif_ctl(topo, "--wait", "flow-move", "lif0", match, "wlan0")
    with Capture(topo, "wlan", "ar", bpf="udp src port 5004") as cap:
        assert fh.peer(topo, "lte", AR_ADDR6, 7004, addr, 5004, 3) == 0
        pkts = cap.stop()
    assert len(pkts) == 3, pkts
    rows = [r for r in fh.flow_rows(topo) if r["origin"] == "pinned"]
    assert len(rows) == 1 and rows[0]["sub_interface"] == "wlan0", rows
    # Unpinned: reflection again.
    fh.lif_ctl(topo, "--wait", "flow-unpin", "lif0", match)
    assert fh.peer(topo, "lte", AR_ADDR6, 7004, addr, 5004, 3) == 3
    echo.kill()


def _forge(topo, access, host_addr, cport, host_mac, last=None):
    """A TCP segment of the connection from the server's side, sent by the
    access router of `access`: with data far outside its window, or, given
    `last` (the server's last segment), an empty one that continues it
    exactly, as the server would."""
    if last is None:
        tcp = (TCP(sport=8000, dport=cport, flags="PA",
                   seq=random.randrange(1 << 31, 1 << 32),
                   ack=random.randrange(1 << 32), window=65535)
               / (b"forged" * 4))
    else:
        tcp = TCP(sport=8000, dport=cport, flags="A",
                  seq=last[TCP].seq + len(last[TCP].payload),
                  ack=last[TCP].ack, window=last[TCP].window)
    seg = (Ether(src=AR_MAC, dst=host_mac)
           / IPv6(src=AR_ADDR6, dst=host_addr) / tcp)
    send_frames(topo, access, "ar", [seg])


def _tcp_session(topo, addr, host_mac, forge_access, in_window=False):
    """A TCP connection through lte (policy), a forged segment from
    forge_access (out of window, or with `in_window` one that continues the
    server's last segment exactly), then more data.  Returns (bytes the
    server got, host TCP segments seen on wlan after the forgery)."""
    server = fh.start(topo, "lte", fh.TCP_SERVER, 8000, 20)
    assert fh.readline(server) == "ready"
    client = fh.start(topo, "host", fh.TCP_CLIENT, AR_ADDR6, 8000)
    cport = int(fh.readline(client))
    with Capture(topo, "lte", "ar", bpf="tcp and src port 8000") as srv:
        for _ in range(3):
            client.stdin.write("send\n")
            client.stdin.flush()
            assert fh.readline(client) == "sent"
        # Let the server's (delayed) acknowledgements arrive first: they
        # are genuine packets of the connection through lte and would mark
        # it with lte again after the forgery.
        time.sleep(0.5)
        server_segments = srv.stop()
    last = server_segments[-1] if in_window else None
    with Capture(topo, "wlan", "ar",
                 bpf="tcp and src host %s and src port %d" % (addr, cport)) \
            as cap, \
            Capture(topo, "host", netns.LIF,
                    bpf="tcp and src port 8000 and dst port %d" % cport) \
            as at_host:
        _forge(topo, forge_access, addr, cport, host_mac, last)
        # The segment went through the bridge (and marked the connection,
        # if it does) once it reached the host.
        wait_until(at_host.has_frames, 5, interval=0.01,
                   what="the forged segment at the host")
        for _ in range(5):
            client.stdin.write("send\n")
            client.stdin.flush()
            if fh.readline(client) != "sent":
                break       # reset: the connection went where it is unknown
        pkts = cap.stop(linger=1.0)
    if client.poll() is None:
        client.stdin.write("close\n")
        client.stdin.flush()
    fh.finish(client)
    got = int(fh.finish(server).strip().splitlines()[-1])
    return got, len(pkts)


def test_forged_tcp_segment_does_not_move_a_connection(topo):
    addr = settle(topo)
    host_mac = mac_of(topo, "lif0")
    fh.lif_ctl(topo, "--wait", "policy-add", "lif0", "ssh", "10",
               "tcp6,tp_dst=8000", "lte0")
    got, on_wlan = _tcp_session(topo, addr, host_mac, "wlan")
    assert on_wlan == 0, "the forged segment moved the connection"
    assert got == 800

    # A segment that continues the server's last one exactly, from the
    # same place, does move it (so the test above can fail): the host's
    # next segments leave through wlan.
    got, on_wlan = _tcp_session(topo, addr, host_mac, "wlan", in_window=True)
    print("in-window segment: %d host segments through wlan, server got %d"
          % (on_wlan, got))
    assert on_wlan > 0


def test_icmp_echo_follows_its_identifier(topo):
    """Both access routers (same address, PMIPv6-style) ping the host at
    the same time: each one's echoes are answered through its own access,
    although the two flows differ only in the echo identifier."""
    addr = settle(topo)
    pings = {a: topo.popen(a, "ping", "-6", "-n", "-c", "20", "-i", "0.1",
                           "-W", "1", addr) for a in ("wlan", "lte")}
    results = {}
    for a, p in pings.items():
        out, _ = p.communicate(timeout=30)
        results[a] = out
    for a, out in results.items():
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        print("%s: %s" % (a, m.group(0)))
        # The first echo may be answered through the default path (wlan)
        # before its identifier is known on lte.
        assert int(m.group(2)) >= 19, out
