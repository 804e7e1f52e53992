#!/usr/bin/python3
"""Generates the SciPy-agreement fixtures of the drift statistics (tests/core/TestDriftStatistics.cpp).

Run with Debian's python3-scipy (SciPy 1.10): /usr/bin/python3 tests/data/drift/make_fixtures.py
The test suite reads the JSON files written here and never needs Python.

Small samples are stored inline. Large ones are stored as a generator spec that the C++ test replays
bit for bit: SplitMix64 (Steele, Lea and Flood 2014) uniforms with 24 random bits, summed four at a time in
float32 (a bell shape on [0, 4)), then loc + scale * (x - 2) with scale a power of two so the float32
arithmetic is exact-or-identically-rounded in both languages; "round" floors the result (ties).
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

HERE = os.path.dirname(os.path.abspath(__file__))
GAMMA = np.uint64(0x9E3779B97F4A7C15)
MASK = (1 << 64) - 1


def splitmix64_stream(seed, count):
    """The first `count` outputs of SplitMix64(seed), vectorised: output k uses state seed + (k+1) * gamma."""
    k = np.arange(1, count + 1, dtype=np.uint64)
    z = np.uint64(seed) + k * GAMMA
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def generate(spec):
    """Replays a generator spec {seed, n, loc, scale, round} as float32 values."""
    u = (splitmix64_stream(spec["seed"], 4 * spec["n"]) >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)
    u = u.reshape(spec["n"], 4)
    x = ((u[:, 0] + u[:, 1]) + u[:, 2]) + u[:, 3]
    assert math.log2(spec["scale"]).is_integer(), "scale must be a power of two"
    v = np.float32(spec["loc"]) + np.float32(spec["scale"]) * (x - np.float32(2.0))
    if spec.get("round"):
        v = np.floor(v)
    return v.astype(np.float32)


def sample(entry):
    return np.asarray(entry, dtype=np.float32) if isinstance(entry, list) else generate(entry)


def f32list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32)]


def psi_reference(base, batch, bins=10, eps=1e-4):
    """PSI on baseline inverted-CDF quantile bins, as docs/drift.md defines it (NumPy reference)."""
    base = np.sort(np.asarray(base, dtype=np.float64))
    batch = np.sort(np.asarray(batch, dtype=np.float64))
    n = len(base)
    ranks = [max((k * n + bins - 1) // bins, 1) for k in range(1, bins)]
    edges = base[np.array(ranks) - 1]

    def counts(x):
        at_or_below = np.searchsorted(x, edges, side="right")
        return np.diff(np.concatenate([[0], at_or_below, [len(x)]]))

    p = np.maximum(counts(base) / len(base), eps)
    q = np.maximum(counts(batch) / len(batch), eps)
    return float(np.sum((q - p) * np.log(q / p)))


def bh_reference(p):
    """Benjamini-Hochberg step-up adjusted p-values (NumPy reference; SciPy 1.10 lacks false_discovery_control)."""
    p = np.asarray(p, dtype=np.float64)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.clip(adj, 0, 1)
    return out


def numeric_cases(rng):
    cases = []

    def add(name, a, b):
        A, B = sample(a), sample(b)
        r = stats.ks_2samp(A.astype(np.float64), B.astype(np.float64), method="auto")
        exact = max(len(A), len(B)) <= 10000
        cases.append({
            "name": name, "a": a if isinstance(a, dict) else f32list(A), "b": b if isinstance(b, dict) else f32list(B),
            "ks_statistic": float(r.statistic), "ks_pvalue": float(r.pvalue), "ks_exact": exact,
            "wasserstein": float(stats.wasserstein_distance(A.astype(np.float64), B.astype(np.float64))),
            "baseline_std": float(np.std(A.astype(np.float64))),
            "psi": psi_reference(A, B),
        })

    # Tiny samples, n = 1..5, including identical and all-tied ones.
    add("n1_vs_n1", [0.5], [1.5])
    add("n1_vs_n1_equal", [2.0], [2.0])
    add("n1_vs_n3", [1.0], [0.0, 2.0, 3.0])
    add("n2_vs_n2", [1.0, 2.0], [1.5, 2.5])
    add("n3_vs_n4", [0.1, 0.7, 0.3], [0.9, 1.1, 0.2, 1.4])
    add("n5_vs_n5_disjoint", [1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    add("n5_vs_n5_identical", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    add("n4_vs_n5_all_tied", [3, 3, 3, 3], [3, 3, 3, 3, 3])
    add("n5_vs_n2_ties", [1, 1, 2, 2, 3], [2, 2])
    for n1, n2 in [(1, 5), (2, 5), (3, 3), (4, 2), (5, 4)]:
        add(f"random_{n1}_vs_{n2}", f32list(rng.normal(0, 1, n1)), f32list(rng.normal(0.5, 1, n2)))
    # Ties: small integers.
    add("ties_40_vs_60", f32list(rng.integers(0, 5, 40)), f32list(rng.integers(0, 6, 60)))
    add("ties_200_vs_150", f32list(rng.integers(0, 10, 200)), f32list(rng.integers(1, 10, 150)))
    add("ties_identical_100", f32list(np.repeat(np.arange(10), 10)), f32list(np.repeat(np.arange(10), 10)))
    # Unequal sizes, exact regime, inline.
    add("unequal_7_vs_13", f32list(rng.normal(0, 1, 7)), f32list(rng.normal(0, 1, 13)))
    add("unequal_50_vs_75_shift", f32list(rng.normal(0, 1, 50)), f32list(rng.normal(0.8, 1, 75)))
    add("unequal_100_vs_37", f32list(rng.normal(0, 1, 100)), f32list(rng.normal(0, 2, 37)))
    add("strong_shift_300_vs_200", f32list(rng.normal(0, 1, 300)), f32list(rng.normal(3, 1, 200)))
    # Exact regime, generated.
    g = lambda seed, n, loc=0.0, scale=1.0, rnd=False: {"seed": seed, "n": n, "loc": loc, "scale": scale, "round": rnd}
    add("gen_1000_vs_1500_same", g(1, 1000), g(2, 1500))
    add("gen_2000_vs_3000_shift", g(3, 2000), g(4, 3000, 0.05))
    add("gen_5000_vs_5000_same", g(5, 5000), g(6, 5000))
    add("gen_4000_vs_6000_scale", g(7, 4000), g(8, 6000, 0.0, 2.0))
    add("gen_10000_vs_10000_shift", g(9, 10000), g(10, 10000, 0.02))
    add("gen_3000_vs_7000_ties", g(11, 3000, 50.0, 16.0, True), g(12, 7000, 50.0, 16.0, True))
    add("gen_999_vs_10000_strong", g(13, 999), g(14, 10000, 0.3))
    # Asymptotic regime (max(n1, n2) > 10000).
    add("gen_12000_vs_15000_same", g(21, 12000), g(22, 15000))
    add("gen_20000_vs_20000_shift", g(23, 20000), g(24, 20000, 0.01))
    add("gen_50000_vs_11000_strong", g(25, 50000), g(26, 11000, 0.1))
    add("gen_5_vs_20000", g(27, 5), g(28, 20000, 0.5))
    add("gen_100_vs_30000", g(29, 100), g(30, 30000, 0.1))
    add("gen_300_vs_40000_same", g(31, 300), g(32, 40000))
    add("gen_30000_vs_30000_ties", g(33, 30000, 20.0, 8.0, True), g(34, 30000, 20.0, 8.0, True))
    add("gen_15000_vs_15000_identical", g(35, 15000), g(35, 15000))
    return cases


def kstwo_cases():
    """P(D_n >= x) and the one-sided P(D+_n >= x) on a grid that reaches every method of the selection."""
    out = []
    for n in [1, 2, 3, 5, 10, 50, 140, 141, 200, 1000, 5000, 20000, 100000, 100001, 500000]:
        for nx2 in [0.02, 0.1, 0.3, 0.754, 0.76, 1.0, 2.0, 2.19, 2.21, 3.0, 4.0, 4.1, 10.0, 17.0, 50.0, 200.0, 369.0]:
            x = math.sqrt(nx2 / n)
            if x >= 1:
                continue
            out.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n)), "smirnov": float(special.smirnov(n, x))})
        for x in [0.3 / n, 0.75 / n, 1.0 / n, 0.55, 0.9, 1.0 - 0.5 / n]:
            if 0 < x < 1:
                out.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n)), "smirnov": float(special.smirnov(n, x))})
    return out


def chi2_cases(rng):
    tables = [
        ("2x2", [30, 10], [20, 25]),
        ("2x2_small", [3, 1], [1, 4]),
        ("2x2_equal", [10, 10], [10, 10]),
        ("2x3", [50, 30, 20], [40, 35, 25]),
        ("2x5_zero_cell", [10, 0, 5, 8, 12], [9, 4, 0, 10, 11]),
        ("2x4_zero_column", [10, 0, 5, 8], [9, 0, 7, 10]),
        ("2x6_shift", [100, 80, 60, 40, 20, 10], [10, 20, 40, 60, 80, 100]),
        ("2x10_large", list(rng.integers(500, 1500, 10)), list(rng.integers(500, 1500, 10))),
        ("2x3_new_category", [40, 60, 0], [35, 50, 15]),
        ("2x1_single", [5], [7]),
    ]
    out = []
    for name, a, b in tables:
        a = [int(v) for v in a]
        b = [int(v) for v in b]
        keep = [k for k in range(len(a)) if a[k] + b[k] > 0]
        table = np.array([[a[k] for k in keep], [b[k] for k in keep]])
        chi2, p, dof, _ = stats.chi2_contingency(table)  # correction=True: Yates when dof == 1
        js = float(distance.jensenshannon(np.array(a, float), np.array(b, float), base=2))
        out.append({"name": name, "baseline": a, "batch": b, "statistic": float(chi2), "pvalue": float(p),
                    "dof": int(dof), "js_distance": js,
                    "psi": float(np.sum((np.maximum(np.array(b) / sum(b), 1e-4) - np.maximum(np.array(a) / sum(a), 1e-4))
                                        * np.log(np.maximum(np.array(b) / sum(b), 1e-4) / np.maximum(np.array(a) / sum(a), 1e-4))))})
    return out


def bh_cases(rng):
    lists = [
        [0.01, 0.04, 0.03, 0.005, 0.5],
        [0.2, 0.2, 0.2, 0.01],
        [1.0, 0.9, 0.8],
        [1e-12, 0.04, 0.041, 0.9, 0.2, 0.06],
        list(rng.uniform(0, 1, 40) ** 3),
    ]
    return [{"p": [float(v) for v in p], "adjusted": [float(v) for v in bh_reference(p)]} for p in lists]


def main():
    rng = np.random.default_rng(20261125)
    doc = {
        "generator": "scipy " + scipy.__version__ + ", numpy " + np.__version__,
        "numeric": numeric_cases(rng),
        "kstwo": kstwo_cases(),
        "chi2": chi2_cases(rng),
        "bh": bh_cases(rng),
        # Bit-exact checks of the generator: SplitMix64(7)'s first outputs (hex) and a replayed spec.
        "splitmix64_seed7": ["%016x" % int(v) for v in splitmix64_stream(7, 4)],
        "generated_check": {"spec": {"seed": 1, "n": 6, "loc": 0.25, "scale": 2.0, "round": False},
                            "values": f32list(generate({"seed": 1, "n": 6, "loc": 0.25, "scale": 2.0}))},
    }
    path = os.path.join(HERE, "scipy_fixtures.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    # Self-check of the generator spec against a slow scalar SplitMix64, so both languages agree by construction.
    state = 7
    scalar = []
    for _ in range(8):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        scalar.append(z ^ (z >> 31))
    assert [int(v) for v in splitmix64_stream(7, 8)] == scalar
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
