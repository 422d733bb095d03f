#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# test-pictures.sh GMMCTL OUTDIR [RECORDING...]
#
# Host-side test of gmmctl's recordings and pictures (run by make check,
# tools/vm/check.sh, with the recordings its VM made):
#
#  1. the recording reader's unit test (test_recload.c, built here with
#     -O2) on the hand-made tests/tiny.json and on broken recordings;
#  2. the checkers themselves must reject a corrupted PNG and an SVG with
#     a span too few (so that a pass below means something);
#  1b. the debugfs cycle reader's unit test (test_dbgcycles.c): the
#     gctrace parser on the kernel's lines, the tracker on a heap
#     directory in OUTDIR whose ring of cycles moves on;
#  3. debugfs files in both formats (tests/debugfs, GMM_DEBUGFS): map,
#     top and record read them by column names; record writes a cycle as
#     soon as it has read it;
#  4. for tiny.json and every RECORDING: `gmmctl map` to PNG and SVG (the
#     last frame, frame 0, and --all-frames), `gmmctl trace` to PNG and
#     SVG, each checked by check-picture.py: PNG decoded with zlib and
#     struct (signature, CRCs, IHDR = the size gmmctl printed, every
#     scanline unfiltered, enough colours, grey free pages when the frame
#     has free pages), SVG parsed with xml.etree (size, one
#     <g class="span"> per span of the frame, one class="cycle" band per
#     cycle), the expected numbers read from the recording with Python's
#     json module, not with gmmctl's reader; every cycle the samples
#     saw end in the recording (or counted lost); map --animate (every
#     frame with its spans) and, for a recording of a stepped cycle,
#     gmmctl graph (every object in its listing's colour, each step
#     animated).
#
# Prints one record per check, "PASS name" or "FAIL name -- why" (the
# format of build/logs/records.txt), and exits 1 when any failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gmmctl=${1:?usage: test-pictures.sh GMMCTL OUTDIR [RECORDING...]}
out=${2:?usage: test-pictures.sh GMMCTL OUTDIR [RECORDING...]}
shift 2
failed=0
mkdir -p "$out"

checkpic() { python3 "$here/check-picture.py" "$@"; }
pass() { echo "PASS pictures: $1"; }
fail() { echo "FAIL pictures: $1 -- $2"; failed=1; }

# run NAME CMD...: a record from a command's status, its output kept.
run() {
	local name=$1 log
	shift
	if log=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$log" | tail -n 3 | tr '\n' ' ')"
	fi
}

# 1. The reader's unit test.
if cc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$here/../../../include/uapi" -o "$out/test_recload" \
	"$here/test_recload.c" "$here/../viz/rec.c" "$here/../viz/recload.c" \
	"$here/../viz/jsonread.c" "$here/../viz/recobjects.c" \
	"$here/../viz/objects.c" \
	> "$out/test_recload.build.log" 2>&1; then
	if "$out/test_recload" "$here/tiny.json" > "$out/test_recload.log" 2>&1; then
		pass "recording reader unit test ($(grep -c '^ok' "$out/test_recload.log") checks)"
	else
		fail "recording reader unit test" \
			"$(grep '^not ok' "$out/test_recload.log" | head -n 3 | tr '\n' ' ')(see $out/test_recload.log)"
	fi
else
	fail "recording reader unit test builds" "see $out/test_recload.build.log"
fi

# 1b. How debugfs cycles are read: the gctrace parser on the kernel's
#     lines, the tracker on a heap directory whose ring moves on.  Only
#     the readers' files are linked: --gc-sections drops what out.c and
#     report.c have for the rest of gmmctl.
if cc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$here/../../../include/uapi" -I"$here/.." -I"$here/../../lib/gmm" \
	-ffunction-sections -fdata-sections -Wl,--gc-sections \
	-o "$out/test_dbgcycles" "$here/test_dbgcycles.c" \
	"$here"/../viz/{dbgcycles,dbgtrack,dbgfs,rec,recwrite,recload,jsonread,recobjects,objects}.c \
	"$here"/../{out,report,util}.c "$here/../../lib/gmm/libgmm.c" \
	> "$out/test_dbgcycles.build.log" 2>&1; then
	rm -rf "$out/dbgcycles"
	if "$out/test_dbgcycles" "$out/dbgcycles" > "$out/test_dbgcycles.log" 2>&1; then
		pass "debugfs cycles unit test ($(grep -c '^ok' "$out/test_dbgcycles.log") checks)"
	else
		fail "debugfs cycles unit test" \
			"$(grep '^not ok' "$out/test_dbgcycles.log" | head -n 3 | tr '\n' ' ')(see $out/test_dbgcycles.log)"
	fi
