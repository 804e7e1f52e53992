#!/usr/bin/python3
"""The scikit-learn reference beside bench_text: TF-IDF of the same n-grams, a truncated SVD, and the same
spectral-signature and kNN label-disagreement rules, on the very records bench_text planted.

    build/bench/bench_text --export /tmp/text-export [--seeds 1,2,3] [--rates 0.01,0.05]
    /usr/bin/python3 bench/bench_text_sklearn.py /tmp/text-export [--json FILE]

Run it with Debian's /usr/bin/python3 (python3-sklearn). For each exported configuration:

  representation  TfidfVectorizer over word 1-3-grams and one over character 3-5-grams inside words (char_wb),
                  sublinear tf, smoothed idf, fitted on the baseline, rows concatenated and scaled to unit length;
                  TruncatedSVD(64, randomized, seed) fitted on the baseline.
  spectral        Tran, Li, Madry (2018): per class of the batch, centre, top right singular vector, score the
                  squared projection, flag the top 1.5 x 0.05 x (class size) candidates.
  knn             Custody's label-consistency rule: score = log(mean cosine distance to the 10 nearest baseline
                  records of its own label / to the 10 nearest of other labels); calibrated per class on the
                  baseline's own records (each scored without itself), flagged at or above the 0.999 quantile.
                  (An uncalibrated "70% of the 10 neighbours disagree" flags about 82% of clean records here:
                  fortune categories overlap.)

A record counts as found when either rule flags it. Figures, as bench_text reports Custody's: backdoor recall
among the flagged, recall of flipped labels and conflicting copies, and the false-positive rate among the clean
candidates (candidates = batch records new or changed since the baseline).
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.neighbors import NearestNeighbors
from scipy.sparse import hstack
from sklearn.preprocessing import normalize


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run(folder, seed):
    base = read(os.path.join(folder, "baseline.csv"))
    batch = read(os.path.join(folder, "batch.csv"))
    cand = [i for i, r in enumerate(batch) if r["kind"] != "unchanged"]
    words = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, lowercase=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    bt = [r["text"] for r in base]
    xt = [r["text"] for r in batch]
    a = normalize(hstack([words.fit_transform(bt), chars.fit_transform(bt)]).tocsr())
    b = normalize(hstack([words.transform(xt), chars.transform(xt)]).tocsr())
    svd = TruncatedSVD(64, algorithm="randomized", random_state=seed).fit(a)
    ra, rb = svd.transform(a), svd.transform(b)
    labels_b = np.array([r["label"] for r in batch])
    labels_a = np.array([r["label"] for r in base])
    flagged = set()
    for label in sorted(set(labels_b)):
        rows = np.where(labels_b == label)[0]
        centred = rb[rows] - rb[rows].mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        score = (centred @ vt[0]) ** 2
        cset = set(cand)
        order = [rows[i] for i in np.argsort(-score) if rows[i] in cset]
        flagged.update(order[: int(1.5 * 0.05 * len(rows))])
    def knn_scores(queries, qlabels, exclude_self):
        scores = np.empty(len(queries))
        for label in sorted(set(labels_a)):
            same = np.where(labels_a == label)[0]
            other = np.where(labels_a != label)[0]
            rows = np.where(qlabels == label)[0]
            if len(rows) == 0:
                continue
            k_same = 10 + (1 if exclude_self else 0)
            ds, _ = NearestNeighbors(n_neighbors=min(k_same, len(same)), metric="cosine").fit(ra[same]).kneighbors(queries[rows])
            do, _ = NearestNeighbors(n_neighbors=10, metric="cosine").fit(ra[other]).kneighbors(queries[rows])
            if exclude_self:
                ds = ds[:, 1:]
            scores[rows] = np.log((ds.mean(axis=1) + 1e-12) / (do.mean(axis=1) + 1e-12))
        return scores
    null = knn_scores(ra, labels_a, True)
    cand_scores = knn_scores(rb[cand], labels_b[cand], False)
    threshold = {label: np.quantile(null[labels_a == label], 0.999) for label in sorted(set(labels_a))}
    for i, row in enumerate(cand):
        if labels_b[row] in threshold and cand_scores[i] >= threshold[labels_b[row]]:
            flagged.add(row)
    kinds = [batch[i]["kind"] for i in cand]
    out = {"candidates": len(cand)}
    for kind in ("backdoor", "flipped_label", "conflicting_copy"):
        planted = [row for row in cand if batch[row]["kind"] == kind]
        out[kind + "_recall"] = (sum(row in flagged for row in planted) / len(planted)) if planted else None
    clean = [row for row in cand if batch[row]["kind"] == "clean"]
    out["false_positive_rate"] = sum(row in flagged for row in clean) / max(1, len(clean))
    out["flagged"] = len(flagged)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--json")
    args = ap.parse_args()
    custody = json.load(open(os.path.join(args.folder, "custody.json")))
    rows = []
    print(f"{'configuration':<22} {'side':<9} {'bd-rec':>7} {'flip':>6} {'copy':>6} {'FPR':>7} {'flagged':>8}")
    for c in custody:
        name = c.get("export")
        if not name:
            continue
        ref = run(os.path.join(args.folder, name), int(c["seed"]))
        combined = c["quality"]["combined"]
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"{name:<22} {'custody':<9} {fmt(combined['backdoor_recall']):>7} {fmt(combined['flipped_recall']):>6} "
              f"{fmt(combined['copy_recall']):>6} {combined['false_positive_rate'] or 0:>7.4f} {combined['flagged']:>8}")
        print(f"{'':<22} {'sklearn':<9} {fmt(ref['backdoor_recall']):>7} {fmt(ref['flipped_label_recall']):>6} "
              f"{fmt(ref['conflicting_copy_recall']):>6} {ref['false_positive_rate']:>7.4f} {ref['flagged']:>8}")
        rows.append({"configuration": name, "custody": combined, "sklearn": ref})
    if args.json:
        json.dump(rows, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
