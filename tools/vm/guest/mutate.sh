#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make mutate`: one mutant per boot.
#   mutate.sh N SUITES [full]
# loads gmm.ko with mutant=N and kunit_suites=SUITES (suites joined by
# '+', as the kernel command line splits gmm_args at commas) and runs the
# KUnit module; a name "sft:PROG" in SUITES is a selftest, run after the
# KUnit suites (with no KUnit suite named, none runs).  With "full", a
# mutant that the named suites did not kill (no "not ok", no selftest
# failed and no kernel report yet) gets every KUnit suite and every
# selftest as well.  The host (tools/vm/mutate.sh) judges the run with
# scan-log.py: any failure kills the mutant.
n=$1
suites=
sfts=
for s in $(echo "${2:-}" | tr + ' '); do
	case "$s" in
	sft:*) sfts="$sfts ${s#sft:}" ;;
	*) suites="$suites,$s" ;;
	esac
done
suites=${suites#,}
mode=${3:-}

# shellcheck source=kunit.sh
. "$(dirname "$0")/kunit.sh"

kunit() {	# kunit SUITES: load gmm.ko and the KUnit module, print KTAP
	insmod /lib/gmm/gmm.ko mutant="$n" kunit_suites="$1" || return 1
	kunit_results
}

killed() {	# any failed case or selftest, or a kernel report, so far
	dmesg | grep -q -E 'not ok [0-9]|WARNING:|BUG:|KASAN:|Call Trace:' &&
		return 0
	grep -q -E '^[[:space:]]*not ok [0-9]|^GMM-END selftest .* rc=[1-9]' \
		/tmp/kunit.log
}

first() {	# the named KUnit suites (all when none is named) and selftests
	if [ -n "$suites" ] || [ -z "$sfts" ]; then
		kunit "$suites" || return 1
	else
		insmod /lib/gmm/gmm.ko mutant="$n" || return 1
	fi
	for t in $sfts; do
		echo "GMM-BEGIN selftest $t"
		"/selftests/$t"
		echo "GMM-END selftest $t rc=$?"
	done
}

echo "GMM-MUTANT $n suites=${suites:-all}${sfts:+ selftests:$sfts}"
first > /tmp/kunit.log 2>&1
st=$?
cat /tmp/kunit.log
[ $st = 0 ] || exit 1
if [ "$mode" = full ] && ! killed; then
	echo "GMM-MUTANT $n survived ${suites:-all}: every suite and selftest"
	rmmod gmm || exit 1
	kunit "" > /tmp/kunit.log 2>&1
	cat /tmp/kunit.log
	run_selftests
fi
rmmod gmm
