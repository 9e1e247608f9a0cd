# cqod — build, test and run. See README.md.
#
#   make            build/cqod and build/cqoctl
#   make run        install missing deps (as root), build, demo database, console
#   make check      every test, then again under ASan+UBSan
#   make bench      benchmarks (figures printed, never asserted)
#   make fuzz       fuzz targets for as long as FUZZ_SECONDS says
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX     ?= /usr/local
DESTDIR    ?=
SYSCONFDIR ?= /etc
# Where systemd looks: Debian 12 keeps packaged units in /lib/systemd/system;
# other prefixes use their own lib/ (systemd reads /usr/local/lib/... too).
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DATADIR    := $(PREFIX)/share/cqod
DOCDIR     := $(PREFIX)/share/doc/cqod
MANDIR     := $(PREFIX)/share/man
# Manual pages by section: every file listed is installed and uninstalled.
MAN5       := man/cqod.conf.5
MAN8       := man/cqod.8 man/cqoctl.8
BUILD      ?= build
CC         ?= cc
SAN        ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

PKGS       := libuv libcurl libcjson sqlite3 libcrypto expat inih libprotobuf-c libwebsockets \
              xlsxwriter
DEB_BUILD  := build-essential pkg-config libuv1-dev libcurl4-openssl-dev libcjson-dev \
              libsqlite3-dev libssl-dev libexpat1-dev libinih-dev libhttp-parser-dev \
              libcmocka-dev libprotobuf-c-dev protobuf-c-compiler \
              libwebsockets-dev libwebsockets-evlib-uv libxlsxwriter-dev
DEB_TEST   := python3 openssl clang libclang-rt-14-dev systemd nodejs npm util-linux
DEB_BENCH  := wrk nginx-light bc curl nodejs npm

WARN       := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
              -Wmissing-prototypes -Wvla
# CFLAGS and LDFLAGS are the user's (make CFLAGS=-O0 replaces them); what the
# build cannot do without is in CQOD_CFLAGS / CQOD_LDFLAGS, added after them.
CFLAGS     ?= -O2 -g
# Hardening: stack canaries, PIE, read-only relocations bound at start, and
# glibc's checked string functions whenever optimizing (at -O0 glibc warns
# that _FORTIFY_SOURCE does nothing, which -Werror would make an error).
HARDEN_CFLAGS  := -fstack-protector-strong -fPIE
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now
# (Not under the sanitizers: ASan checks those calls itself.)
OPTIMIZING := $(filter-out -O0,$(lastword $(filter -O%,$(CFLAGS))))
ifeq ($(SAN),1)
SAN_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=address,undefined
OPTIMIZING :=
# The tests run hundreds of sanitized processes: a 16 MiB free-quarantine
# (not 256) and 8-frame allocation stacks (not 30) cut their page faults
# and CPU by a third; a use after free is still caught within the last
# 16 MiB freed. Set ASAN_OPTIONS to choose otherwise.
ASAN_OPTIONS ?= quarantine_size_mb=16:malloc_context_size=8
export ASAN_OPTIONS
endif
FORTIFY    := $(if $(OPTIMIZING),-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
CQOD_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP $(HARDEN_CFLAGS) $(FORTIFY) $(SAN_CFLAGS)
CQOD_LDFLAGS = $(HARDEN_LDFLAGS) $(SAN_LDFLAGS)

# pkg-config runs once, for goals that compile (check and run install the
# packages first, then compile in a sub-make); a missing package stops the
# build with pkg-config's own message.
NO_PKG_GOALS := deps clean check run layers uninstall
ifneq (,$(filter-out $(NO_PKG_GOALS),$(or $(MAKECMDGOALS),all)))
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) || echo PKG_FAILED)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) || echo PKG_FAILED)
ifneq (,$(filter PKG_FAILED,$(PKG_CFLAGS) $(PKG_LIBS)))
$(error pkg-config found not all of $(PKGS): see its message above ('make deps' installs them))
endif
endif
CPPFLAGS   += $(PKG_CFLAGS)
LDLIBS     += $(PKG_LIBS) -lhttp_parser -lm