else
	fail "debugfs cycles unit test builds" "see $out/test_dbgcycles.build.log"
fi

# size OUTPUT: "W H" from gmmctl's "PATH: WxH, ..." line.
size() {
	sed -n 's/^[^ ]*: \([0-9]*\)x\([0-9]*\),.*/\1 \2/p' <<< "$1" | head -n 1
}

# picture NAME ARGS...: run gmmctl, print its "W H" (empty on failure).
picture() {
	local name=$1 o
	shift
	if o=$("$gmmctl" "$@" 2>&1); then
		size "$o"
	else
		fail "$name" "gmmctl $*: $(echo "$o" | tail -n 2 | tr '\n' ' ')"
	fi
}

png_ok=1
"$gmmctl" map --help > /dev/null 2>&1 || { fail "gmmctl has map" "gmmctl map --help failed"; exit 1; }

# 2. The checkers must fail on broken pictures.
"$gmmctl" map --input "$here/tiny.json" -o "$out/self.svg" > /dev/null 2>&1
"$gmmctl" map --input "$here/tiny.json" -o "$out/self.png" > "$out/self.png.txt" 2>&1 || png_ok=0
if [ $png_ok = 1 ]; then
	read -r w h <<< "$(size "$(cat "$out/self.png.txt")")"
	python3 - "$out/self.png" "$out/bad.png" <<'EOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[len(d) // 2] ^= 0x55	# a bit flip inside the image data
open(sys.argv[2], "wb").write(d)
EOF
	if checkpic png "$out/bad.png" "$w" "$h" > /dev/null 2>&1; then
		fail "the PNG checker rejects a corrupted PNG" "it accepted $out/bad.png"
	else
		pass "the PNG checker rejects a corrupted PNG"
	fi
	if checkpic png "$out/self.png" "$((w + 1))" "$h" > /dev/null 2>&1; then
		fail "the PNG checker rejects a wrong size" "it accepted ${w}+1 x $h"
	else
		pass "the PNG checker rejects a wrong size"
	fi
else
	echo "SKIP pictures: PNG checks -- $gmmctl draws no PNG ($(tail -n 1 "$out/self.png.txt"))"
fi
python3 - "$out/self.svg" "$out/bad.svg" <<'EOF'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'<g class="span">.*?</g>\n', '', s, count=1, flags=re.S)
open(sys.argv[2], "w").write(s)
EOF
n=$(checkpic rec "$here/tiny.json" | sed -n 's/.* spans \([0-9]*\) .*/\1/p')
read -r w h <<< "$(size "$("$gmmctl" map --input "$here/tiny.json" -o "$out/self.svg" 2>&1)")"
if checkpic svg "$out/bad.svg" "$w" "$h" --count "span=$n" > /dev/null 2>&1; then
	fail "the SVG checker counts spans" "it accepted an SVG with a span removed"
else
	pass "the SVG checker counts spans"
fi

# 3. debugfs, read by column names: the spans file as main has it (with
#    elemsize, absolute sweepgen) and as the next one has it (without
#    elemsize, relative sweepgen, with params and gctrace files).
dbg=$out/debugfs
rm -rf "$dbg"
cp -r "$here/debugfs" "$dbg"
export GMM_DEBUGFS=$dbg/gmm
for h in old new; do
	if o=$("$gmmctl" map --heap "$h" -o "$dbg/$h.svg" 2>&1); then
		# shellcheck disable=SC2046
		run "debugfs ($h spans file): map of 4 spans" \
			checkpic svg "$dbg/$h.svg" $(size "$o") --count span=4
	else
		fail "debugfs ($h spans file): map" "$o"
	fi
done
want=("old:page 1: class 2 (16 B) noscan.*needs sweeping"
      "old:page 3: large object, 40.0 KiB, 5 pages"
      "new:page 0: class 2 (16 B) scan, 1 page, 512 slots: 500 allocated, 12 marked, swept"
      "new:page 2: class 4 (32 B) scan.*being swept"
      "new:page 3: large object, 40.0 KiB, 5 pages")
bad=
for w in "${want[@]}"; do
	grep -q "<title>arena 0 ${w#*:}" "$dbg/${w%%:*}.svg" 2>/dev/null || bad="$bad '${w}'"
done
if [ -z "$bad" ]; then
	pass "debugfs: elemsize from the class table, sweepgen made relative"
else
	fail "debugfs: span details" "not in the SVG titles:$bad"
fi
o=$("$gmmctl" top --heap new --once 2>&1)
if grep -q "phase mark *cycles 2 " <<< "$o" && grep -q "^  gc 2 @1.250s" <<< "$o" &&
   grep -q "goal 4.00 MiB" <<< "$o"; then
	pass "top: pacer, phase, cycles and gctrace of a heap"
