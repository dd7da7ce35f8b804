"""pytest fixtures for the ovs-lif integration tests (root, namespaces).

Environment:
  LIF_BUILDDIR     build tree with controller/lif-controller
                   (default /work/main/_build)
  LIF_SRCDIR       source tree (default: the repository holding this file)
  LIF_TEST_PIPELINE  controller (default) | ffgroup: "ffgroup" replaces
                   lif-controller by a hand-made fast-failover group, to
                   check the topology itself
  LIF_KEEP_RUNDIR  1: keep the run directory (logs) after each test
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns  # noqa: E402


def pytest_collection_modifyitems(config, items):
    # Not a skip: a run that cannot test anything must not look green.
    if os.geteuid() != 0:
        pytest.exit("the integration tests need root (network namespaces)",
                    returncode=1)


def topology(request, mode="controller", factory=None, **kwargs):
    """Generator for topology fixtures: a netns.Topology set up fresh for
    each test and always torn down (processes by pid, namespaces by name),
    even on failure; logs are dumped when the test failed."""
    if mode == "controller":
        builddir = os.environ.get("LIF_BUILDDIR", "/work/main/_build")
        ctl = os.path.join(builddir, "controller", "lif-controller")
        if not os.access(ctl, os.X_OK):
            pytest.fail("%s is missing: build ovs-lif first (or set "
                        "LIF_BUILDDIR)" % ctl)
    t = (factory or netns.Topology)(mode=mode, **kwargs)
    try:
        t.start()
        yield t
        if hasattr(request.node, "rep_call") and request.node.rep_call.failed:
            t.dump_logs()
    finally:
        t.stop()


@pytest.fixture
def topo(request):
    """The sandbox topology (see topology())."""
    yield from topology(request,
                        os.environ.get("LIF_TEST_PIPELINE", "controller"),
                        tag="liftest-%d" % os.getpid())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
