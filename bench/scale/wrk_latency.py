#!/usr/bin/env python3
"""Read wrk --latency output on stdin; print "p50_ms p99_ms requests_per_s" (- when missing)."""
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def main():
    text = sys.stdin.read()
    pct = {m[0]: float(m[1]) * UNITS[m[2]]
           for m in re.findall(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)}
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    print(f"{pct['50']:.2f}" if "50" in pct else "-", f"{pct['99']:.2f}" if "99" in pct else "-",
          rps.group(1) if rps else "-")


if __name__ == "__main__":
    main()
