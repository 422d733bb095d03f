# SPDX-License-Identifier: GPL-2.0
"""Profiles: perf's cpu-clock samples, as the guest printed them."""
import os


def profile_part(sec, a, out, js):
    names = [k for k in sec if k.startswith("profile ")]
    if not names:
        return
    print("\n== Profiles: perf record -a -e cpu-clock (both vCPUs; TCG has no PMU counters) ==")
    print("Share of all samples per symbol, idle included; full lists in profile-*.txt.")
    js["profiles"] = {}
    for k in names:
        what = k.split(None, 1)[1]
        lines = [l for l in sec[k] if l.strip()]
        with open(os.path.join(out, f"profile-{what}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        js["profiles"][what] = lines
        print(f"\n{what}:")
        for l in lines[:14]:
            print("  " + " ".join(l.split()))
