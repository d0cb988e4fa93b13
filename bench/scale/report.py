#!/usr/bin/env python3
"""Merge a run's rows into bench/scale/results.tsv, print the table, write results.md and
growth.png (log-log: indexing time, index size, peak RSS, query p99 against passages).

Usage: report.py RUN_ROWS.tsv OUT_DIR
RUN_ROWS.tsv: rows without header, in the COLUMNS order below. Rows of results.tsv whose size
and engine are measured again are replaced; the others are kept (their date column says when).
"""
import csv
import os
import sys

COLUMNS = ["size", "passages", "input_MB", "engine", "index_s", "cpu_s", "peak_rss_MiB",
           "index_MiB", "q_p50_ms", "q_p99_ms", "http1_p50_ms", "http1_p99_ms", "http16_p50_ms",
           "http16_p99_ms", "http16_rps", "hybrid_p99_ms", "load1_start", "date",
           "q_nofacets_p99_ms"]  # last: added after the first rows were written
ENGINES = ["kb", "SQLite FTS5", "PostgreSQL 15", "Sphinx 2.2.11"]
SHOWN = [("size", "size"), ("engine", "engine"), ("index_s", "index s"), ("cpu_s", "CPU s"),
         ("peak_rss_MiB", "peak RSS MiB"), ("index_MiB", "index MiB"),
         ("q_p50_ms", "query p50 ms"), ("q_p99_ms", "query p99 ms"),
         ("q_nofacets_p99_ms", "kb no-facets p99 ms"),
         ("http1_p99_ms", "HTTP c1 p99 ms"), ("http16_p50_ms", "HTTP c16 p50 ms"),
         ("http16_p99_ms", "HTTP c16 p99 ms"), ("http16_rps", "HTTP c16 req/s"),
         ("hybrid_p99_ms", "hybrid p99 ms"), ("load1_start", "load avg")]


def read_rows(path, header):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        rows = [{c: (r[i] if i < len(r) else "-") for i, c in enumerate(COLUMNS)}
                for r in reader if r]
    return rows[1:] if header and rows else rows


def fnum(value):
    try:
        return float(value)
    except ValueError:
        return None


def main():
    run_path, out_dir = sys.argv[1], sys.argv[2]
    new = read_rows(run_path, header=False)
    results = os.path.join(out_dir, "results.tsv")
    measured = {(r["size"], r["engine"]) for r in new}
    rows = [r for r in read_rows(results, header=True)
            if (r["size"], r["engine"]) not in measured] + new
    rows.sort(key=lambda r: (int(r["passages"]), ENGINES.index(r["engine"])))
    with open(results, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r[c] for c in COLUMNS])

    table = [[label for _, label in SHOWN]] + [[r[c] for c, _ in SHOWN] for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(len(SHOWN))]
    for i, t in enumerate(table):
        print("  ".join(c.ljust(w) if j < 2 else c.rjust(w) for j, (c, w) in enumerate(zip(t, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))

    with open(os.path.join(out_dir, "results.md"), "w", encoding="utf-8") as f:
        f.write("| " + " | ".join(table[0]) + " |\n")
        f.write("|" + "|".join("---" if j < 2 else "---:" for j in range(len(SHOWN))) + "|\n")
        for t in table[1:]:
            f.write("| " + " | ".join(t) + " |\n")

    plot(rows, os.path.join(out_dir, "growth.png"))
    print(f"\nwrote {results}, results.md and growth.png in {out_dir}")


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("index_s", "indexing wall time (s)"), ("index_MiB", "index size on disk (MiB)"),
              ("peak_rss_MiB", "peak RSS while indexing (MiB)"),
              ("q_p99_ms", "query p99 (ms), in-process")]
    styles = {"kb": ("tab:blue", "o"), "SQLite FTS5": ("tab:green", "s"),
              "PostgreSQL 15": ("tab:red", "^"), "Sphinx 2.2.11": ("tab:purple", "D")}
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for ax, (col, title) in zip(axes.flat, panels):
        for engine in ENGINES:
            pts = [(int(r["passages"]), fnum(r[col])) for r in rows if r["engine"] == engine]
            pts = [(x, y) for x, y in pts if y is not None and y > 0]
            if pts:
                color, marker = styles[engine]
                ax.plot(*zip(*pts), marker=marker, color=color, label=engine)
        if col == "q_p99_ms":
            pts = [(int(r["passages"]), fnum(r["http16_p99_ms"])) for r in rows if r["engine"] == "kb"]
            pts = [(x, y) for x, y in pts if y]
            if pts:
                ax.plot(*zip(*pts), marker="o", linestyle="--", color="tab:blue",
                        label="kb over HTTP, 16 connections")
            ax.axhline(25, color="grey", linestyle=":", label="target at 1M: 25 ms")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("passages")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Passerelle growth curve: kb (Xapian) vs SQLite FTS5 vs PostgreSQL 15 vs "
                 "Sphinx 2.2.11 (lexical; kb with facet counts)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
