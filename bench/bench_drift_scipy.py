#!/usr/bin/python3
"""SciPy's ks_2samp loop beside Custody's full drift report, on the same data, timed in the same run.

    /usr/bin/python3 bench/bench_drift_scipy.py [--bench build/bench/bench_drift] [--rows 1000000] [--cols 50]
                                                [--workspace DIR]

Runs bench_drift (which generates the samples in C++ and times the drift engine), regenerates the very same
float32 columns in NumPy (SplitMix64, tests/data/drift/make_fixtures.py), times a loop of
scipy.stats.ks_2samp(method='auto') over them, and compares the p-values. Install libopenblas0-pthread first
(docs/PLATFORM facts): without it NumPy runs on the reference BLAS and the comparison flatters Custody.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "data", "drift"))
from make_fixtures import generate  # noqa: E402  the generator both languages share


def shift_of(col):
    return 0.005 if col < 5 else 0.05 if col < 10 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench", "bench_drift"))
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--workspace", help="also time the drift run end to end from this workspace (built once)")
    args = ap.parse_args()

    cmd = [args.bench, "--rows", str(args.rows), "--cols", str(args.cols), "--json"]
    if args.workspace:
        cmd += ["--workspace", args.workspace]
    custody = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    t0 = time.perf_counter()
    columns = []
    for c in range(args.cols):
        a = generate({"seed": 1000 + c, "n": args.rows, "loc": 0.0, "scale": 1.0})
        b = generate({"seed": 2000 + c, "n": args.rows, "loc": shift_of(c), "scale": 1.0})
        columns.append((a.astype(np.float64), b.astype(np.float64)))
    generate_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    results = [stats.ks_2samp(a, b, method="auto") for a, b in columns]
    scipy_seconds = time.perf_counter() - t0

    worst_rel, worst_d = 0.0, 0.0
    for r, f in zip(results, custody["features"]):
        worst_d = max(worst_d, abs(r.statistic - f["statistic"]))
        if r.pvalue > 0 or f["p_value"] > 0:
            worst_rel = max(worst_rel, abs(r.pvalue - f["p_value"]) / max(r.pvalue, 1e-300))

    blas = "unknown"
    try:
        cfg = np.__config__.get_info("blas_opt_info") if hasattr(np.__config__, "get_info") else {}
        blas = ",".join(cfg.get("libraries", [])) or blas
    except Exception:  # noqa: BLE001 - informational only
        pass
    print(f"{args.rows} rows x {args.cols} numeric features against a baseline of the same size "
          f"(scipy {scipy.__version__}, numpy {np.__version__}, {custody['threads']} threads for Custody)")
    print(f"  SciPy ks_2samp loop                  {scipy_seconds:8.2f} s")
    print(f"  Custody drift report, in memory      {custody['memory_seconds']:8.2f} s   "
          f"({scipy_seconds / custody['memory_seconds']:.1f}x faster; KS + Wasserstein + PSI + histograms + BH)")
    print(f"  ... with class-conditional drift     {custody['memory_by_class_seconds']:8.2f} s   "
          f"({custody['classes']} classes)")
    if "workspace_seconds" in custody:
        print(f"  ... end to end from the workspace    {custody['workspace_seconds']:8.2f} s   "
              f"(phases: {', '.join(f'{k} {v:.2f} s' for k, v in custody['workspace_phases'].items())}; "
              f"same p-values as in memory: {custody['workspace_same_p_values']})")
    print(f"  p-values: worst relative difference {worst_rel:.2e}, worst |D difference| {worst_d:.2e} "
          f"over {len(results)} features ({sum(r.pvalue < 0.05 for r in results)} with p < 0.05)")
    print(f"  (NumPy regenerated the data in {generate_seconds:.1f} s, Custody in {custody['generate_seconds']:.2f} s)")
    return 0 if worst_rel < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
