# Integration test tools and "make bench" (root; not part of "make check").

# The fixed-rate UDP sender and receiver of the benchmarks and the chaos
# test.
noinst_PROGRAMS += tests/integration/udp-rate
tests_integration_udp_rate_SOURCES = tests/integration/udp-rate.c

# Benchmarks (root, namespaces, about 12 minutes; not part of any check):
# failover/failback, throughput, latency and scale, with baselines, printed
# and plotted into bench-results/.  BENCHFLAGS=--quick for a short run.
bench: all
	LIF_BUILDDIR='$(abs_builddir)' LIF_SRCDIR='$(abs_srcdir)' \
	/usr/bin/python3 $(srcdir)/tests/integration/bench.py \
		--out bench-results $(BENCHFLAGS)
.PHONY: bench
