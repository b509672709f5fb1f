# dmabench — one Makefile, no generated build system.
#   make            build/dmabench and build/libdmabench.a
#   make test       build and run every test; last line "N passed, N failed"
#   make bench      the default sweep on this machine, then the plots
#   make asan/tsan  the test suite under AddressSanitizer+UBSan / ThreadSanitizer
#   make MITIGATIONS=1 [target]  the mitigated-kernel flavour (retpolines, return thunks) in build/mitigations
#   make plot RUN=dir, make fuzz
#   make compare A=dir B=dir [MORE="dir..."] [OUT=file.csv] [ARGS=--fail-on=slower]
#                   compare.csv (default results/compare-<A>-vs-<B>.csv) and its
#                   overlay plots beside it (<OUT without .csv>-plots/)

CC      ?= cc
MITIGATIONS ?=
BUILD   ?= $(if $(filter 1,$(MITIGATIONS)),build/mitigations,build)
SAN     ?=
PKGS    := liburcu-memb liburcu-qsbr hwloc

# Missing Debian packages are installed (as root) or named (otherwise) before
# anything that needs them is evaluated.
NODEPS_GOALS := clean help deps
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(DMABENCH_DEPS_OK),1)
DEPS_RC := $(shell scripts/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error dependencies missing (see the apt-get line above))
endif
export DMABENCH_DEPS_OK := 1
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libpfm4 ships no .pc file on Debian; use it if present, else plain -lpfm.
PFM_CFLAGS := $(shell pkg-config --cflags libpfm4 2>/dev/null)
PFM_LIBS   := $(shell pkg-config --libs libpfm4 2>/dev/null || echo -lpfm)

ifneq ($(filter-out asan tsan,$(SAN)),)
$(error SAN='$(SAN)': asan, tsan or nothing)
endif
ifeq ($(BUILD),)
$(error BUILD is empty: give a build directory)
endif
ifeq ($(SAN),asan)
SAN_CFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_LDFLAGS := -fsanitize=address,undefined
endif
ifeq ($(SAN),tsan)
SAN_CFLAGS  := -fsanitize=thread -fno-omit-frame-pointer
SAN_LDFLAGS := -fsanitize=thread
endif

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
# The mitigated-kernel flavour: every indirect call through a retpoline and
# every return through a return thunk, as an x86 distribution kernel built
# with CONFIG_RETPOLINE and CONFIG_RETHUNK pays them, so call-bound costs
# compare as they would there. In CFLAGS, so machine.txt's flags show it;
# bench/sweep_rundir.c also writes "build_flavour: mitigations" (machine.txt).
ifneq ($(filter-out 1,$(MITIGATIONS)),)
$(error MITIGATIONS='$(MITIGATIONS)': 1 or nothing)
endif
ifeq ($(MITIGATIONS),1)
override CFLAGS += -mindirect-branch=thunk -mfunction-return=thunk -mindirect-branch-register \
	-fcf-protection=none -DDMABENCH_MITIGATIONS=1
endif
ALL_CFLAGS := -std=gnu11 $(CFLAGS) $(WARN) -pthread -D_GNU_SOURCE \
	-Isrc $(PKG_CFLAGS) $(PFM_CFLAGS) $(SAN_CFLAGS) -MMD -MP
LDLIBS   := $(PKG_LIBS) $(PFM_LIBS) -lm -pthread
ALL_LDFLAGS := $(LDFLAGS) $(SAN_LDFLAGS)

