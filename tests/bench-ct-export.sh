#! /bin/sh
# Copyright (c) 2026 The ovs-lif authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# bench-ct-export.sh BUILDDIR [N]: what exporting the reflective flows from
# conntrack costs with N entries (default 100000) in the LIF's zone, as
# ratios against the same setup with none, measured in the same run.
#
# Hermetic: ovsdb-server, ovs-vswitchd (dummy datapath) and lif-controller
# run in a temporary directory, as in the autotests; nothing touches the
# system.  The entries are ICMPv6 echo requests from N different sources
# (2001:db8:5::/64) through lte0, which the pipeline commits to the LIF's
# zone with ct_mark = lte0's port: N reflective flows, N distinct rows.
# ovs-vswitchd's clock is stopped before anything is measured, so that
# they do not expire (their remaining timeouts are then all equal).

set -e
builddir=`cd "${1:?usage: $0 BUILDDIR [N]}" && pwd`
n=${2:-100000}
srcdir=`cd \`dirname "$0"\`/.. && pwd`
ovs=$srcdir/_ovs
PATH=$builddir/controller:$builddir/utilities:$ovs/ovsdb:$ovs/vswitchd:$ovs/utilities:$PATH
dir=`mktemp -d /tmp/bench-ct-export.XXXXXX`
cd "$dir"
OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir OVS_SYSCONFDIR=$dir
export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR

pids=
cleanup () {
    for p in $pids; do kill "$p" 2>/dev/null || :; done
}
trap cleanup 0
test -z "$BENCH_KEEP" || trap - 0
start () {
    "$@" -vconsole:off --detach --no-chdir --pidfile --log-file
    pids="$pids `cat $1.pid`"
}

ovsdb-tool create conf.db "$ovs/vswitchd/vswitch.ovsschema"
ovsdb-tool create lif.db "$srcdir/ovsdb/lif.ovsschema"
start ovsdb-server --remote=punix:$dir/db.sock conf.db lif.db
ovs-vsctl --no-wait init
start ovs-vswitchd --enable-dummy --disable-system --disable-system-route
ovs-vsctl add-br br0 -- set bridge br0 datapath_type=dummy \
    -- add-port br0 lif0 -- set interface lif0 type=internal \
           external_ids:lif-role=logical ofport_request=1 \
    -- add-port br0 wlan0 -- set interface wlan0 type=dummy \
           external_ids:lif-priority=200 ofport_request=2 \
    -- add-port br0 lte0 -- set interface lte0 type=dummy \
           external_ids:lif-priority=100 ofport_request=3
start lif-controller
ctl=`cat lif-controller.pid`
vsd=`cat ovs-vswitchd.pid`

# wait_for SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS.
wait_for () {
    t=$1; shift
    i=0
    while ! "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        if test $i -gt $((t * 10)); then
            echo "timed out: $*" >&2
            exit 1
        fi
        sleep 0.1
    done
}
status () {
    ovs-appctl -t lif-controller connection-status | grep 'conntrack:'
}
has_ct_dump () {
    status | grep -q "conntrack: connected, zone [0-9]*, $1 entries"
}
# cpu PID: user + system clock ticks so far.
cpu () {
    awk '{print $14 + $15}' /proc/$1/stat
}
rss_kib () {
    awk '/^VmRSS/ {print $2}' /proc/$1/status
}
# latency N: median and maximum milliseconds of N "ovs-appctl -t
# lif-controller version" (lif-controller's main loop answers them), one
# every 0.25 s.
latency () {
    for i in `seq $1`; do
        t0=`date +%s%N`
        ovs-appctl -t lif-controller version >/dev/null
        t1=`date +%s%N`
        echo $(((t1 - t0) / 1000))
        sleep 0.25
    done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)] / 1000, a[NR] / 1000}'
}
# measure N: CPU, RSS, dump time and latency over N latency samples.
measure () {
    hz=`getconf CLK_TCK`
    c0=`cpu $ctl`; v0=`cpu $vsd`; t0=`date +%s%N`
    lat=`latency $1`
    c1=`cpu $ctl`; v1=`cpu $vsd`; t1=`date +%s%N`
    ms=$(((t1 - t0) / 1000000))
    ctl_cpu=`echo "$c0 $c1 $hz $ms" | awk '{printf "%.2f", ($2 - $1) * 100000 / $3 / $4}'`
    vsd_cpu=`echo "$v0 $v1 $hz $ms" | awk '{printf "%.2f", ($2 - $1) * 100000 / $3 / $4}'`
    dump=`status | sed 's/.*last dump \([0-9]*\) ms$/\1/'`
    echo "$ctl_cpu $vsd_cpu `rss_kib $ctl` $dump $lat"
}