CORE_SRC   := $(wildcard lib/*.c) $(wildcard store/*.c) $(wildcard messages/*.c) \
              $(wildcard handlers/*.c) $(filter-out daemon/main.c,$(wildcard daemon/*.c))
# Protobuf codecs are generated into the build directory by the protoc-c of
# the libprotobuf-c they link against (Debian's pair): generated code checks
# the library's version, so a checked-in copy would drift from the system's.
PROTO      := messages/feishu_frame.proto
PROTO_C    := $(PROTO:messages/%.proto=$(BUILD)/gen/%.pb-c.c)
PROTO_H    := $(PROTO_C:.c=.h)
CPPFLAGS   += -I$(BUILD)/gen
CORE_OBJ   := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(PROTO_C:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
CQOD_OBJ   := $(BUILD)/obj/daemon/main.o
CQOCTL_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cqoctl/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers the unit tests share (tests/unit/fixture.c): an archive, so a test
# links only what it uses.
UNIT_SUPPORT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c)))
LIBUNIT    := $(BUILD)/libunit.a
LIBCORE    := $(BUILD)/libcqod.a

.PHONY: all deps run check layers unit unit-bin integration interop-deps bench fuzz fuzz-bin install \
        uninstall clean

all: $(BUILD)/cqod $(BUILD)/cqoctl

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CQOD_CFLAGS) -c $< -o $@

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: messages/%.proto
	@mkdir -p $(dir $@)
	protoc-c --proto_path=messages --c_out=$(BUILD)/gen $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CQOD_CFLAGS) -c $< -o $@

$(BUILD)/obj/messages/feishu_frame.o $(BUILD)/obj/tests/unit/test_feishu_frame.o: $(PROTO_H)

$(LIBCORE): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/cqod: $(CQOD_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) $(CQOD_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cqoctl: $(CQOCTL_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) $(CQOD_LDFLAGS) -o $@ $^ $(LDLIBS)

# A test may wrap library functions the code under test calls (WRAP_<test>:
# names; the test defines __wrap_<name>), e.g. to make an allocation fail.
comma      := ,
WRAP_test_http := calloc
WRAP_test_stream_life := ws_conn_close httpout_request

$(LIBUNIT): $(UNIT_SUPPORT_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

# The tests' objects are kept: a later make (unit, the sanitizer pass) must
# not compile them again.
.SECONDARY: $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIBUNIT) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(CQOD_LDFLAGS) $(addprefix -Wl$(comma)--wrap=,$(WRAP_$*)) -o $@ $^ $(LDLIBS) -lcmocka

# Installs what is missing (as root, with apt-get); otherwise says what to install.
deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

# The demo runs from the checkout: its config points at ./data (regions,
# holiday calendar) and var/demo.db.
run: deps
	$(MAKE) -j$(JOBS) all
	@mkdir -p var
	@test -f var/demo.conf || printf '[daemon]\ndatabase = var/demo.db\ndata_dir = data\n' >var/demo.conf
	@test -f var/demo.db || ./$(BUILD)/cqoctl -c var/demo.conf demo
	./$(BUILD)/cqod --console -c var/demo.conf

# Includes run one way: lib <- {messages, store} <- handlers <- {daemon, cqoctl}.
layers:
	@sh tests/layers/check.sh
	@sh tests/layers/test_check.sh

unit-bin: $(UNIT_BIN)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

# Integration tests run in parallel worker processes (they mostly wait on
# daemons); run.py's default is four per core.
INTEGRATION_JOBS ?=
integration: all interop-deps
	@python3 tests/integration/run.py --build $(BUILD) $(if $(INTEGRATION_JOBS),-j $(INTEGRATION_JOBS))

# The platforms' SDKs for tests/integration/test_interop.py, exactly as the
# lock file pins them (node and npm come from Debian: make deps).
INTEROP_MODULES := tests/interop/node_modules/.package-lock.json
interop-deps: $(INTEROP_MODULES)
$(INTEROP_MODULES): tests/interop/package-lock.json tests/interop/package.json
	cd tests/interop && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Builds in parallel, then runs the suites one after the other (integration
# tests start daemons and must not compete with the unit tests). The next
# build compiles at low priority (nice 19: it takes only what the tests
# leave idle) while a pass runs: the sanitizer build during the plain
# suites, the fuzz targets during the sanitizer suites.
check: deps layers
	$(MAKE) interop-deps
	$(MAKE) -j$(JOBS) all unit-bin
	sh tests/alongside.sh "nice -n 19 $(MAKE) -j$(JOBS) BUILD=build/san SAN=1 all unit-bin" \
	  "$(MAKE) unit integration"
	sh tests/alongside.sh "nice -n 19 $(MAKE) -j$(JOBS) fuzz-bin" \
	  "$(MAKE) BUILD=build/san SAN=1 unit integration"
	$(MAKE) -j$(JOBS) fuzz FUZZ_SECONDS=2

bench: all
	@sh tests/deps.sh $(DEB_BENCH)
	@$(MAKE) --no-print-directory $(HUBOT_STAMP)
	@sh tests/bench/run.sh $(BUILD)

# The bench's Hubot 14 peer, exactly as its lock file pins it, in the build
# directory (npm writes node_modules beside package.json).
HUBOT_SRC   := $(wildcard tests/bench/hubot/*.json tests/bench/hubot/*/*.mjs)
HUBOT_STAMP := $(BUILD)/hubot/node_modules/.package-lock.json
$(HUBOT_STAMP): $(HUBOT_SRC)
	rm -rf $(BUILD)/hubot && mkdir -p $(BUILD)/hubot
	cp -R tests/bench/hubot/. $(BUILD)/hubot/
	cd $(BUILD)/hubot && npm ci --no-audit --no-fund --loglevel=error

