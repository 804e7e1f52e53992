#!/usr/bin/python3
"""Summarises `bench_scan --json FILE`: backdoor recall at 1.5x per trigger and rate (mean and minimum over the
seeds), flagged-set precision and recall per attack kind, and the clean-batch false-positive rates.

    build/bench/bench_scan --json /tmp/bench_scan.json && bench/bench_scan_summary.py /tmp/bench_scan.json
"""
import json
import statistics as st
import sys

rows = json.load(open(sys.argv[1]))
dets = list(rows[0]["detectors"].keys())
poisoned = [r for r in rows if not r["clean"]]
clean = [r for r in rows if r["clean"]]


def values(rs, d, key):
    return [r["detectors"][d][key] for r in rs if r["detectors"][d][key] is not None]


print("Backdoor recall when flagging 1.5x the planted count: mean over seeds (minimum)")
print(f"{'trigger rate':14}" + "".join(f"{d[:12]:>15}" for d in dets))
for trig in sorted({r["trigger"] for r in poisoned}):
    for rate in sorted({r["rate"] for r in poisoned}):
        rs = [r for r in poisoned if r["trigger"] == trig and r["rate"] == rate]
        line = f"{trig + ' ' + format(rate, '.2f'):14}"
        for d in dets:
            v = values(rs, d, "backdoor_recall_at_1_5x")
            line += f"{st.mean(v):>8.3f} ({min(v):.2f})" if v else f"{'-':>15}"
        print(line)
print("\nFlagged records over every poisoned run: mean (minimum)")
print(f"{'detector':22} {'precision':>16} {'backdoor':>16} {'flipped':>16} {'copies':>16} {'FPR':>16}")
for d in dets:
    cells = []
    for key in ("precision", "backdoor_recall", "flipped_recall", "copy_recall", "false_positive_rate"):
        v = values(poisoned, d, key)
        cells.append(f"{st.mean(v):.3f} ({min(v) if key != 'false_positive_rate' else max(v):.3f})" if v else "-")
    print(f"{d:22} " + " ".join(f"{c:>16}" for c in cells))
print("(FPR column: mean (maximum) share of the 5,000 clean new records flagged)")
print("\nClean batch (5,000 new clean records, no poison): false-positive rate per seed")
for r in clean:
    print(f"  seed {r['seed']}: " + ", ".join(f"{d} {r['detectors'][d]['false_positive_rate']:.4f}" for d in dets))
print(f"\nSeconds per scan: mean {st.mean(r['seconds'] for r in rows):.1f}, max {max(r['seconds'] for r in rows):.1f}")
