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
BUILD      ?= build
CC         ?= cc
SAN        ?=

PKGS       := libuv libcurl libcjson sqlite3 libcrypto expat inih
DEB_BUILD  := build-essential pkg-config libuv1-dev libcurl4-openssl-dev libcjson-dev \
              libsqlite3-dev libssl-dev libexpat1-dev libinih-dev libhttp-parser-dev \
              libcmocka-dev
DEB_TEST   := python3 clang libclang-rt-14-dev
DEB_BENCH  := wrk nginx-light bc curl

WARN       := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
              -Wmissing-prototypes -Wvla
CFLAGS     ?= -O2 -g
CFLAGS     += -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP
CPPFLAGS   += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhttp_parser -lm

ifeq ($(SAN),1)
CFLAGS     += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=address,undefined
endif

CORE_SRC   := $(filter-out daemon/main.c,$(wildcard daemon/*.c)) \
              $(wildcard handlers/*.c) $(wildcard messages/*.c)
CORE_OBJ   := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CQOD_OBJ   := $(BUILD)/obj/daemon/main.o
CQOCTL_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cqoctl/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBCORE    := $(BUILD)/libcqod.a

.PHONY: all deps run check unit integration check-san bench fuzz install uninstall clean

all: $(BUILD)/cqod $(BUILD)/cqoctl

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/cqod: $(CQOD_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cqoctl: $(CQOCTL_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Installs what is missing (as root, with apt-get); otherwise says what to install.
deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

run: deps all
	@mkdir -p var
	@test -f var/demo.db || ./$(BUILD)/cqoctl -d var/demo.db --data-dir data demo
	./$(BUILD)/cqod --console -d var/demo.db

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

integration: all
	@python3 tests/integration/run.py --build $(BUILD)

check: deps
	$(MAKE) all unit integration
	$(MAKE) BUILD=build/san SAN=1 all unit integration

bench: all
	@sh tests/deps.sh $(DEB_BENCH)
	@sh tests/bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cqod $(DESTDIR)/etc/cqod
	install -m 0755 $(BUILD)/cqod $(BUILD)/cqoctl $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 data/regions.csv data/cn-workcalendar.csv $(DESTDIR)$(PREFIX)/share/cqod/
	install -m 0644 cqod.conf.example $(DESTDIR)$(PREFIX)/share/cqod/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cqod $(DESTDIR)$(PREFIX)/bin/cqoctl
	rm -rf $(DESTDIR)$(PREFIX)/share/cqod

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
