#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what `make bench` runs: build gmm.ko and the benchmark module
# tests/bench/gmm_bench.ko against Debian's stock 6.1 kernel headers, boot
# that kernel under QEMU (2 vCPUs, 2 GiB) with both modules in the
# initramfs, run tools/vm/guest/bench.sh there, and turn what it prints
# into build/bench/alloc.csv and a table of ns/op, gmm/kmalloc ratios and
# all-CPU/1-CPU scaling.
#
#   tools/vm/bench.sh [PARAM=VALUE ...]     or   make bench BENCH_ARGS="..."
#
# PARAMs are gmm_bench.ko module parameters (iters, batch, runs, budget_mb,
# cpus, tests, sizes); write lists with ':' (sizes=8:64:4096).
# Logs: build/logs/bench/.  Exit status non-zero when the build, the VM or
# the kernel log (BUG, WARNING, ...) failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

args=("$@")
if [ ${#args[@]} -eq 0 ] && [ -n "${BENCH_ARGS:-}" ]; then
	read -r -a args <<< "$BENCH_ARGS"
fi
for a in "${args[@]}"; do
	case "$a" in
	*,*) echo "bench: write lists with ':' not ',' ($a)" >&2; exit 2 ;;
	*=*) ;;
	*) echo "bench: arguments are PARAM=VALUE module parameters ($a)" >&2; exit 2 ;;
	esac
done
vmargs=$(IFS=,; echo "${args[*]}")

"$top/tools/vm/deps.sh" bench || exit 2
mkdir -p "$logs" "$build/bench"
record=$logs/bench-records.txt
: > "$record"
sv=$(stock_version) || { echo "bench: no Debian 6.1 kernel image with headers" >&2; exit 2; }
kdir=/usr/src/linux-headers-$sv

say "building gmm.ko against Debian's $sv headers"
mod=$(build_gmm "stock-$sv" "$kdir") || exit 1

say "building gmm_bench.ko against the same headers"
bsrc=$build/src-bench
mkdir -p "$bsrc/tests"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$top/include" "$top/gmm" "$bsrc/"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$top/tests/bench" "$bsrc/tests/"
blog=$logs/build-bench.log
if ! make -C "$kdir" M="$bsrc/tests/bench" W=1 \
	KBUILD_EXTRA_SYMBOLS="$mod/Module.symvers" modules > "$blog" 2>&1 ||
   grep -E 'warning:|error:' "$blog" >/dev/null; then
	grep -E -m5 'warning:|error:|Error' "$blog" >&2
	echo "bench: building gmm_bench.ko failed (see $blog)" >&2
	exit 1
fi

"$top/tools/vm/mkinitramfs.sh" "$build/initrd-bench.cpio.gz" \
	"$mod/gmm.ko=lib/gmm/gmm.ko" "$bsrc/tests/bench/gmm_bench.ko=lib/gmm/gmm_bench.ko" ||
	exit 1

if others=$(pgrep -a qemu-system); then
	echo "bench: warning: other QEMU instances run; the figures will suffer:" >&2
	echo "$others" >&2
fi
say "booting Debian's $sv kernel in QEMU (TCG, 2 vCPUs, 2 GiB); this takes a few minutes"
"$top/tools/vm/run-vm.sh" -q -k "/boot/vmlinuz-$sv" -i "$build/initrd-bench.cpio.gz" \
	-p bench ${vmargs:+-a "$vmargs"} -s 2 -m 2048 -t 1800 -o "$logs/bench"
