#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mutate.sh - what `make mutate` runs: the mutation run.
#
# Builds gmm.ko, gmm_test.ko and the selftests for the debug kernel once,
# then boots the debug kernel once per mutant of tools/vm/mutants.tsv with
# gmm.ko loaded as mutant=N (gmm/mutant.h: a deliberate collector bug
# compiled into test builds only) and runs the KUnit suites the catalogue
# expects to kill it; a mutant they do not kill gets every KUnit suite and
# every selftest as well.  A mutant is killed when the run fails the way
# make check would fail (scan-log.py: a failed case, a kernel report, a
# crash or a hang).  Mutant 0, the unchanged collector, must pass.
#
# Prints a table (also build/logs/mutate/table.txt):
#   mutant, name, verdict (killed / SURVIVED / equivalent), killed by, time
# and exits 0 when every mutant is killed or survives as argued
# "equivalent" and the control passes, 1 otherwise.
#
# Usage: mutate.sh [N ...]   (default: every mutant of the catalogue)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$top/tools/vm/deps.sh" check || exit 2
mlogs=$logs/mutate
[ $# = 0 ] && rm -rf "$mlogs"	# a partial run keeps the others' logs
mkdir -p "$mlogs"
record=$mlogs/records.txt
: > "$record"

ktree=$(debug_tree) || exit 1
dbg=$(build_gmm mutate "$ktree") || { cat "$record"; exit 1; }
ksft=$ktree/tools/testing/selftests
sft=$build/selftests-mutate
make -s -C "$top/tests/selftests" KSFT_DIR="$ksft" OUTPUT="$sft" \
	> "$mlogs/build-selftests.log" 2>&1 || { echo "mutate: selftests did not build" >&2; exit 1; }
selftests=()
for t in $(make -s -C "$top/tests/selftests" list); do
	[ -x "$sft/$t" ] && selftests+=("$sft/$t=selftests/$t")
done
"$top/tools/vm/mkinitramfs.sh" "$build/initrd-mutate.cpio.gz" \
	"$dbg/gmm.ko=lib/gmm/gmm.ko" "$dbg/gmm_test.ko=lib/gmm/gmm_test.ko" \
	"${selftests[@]}"

want=" $* "
table=$mlogs/table.txt
[ "$want" = "  " ] || table=$mlogs/table-$(echo "$*" | tr ' ' -).txt
printf '%-3s %-19s %-11s %-6s %s\n' N mutant verdict secs "killed by (first failure)" > "$table"
bad=0
while IFS=$'\t' read -r n name suites expect what; do
	case "$n" in ''|'#'*) continue ;; esac
	[ "$want" = "  " ] || [[ "$want" == *" $n "* ]] || continue
	say "mutant $n ($name): $what"
	out=$mlogs/$n-$name
	mode=full
	[ "$n" = 0 ] && mode=first
	t0=$(date +%s)
	"$top/tools/vm/run-vm.sh" -q -k "$ktree/arch/x86/boot/bzImage" \
		-i "$build/initrd-mutate.cpio.gz" -p mutate -a "$n,$suites,$mode" \
		-s 2 -m 2048 -t "${GMM_VM_TIMEOUT:-1500}" -o "$out"
	st=$?
	secs=$(( $(date +%s) - t0 ))
	: > "$out/records.txt"
	"$top/tools/vm/scan-log.py" --name "mutant-$n" --console "$out/console.log" \
		--results "$out/results.log" --vm-status $st \
		--kunit-py "$ktree/tools/testing/kunit/kunit.py" \
		--record "$out/records.txt" > /dev/null
	cat "$out/records.txt" >> "$record"
	if [ "$n" != 0 ] && ! grep -q "MUTANT $n ($name)" "$out/console.log"; then
		verdict=ERROR by="the module did not announce mutant $n ($name)"
	elif grep -q '^FAIL' "$out/records.txt"; then
		# The first failed test case, else the first kernel report.
		by=$( { grep '^FAIL [^ ]*: \(kunit\|selftest\) ' "$out/records.txt"
			grep '^FAIL' "$out/records.txt"; } | head -n 1 |
			sed "s/^FAIL mutant-$n: //" | cut -c1-110)
		verdict=killed
		[ "$n" = 0 ] && verdict=ERROR by="control failed: $by"
		[ "$expect" = equivalent ] && verdict="killed!"
	else
		by=-
		verdict=SURVIVED
		[ "$n" = 0 ] && verdict=passed
		[ "$expect" = equivalent ] && verdict=equivalent
	fi
	case "$verdict" in killed|passed|equivalent) ;; *) bad=1 ;; esac
	printf '%-3s %-19s %-11s %-6s %s\n' "$n" "$name" "$verdict" "$secs" "$by" | tee -a "$table" >&2
done < "$top/tools/vm/mutants.tsv"

echo
cat "$table"
if [ $bad = 0 ]; then
	echo "mutate: every mutant killed or argued equivalent; the control passed"
else
	echo "mutate: see $mlogs (SURVIVED: no test caught it; killed!: an 'equivalent' mutant was caught - update the catalogue)"
fi
exit $bad
