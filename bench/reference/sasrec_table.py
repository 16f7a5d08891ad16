#!/usr/bin/env python3
"""Prints the side-by-side table of bench/sasrec-compare.sh from pairs of run reports.

    sasrec_table.py SEED=EMBEDREC_REPORT,PYTORCH_REPORT ...

Per seed and side: epochs, test HR@10 and NDCG@10 (full ranking, history excluded) and the median
seconds per training epoch (validation excluded on both sides); then the means over the seeds
(medians for the seconds) and whether the targets hold: embedrec's mean HR@10 and NDCG@10 no
lower than PyTorch's, and its epoch at least 3x faster. Standard library only.
"""
import json
import os
import statistics
import sys

SPEEDUP_TARGET = 3.0


def load(path):
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def summary(report):
    """(epochs, hr@10, ndcg@10, median epoch seconds) of an embedrec or pytorch_sasrec report."""
    if report is None:
        return None
    m = report.get("metrics") or {}
    seconds = report.get("median_epoch_seconds")
    if seconds is None:
        seconds = (report.get("timing") or {}).get("median_epoch_seconds")
    return len(report.get("history") or []), m.get("hr@10"), m.get("ndcg@10"), seconds


def main(pairs):
    rows = {"embedrec": [], "pytorch": []}
    print(f"{'seed':>4}  {'side':<9} {'epochs':>6} {'HR@10':>7} {'NDCG@10':>8} {'s/epoch':>8}")
    for pair in pairs:
        seed, _, paths = pair.partition("=")
        for side, path in zip(("embedrec", "pytorch"), paths.split(",")):
            s = summary(load(path))
            if s is None:
                print(f"{seed:>4}  {side:<9} (no report: {path})")
                continue
            rows[side].append(s)
            print(f"{seed:>4}  {side:<9} {s[0]:>6} {s[1]:>7.4f} {s[2]:>8.4f} {s[3]:>8.3f}")
    if not rows["embedrec"] or not rows["pytorch"]:
        return 1
    mean = {side: (statistics.mean(r[1] for r in rs), statistics.mean(r[2] for r in rs),
                   statistics.median(r[3] for r in rs)) for side, rs in rows.items()}
    for side, (hr, ndcg, sec) in mean.items():
        print(f"{'mean':>4}  {side:<9} {'':>6} {hr:>7.4f} {ndcg:>8.4f} {sec:>8.3f}")
    e, p = mean["embedrec"], mean["pytorch"]
    speedup = p[2] / e[2]
    quality = e[0] >= p[0] and e[1] >= p[1]
    print(f"embedrec/pytorch: HR@10 {e[0] / p[0]:.3f}x, NDCG@10 {e[1] / p[1]:.3f}x, epoch {speedup:.2f}x faster; "
          f"targets: quality no lower {'MET' if quality else 'MISSED'}, epoch >= {SPEEDUP_TARGET:g}x faster "
          f"{'MET' if speedup >= SPEEDUP_TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
