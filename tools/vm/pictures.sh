#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pictures.sh - the host's side of gmm's pictures (Documentation/pictures.rst).
#
#   pictures.sh gmmctl            build gmmctl for this host (with cairo,
#                                 for PNG) from a copy of the tree in
#                                 $build/src-tools-host; print its path
#   pictures.sh draw RESULTS DIR  take the recordings a VM shipped out of
#                                 its results log (tools/vm/shipped.sh)
#                                 into DIR/recordings, and draw each: every
#                                 spans frame as a heap map (DIR/NAME/
#                                 frame-NNN.png) and its timeline
#                                 (DIR/NAME-timeline.png); print where
#
# Without cairo (pkg-config cairo fails) the pictures are SVG.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

host_gmmctl() {
	local out=$build/src-tools-host log=$build/src-tools-host.log
	mkdir -p "$out"
	# Build products of the tree (perhaps static, without cairo) stay
	# out; those of the last run here stay in (make is incremental).
	rsync -a --delete --exclude '*.o' --exclude '*.a' --exclude '*.so*' \
		--exclude /tools/gmmctl/gmmctl --exclude /tools/gmmctl/gmmctl-static \
		"$top/tools" "$top/include" "$out/"
	if ! { make -C "$out/tools/lib/gmm" all && make -C "$out/tools/gmmctl" \
		"$out/tools/gmmctl/gmmctl"; } > "$log" 2>&1; then
		echo "pictures: building gmmctl failed, see $log" >&2
		return 1
	fi
	echo "$out/tools/gmmctl/gmmctl"
}

case "${1:-}" in
gmmctl)
	host_gmmctl
	exit
	;;
draw)
	results=${2:?usage: pictures.sh draw RESULTS DIR}
	dir=${3:?usage: pictures.sh draw RESULTS DIR}
	;;
*)
	sed -n '4,16p' "$0" >&2
	exit 2
	;;
esac

gmmctl=$(host_gmmctl) || exit 1
fmt=png
pkg-config --exists cairo 2>/dev/null || fmt=svg
rm -rf "$dir"
mkdir -p "$dir"
mapfile -t recs < <("$top/tools/vm/shipped.sh" "$results" "$dir/recordings")
st=0
[ ${#recs[@]} -gt 0 ] || { echo "pictures: no recording in $results" >&2; exit 1; }
for rec in "${recs[@]}"; do
	name=$(basename "$rec" .json)
	if ! "$gmmctl" map --input "$rec" --all-frames "$dir/$name" \
		--format $fmt > "$dir/$name.log" 2>&1; then
		echo "pictures: $name: $(tail -n 1 "$dir/$name.log")" >&2
		st=1
		continue
	fi
	if ! "$gmmctl" trace --input "$rec" -o "$dir/$name-timeline.$fmt" \
		>> "$dir/$name.log" 2>&1; then
		echo "pictures: $name: $(tail -n 1 "$dir/$name.log")" >&2
		st=1
		continue
	fi
	echo "  $dir/$name-timeline.$fmt: $(sed -n 's/^[^ ]*timeline[^ ]*: //p' "$dir/$name.log")"
	echo "  $dir/$name/frame-*.$fmt: $(find "$dir/$name" -name "frame-*.$fmt" | wc -l)" \
		"heap maps, in the order the recording took them"
done
exit $st
