#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-pictures.sh - make check's test of gmm's pictures, run by check.sh
# after its VMs: the recordings the guests shipped (guest/check.sh records
# a workload of gmmctl's own heap with --record and a churning process's
# heap through debugfs with gmmctl record) are taken out of each VM's
# results.log (tools/vm/shipped.sh), drawn by a gmmctl built for this
# host with cairo (tools/vm/pictures.sh gmmctl), and the pictures checked
# with decoders of our own (tools/gmmctl/tests/test-pictures.sh).  One
# record per check in $record; logs and pictures in $logs/pictures/.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

out=$logs/pictures
rm -rf "$out"
mkdir -p "$out/recordings"
recs=()
for vm in debug stock; do
	[ -f "$logs/$vm/results.log" ] || continue
	grep -q '^GMM-FILE-BEGIN ' "$logs/$vm/results.log" || {
		rec FAIL "pictures: recordings from the $vm VM" "none shipped (see $logs/$vm/results.log)"
		continue
	}
	if files=$("$top/tools/vm/shipped.sh" "$logs/$vm/results.log" "$out/$vm" 2> "$out/$vm.log"); then
		rec PASS "pictures: recordings from the $vm VM ($(echo "$files" | wc -l), SHA-256 as shipped)"
	else
		rec FAIL "pictures: recordings from the $vm VM" "$(tr '\n' ' ' < "$out/$vm.log")"
	fi
	for f in $files; do
		mv "$f" "$out/recordings/$vm-${f##*/}"
		recs+=("$out/recordings/$vm-${f##*/}")
	done
done
if ! hg=$("$top/tools/vm/pictures.sh" gmmctl 2> "$out/build.log"); then
	rec FAIL "pictures: gmmctl with cairo for the host" "$(tail -n 2 "$out/build.log" | tr '\n' ' ')"
	exit 1
fi
rec PASS "build: gmmctl for the host, with cairo ($(ldd "$hg" | grep -c libcairo) libcairo)"
"$top/tools/gmmctl/tests/test-pictures.sh" "$hg" "$out/test" "${recs[@]}" > "$out/test.log" 2>&1
st=$?
grep -E '^(PASS|FAIL|SKIP) ' "$out/test.log" >> "$record"
grep '^FAIL ' "$out/test.log" >&2
exit $st
