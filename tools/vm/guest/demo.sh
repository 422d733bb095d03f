#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make demo`: load gmm.ko and show it at work.
step() { echo; echo "### $*"; }

step "insmod gmm.ko"
insmod /lib/gmm/gmm.ko || exit 1
dmesg | grep 'gmm:' | tail -n 1
ls -l /dev/gmm

step "gmmctl info"
gmmctl info || exit 1

step "gmmctl --json info"
gmmctl --json info || exit 1

step "cat /sys/kernel/debug/gmm/info"
cat /sys/kernel/debug/gmm/info

step "rmmod gmm"
rmmod gmm || exit 1
dmesg | grep 'gmm:' | tail -n 1
