#!/usr/bin/python3
"""The NumPy / scikit-learn reference run beside bench_scan: spectral signatures and kNN label disagreement on the
very rows and representation Custody's detectors used, scored the way bench_scan scores Custody.

    build/bench/bench_scan --seeds 1 --rates 0.05 --triggers patch --export /tmp/scan-export
    /usr/bin/python3 bench/bench_scan_sklearn.py [/tmp/scan-export] [--repeat 3] [--json FILE]
                                                 [--bench build/bench/bench_scan]   # re-export first

Run it with Debian's /usr/bin/python3 (python3-numpy, python3-sklearn, libopenblas0-pthread): a pyenv `python3`
has none of them. Without libopenblas0-pthread NumPy runs on the reference BLAS and the comparison flatters
Custody; the script prints the BLAS it found.

Candidates are the batch rows that are not unchanged since the baseline (batch_kind != 255), as in bench_scan.
Both methods are written here from the published algorithms:

  spectral   Tran, Li, Madry (2018), Algorithm 1: per class of the batch (every batch row of the class), centre
             the representation, take the top right singular vector v of the centred matrix, score each row
             ((r - mean) . v)^2 and flag the top 1.5 x eps x (class size) rows. A second row scores |r . v|
             (uncentred projection), which is what ART's SpectralSignatureDefense computes; ranks differ.
  knn        NearestNeighbors(k) fitted on the baseline representation, queried with the candidates; score =
             share of the k neighbours whose label differs from the candidate's, suggestion = majority label
             (lowest label on a tie, as Custody), flagged when score >= 0.7.

Custody's "neighbours" phase also finds the neighbours of calibration records (calibration_per_class baseline
rows of each class, self excluded), so "same work" adds those queries to scikit-learn's time. Every time is the
best of --repeat runs in this process; Custody's come from custody_timings.json, written by the export run (with
--bench: the best of --repeat scans after a first one). Before any speed is compared, both sides must give the same
answers: spectral scores within 1e-3 relative (Custody's algorithm in NumPy: covariance eigenvector of each batch
class, squared projection) and the same k nearest neighbours of every candidate (ties at the k-th distance
aside); the script exits 1 when they do not.
"""
import argparse
import io
import json
import math
import os
import platform
import subprocess
import sys
import time
from contextlib import redirect_stdout

import numpy as np
import sklearn
from sklearn.neighbors import NearestNeighbors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = {0: "clean", 1: "backdoor", 2: "flipped_label", 3: "conflicting_copy"}
UNCHANGED = 255


def blas_info():
    """What NumPy's (and scikit-learn's) BLAS is, from threadpoolctl if installed, else numpy.show_config()."""
    try:
        from threadpoolctl import threadpool_info
        pools = threadpool_info()
        return {"source": "threadpoolctl",
                "summary": "; ".join(f"{p.get('internal_api')} {p.get('version') or ''} "
                                     f"({p.get('threading_layer', p.get('user_api'))}, {p.get('num_threads')} threads, "
                                     f"{p.get('filepath')})" for p in pools),
                "pools": pools}
    except ImportError:
        buf = io.StringIO()
        with redirect_stdout(buf):
            np.show_config()
        text = buf.getvalue()
        lines = [l.strip() for l in text.splitlines() if "librar" in l or "openblas" in l.lower() or "name" in l]
        return {"source": "numpy.show_config", "summary": " | ".join(lines[:6]) or "unknown", "text": text}


def best_of(repeat, fn):
    """(best seconds, all seconds, last result) of `repeat` calls of fn."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), times, result


# ---------------------------------------------------------------------------------------------------- metrics

def budget_recall(score, kind, target, budget_of):
    """Recall of `target` when the top ceil(1.5 x budget_of) candidates by score are taken (ties: lower row first,
    non-finite scores last), as bench_scan's recallAtBudget."""
    planted = int((kind == target).sum())
    if planted == 0:
        return None
    budget = int(math.ceil(1.5 * budget_of))
    s = np.where(np.isfinite(score), score, -np.inf)
    order = np.lexsort((np.arange(len(s)), -s))  # primary: score descending; then row ascending
    return float((kind[order[:budget]] == target).sum() / planted)


