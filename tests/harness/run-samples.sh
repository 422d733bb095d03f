#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-samples.sh KUNIT_PY RECORD - harness self-test on canned console logs:
# every sample of a kernel report must be caught as its kind, and the clean
# sample must pass.  Appends one record per sample to RECORD.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kunit_py=$1 record=$2
scan=$here/../../tools/vm/scan-log.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "GMM-VM-EXIT 0" > "$tmp/results"
rc=0
while read -r file kind; do
	case "$file" in ""|\#*) continue ;; esac
	if [ "$kind" = clean ]; then
		if "$scan" --name "harness sample $file" --console "$here/logs/$file" \
			--results "$tmp/results" --vm-status 0 --kunit-py "$kunit_py" \
			--record "$tmp/rec" >/dev/null; then
			echo "PASS harness: sample $file passes" >> "$record"
		else
			echo "FAIL harness: sample $file passes -- scan-log.py failed it" >> "$record"
			rc=1
		fi
	else
		"$scan" --name "harness sample $file" --console "$here/logs/$file" \
			--results "$tmp/results" --vm-status 0 --kunit-py "$kunit_py" \
			--record "$record" --expect "$kind" >/dev/null || rc=1
	fi
done <<'LIST'
clean.log clean
lockdep.log lockdep
lockdep-recursive.log lockdep
kasan.log kasan
oops.log gpf
atomic-sleep.log bug
ubsan.log ubsan
kmemleak.log kmemleak
ktap-fail.log nok
softlockup.log softlockup
hung.log hung
LIST
exit $rc
