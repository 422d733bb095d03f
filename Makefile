# SPDX-License-Identifier: GPL-2.0
#
# gmm - a Go-style garbage-collected memory manager as a kernel module.
#
#   make            build gmm.ko (and gmm_test.ko where the kernel has KUnit)
#                   against KDIR, plus the user-space tools
#   make check      all tests, in QEMU, on a debug kernel and on Debian's own
#   make demo       boot a VM, load gmm.ko and show it at work
#   make bench      gmm vs kmalloc/kmem_cache/mempool, ns/op, in a VM
#   make stress     the collector's stress suite for 10 minutes (GMM_STRESS_SECONDS)
#   make clean
#
# KDIR defaults to the running kernel's build tree, as usual for external
# modules.

KDIR ?= /lib/modules/$(shell uname -r)/build
TOOLS_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE

.PHONY: all modules tools clean check demo bench stress help

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

check:
	tools/vm/check.sh

demo:
	tools/vm/demo.sh

bench:
	tools/vm/bench.sh

stress:
	tools/vm/stress.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || \
		rm -rf *.o *.ko *.mod* .*.cmd Module.symvers modules.order gmm/*.o gmm/.*.cmd tests/kunit/*.o tests/kunit/.*.cmd
	$(MAKE) -C tools clean
	rm -rf build

help:
	@sed -n '3,14p' Makefile