def flagged_metrics(flagged, kind):
    """bench_scan's columns for a flagged set over the candidates."""
    n = int(flagged.sum())
    poisoned = kind != 0
    out = {"flagged": n,
           "precision": float((flagged & poisoned).sum() / n) if n else None,
           "false_positive_rate": float((flagged & ~poisoned).sum() / max(1, int((~poisoned).sum())))}
    for code, name in KINDS.items():
        if code == 0:
            continue
        planted = int((kind == code).sum())
        out[f"{name}_recall"] = float((flagged & (kind == code)).sum() / planted) if planted else None
    return out


# ---------------------------------------------------------------------------------------------------- spectral

def spectral_signatures(rep, labels, eps, centred_projection=True):
    """Scores and flags for every batch row. Per class: SVD of the centred rows, projection on the top right
    singular vector, top 1.5 x eps x class size flagged."""
    score = np.full(len(rep), np.nan, dtype=np.float64)
    flagged = np.zeros(len(rep), dtype=bool)
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if len(rows) < 3:
            continue
        x = rep[rows]
        centred = x - x.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        v = vt[0]
        proj = (centred if centred_projection else x) @ v
        s = proj * proj
        score[rows] = s
        take = int(math.ceil(1.5 * eps * len(rows)))
        top = np.argsort(-s, kind="stable")[:take]
        flagged[rows[top]] = True
    return score, flagged


def spectral_as_custody(rep, labels, cand_rows, calib_rep, calib_labels):
    """Custody's spectral detector, step for step, for a timing that does the same work: per batch class, the mean
    and the top eigenvector of the 32 x 32 covariance of the class's batch rows, then the squared projection of the
    class's candidates and of its calibration (baseline) records. Returns the candidates' scores (batch-row order,
    NaN elsewhere) for the agreement check."""
    score = np.full(len(rep), np.nan, dtype=np.float64)
    is_cand = np.zeros(len(rep), dtype=bool)
    is_cand[cand_rows] = True
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if len(rows) < 3:
            continue
        x = rep[rows].astype(np.float64)
        mean = x.mean(axis=0)
        centred = x - mean
        _, vectors = np.linalg.eigh(centred.T @ centred)
        v = vectors[:, -1]
        mine = rows[is_cand[rows]]
        score[mine] = ((rep[mine] - mean) @ v) ** 2
        _ = ((calib_rep[calib_labels == c] - mean) @ v) ** 2  # the calibration scores Custody computes too
    return score


# ---------------------------------------------------------------------------------------------------- kNN

def disagreement(neighbour_labels, own_labels, classes):
    """Share of neighbours labelled otherwise, and the majority label (lowest on a tie)."""
    score = (neighbour_labels != own_labels[:, None]).mean(axis=1)
    votes = np.zeros((len(own_labels), classes), dtype=np.int32)
    np.add.at(votes, (np.repeat(np.arange(len(own_labels)), neighbour_labels.shape[1]), neighbour_labels.ravel()), 1)
    return score, votes.argmax(axis=1), votes.max(axis=1)


def calibration_rows(labels, per_class, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in np.unique(labels)])


def knn_run(algorithm, base_rep, base_labels, queries, query_labels, calib, k, classes):
    """Fit, candidate query and scoring, then the calibration queries (self excluded); seconds of each."""
    t0 = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=k, algorithm=algorithm).fit(base_rep)
    t1 = time.perf_counter()
    _, idx = nn.kneighbors(queries, n_neighbors=k)
    score, suggestion, votes = disagreement(base_labels[idx], query_labels, classes)
    t2 = time.perf_counter()
    # Calibration records are baseline rows: ask for k + 1 and drop the row itself (or the farthest, should the
    # row not come back among equal-distance twins).
    _, cidx = nn.kneighbors(base_rep[calib], n_neighbors=k + 1)
    is_self = cidx == calib[:, None]
    drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), k)
    keep = np.ones_like(cidx, dtype=bool)
    keep[np.arange(len(calib)), drop] = False
    cidx = cidx[keep].reshape(len(calib), k)
    cscore, _, _ = disagreement(base_labels[cidx], base_labels[calib], classes)
    t3 = time.perf_counter()
    return {"fit": t1 - t0, "query": t2 - t1, "calibration": t3 - t2, "resolved": nn._fit_method,
            "score": score, "suggestion": suggestion, "votes": votes, "calibration_score": cscore}


# ---------------------------------------------------------------------------------------------------- main

