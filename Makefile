# SPDX-License-Identifier: GPL-3.0-or-later
# Two commands for a newcomer on Debian 12: `make run` and `make test`.
# Everything else is meson and ninja; this file only installs what is missing,
# configures once, and wraps the test run so it ends with one summary line.

BUILD ?= build
ASAN_BUILD ?= build-asan
COV_BUILD ?= build-coverage
DEMO_DB ?= $(BUILD)/demo.db
# CI passes WERROR=1: warnings from our code fail the build there only.
WERROR ?= 0
# `make test` installs what every check needs, so a skipped check means a
# promise not kept and fails the run; ALLOW_SKIPS=1 lets a machine without
# some tool (cage, a GPU-less compositor) still report the rest.
ALLOW_SKIPS ?= 0
SUMMARY_OPTS = $(if $(filter 1,$(ALLOW_SKIPS)),,--no-skips)
MESON_OPTS ?=
# Every build made here is of the development profile (meson_options.txt):
# the .Devel application id and the developer tools (--screenshot,
# --bench-gui, --kiosk-screenshot) that the tests and benchmarks drive.
# The installed product is a plain `meson setup` (the default profile).
PROFILE_OPTS = -Dprofile=development
ifeq ($(WERROR),1)
MESON_OPTS += -Dwerror=true
endif

XVFB = xvfb-run -a -s "-screen 0 1280x1024x24"

.PHONY: all deps build run test test-asan bench coverage mutants clean

all: build

deps:
	@tools/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(PROFILE_OPTS) $(MESON_OPTS)

# A folder set up before the profile option existed is switched over once.
build: deps $(BUILD)/build.ninja
	@/usr/bin/python3 -c 'import json, sys; options = {o["name"]: o["value"] for o in json.load(open(sys.argv[1]))}; \
	  sys.exit(options.get("profile") != "development")' $(BUILD)/meson-info/intro-buildoptions.json \
	  || meson configure $(BUILD) $(PROFILE_OPTS)
	@ninja -C $(BUILD)

$(DEMO_DB):
	$(BUILD)/app/reskill seed-demo --db $(DEMO_DB) --questions questions

run: build $(DEMO_DB)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "make run: no display here; run it from a desktop session, or try: xvfb-run -a make run"; exit 1; fi
	RESKILL_QUESTIONS_DIR=questions RESKILL_ROLES=data/roles.yaml RESKILL_LEARNING=data/learning.yaml \
	  RESKILL_LOCALEDIR=$(BUILD)/po $(BUILD)/app/reskill --db $(DEMO_DB)

# Every test, GUI ones under Xvfb, then "N passed, N failed" from meson's log.
test: build
	@rm -f $(BUILD)/meson-logs/testlog*.json
	@$(XVFB) meson test -C $(BUILD) --print-errorlogs --num-processes 2; status=$$?; \
	  tools/test-summary $(SUMMARY_OPTS) $(BUILD)/meson-logs/testlog.json || status=1; exit $$status

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer. GL is
# off there: Mesa's EGL driver leaks at display open. tests/lsan.supp says why
# each suppression is there; the slow unwinder (fast_unwind_on_malloc=0) lets
# them match on the allocating stack rather than stop at g_malloc.
test-asan: deps
	@[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) $(PROFILE_OPTS) $(MESON_OPTS) \
	  -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
	@ninja -C $(ASAN_BUILD)
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(PROFILE_OPTS) $(MESON_OPTS)
	@ninja -C $(BUILD) app/server/reskill-pg.so
	@rm -f $(ASAN_BUILD)/meson-logs/testlog*.json
	@RESKILL_PG_PLAIN_MODULE=$(CURDIR)/$(BUILD)/app/server/reskill-pg.so GDK_DEBUG=gl-disable GSK_RENDERER=cairo ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=8 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(XVFB) meson test -C $(ASAN_BUILD) --print-errorlogs --num-processes 2 --timeout-multiplier 3; status=$$?; \
	  tools/test-summary $(SUMMARY_OPTS) $(ASAN_BUILD)/meson-logs/testlog.json || status=1; exit $$status

# Line coverage of the whole suite: a summary line per part (core, GUI, CLI,
# report) with its target, and an HTML report in $(COV_BUILD)/coverage/.
coverage: deps
	@[ -f $(COV_BUILD)/build.ninja ] || meson setup $(COV_BUILD) $(PROFILE_OPTS) $(MESON_OPTS) -Db_coverage=true -Dbuildtype=debug
	@ninja -C $(COV_BUILD)
	@find $(COV_BUILD) -name '*.gcda' -delete
	@rm -f $(COV_BUILD)/meson-logs/testlog*.json
	@$(XVFB) meson test -C $(COV_BUILD) --num-processes 2 --timeout-multiplier 2 >/dev/null; \
	  tools/test-summary $(SUMMARY_OPTS) $(COV_BUILD)/meson-logs/testlog.json || exit 1
	@tools/coverage-summary $(COV_BUILD)

# Planted single-line bugs (tests/mutants.txt), each applied, tested and
# reverted in turn; fails when one survives.
mutants: build
	@tools/mutants --build $(BUILD)

bench: build
	$(BUILD)/bench/reskill-bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(COV_BUILD)
