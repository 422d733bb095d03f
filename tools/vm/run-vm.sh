#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh - boot a kernel and an initramfs under QEMU (TCG) and run one
# payload in it.
#
#   run-vm.sh -k BZIMAGE -i INITRD -p PAYLOAD -o LOGDIR [-a ARGS] [-s SMP]
#             [-m MEM_MB] [-t TIMEOUT_S] [-f HOSTPORT:GUESTPORT] [-q]
#
# -f gives the guest an e1000 NIC on QEMU's user network, isolated
# (restrict=on: the guest reaches nothing), with 127.0.0.1:HOSTPORT on the
# host forwarded to the guest's GUESTPORT (10.0.2.15); the payload loads
# the driver and sets the address (guest/web.sh).
#
# LOGDIR/console.log gets the kernel console (ttyS0), LOGDIR/results.log
# the payload's output (ttyS1), which is also shown live unless -q.
# Exit status: the payload's status; 124 when the VM hit the timeout (hang);
# 125 when the VM ended without reporting (crash, panic).  A boot whose
# kernel reports a bug before /init runs is repeated once (see below).
set -euo pipefail

smp=2 mem=1024 timeout=600 quiet=0 args='' fwd=''
kernel='' initrd='' payload='' logdir=''
while getopts "k:i:p:o:a:s:m:t:f:q" o; do
	case $o in
	k) kernel=$OPTARG ;; i) initrd=$OPTARG ;; p) payload=$OPTARG ;;
	o) logdir=$OPTARG ;; a) args=$OPTARG ;; s) smp=$OPTARG ;;
	m) mem=$OPTARG ;; t) timeout=$OPTARG ;; q) quiet=1 ;; f) fwd=$OPTARG ;;
	*) sed -n '4,21p' "$0" >&2; exit 2 ;;
	esac
done
if [ -z "$kernel" ] || [ -z "$initrd" ] || [ -z "$payload" ] || [ -z "$logdir" ]; then
	sed -n '4,21p' "$0" >&2
	exit 2
fi

mkdir -p "$logdir"
# One VM at a time on this machine (TCG on few cores): a second run-vm.sh
# waits here for the first to end.  GMM_VM_LOCK names another lock file.
exec 9> "${GMM_VM_LOCK:-/tmp/gmm-vm.lock}"
if ! flock -n 9; then
	echo "run-vm: another VM is running; waiting for it" >&2
	flock 9
fi
console=$logdir/console.log
results=$logdir/results.log
: > "$console"
: > "$results"

net=()
if [ -n "$fwd" ]; then
	[[ "$fwd" =~ ^[0-9]+:[0-9]+$ ]] || { echo "run-vm: -f HOSTPORT:GUESTPORT" >&2; exit 2; }
	netdev="user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${fwd%%:*}-:${fwd##*:}"
	net=(-netdev "$netdev" -device "e1000,netdev=n0")
fi

append="console=ttyS0,115200 panic=-1 oops=panic softlockup_panic=0"
append+=" loglevel=7 gmm_payload=$payload"
[ -n "$args" ] && append+=" gmm_args=$args"

boot() {
	set +e
	timeout -k 10 "$timeout" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp "$smp" -m "$mem" \
		-kernel "$kernel" -initrd "$initrd" -append "$append" \
		"${net[@]}" -display none -monitor none -no-reboot \
		-serial "file:$console" -serial stdio < /dev/null |
		tr -d '\r' | { if [ $quiet = 1 ]; then cat > "$results"; else tee "$results"; fi; }
	qrc=${PIPESTATUS[0]}
	set -e
}

# A kernel report before /init runs comes from the kernel's own boot, not
# from anything under test (the debug kernel under TCG now and then takes
# an interrupt in early boot that KASAN reports as a wild access in
# do_raw_spin_lock).  Such a boot is kept as console-bad-boot.log and the
# VM is booted once more; a second bad boot stands and fails the run.
early_report() {
	local boot
	# Not a pipe into grep -q: under pipefail the writer's SIGPIPE would
	# make a match look like a failure.
	boot=$(sed -n '1,/Run \/init as init process/p' "$console")
	grep -q -E '\bBUG:|\bWARNING:|\bKASAN:|\bOops\b|Kernel panic' <<< "$boot"
}

boot
if early_report; then
	echo "run-vm: kernel report during boot, before /init; booting again (first boot: $logdir/console-bad-boot.log)" >&2
	cp "$console" "$logdir/console-bad-boot.log"
	: > "$console"
	: > "$results"
	boot
fi

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-vm: VM timed out after ${timeout}s (payload $payload)" >&2
	exit 124
fi
line=$(grep -a '^GMM-VM-EXIT ' "$results" | tail -n 1 || true)
if [ -z "$line" ]; then
	echo "run-vm: VM ended without reporting (crash or panic; qemu status $qrc)" >&2
	exit 125
fi
exit "${line#GMM-VM-EXIT }"
