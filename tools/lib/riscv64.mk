# Cross-builds the portable rivet (//cli:rivet) for riscv64 Linux. Run by
# tools/lib/cross_build_riscv64.sh, which derives SOURCES_FILE from Bazel's
# view of //cli:rivet, so this file never lists a source itself.
#
#   make -f tools/lib/riscv64.mk ROOT=/path/to/repo OUT=/path/to/out/riscv64 \
#        SOURCES_FILE=OUT/sources.mk
#
# Make gives the incremental part: each .cc becomes one object, and the
# dependency files the compiler writes (-MMD) rebuild an object when any
# header it includes changes. Flags match .bazelrc (C++20, -O2, -Wall).

CXX := riscv64-linux-gnu-g++
CXXFLAGS := -std=c++20 -O2 -Wall
CPPFLAGS := -I$(ROOT)
# -latomic: 1- and 2-byte atomics are library calls on riscv64.
LDLIBS := -pthread -latomic

include $(SOURCES_FILE)

OBJECTS := $(patsubst %.cc,$(OUT)/obj/%.o,$(RIVET_SOURCES))

$(OUT)/rivet: $(OBJECTS) $(SOURCES_FILE)
	$(CXX) -o $@.tmp $(OBJECTS) $(LDLIBS)
	mv -f $@.tmp $@

$(OUT)/obj/%.o: $(ROOT)/%.cc
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJECTS:.o=.d)