def fmt(v, width=8, digits=3):
    return f"{'-':>{width}}" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:{width}.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", default="/tmp/scan-export", help="bench_scan --export directory")
    ap.add_argument("--bench",
                    help="run this bench_scan with --seeds 1 --rates 0.05 --triggers patch --export DIR first")
    ap.add_argument("--eps", type=float, default=0.05, help="expected poison fraction of spectral signatures")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threshold", type=float, default=0.7, help="kNN flags a candidate at this disagreement")
    ap.add_argument("--calibration-per-class", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="time each method this many times, report the best")
    ap.add_argument("--json", help="write every figure to this file")
    args = ap.parse_args()

    if args.bench:
        subprocess.run([args.bench, "--seeds", "1", "--rates", "0.05", "--triggers", "patch", "--export", args.dir,
                        "--repeat", str(args.repeat)],
                       check=True, stdout=subprocess.DEVNULL)
    load = lambda name: np.load(os.path.join(args.dir, name + ".npy"))  # noqa: E731
    batch_rep, base_rep = load("batch_rep"), load("baseline_rep")
    batch_labels, base_labels = load("batch_labels").astype(np.int64), load("baseline_labels").astype(np.int64)
    batch_kind = load("batch_kind")
    with open(os.path.join(args.dir, "custody_timings.json")) as f:
        custody = json.load(f)
    classes = int(max(batch_labels.max(), base_labels.max())) + 1

    cand_rows = np.flatnonzero(batch_kind != UNCHANGED)
    kind = batch_kind[cand_rows].astype(np.int64)
    planted = {name: int((kind == code).sum()) for code, name in KINDS.items()}
    blas = blas_info()

    # --- data checks, informational: what each kind looks like in the reference set
    base_hash = {base_pixels_row.tobytes(): i for i, base_pixels_row in enumerate(load("baseline_pixels"))}
    batch_pixels = load("batch_pixels")
    twin = np.array([base_hash.get(batch_pixels[r].tobytes(), -1) for r in cand_rows])
    data = {"batch_rows": int(len(batch_rep)), "baseline_rows": int(len(base_rep)), "candidates": int(len(cand_rows)),
            "planted": planted, "dims": int(batch_rep.shape[1]),
            "dead_dims": [int(d) for d in np.flatnonzero((base_rep == 0).all(axis=0) & (batch_rep == 0).all(axis=0))],
            "zero_share": float((batch_rep == 0).mean()),
            "candidates_with_a_pixel_identical_baseline_row": {
                name: int(((kind == code) & (twin >= 0)).sum()) for code, name in KINDS.items()},
            "backdoor_labels": np.bincount(batch_labels[cand_rows[kind == 1]], minlength=classes).tolist()}

    # --- 1. spectral signatures (the paper's centred score, and ART's uncentred projection)
    results, times = {}, {}
    for name, centred in (("spectral", True), ("spectral (ART |r.v|)", False)):
        best, all_times, (score, flagged) = best_of(
            args.repeat, lambda c=centred: spectral_signatures(batch_rep, batch_labels, args.eps, c))
        m = flagged_metrics(flagged[cand_rows], kind)
        m["backdoor_recall_at_1_5x"] = budget_recall(score[cand_rows], kind, 1, planted["backdoor"])
        m["flagged_unchanged_rows"] = int((flagged & (batch_kind == UNCHANGED)).sum())
        m["flagged_all_rows"] = int(flagged.sum())
        results[name] = m
        times[name] = {"seconds": best, "all": all_times}

    # --- 1b. the same algorithm as Custody, timed for the speed table and checked against Custody's scores
    calib = calibration_rows(base_labels, args.calibration_per_class, args.seed)
    best, all_times, same_score = best_of(args.repeat, lambda: spectral_as_custody(
        batch_rep, batch_labels, cand_rows, base_rep[calib], base_labels[calib]))
    times["spectral (Custody's algorithm)"] = {"seconds": best, "all": all_times}
    agreement = {}
    custody_spectral = load("custody_spectral_scores").astype(np.float64)[cand_rows]
    ours = same_score[cand_rows]
    both = np.isfinite(custody_spectral) & np.isfinite(ours)
    rel = np.abs(custody_spectral[both] - ours[both]) / np.maximum(np.abs(ours[both]), 1e-6 * np.abs(ours[both]).max())
    agreement["spectral_scored"] = int(both.sum())
    agreement["spectral_nan_mismatch"] = int((np.isfinite(custody_spectral) != np.isfinite(ours)).sum())
    agreement["spectral_worst_relative_difference"] = float(rel.max()) if len(rel) else 0.0

    # --- 2. kNN label disagreement
    queries, query_labels = batch_rep[cand_rows], batch_labels[cand_rows]
    algorithms = ("auto", "brute", "kd_tree")
    runs_of = {a: [] for a in algorithms}
    for _ in range(args.repeat):  # round robin, so that the load of a shared machine falls on every algorithm
        for algorithm in algorithms:
            runs_of[algorithm].append(knn_run(algorithm, base_rep, base_labels, queries, query_labels, calib, args.k,
                                              classes))
    knn_times, knn = {}, None
    for algorithm, runs in runs_of.items():
        best = min(runs, key=lambda r: r["fit"] + r["query"] + r["calibration"])
        knn_times[algorithm] = {
            "resolved_algorithm": best["resolved"],
            "fit": min(r["fit"] for r in runs), "query": min(r["query"] for r in runs),
            "fit_query": min(r["fit"] + r["query"] for r in runs),
            "calibration_queries": min(r["calibration"] for r in runs),
            "same_work": min(r["fit"] + r["query"] + r["calibration"] for r in runs),
            "all_fit_query": [r["fit"] + r["query"] for r in runs]}
        if knn is None:
            knn = best
        elif not np.array_equal(knn["score"], best["score"]):
            knn_times[algorithm]["scores_differ_from_auto"] = int((knn["score"] != best["score"]).sum())
    # Same neighbours? Custody's k nearest overall against scikit-learn's brute force, as sets per candidate; a
    # difference only counts when it is not a tie at the k-th distance (equal distances may come in any order).
    nn = NearestNeighbors(n_neighbors=args.k, algorithm="brute").fit(base_rep)
    ref_dist, ref_idx = nn.kneighbors(queries, n_neighbors=args.k)
    custody_idx, custody_dist = load("custody_knn_indices"), load("custody_knn_distances")
    differ, ties = 0, 0
    for i in range(len(queries)):
        a, b = set(ref_idx[i].tolist()), set(custody_idx[i].tolist())
        if a == b:
            continue
        kth = max(ref_dist[i, -1], float(custody_dist[i, -1]))
        odd = [j for j in a ^ b if j >= 0]
        if all(abs(np.linalg.norm(base_rep[j] - queries[i]) - kth) <= 1e-4 * max(kth, 1e-6) for j in odd):
            ties += 1
        else:
            differ += 1
    agreement["knn_queries"] = int(len(queries))
    agreement["knn_neighbour_sets_differ"] = differ
    agreement["knn_ties_at_kth"] = ties
    agreement["knn_worst_distance_difference"] = float(np.nanmax(np.abs(np.sort(ref_dist, axis=1) - custody_dist)))

    flagged = knn["score"] >= args.threshold
    m = flagged_metrics(flagged, kind)
    m["backdoor_recall_at_1_5x"] = budget_recall(knn["score"], kind, 1, planted["backdoor"])
    restored = {}
    for code in (2, 3):  # does the majority label give back the label the record has in the baseline?
        sel = (kind == code) & flagged & (twin >= 0)
        restored[KINDS[code]] = float((knn["suggestion"][sel] == base_labels[twin[sel]]).mean()) if sel.any() else None
    m["suggestion_restores_baseline_label"] = restored
    m["clean_candidates_score_ge_threshold"] = int(((kind == 0) & flagged).sum())
    m["calibration_share_ge_threshold"] = float((knn["calibration_score"] >= args.threshold).mean())
    results["knn label disagreement"] = m

    # --- report
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"scikit-learn reference on {args.dir}: {data['candidates']} candidates of {data['batch_rows']} batch rows "
          f"({planted['backdoor']} backdoor, {planted['flipped_label']} flipped, {planted['conflicting_copy']} copies, "
          f"{planted['clean']} clean), baseline {data['baseline_rows']} rows, representation {data['dims']} dims")
    print(f"  numpy {np.__version__}, scikit-learn {sklearn.__version__}, python {platform.python_version()} "
          f"({sys.executable}), {os.cpu_count()} cores, {cpu}")
    print(f"  BLAS ({blas['source']}): {blas['summary']}")
    print()
    print(f"   {'detector':<24} {'bd@1.5x':>8} {'flagged':>8} {'prec':>8} {'bd-rec':>8} {'flip-rec':>8} "
          f"{'copy-rec':>8}")
    for name, r in results.items():
        print(f"   {name:<24} {fmt(r['backdoor_recall_at_1_5x'])} {r['flagged']:8d} {fmt(r['precision'])} "
              f"{fmt(r['backdoor_recall'])} {fmt(r['flipped_label_recall'])} {fmt(r['conflicting_copy_recall'])}   "
              f"FPR {r['false_positive_rate']:.4f}")
    for name in ("spectral", "spectral (ART |r.v|)"):
        r = results[name]
        print(f"   ({name}: {r['flagged_all_rows']} batch rows flagged, {r['flagged_unchanged_rows']} of them "
              f"unchanged since the baseline and so not candidates)")
    k = results["knn label disagreement"]
    print(f"   (knn: the majority label gives back the baseline label for "
          f"{fmt(restored['flipped_label'], 0)} of flagged flipped and {fmt(restored['conflicting_copy'], 0)} of "
          f"flagged copies; {k['calibration_share_ge_threshold']:.4f} of calibration rows score >= {args.threshold})")
    print()
    same_custody = custody.get("neighbours", 0.0) + custody.get("label-consistency", 0.0)
    rows = [("spectral, Custody's algorithm", times["spectral (Custody's algorithm)"]["seconds"], custody.get("spectral")),
            ("spectral, the paper's full SVD (not same work)", times["spectral"]["seconds"], None)]
    for alg, t in knn_times.items():
        label = f"knn {alg}" + (f" (= {t['resolved_algorithm']})" if alg == "auto" else "")
        rows.append((f"{label}: fit + query", t["fit_query"], None))
        rows.append((f"{label}: same work", t["same_work"], same_custody))
    print(f"   {'work':<36} {'sklearn s':>10} {'Custody s':>10} {'sklearn/Custody':>16}")
    for label, ours, theirs in rows:
        ratio = f"{ours / theirs:16.2f}" if theirs else f"{'-':>16}"
        print(f"   {label:<36} {ours:10.3f} {fmt(theirs, 10)} {ratio}")
    print(f"   (best of {args.repeat}; same work = fit + {len(cand_rows)} candidate queries + {len(calib)} calibration "
          f"queries; Custody: neighbours {custody.get('neighbours')} s + label-consistency "
          f"{custody.get('label-consistency')} s, from the export run)")
    print(f"   data: {len(data['dead_dims'])} representation dims zero on every row {data['dead_dims']}, "
          f"{data['zero_share']:.0%} of values zero; candidates with a pixel-identical baseline row: "
          f"{data['candidates_with_a_pixel_identical_baseline_row']}")

    print()
    print(f"   agreement: spectral scores of {agreement['spectral_scored']} candidates, worst relative difference "
          f"{agreement['spectral_worst_relative_difference']:.2e} (tolerance 1e-3), {agreement['spectral_nan_mismatch']} "
          f"scored on one side only; neighbours of {agreement['knn_queries']} candidates: "
          f"{agreement['knn_neighbour_sets_differ']} sets differ, {agreement['knn_ties_at_kth']} differ only by a tie at the "
          f"k-th distance, worst distance difference {agreement['knn_worst_distance_difference']:.2e}")
    agree = (agreement["spectral_worst_relative_difference"] <= 1e-3 and agreement["spectral_nan_mismatch"] == 0
             and agreement["knn_neighbour_sets_differ"] == 0)

    if args.json:
        for t in times.values():
            t["all"] = [float(x) for x in t["all"]]
        with open(args.json, "w") as f:
            json.dump({"dir": args.dir, "numpy": np.__version__, "sklearn": sklearn.__version__,
                       "python": sys.executable, "cpu": cpu, "cores": os.cpu_count(),
                       "blas": {k2: v for k2, v in blas.items() if k2 != "text"},
                       "parameters": {"eps": args.eps, "k": args.k, "threshold": args.threshold,
                                      "calibration_per_class": args.calibration_per_class, "seed": args.seed,
                                      "repeat": args.repeat},
                       "data": data, "agreement": agreement, "detectors": results, "spectral_seconds": times, "knn_seconds": knn_times,
                       "custody_seconds": custody,
                       "ratios": {"spectral": times["spectral (Custody's algorithm)"]["seconds"] / custody["spectral"]
                                  if custody.get("spectral") else None,
                                  **{f"knn_{a}_same_work": t["same_work"] / same_custody if same_custody else None
                                     for a, t in knn_times.items()}}}, f, indent=2, default=str)
    if not agree:
        print("bench_scan_sklearn: Custody and the reference disagree (above); the speed comparison means nothing",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
