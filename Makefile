# SPDX-License-Identifier: GPL-2.0
#
# gmm - a Go-style garbage-collected memory manager as a kernel module.
#
#   make              build gmm.ko (and gmm_test.ko where the kernel has KUnit)
#                     against KDIR, plus the user-space tools
#   make check        all tests, in QEMU, on a debug kernel and on Debian's own
#   make lint         checkpatch --strict, kernel-doc, W=1 + sparse, tools with
#                     -Werror, shellcheck, reST; fails on any finding
#   make docs         Documentation/ as HTML in build/docs/html (Sphinx, the
#                     API reference from kernel-doc); fails on any warning
#   make demo         boot a VM, load gmm.ko and show it at work
#   make bench        gmm vs kmalloc, kmem_cache, mempool and Go: allocation,
#                     binary-trees, marking, pauses, page heap, shrinking live set,
#                     in a VM (Documentation/benchmarks.rst)
#   make stress       the collector's stress suite for 10 minutes (GMM_STRESS_SECONDS),
#                     on the debug kernel and on a KCSAN kernel
#   make mutate       the mutation run: the debug kernel once per deliberate
#                     collector bug (tools/vm/mutants.tsv); every one must be
#                     killed by the tests
#   make install      gmm.ko into /lib/modules/<KDIR's release>/extra; gmmctl,
#                     libgmm, headers and man pages under PREFIX (/usr/local);
#                     DESTDIR is honoured
#   make uninstall    remove what make install put (same KDIR, PREFIX, DESTDIR)
#   make dkms-install copy the module's sources to /usr/src/gmm-<version>, then
#                     dkms add, build and install for KVER (default: running kernel)
#   make dkms-remove  dkms remove gmm/<version> --all and delete the sources
#   make clean
#
# KDIR defaults to the running kernel's build tree, as usual for external
# modules; KVER picks the kernel of `make dkms-install`.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell sed -n 's/^[#]define GMM_VERSION "\(.*\)"$$/\1/p' $(CURDIR)/gmm/internal.h)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
INSTALL_MOD_DIR ?= extra
INSTALL ?= install

