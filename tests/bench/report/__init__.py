# SPDX-License-Identifier: GPL-2.0
"""report - turn what `make bench`'s VM printed into one table, CSV and
JSON files and the data of the plots (tools/vm/bench.sh runs it).

    python3 tests/bench/report --results LOGDIR/results.log --out BUILD/bench
              --kernel VER [--others N] [--otherpct P] [--host-cpus N]
              [--host-cpu MODEL] [--qemu VERSION] [--smp N] [--mem MB]
              [--command CMD] [--date DATE] [--plot BENCHPLOT]

Reads the sections tools/vm/guest/bench.sh prints (GMM-BEGIN/GMM-END),
writes alloc.csv, bintree.csv, mark.csv, churn.csv, pauses.csv,
pageheap.csv, shrink.csv (for the parts that ran) and bench.json to --out,
draws alloc.png, alloc-ncpu.png, pauses.png, pageheap.png and shrink.png
with --plot when given, and prints the table on stdout.  Exit status 1 when
the results are missing a part that ran, 0 otherwise: the targets are
reported, not enforced.

One module per part (alloc, bintree, mark, pause, heaps, pageheap, shrink,
profile), each with a function that prints its table, writes its files and
adds its verdicts; common holds what they share, main the command line.
"""