else
	fail "top: pacer, phase, cycles and gctrace of a heap" "$(echo "$o" | head -n 6 | tr '\n' '|')"
fi
o=$("$gmmctl" top --heap old --once 2>&1)
if grep -q "no 'params' file" <<< "$o" && ! grep -q "^gc " <<< "$o"; then
	pass "top: says what an older module's debugfs lacks, invents nothing"
else
	fail "top: an older module's debugfs" "$(echo "$o" | head -n 6 | tr '\n' '|')"
fi
if "$gmmctl" top --heap nosuch --once > /dev/null 2>&1; then
	fail "top: a heap that is not there" "exit status 0"
else
	pass "top: a heap that is not there fails"
fi
# A cycle that ends while recording is put on the recording's clock; the
# heap going away ends the recording cleanly.
"$gmmctl" record --heap new --seconds 5 --interval 20 -o "$dbg/rec.json" \
	> "$dbg/record.log" 2>&1 &
rp=$!
sleep 0.5
echo "gc 3 @9.000s 4%: 0.100+50.000+0.100 ms clock, 0.100+0.000/40.000/0.000+0.100 ms cpu, 4.1->4.3->2.0 MB, 4.2 MB goal, 2 P" \
	>> "$dbg/gmm/new-2/gctrace"
sleep 0.5
rm -rf "$dbg/gmm/new-2"
wait $rp
st=$?
facts=$(checkpic rec "$dbg/rec.json" 2>&1)
start=$(sed -n 's/.*"type": "cycle", "num": 3, "flags": 0, "start_ns": \([0-9]*\),.*/\1/p' "$dbg/rec.json")
if [ $st = 0 ] && grep -q "went away" "$dbg/record.log" &&
   grep -q "cycles 1 " <<< "$facts" && [ -n "$start" ] &&
   [ "$start" -gt 100000000 ] && [ "$start" -lt 1000000000 ]; then
	pass "record: debugfs heap, a new cycle placed on the recording's clock (at ${start} ns), the heap's end"
else
	fail "record: debugfs heap" "status $st, $facts, cycle 3 at '${start}' ns: $(tr '\n' ' ' < "$dbg/record.log")"
fi
# A module whose params says the heap's age: the recording is on the
# heap's clock, and a cycle is in the file as soon as a poll has read it,
# while the recorder runs (not only at its end), once.
cp -r "$here/debugfs/gmm/new-2" "$dbg/gmm/live-3"
echo "uptime_ns 9500000000" >> "$dbg/gmm/live-3/params"
# wait_for PATTERN FILE: until FILE has a line matching PATTERN (at most
# 60 s: a hang, not a measurement).
wait_for() {
	local _
	for _ in $(seq 600); do
		grep -q "$1" "$2" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}
"$gmmctl" record --heap live --seconds 600 --interval 20 -o "$dbg/live.json" \
	> "$dbg/live.log" 2>&1 &
