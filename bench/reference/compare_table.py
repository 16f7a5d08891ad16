#!/usr/bin/env python3
"""Prints the side-by-side table of bench/compare.sh from pairs of run reports.

    compare_table.py --threads N [--wall FILE] MODEL=EMBEDREC_REPORT,REFERENCE_REPORT ...

For each model: epochs, median seconds per training epoch (validation excluded on both sides),
total training seconds, wall seconds of the whole command (start-up, loading and validation
included, when compare.sh measured them), the final test quality (top-100 accuracy for
retrieval, RMSE for rating models), and the ratios embedrec / reference. "target" says whether
the issue's goal is met: at least 3x faster per epoch, with top-100 accuracy no lower (at the same
epoch) or RMSE no higher. Standard library only, so it runs with any Python 3.
"""

import argparse
import json
import os
import sys

SPEEDUP_TARGET = 3.0


def load(path):
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def quality(report):
    """(label, value, higher_is_better) of a report's final test metric."""
    metrics = report.get("metrics") or {}
    if "top_100_accuracy" in metrics:
        return "top-100", metrics["top_100_accuracy"], True
    if "rmse" in metrics:
        return "rmse", metrics["rmse"], False
    return "?", None, True


def fmt(value, pattern):
    return "-" if value is None else pattern.format(value)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--wall", help="TSV of report path and wall seconds, written by compare.sh")
    p.add_argument("pairs", nargs="+", metavar="MODEL=EMBEDREC,REFERENCE")
    args = p.parse_args(argv)
    wall = {}
    if args.wall and os.path.isfile(args.wall):
        with open(args.wall, encoding="utf-8") as f:
            for line in f:
                path, seconds = line.rstrip("\n").split("\t")
                wall[path] = float(seconds)

    header = ["model", "system", "threads", "epochs", "s/epoch", "train s", "wall s", "quality",
              "s/epoch e/r", "quality e/r", "speed-up", "target"]
    rows = []
    versions = None
    for pair in args.pairs:
        model, _, paths = pair.partition("=")
        embedrec_path, reference_path = paths.split(",")
        reports = [load(embedrec_path), load(reference_path)]
        for path, report, system in zip((embedrec_path, reference_path), reports, ("embedrec", None)):
            if report is None:
                rows.append([model, system or "reference", str(args.threads), "failed: no report", "", "", "", "",
                             "", "", "", ""])
                continue
            timing = report.get("timing", {})
            label, value, _ = quality(report)
            threads = report.get("machine", {}).get("threads", args.threads)
            rows.append([model, system or report.get("system", "reference"), str(threads), str(len(report["history"])),
                         fmt(timing.get("median_epoch_seconds"), "{:.3f}"), fmt(timing.get("train_seconds"), "{:.1f}"),
                         fmt(wall.get(path), "{:.1f}"), f"{label} {fmt(value, '{:.4f}')}", "", "", "", ""])
            if system is None:
                versions = versions or report.get("reference")
        e, r = reports
        if e is None or r is None:
            continue
        e_epoch = e["timing"].get("median_epoch_seconds")
        r_epoch = r["timing"].get("median_epoch_seconds")
        _, e_quality, higher_better = quality(e)
        _, r_quality, _ = quality(r)
        ratio = e_epoch / r_epoch if e_epoch and r_epoch else None
        q_ratio = e_quality / r_quality if e_quality is not None and r_quality else None
        speedup = r_epoch / e_epoch if e_epoch and r_epoch else None
        same_epoch = len(e["history"]) == len(r["history"])
        if speedup is None or e_quality is None or r_quality is None:
            verdict = "n/a"
        else:
            good = e_quality >= r_quality if higher_better else e_quality <= r_quality
            verdict = ("met" if speedup >= SPEEDUP_TARGET and good else "not met") + ("" if same_epoch else " (epochs differ)")
        summary = rows[-2]
        summary[8:12] = [fmt(ratio, "{:.3f}"), fmt(q_ratio, "{:.3f}"), fmt(speedup, "{:.2f}x"), verdict]

    widths = [max(len(str(r[k])) for r in rows + [header]) for k in range(len(header))]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print()
    print(f"threads: {args.threads} on both sides (embedrec --threads; TensorFlow intra-op and inter-op pools); "
          f"s/epoch is the median training epoch, validation excluded; speed-up = reference s/epoch / embedrec s/epoch; "
          f"target: >= {SPEEDUP_TARGET:g}x and quality no worse at the same epoch")
    if versions:
        print("reference: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