LIB_SRCS   := $(sort $(wildcard src/model/*.c src/strategy/*.c src/harness/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
TEST_SRCS  := $(sort $(filter-out tests/test_main.c,$(wildcard tests/test_*.c)))
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/%.o)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
TEST_BINS  := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
LIB        := $(BUILD)/libdmabench.a
DMABENCH   := $(BUILD)/dmabench

.PHONY: FORCE all test check-build bench quick asan tsan plot compare fuzz clean help deps
all: $(DMABENCH) $(LIB)

deps:
	scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# bench/ sees the git revision and the flags it was built with (machine.txt, --version)
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
# A temp name of its own (mktemp) and an atomic rename: two makes at once
# (make bench twice) each write their own file and never mv the other's.
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@tmp=$$(mktemp $@.XXXXXX) || exit 1; \
	printf '#define DMABENCH_VERSION "0.1"\n#define DMABENCH_GIT_REVISION "%s"\n#define DMABENCH_CC "%s"\n#define DMABENCH_CFLAGS "%s"\n' \
		'$(GIT_REV)' '$(CC)' '-std=gnu11 $(CFLAGS) $(WARN) $(SAN_CFLAGS)' > "$$tmp" || { rm -f "$$tmp"; exit 1; }; \
	if cmp -s "$$tmp" $@; then rm -f "$$tmp"; else chmod 644 "$$tmp" && mv -f "$$tmp" $@ || { rm -f "$$tmp"; exit 1; }; fi
FORCE:

$(BENCH_OBJS): $(BUILD)/gen/version.h
$(BENCH_OBJS): ALL_CFLAGS += -I$(BUILD)/gen -Ibench

$(DMABENCH): $(BENCH_OBJS) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(BENCH_OBJS) $(LIB) $(LDLIBS)

$(BUILD)/tests/test_main.o: tests/test_main.c tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -c $< -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/test_main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/tests/test_main.o $(LIB) $(LDLIBS)

# bench/flag.c, the one bench/ file with a unit test: its test links it
$(BUILD)/tests/test_flag: $(BUILD)/tests/test_flag.o $(BUILD)/tests/test_main.o $(BUILD)/bench/flag.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)
$(BUILD)/tests/test_flag.o: ALL_CFLAGS += -Ibench

$(BUILD)/tests/%.o: tests/%.c tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -c $< -o $@

check-build: $(DMABENCH) $(TEST_BINS)

test: check-build
	@BUILD=$(BUILD) SAN=$(SAN) tests/run.sh

bench: $(DMABENCH)
	scripts/bench.sh $(DMABENCH) $(BENCH_ARGS)

quick: $(DMABENCH)
	scripts/bench.sh $(DMABENCH) --quick $(BENCH_ARGS)

asan:
	$(MAKE) BUILD=build/asan SAN=asan test

tsan:
	$(MAKE) BUILD=build/tsan SAN=tsan test

# $(call shq,VAR): VAR's text as given (not expanded by make: a '$' stays),
# single-quoted for the shell (a '"' or '$' in a path is just a character)
shq = '$(subst ','\'',$(value $(1)))'

plot: $(DMABENCH)
	@test -n $(call shq,RUN) || { echo "make plot: RUN=<run dir> is required" >&2; exit 2; }
	scripts/plot.sh $(call shq,RUN)

compare: $(DMABENCH)
	@test -n $(call shq,A) || { echo "make compare: A=<run dir> is required" >&2; exit 2; }
	@test -n $(call shq,B) || { echo "make compare: B=<run dir> is required" >&2; exit 2; }
	$(DMABENCH) compare $(call shq,A) $(call shq,B) $(MORE) $(ARGS) --out=$(if $(value OUT),$(call shq,OUT),"results/compare-$$(basename $(call shq,A))-vs-$$(basename $(call shq,B)).csv")

# make fuzz: libFuzzer on the CSV reader (clang + Debian's libclang-rt-14-dev).
# New corpus entries go to $(BUILD)/fuzz/corpus-csv; a crash is saved into
# tests/fuzz/regress/, which make test replays (tests/test_csv_regress.c).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -std=gnu11 -O1 -g -D_GNU_SOURCE -Isrc -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CSV_SRCS := src/harness/csv_read.c src/harness/csv_write.c src/harness/atomic_file.c
$(BUILD)/fuzz/fuzz_csv: tests/fuzz/fuzz_csv.c tests/fuzz/csv_check.h $(FUZZ_CSV_SRCS) src/harness/csv.h src/harness/utf8.h
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz: needs clang: apt-get install -y clang libclang-rt-14-dev" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_csv.c $(FUZZ_CSV_SRCS) -lm

fuzz: $(BUILD)/fuzz/fuzz_csv
	@case "$(FUZZ_SECONDS)" in ''|*[!0-9]*|0) echo "make fuzz: FUZZ_SECONDS='$(FUZZ_SECONDS)': a positive number of seconds" >&2; exit 2;; esac
	@mkdir -p $(BUILD)/fuzz/corpus-csv tests/fuzz/regress
	$(BUILD)/fuzz/fuzz_csv -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-dict=tests/fuzz/csv.dict -artifact_prefix=tests/fuzz/regress/ \
		$(BUILD)/fuzz/corpus-csv tests/fuzz/corpus/csv

clean:
	rm -rf build

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile

-include $(LIB_OBJS:.o=.d) $(BENCH_OBJS:.o=.d) $(TEST_BINS:=.d)
.SECONDARY:
