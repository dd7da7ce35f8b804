"""Multihomed topology for the path-awareness tests (RFC 7847 sections 5.3
and 6.1): access routers that differ, and a server behind both.

    host ns: lif0 over wlan0 + lte0 (as netns.Topology)
    <tag>-wlan: "ar" MAC 02:00:00:00:ac:01, fe80::1, 2001:db8:1::1/64,
                radvd for 2001:db8:1::/64; "upl" to the server
    <tag>-lte:  "ar" MAC 02:00:00:00:ac:02, fe80::2, 2001:db8:2::1/64,
                radvd for 2001:db8:2::/64; "upl" to the server
    <tag>-srv:  the server, 2001:db8:99::1, reachable through either router

Each router forwards only packets from its own prefix (BCP 38 ingress
filtering, as real access networks do), so a packet that leaves through
the wrong access is dropped, as it is on real networks.

"same_ll=True": both routers use fe80::1 and advertise 2001:db8:1::/64 but
keep their own MACs (two vendors' MAGs in one PMIPv6 domain).
"""


import netns

SERVER = "2001:db8:99::1"
ROUTERS = {
    # name: (MAC, link-local, prefix, uplink subnet)
    "wlan": ("02:00:00:00:ac:01", "fe80::1", "2001:db8:1::", "2001:db8:a::"),
    "lte": ("02:00:00:00:ac:02", "fe80::2", "2001:db8:2::", "2001:db8:b::"),
}

RADVD_CONF = """interface ar {
    AdvSendAdvert on;
    MinRtrAdvInterval 30;
    MaxRtrAdvInterval 60;
    AdvDefaultLifetime 180;
    prefix %s/64 {
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime 86400;
        AdvPreferredLifetime 14400;
    };
};
"""


class MultihomeTopology(netns.Topology):
    """netns.Topology with routers that differ and a server behind both.

    Router advertisements are infrequent (30-60 s) on purpose: a test that
    sees the host react within a second or two knows it was lif-controller
    (its solicitation or its advertisement), not radvd's schedule."""

    def __init__(self, same_ll=False, own=(), **kwargs):
        super().__init__(**kwargs)
        self.same_ll = same_ll
        self.own = own
        self.ns["srv"] = self.tag + "-srv"

    def router(self, name):
        mac, ll, prefix, up = ROUTERS[name]
        if self.same_ll:
            ll, prefix = ROUTERS["wlan"][1], ROUTERS["wlan"][2]
        return mac, ll, prefix, up

    def _setup_access(self, name, subif):
        if name == "wlan":
            self._setup_server()
        mac, ll, prefix, up = self.router(name)
        ns = self.ns[name]
        self._link_access(name, subif, mac, (ll, prefix + "1"))
        self.run(name, "ip", "link", "set", "ar", "up")

        # Uplink to the server.
        self.run("srv", "ip", "link", "add", "up-" + name, "type", "veth",
                 "peer", "name", "upl", "netns", ns)
        self.run(name, "ip", "-6", "addr", "add", up + "1/64", "dev", "upl",
                 "nodad")
        self.run(name, "ip", "link", "set", "upl", "up")
        self.run("srv", "ip", "-6", "addr", "add", up + "2/64", "dev",
                 "up-" + name, "nodad")
        self.run("srv", "ip", "link", "set", "up-" + name, "up")
        self.run(name, "ip", "-6", "route", "add", SERVER + "/128", "via",
                 up + "2")
        if not self.same_ll or name == "wlan":
            self.run("srv", "ip", "-6", "route", "add", prefix + "/64",
                     "via", up + "1")

        # BCP 38: forward only what comes from this access's own prefix.
        self.run(name, "ip", "-6", "rule", "add", "iif", "ar", "from",
                 prefix + "/64", "lookup", "main", "pref", "100")
        self.run(name, "ip", "-6", "rule", "add", "iif", "ar", "lookup",
                 "200", "pref", "200")
        self.run(name, "ip", "-6", "route", "add", "blackhole", "default",
                 "table", "200")

        self._start_radvd(name, RADVD_CONF % prefix)

    def _setup_server(self):
        self.run("srv", "ip", "link", "set", "lo", "up")
        self.run("srv", "ip", "-6", "addr", "add", SERVER + "/128", "dev",
                 "lo")
        self.run("srv", "sysctl", "-qw", "net.ipv6.conf.all.forwarding=0")

    def _setup_bridge(self):
        super()._setup_bridge()
        for subif in self.own:
            self.vsctl("set", "interface", subif,
                       "external_ids:lif-lladdr=own")

    def far_end(self, access, up):
        """As netns.Topology.far_end(), but the router's link-local address
        is back before its link is (as on a real router, which keeps it)."""
        mac, ll, prefix, _ = self.router(access)
        if up:
            self.run(access, "ip", "-6", "addr", "replace", ll + "/64",
                     "dev", "ar", "nodad")
        self.run(access, "ip", "link", "set", "ar", "up" if up else "down")

    def lif_addrs6(self):
        """{address: flags} of the LIF's global IPv6 addresses."""
        out = self.host("ip", "-6", "-o", "addr", "show", "dev", netns.LIF,
                        "scope", "global", check=False).stdout
        addrs = {}
        for line in out.splitlines():
            f = line.split()
            addr = f[3].split("/")[0]
            addrs[addr] = set(f[4:])
        return addrs

    def lif_addr_in(self, prefix, preferred=True):
        for addr, flags in self.lif_addrs6().items():
            if addr.startswith(prefix) and "tentative" not in flags \
                    and (not preferred or "deprecated" not in flags):
                return addr
        return None

    def default_routers(self):
        out = self.host("ip", "-6", "route", "show", "default",
                        check=False).stdout
        return out
