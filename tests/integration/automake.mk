# Integration test tools and "make bench" (root; not part of "make check").

# The fixed-rate UDP sender and receiver of the benchmarks and the chaos
# test.
noinst_PROGRAMS += tests/integration/udp-rate
tests_integration_udp_rate_SOURCES = tests/integration/udp-rate.c
