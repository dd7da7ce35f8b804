# Fuzzing with libFuzzer: "make fuzz" builds the targets, "make fuzz-run"
# runs each for FUZZ_SECONDS on its seed corpus.  Neither is part of "make"
# or "make check": they need clang with its sanitizer and libFuzzer runtimes
# (Debian: clang and libclang-rt-14-dev).
#
# The targets are built from their sources and the pure code they test,
# with clang and the sanitizers; OVS's static library and the libraries it
# depends on (its libtool archive's dependency_libs, any libtool archive
# among them replaced by its static library) are linked as they are.

FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_SECONDS = 60
FUZZ_FLAGS =

FUZZ_TARGETS = tests/fuzz/fuzz-ra
EXTRA_DIST += tests/fuzz/fuzz-ra.c tests/fuzz/corpus-ra
CLEANFILES += $(FUZZ_TARGETS)

tests/fuzz/fuzz-ra: $(srcdir)/tests/fuzz/fuzz-ra.c $(srcdir)/lib/lif-ra.c \
		$(srcdir)/lib/lif-ra.h $(OVS_LIBDIR)/libopenvswitch.la
	$(AM_V_CCLD)$(MKDIR_P) tests/fuzz && \
	ovs_libs=`sed -n "s/^dependency_libs='\(.*\)'$$/\1/p" \
		$(OVS_LIBDIR)/libopenvswitch.la | \
		sed 's,\([^ ]*\)/\([^/ ]*\)\.la,\1/.libs/\2.a,g'` && \
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARNING_FLAGS) $(DEFS) \
		$(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) -o $@ \
		$(srcdir)/tests/fuzz/fuzz-ra.c $(srcdir)/lib/lif-ra.c \
		$(OVS_LIBDIR)/.libs/libopenvswitch.a $$ovs_libs

fuzz: $(FUZZ_TARGETS)

# New inputs go to tests/fuzz/corpus-ra.new in the build directory, crash
# reproducers to tests/fuzz/ there; the committed seed corpus is only read.
fuzz-run: fuzz
	$(MKDIR_P) tests/fuzz/corpus-ra.new
	tests/fuzz/fuzz-ra -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -artifact_prefix=tests/fuzz/ $(FUZZ_FLAGS) \
		tests/fuzz/corpus-ra.new $(srcdir)/tests/fuzz/corpus-ra

.PHONY: fuzz fuzz-run