wait_for 30 has_ct_dump 0
# ICMP entries expire 60 s after their last packet, less than it takes to
# create 100000 of them and measure: stop ovs-vswitchd's clock (for the
# baseline too, so that both see the same switch).
ovs-appctl time/stop
sleep 2
set -- `measure 40`
b_ctl=$1 b_vsd=$2 b_rss=$3 b_dump=$4 b_med=$5 b_max=$6
echo "baseline (0 entries): lif-controller ${b_ctl} % CPU, RSS $b_rss KiB," \
     "conntrack dump $b_dump ms, appctl latency median $b_med ms max" \
     "$b_max ms; ovs-vswitchd ${b_vsd} % CPU"

mac=`ovs-vsctl get interface lif0 mac | tr -d '"'`
t0=`date +%s`
"${PYTHON3:-/usr/bin/python3}" - "$mac" "$n" > packets <<'EOF'
import socket, struct, sys

def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

mac, n = sys.argv[1], int(sys.argv[2])
dst = socket.inet_pton(socket.AF_INET6, "2001:db8:1::10")
eth = (bytes.fromhex(mac.replace(":", "")) + bytes.fromhex("02000000ac02")
       + b"\x86\xdd")
batch = []
for i in range(n):
    src = socket.inet_pton(socket.AF_INET6, "2001:db8:5::%x:%x"
                           % (i >> 16, i & 0xffff))
    icmp = struct.pack("!BBHHH", 128, 0, 0, 1, 1) + b"bench..."
    pseudo = src + dst + struct.pack("!IxxxB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(icmp), 58, 64) + src + dst
    batch.append((eth + ip6 + icmp).hex())
    if len(batch) == 50:
        print(" ".join(batch))
        batch = []
if batch:
    print(" ".join(batch))
EOF
while read -r line; do
    ovs-appctl netdev-dummy/receive lte0 $line
done < packets
# The switch takes the last batches in a moment: until the count settles.
count () {
    ovs-appctl dpctl/dump-conntrack | grep -c 'mark=3' || :
}
entries=-1
for i in `seq 100`; do
    prev=$entries
    sleep 0.2
    entries=`count`
    test "$entries" != "$prev" || break
done
t1=`date +%s`
echo "committed $entries of $n entries in $((t1 - t0)) s"

wait_for 50 has_ct_dump $entries
# Long enough for a few dumps at the adaptive pace (one per 50 times the
# time a dump takes).
samples=${BENCH_SAMPLES:-600}
set -- `measure $samples`
echo "with $entries entries: lif-controller ${1} % CPU, RSS $3 KiB," \
     "conntrack dump $4 ms, appctl latency median $5 ms max $6 ms;" \
     "ovs-vswitchd ${2} % CPU"
rows=`lif-ctl --bare --columns=_uuid find Flow origin=reflective | grep -c . || :`
echo "rows exported: $rows (flow-export-limit 1000)"
status
w_ctl=$1 w_vsd=$2 w_rss=$3 w_med=$5 w_max=$6

# The same entries, without the export (limit 0: no conntrack dumps).
lif-ctl set LIF_Global . options:flow-export-limit=0
wait_for 30 sh -c '! lif-ctl --bare --columns=_uuid find Flow origin=reflective | grep -q .'
set -- `measure $samples`
echo "same entries, export off: lif-controller ${1} % CPU, RSS $3 KiB," \
     "appctl latency median $5 ms max $6 ms; ovs-vswitchd ${2} % CPU"
echo "$b_rss $w_rss $b_med $w_med $b_max $w_max" | awk '{
    printf "ratios with %s entries / none: lif-controller RSS %.2f, appctl latency median %.2f, max %.2f\n", "'$entries'", $2 / $1, $4 / $3, $6 / $5 }'
echo "$w_vsd $2 $w_ctl $1" | awk '{
    printf "export on - off, CPU share: ovs-vswitchd %+.2f points, lif-controller %+.2f points (target about 2)\n", $1 - $2, $3 - $4 }'
