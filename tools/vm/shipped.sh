#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# shipped.sh RESULTS DIR - take the files a guest shipped out of a VM's
# results log (LOGDIR/results.log, the second serial port) into DIR.
#
# A guest payload ships a file as its gzip'd bytes in base64 between
#   GMM-FILE-BEGIN NAME.gz SHA256
#   GMM-FILE-END NAME.gz
# (see ship() in tools/vm/guest/demo.sh).  Each is decoded, its SHA-256
# checked, gunzip'd into DIR/NAME and its path printed.  Exit status 1
# when a file is damaged or cut short (the VM died mid-way), 0 otherwise;
# no file at all is not an error.
set -uo pipefail

results=${1:?usage: shipped.sh RESULTS DIR}
dir=${2:?usage: shipped.sh RESULTS DIR}
mkdir -p "$dir"
st=0
while read -r _ name sum; do
	tmp=$dir/.$name
	awk -v n="$name" '$1 == "GMM-FILE-END" && $2 == n { exit }
		on { print }
		$1 == "GMM-FILE-BEGIN" && $2 == n { on = 1 }' "$results" |
		base64 -d > "$tmp" 2>/dev/null
	if ! grep -q "^GMM-FILE-END $name\$" "$results"; then
		echo "shipped: $name: cut short (no end line)" >&2
		st=1
	elif [ "$(sha256sum < "$tmp" | cut -d' ' -f1)" != "$sum" ]; then
		echo "shipped: $name: SHA-256 differs from the guest's" >&2
		st=1
	elif ! gunzip -c < "$tmp" > "$dir/${name%.gz}"; then
		echo "shipped: $name: not gzip" >&2
		st=1
	else
		echo "$dir/${name%.gz}"
	fi
	rm -f "$tmp"
done < <(grep '^GMM-FILE-BEGIN ' "$results")
exit $st
