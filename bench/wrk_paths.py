#!/usr/bin/env python3
"""Write a wrk Lua script that cycles through /search requests made from a queries file.

Usage: wrk_paths.py QUERIES.jsonl OUT.lua [EXTRA_PARAMS] [MAX]
  QUERIES.jsonl  one JSON object a line with a "text" field (PIAF questions, headings, ...)
  EXTRA_PARAMS   appended to each request, e.g. "&facets=false" or "&mode=hybrid" (default none)
  MAX            use the first MAX queries (default 2000)
Used by bench/http_bench.sh and bench/scale/run.sh.
"""
import json
import sys
import urllib.parse


def main():
    src, out = sys.argv[1], sys.argv[2]
    extra = sys.argv[3] if len(sys.argv) > 3 else ""
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    with open(src, encoding="utf-8") as f:
        queries = [json.loads(line)["text"] for line in f if line.strip()][:limit]
    paths = ["/search?q=" + urllib.parse.quote(q) + extra for q in queries]
    with open(out, "w", encoding="utf-8") as f:
        f.write("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        f.write("i = 0\nrequest = function()\n  i = i % #paths + 1\n"
                "  return wrk.format('GET', paths[i])\nend\n")


if __name__ == "__main__":
    main()