# libFuzzer: one target per decoder of outside input (tests/fuzz/fuzz_<name>.c):
# the platforms' inbound messages, the command tokenizer, the chat forms and
# the HTTP request path. Each is built with clang from only the sources it
# needs and run for FUZZ_SECONDS from its seed corpus (targets in parallel
# under make -j); new finds go to $(BUILD)/fuzz/corpus-<name>, crashes to
# $(BUILD)/fuzz/<name>-crash-*.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_NAMES   := wecom dingtalk feishu args form http dingtalk_stream feishu_frame wecom_aibot
FUZZ_BIN     := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_COMMON  := lib/crypto.c lib/strbuf.c lib/digits.c
FUZZ_SRC_wecom    := messages/wecom.c messages/wecom_crypto.c lib/urlquery.c $(FUZZ_COMMON)
FUZZ_SRC_dingtalk := messages/dingtalk.c $(FUZZ_COMMON)
FUZZ_SRC_feishu   := messages/feishu.c lib/reply.c $(FUZZ_COMMON)
FUZZ_SRC_args     := handlers/args.c
FUZZ_SRC_form     := handlers/args.c handlers/form.c handlers/appoint_form.c handlers/category.c \
                     handlers/validate.c handlers/argtext.c lib/reply.c lib/strbuf.c \
                     lib/clock.c lib/creditcode.c lib/industry.c lib/log.c lib/names.c
FUZZ_SRC_http     := daemon/http_request.c daemon/http_response.c lib/clock.c
FUZZ_SRC_dingtalk_stream := messages/dingtalk_stream.c messages/dingtalk_press.c messages/dingtalk.c \
                            lib/textenc.c \
                            $(FUZZ_COMMON)
FUZZ_SRC_feishu_frame    := messages/feishu_frame.c lib/textenc.c $(PROTO_C) $(FUZZ_COMMON)
FUZZ_SRC_wecom_aibot     := messages/wecom_aibot.c lib/textenc.c $(FUZZ_COMMON)