# Kernel release of KDIR (which need not be the running kernel): where
# modules_install puts gmm.ko, and where uninstall looks for it.  Taken from
# UTS_RELEASE, as vermagic is: Debian's header trees override Kbuild's
# KERNELRELEASE (include/config/kernel.release says 6.1.N there).
KRELEASE = $(shell sed -n 's/^[#]define UTS_RELEASE "\(.*\)"$$/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR = $(DESTDIR)/lib/modules/$(KRELEASE)/$(INSTALL_MOD_DIR)

# What make install takes from the user-space build (tools/Makefile).
GMMCTL := tools/gmmctl/gmmctl
GMMCTL_MAN := tools/gmmctl/gmmctl.8
LIBGMM_DIR := tools/lib/gmm
LIBGMM_HDR := $(LIBGMM_DIR)/gmm.h
LIBGMM_MAN := $(LIBGMM_DIR)/libgmm.3
UAPI_HDR := include/uapi/linux/gmm.h
# The page of gmmctl serve: gmmctl looks for it in ../share/gmmctl/www
# next to itself, then in DATADIR as it was built (GMMCTL_WWW_DIR).
WWW_FILES := $(wildcard tools/gmmctl/serve/www/*)
WWW_DIR = $(DATADIR)/gmmctl/www

# DKMS: the sources a DKMS build needs, copied without build products.
DKMS_SRC = /usr/src/gmm-$(VERSION)
DKMS_FILES := Kbuild dkms.conf gmm include tests/kunit
DKMS_EXCLUDE := --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='.*.d' --exclude='*.a' \
	--exclude=modules.order --exclude=Module.symvers

.PHONY: all modules tools clean check lint docs demo bench stress mutate help \
	install uninstall modules_install dkms-install dkms-remove

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools GMMCTL_WWW_DIR=$(WWW_DIR)

check:
	tools/vm/check.sh

lint:
	tools/vm/lint.sh

docs:
	tools/docs/build.sh

demo:
	tools/vm/demo.sh

bench:
	tools/vm/bench.sh

stress:
	tools/vm/stress.sh

mutate:
	tools/vm/mutate.sh

# Kbuild's own modules_install: it compresses as KDIR's config says, and
# signs with KDIR's key where the config asks for signing and the key is
# there.  A distribution's header package has no key (it is the
# distribution's secret): Kbuild would print an SSL error per module and go
# on, so signing is switched off instead.  depmod runs here, not in Kbuild:
# Debian's header packages have no System.map, so Kbuild would skip it, and
# under DESTDIR it is the packager's to run.
SIG_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' $(KDIR)/.config 2>/dev/null)
NOSIGN = $(if $(SIG_KEY),$(if $(filter pkcs11:%,$(SIG_KEY))$(wildcard $(SIG_KEY) $(KDIR)/$(SIG_KEY)),,CONFIG_MODULE_SIG_ALL=))

modules_install: modules
	@test -n "$(KRELEASE)" || { echo "install: no kernel release in $(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) DEPMOD=true $(NOSIGN) modules_install
	@if [ -z "$(DESTDIR)" ] && [ -d /lib/modules/$(KRELEASE)/kernel ]; then \
		echo "depmod -a $(KRELEASE)"; depmod -a $(KRELEASE); fi

# libgmm: the static library, the shared library under its real name,
# the soname link to it and the development link libgmm.so.  The names come
# from the built library itself (its SONAME), so a new ABI version needs
# no change here.
install: modules_install tools
	$(MAKE) -C $(LIBGMM_DIR)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 755 $(GMMCTL) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(UAPI_HDR) $(DESTDIR)$(INCLUDEDIR)/linux/gmm.h
	$(INSTALL) -m 644 $(LIBGMM_HDR) $(DESTDIR)$(INCLUDEDIR)/gmm.h
	$(INSTALL) -m 644 $(GMMCTL_MAN) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -d $(DESTDIR)$(WWW_DIR)
	$(INSTALL) -m 644 $(WWW_FILES) $(DESTDIR)$(WWW_DIR)/
	$(INSTALL) -m 644 $(LIBGMM_MAN) $(DESTDIR)$(MANDIR)/man3/
	$(INSTALL) -m 644 $(LIBGMM_DIR)/libgmm.a $(DESTDIR)$(LIBDIR)/
	@set -e; real=$$(cd $(LIBGMM_DIR) && find . -maxdepth 1 -name 'libgmm.so*' -type f | sed 's|^\./||'); \
	test "$$(echo "$$real" | wc -w)" = 1 || { echo "install: expected one libgmm.so* file in $(LIBGMM_DIR), found: $$real" >&2; exit 1; }; \
	soname=$$(readelf -d $(LIBGMM_DIR)/$$real | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'); \
	test -n "$$soname" || { echo "install: $(LIBGMM_DIR)/$$real has no SONAME" >&2; exit 1; }; \
	echo "$(INSTALL) -m 755 $(LIBGMM_DIR)/$$real $(DESTDIR)$(LIBDIR)/"; \
	$(INSTALL) -m 755 $(LIBGMM_DIR)/$$real $(DESTDIR)$(LIBDIR)/; \
	if [ "$$soname" != "$$real" ]; then \
		echo "ln -sfn $$real $(DESTDIR)$(LIBDIR)/$$soname"; \
		ln -sfn $$real $(DESTDIR)$(LIBDIR)/$$soname; fi; \
	if [ "$$soname" != libgmm.so ]; then \
		echo "ln -sfn $$soname $(DESTDIR)$(LIBDIR)/libgmm.so"; \
		ln -sfn $$soname $(DESTDIR)$(LIBDIR)/libgmm.so; fi
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then \
		echo ldconfig; ldconfig; fi

# The shared library's names are found by following the links install made:
# libgmm.so -> soname -> real file.
uninstall:
	@test -n "$(KRELEASE)" || { echo "uninstall: no kernel release in $(KDIR) (give KDIR, or KRELEASE=<release>)" >&2; exit 1; }
	@set -e; for m in gmm gmm_test; do for z in '' .gz .xz .zst; do \
		f=$(MODDIR)/$$m.ko$$z; \
		if [ -e "$$f" ]; then echo "rm -f $$f"; rm -f "$$f"; fi; done; done
	@if [ -d $(MODDIR) ] && [ -z "$$(ls -A $(MODDIR))" ]; then echo "rmdir $(MODDIR)"; rmdir $(MODDIR); fi
	@if [ -z "$(DESTDIR)" ] && [ -d /lib/modules/$(KRELEASE)/kernel ]; then \
		echo "depmod -a $(KRELEASE)"; depmod -a $(KRELEASE); fi
	@set -e; d=$(DESTDIR)$(LIBDIR); l=libgmm.so; \
	while [ -L "$$d/$$l" ]; do n=$$(readlink "$$d/$$l"); \
		case "$$n" in libgmm.so*) ;; *) break ;; esac; \
		echo "rm -f $$d/$$l"; rm -f "$$d/$$l"; l=$$n; done; \
	case "$$l" in libgmm.so*) if [ -e "$$d/$$l" ]; then echo "rm -f $$d/$$l"; rm -f "$$d/$$l"; fi ;; esac
	rm -f $(DESTDIR)$(LIBDIR)/libgmm.a \
		$(DESTDIR)$(BINDIR)/gmmctl \
		$(DESTDIR)$(INCLUDEDIR)/linux/gmm.h $(DESTDIR)$(INCLUDEDIR)/gmm.h \
		$(DESTDIR)$(MANDIR)/man8/gmmctl.8 $(DESTDIR)$(MANDIR)/man3/libgmm.3
	rm -f $(addprefix $(DESTDIR)$(WWW_DIR)/,$(notdir $(WWW_FILES)))
	@for d in $(DESTDIR)$(WWW_DIR) $(DESTDIR)$(DATADIR)/gmmctl; do \
		if [ -d $$d ] && [ -z "$$(ls -A $$d)" ]; then echo "rmdir $$d"; rmdir $$d; fi; done
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null; then \
		echo ldconfig; ldconfig; fi

# DKMS builds gmm.ko (see dkms.conf) for KVER now and for every kernel
# installed later.  An earlier registration of the same version is removed
# first, so this can be run again.
dkms-install:
	@test "$$(id -u)" = 0 || { echo "dkms-install: run as root" >&2; exit 1; }
	@command -v dkms >/dev/null || { echo "dkms-install: dkms is not installed (apt-get install dkms)" >&2; exit 1; }
	@grep -q '^PACKAGE_VERSION="$(VERSION)"$$' dkms.conf || \
		{ echo "dkms-install: dkms.conf's PACKAGE_VERSION is not GMM_VERSION $(VERSION)" >&2; exit 1; }
	@if [ -n "$$(dkms status -m gmm -v $(VERSION) 2>/dev/null)" ]; then \
		echo "dkms remove -m gmm -v $(VERSION) --all"; \
		dkms remove -m gmm -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	tar -c $(DKMS_EXCLUDE) $(DKMS_FILES) | tar -x -C $(DKMS_SRC)
	dkms add -m gmm -v $(VERSION)
	dkms build -m gmm -v $(VERSION) -k $(KVER)
	dkms install -m gmm -v $(VERSION) -k $(KVER)

dkms-remove:
	@test "$$(id -u)" = 0 || { echo "dkms-remove: run as root" >&2; exit 1; }
	@if command -v dkms >/dev/null && [ -n "$$(dkms status -m gmm -v $(VERSION) 2>/dev/null)" ]; then \
		echo "dkms remove -m gmm -v $(VERSION) --all"; \
		dkms remove -m gmm -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		rm -rf *.o *.ko *.mod* .*.cmd Module.symvers modules.order gmm/*.o gmm/.*.cmd tests/kunit/*.o tests/kunit/.*.cmd
	$(MAKE) -C tools clean
	rm -rf build

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile
