#!/usr/bin/env python3
"""Print the ingest_bench table and ratios.

Usage: report.py RESULTS.tsv DOCS INPUT_BYTES
RESULTS.tsv: one line per engine: name<TAB>seconds<TAB>cpu_seconds<TAB>peak_rss_kB|n/a<TAB>size_bytes<TAB>rss_note
"""
import sys


def mib(n):
    return n / (1024 * 1024)


def main():
    results_path, docs, in_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rows = []
    with open(results_path, encoding="utf-8") as f:
        for line in f:
            name, secs, cpu, rss, size, note = line.rstrip("\n").split("\t")
            rows.append({"name": name, "secs": float(secs), "cpu": float(cpu),
                         "rss": None if rss == "n/a" else int(rss),
                         "size": int(size), "note": note})

    header = ["engine", "wall s", "CPU s", "docs/s", "MB/s", "peak RSS MiB", "index size MiB", "index bytes"]
    table = [header]
    for r in rows:
        table.append([r["name"], f"{r['secs']:.2f}", f"{r['cpu']:.2f}", f"{docs / r['secs']:,.0f}",
                      f"{in_bytes / 1e6 / r['secs']:.2f}",
                      "n/a" if r["rss"] is None else f"{r['rss'] / 1024:.1f}" + r["note"],
                      f"{mib(r['size']):.1f}", f"{r['size']:,}"])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  ".join(cells))
        if i == 0:
            print("  ".join("-" * w for w in widths))

    kb = next((r for r in rows if r["name"].startswith("kb-indexer")), None)
    if kb is None:
        return
    print()
    print("Ratios (kb-indexer / other; time < 1 = kb faster, throughput > 1 = kb faster):")
    for r in rows:
        if r is kb:
            continue
        parts = [f"time {kb['secs'] / r['secs']:.2f}x",
                 f"throughput {r['secs'] / kb['secs']:.2f}x",
                 f"CPU {kb['cpu'] / r['cpu']:.2f}x"]
        if kb["rss"] and r["rss"]:
            parts.append(f"peak RSS {kb['rss'] / r['rss']:.2f}x")
        else:
            parts.append("peak RSS n/a")
        parts.append(f"index size {kb['size'] / r['size']:.2f}x")
        print(f"  kb vs {r['name']}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