rp=$!
c3='"type": "cycle", "num": 3, "flags": 0, "start_ns": 9000000000,'
streamed=no
if wait_for '"type": "cycle", "num": 2,' "$dbg/live.json"; then
	l=$(tail -n 1 "$dbg/gmm/live-3/gctrace")
	l=${l/#gc 2 /gc 3 }
	l=${l/@1.250s/@9.000s}
	echo "${l/ (forced)/}" >> "$dbg/gmm/live-3/gctrace"
	wait_for "$c3" "$dbg/live.json" && kill -0 $rp 2> /dev/null && streamed=yes
fi
rm -rf "$dbg/gmm/live-3"
wait $rp
st=$?
if [ $st = 0 ] && [ $streamed = yes ] && grep -q '"time_base": "heap"' "$dbg/live.json" &&
   [ "$(grep -c '"type": "cycle"' "$dbg/live.json")" = 3 ] &&
   o=$(checkpic cycles "$dbg/live.json" 2>&1); then
	pass "record: cycles written as they are read, on the heap's clock, once each ($o)"
else
	fail "record: cycles as they come" "status $st, streamed $streamed, $(tr '\n' ' ' < "$dbg/live.log")"
fi
unset GMM_DEBUGFS

# 4. Pictures of each recording.
for rec in "$here/tiny.json" "$@"; do
	name=$(basename "$rec" .json)
	if [ ! -s "$rec" ]; then
		fail "$name: recording" "$rec is missing or empty"
		continue
	fi
	if ! facts=$(checkpic rec "$rec" 2>&1); then
		fail "$name: recording is JSON Lines" "$facts"
		continue
	fi
	read -r _ frames _ cycles _ spans _ _ _ classes _ free <<< "$facts"
	pass "$name: recording is JSON Lines ($facts)"
	# Every cycle its samples saw end is in it (or counted lost).
	if [ "$rec" != "$here/tiny.json" ]; then
		run "$name: the cycles its samples counted" checkpic cycles "$rec"
	fi
	if [ "$frames" = 0 ]; then
		fail "$name: recording has frames" "none"
		continue
	fi
	d=$out/$name
	mkdir -p "$d"

	# The last frame, SVG and PNG.
	sz=$(picture "$name: map SVG" map --input "$rec" -o "$d/map.svg")
	if [ -n "$sz" ]; then
		# shellcheck disable=SC2086
		run "$name: map SVG: $spans spans, well-formed" \
			checkpic svg "$d/map.svg" $sz --count "span=$spans"
	fi
	if [ $png_ok = 1 ]; then
		sz=$(picture "$name: map PNG" map --input "$rec" -o "$d/map.png")
		grey=()
		[ "$free" -gt 0 ] && grey=(--has-rgb "216,216,218")
		# shellcheck disable=SC2086
		[ -n "$sz" ] && run "$name: map PNG decodes, ${sz/ /x}, $classes classes" \
			checkpic png "$d/map.png" $sz --min-colours $((classes + 3)) "${grey[@]}"
	fi

	# Every frame, one file each, each with its frame's spans.
	if o=$("$gmmctl" map --input "$rec" --all-frames "$d/frames" --format svg 2>&1); then
		got=$(find "$d/frames" -name 'frame-*.svg' | wc -l)
		if [ "$got" != "$frames" ]; then
			fail "$name: --all-frames" "$got files for $frames frames"
		else
			bad=
			declare -A nspans=()
			while read -r k n; do
				nspans[$k]=$n
			done < <(checkpic frames "$rec")
			while read -r path sz; do
				k=$(basename "$path" .svg)
				k=$((10#${k#frame-}))
				# shellcheck disable=SC2086
				checkpic svg "$path" $sz --count "span=${nspans[$k]:-none}" \
					> /dev/null 2>&1 || bad="$bad $k"
			done < <(sed -n 's/^\([^ ]*\): \([0-9]*\)x\([0-9]*\),.*/\1 \2 \3/p' <<< "$o")
			unset nspans
			if [ -z "$bad" ]; then
				pass "$name: --all-frames: $frames frames, each with its spans"
			else
				fail "$name: --all-frames" "frames with a wrong span count:$bad"
			fi
		fi
	else
		fail "$name: --all-frames" "$(echo "$o" | tail -n 2 | tr '\n' ' ')"
	fi

	# The timeline: a band per cycle.
	sz=$(picture "$name: trace SVG" trace --input "$rec" -o "$d/trace.svg")
	# shellcheck disable=SC2086
	[ -n "$sz" ] && run "$name: trace SVG: $cycles cycle bands" \
		checkpic svg "$d/trace.svg" $sz --count "cycle=$cycles"
	if [ $png_ok = 1 ]; then
		sz=$(picture "$name: trace PNG" trace --input "$rec" -o "$d/trace.png")
		# shellcheck disable=SC2086
		[ -n "$sz" ] && run "$name: trace PNG decodes, ${sz/ /x}" \
			checkpic png "$d/trace.png" $sz --min-colours 8
	fi

	# Every frame in turn: an animated SVG, each frame with its spans.
	sz=$(picture "$name: map --animate" map --input "$rec" --animate -o "$d/map-anim.svg")
	# shellcheck disable=SC2086
	[ -n "$sz" ] && run "$name: map --animate: $frames frames, each with its spans" \
		checkpic animated "$d/map-anim.svg" $sz --rec "$rec" --of map

	# A stepped cycle's object listings: the graph of the last step, and
	# every step animated, each object in the listing's colour.
	grep -q '"type": "objects"' "$rec" || continue
	sz=$(picture "$name: graph SVG" graph --input "$rec" -o "$d/graph.svg")
	# shellcheck disable=SC2086
	[ -n "$sz" ] && run "$name: graph SVG: the last step's objects and colours" \
		checkpic graph "$d/graph.svg" $sz --rec "$rec"
	if [ $png_ok = 1 ]; then
		sz=$(picture "$name: graph PNG" graph --input "$rec" --step 1 -o "$d/graph.png")
		# shellcheck disable=SC2086
		[ -n "$sz" ] && run "$name: graph PNG decodes, ${sz/ /x}" \
			checkpic png "$d/graph.png" $sz --min-colours 4
	fi
	sz=$(picture "$name: graph --animate" graph --input "$rec" --animate -o "$d/graph-anim.svg")
	# shellcheck disable=SC2086
	[ -n "$sz" ] && run "$name: graph --animate: every step in the listing's colours" \
		checkpic animated "$d/graph-anim.svg" $sz --rec "$rec" --of graph
done
exit $failed
