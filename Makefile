# sapro: build, run, test, install.  `make run` and `make test` are the two commands a new user needs.
PREFIX ?= /usr/local
APT_PACKAGES := libedit-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev pkg-config
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps build release run test lint format tsan install uninstall bench clean

## deps: install the system libraries sapro links against, if any is missing (Debian/Ubuntu).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## test-deps: the references the tests compare against (skipped with a note if pip is missing): py-fsrs
## 6.3.2 for the scheduler, fsrs-rs-python 0.9.3 (fsrs-rs 6.6.1, Anki's optimizer) for `srs optimize`,
## anki 26.9.3 (the real Anki library) to import what `export anki` writes.
test-deps:
	@python3 -c 'import fsrs' 2>/dev/null || python3 -m pip install -q fsrs==6.3.2 2>/dev/null \
	  || echo "note: py-fsrs not installed; the live reference comparison will be skipped"
	@python3 -c 'import fsrs_rs_python' 2>/dev/null || python3 -m pip install -q fsrs-rs-python==0.9.3 2>/dev/null \
	  || echo "note: fsrs-rs-python not installed; the live optimizer comparison will be skipped"
	@python3 -c 'import anki.collection' 2>/dev/null || python3 -m pip install -q anki==26.9.3 2>/dev/null \
	  || echo "note: anki not installed; the import test of export anki will be skipped"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: build and start sapro (the REPL) with the default data directory.
run: release
	./.build/release/sapro $(ARGS)

## test: the format check, then the whole test suite (unit and end-to-end).
test: deps test-deps lint
	$(SWIFT) test

## lint: the code as `swift format` (shipped with the toolchain) lays it out, with `.swift-format`.
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

## format: lay the code out with `swift format` and `.swift-format`.
format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

## tsan: the whole suite under ThreadSanitizer, in a build directory of its own (about 4 minutes).
tsan: deps test-deps
	$(SWIFT) test --sanitize=thread --scratch-path .build/tsan

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sapro
	install -m 755 .build/release/sapro $(DESTDIR)$(PREFIX)/bin/sapro
	rm -rf $(DESTDIR)$(PREFIX)/share/sapro/Content $(DESTDIR)$(PREFIX)/share/sapro/Quizzes
	cp -R Content Quizzes $(DESTDIR)$(PREFIX)/share/sapro/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sapro
	rm -rf $(DESTDIR)$(PREFIX)/share/sapro

bench: release
	./bench/run

clean:
	rm -rf .build