st=$?
"$top/tools/vm/scan-log.py" --name "bench $sv" --console "$logs/bench/console.log" \
	--results "$logs/bench/results.log" --vm-status "$st" --kunit-py /dev/null \
	--record "$record" || st=${st/#0/1}

csv=$build/bench/alloc.csv
sed -n '/^GMM-BEGIN bench csv/,/^GMM-END bench csv/p' "$logs/bench/results.log" |
	sed -n 's/^csv,//p' > "$csv"
if [ "$(wc -l < "$csv")" -lt 2 ]; then
	echo "bench: no results (VM status $st); see $logs/bench/" >&2
	exit $(( st ? st : 1 ))
fi

python3 - "$csv" "$logs/bench/results.log" "$sv" <<'PY'
import csv, re, sys

path, results, kver = sys.argv[1:4]
rows = list(csv.DictReader(open(path)))
val = {}                               # (test, size, cpus) -> (ns, ops/s)
for r in rows:
    val[(r["test"], int(r["size"]), int(r["cpus"]))] = (float(r["ns_per_op"]),
                                                        float(r["ops_per_s"]))
sizes = sorted({k[1] for k in val})
ncpus = sorted({k[2] for k in val})
conf = ""
booted = ""
for line in open(results, errors="replace"):
    if line.startswith("iters="):
        conf = line.strip()
    if line.startswith("GMM-VM-BOOTED"):
        booted = line.split(None, 1)[1].strip()
batch = re.search(r"batch=(\d+)", conf)
runs = re.search(r"runs=(\d+)", conf)

def ns(t, s, c):
    v = val.get((t, s, c))
    return f"{v[0]:.1f}" if v else "-"

def ratio(a, b, s, c, col="ns"):
    x, y = val.get((a, s, c)), val.get((b, s, c))
    if not x or not y or not y[0]:
        return None
    return x[0] / y[0]

def fmt(x):
    return "-" if x is None else f"{x:.2f}"

def table(head, body):
    w = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    out = [" | ".join(str(h).rjust(w[i]) for i, h in enumerate(head)),
           "-+-".join("-" * x for x in w)]
    for r in body:
        out.append(" | ".join(str(v).rjust(w[i]) for i, v in enumerate(r)))
    print("\n".join(out))

print(f"gmm allocation benchmark - Debian {kver} in QEMU (TCG), {booted}")
print(f"({conf})")
print(f"ns per object, median of {runs.group(1) if runs else '?'} runs; lower is better.")
print("gmm: allocation only (gmm has no free; fresh heap per run, arena page zeroing included).")
print(f"kmalloc+kfree, kmem_cache, mempool: alloc+free per object, in batches of "
      f"{batch.group(1) if batch else '?'}; 'kmalloc alloc' = the alloc half alone;")
print("'kmalloc hot' = kmalloc+kfree of one object at once (SLUB's best case).")
print("gmm/kmalloc = gmm noscan / kmalloc+kfree; gmm/kmalloc alloc = gmm noscan / kmalloc alloc.")
print("With N CPUs: the slowest CPU's ns per object while all N run at once.")
head = ["size", "gmm noscan", "gmm scan", "kmalloc+kfree", "kmalloc alloc",
        "kmalloc hot", "kmem_cache", "mempool", "gmm/kmalloc", "gmm/kmalloc alloc"]
for c in ncpus:
    print(f"\n{c} CPU{'s' if c > 1 else ''}")
    body = []
    for s in sizes:
        body.append([s, ns("gmm_noscan", s, c), ns("gmm_scan", s, c),
                     ns("kmalloc_pair", s, c), ns("kmalloc_alloc", s, c),
                     ns("kmalloc_hot", s, c), ns("kmem_cache_pair", s, c),
                     ns("mempool_pair", s, c),
                     fmt(ratio("gmm_noscan", "kmalloc_pair", s, c)),
                     fmt(ratio("gmm_noscan", "kmalloc_alloc", s, c))])
    table(head, body)

if len(ncpus) > 1:
    n = ncpus[-1]
    print(f"\nScaling: aggregate ops/s on {n} CPUs / ops/s on 1 CPU (target >= 1.8 on 2)")
    tests = [("gmm_noscan", "gmm noscan"), ("gmm_scan", "gmm scan"),
             ("kmalloc_pair", "kmalloc+kfree"), ("kmalloc_hot", "kmalloc hot"),
             ("kmem_cache_pair", "kmem_cache"), ("mempool_pair", "mempool")]
    body = []
    for s in sizes:
        row = [s]
        for t, _ in tests:
            a, b = val.get((t, s, n)), val.get((t, s, 1))
            row.append(fmt(a[1] / b[1]) if a and b and b[1] else "-")
        body.append(row)
    table(["size"] + [h for _, h in tests], body)

print("\nTargets (issue): gmm at or below 0.7 x kmalloc for 16-256 B; all-CPU >= 1.8 x 1 CPU")
small = [s for s in sizes if 16 <= s <= 256]
for c in ncpus:
    for t in ("gmm_noscan", "gmm_scan"):
        rs = [ratio(t, "kmalloc_pair", s, c) for s in small]
        rs = [r for r in rs if r is not None]
        if rs:
            print(f"  {t} / kmalloc+kfree, 16-256 B, {c} CPU{'s' if c > 1 else ''}: "
                  f"{min(rs):.2f} .. {max(rs):.2f} "
                  f"({'met' if max(rs) <= 0.7 else 'NOT met'})")
if len(ncpus) > 1:
    n = ncpus[-1]
    for t in ("gmm_noscan", "gmm_scan"):
        sc = [val[(t, s, n)][1] / val[(t, s, 1)][1] for s in sizes
              if (t, s, n) in val and (t, s, 1) in val]
        if sc:
            print(f"  {t} scaling on {n} CPUs: {min(sc):.2f} .. {max(sc):.2f} "
                  f"({'met' if min(sc) >= 1.8 else 'NOT met'})")
print(f"\nCSV: {path}")
PY
echo
if [ "$st" = 0 ]; then
	say "bench finished; logs in $logs/bench/"
else
	say "bench FAILED (status $st); see $logs/bench/ and $record"
fi
exit "$st"