FUZZ_SAN     := address,undefined -fno-sanitize-recover=all
# Each source is compiled once for all the targets that share it.
fuzz_objs     = $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,tests/fuzz/fuzz_$1.c $(FUZZ_SRC_$1))

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
	  -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/obj/messages/feishu_frame.o $(BUILD)/fuzz/obj/tests/fuzz/fuzz_feishu_frame.o \
$(PROTO_C:%.c=$(BUILD)/fuzz/obj/%.o): $(PROTO_H)

.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_%: $$(call fuzz_objs,$$*)
	$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^ $(LDLIBS)

# Built through a pattern chain: kept, not deleted as intermediates.
.PRECIOUS: $(BUILD)/fuzz/fuzz_% $(BUILD)/fuzz/obj/%.o
fuzz: $(FUZZ_NAMES:%=fuzz-run-%)
fuzz-bin: $(FUZZ_BIN)

fuzz-run-%: $(BUILD)/fuzz/fuzz_%
	@mkdir -p $(BUILD)/fuzz/corpus-$*
	@$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=$(BUILD)/fuzz/$*- $(BUILD)/fuzz/corpus-$* tests/fuzz/corpus/$* \
	  >$(BUILD)/fuzz/$*.log 2>&1 || { tail -40 $(BUILD)/fuzz/$*.log; exit 1; }
	@echo "fuzz_$*: $(FUZZ_SECONDS)s, $$(grep -o 'Done [0-9]* runs' $(BUILD)/fuzz/$*.log | \
	  cut -d' ' -f2) runs, no crash"

# The files of a Debian-style installation; uninstall removes exactly these
# (never /etc/cqod/cqod.conf nor the database). The units name the binaries
# under PREFIX, and the example config the data directory when it is not the
# built-in /usr/share/cqod. Afterwards, as root: systemd-sysusers,
# systemd-tmpfiles --create, systemctl daemon-reload (see README, Operations).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) \
	  $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -d -m 0750 $(DESTDIR)$(SYSCONFDIR)/cqod
	install -m 0755 $(BUILD)/cqod $(BUILD)/cqoctl $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 data/regions.csv data/cn-workcalendar.csv $(DESTDIR)$(DATADIR)/
	sed -e '$(if $(filter /usr,$(PREFIX)),,s|^#data_dir = /usr/share/cqod$$|data_dir = $(DATADIR)|)' \
	  cqod.conf.example >$(BUILD)/cqod.conf.example
	install -m 0644 $(BUILD)/cqod.conf.example $(DESTDIR)$(SYSCONFDIR)/cqod/cqod.conf.example
	install -m 0644 $(BUILD)/cqod.conf.example README.md $(DESTDIR)$(DOCDIR)/
	for u in cqod.service cqod.socket; do \
	  sed -e 's|/usr/bin/|$(PREFIX)/bin/|g' systemd/$$u >$(BUILD)/$$u && \
	  install -m 0644 $(BUILD)/$$u $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	install -m 0644 systemd/cqod.sysusers $(DESTDIR)$(SYSUSERSDIR)/cqod.conf
	install -m 0644 systemd/cqod.tmpfiles $(DESTDIR)$(TMPFILESDIR)/cqod.conf
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cqod $(DESTDIR)$(PREFIX)/bin/cqoctl
	rm -f $(DESTDIR)$(DATADIR)/regions.csv $(DESTDIR)$(DATADIR)/cn-workcalendar.csv
	rm -f $(DESTDIR)$(SYSCONFDIR)/cqod/cqod.conf.example
	rm -f $(DESTDIR)$(DOCDIR)/cqod.conf.example $(DESTDIR)$(DOCDIR)/README.md
	rm -f $(DESTDIR)$(UNITDIR)/cqod.service $(DESTDIR)$(UNITDIR)/cqod.socket
	rm -f $(DESTDIR)$(SYSUSERSDIR)/cqod.conf $(DESTDIR)$(TMPFILESDIR)/cqod.conf
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	for d in $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/cqod; do \
	  [ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d; \
	done

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)
