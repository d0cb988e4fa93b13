#!/usr/bin/env python3
"""Write to stdout a psql script that loads JSONL files (id, title, text) into table `docs`
with COPY ... FROM STDIN, builds the GIN index, and commits, all in one transaction.

Usage: pg_copy_stream.py FILE.jsonl... | psql -X -v ON_ERROR_STOP=1 ... -f -
The caller times the whole pipeline (this JSON parsing + psql + the server's work), so JSON
parsing is counted for PostgreSQL as it is for SQLite and kb-indexer.
At the end, in the same session, it prints the backend's VmHWM (peak RSS) from
/proc/self/status (superuser pg_read_file) as a line "backend_VmHWM_kB <n>", and its CPU time
from /proc/self/stat as "backend_cpu_ticks <n>".
"""
import json
import sys

_ESC = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": ""})


def field(value):
    return (value or "").translate(_ESC)


def main():
    out = sys.stdout
    out.write("BEGIN;\nCOPY docs (id, title, body) FROM STDIN;\n")
    write = out.write
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                doc = json.loads(line)
                write(f"{field(doc.get('id'))}\t{field(doc.get('title'))}\t{field(doc.get('text'))}\n")
    out.write("\\.\n")
    out.write("CREATE INDEX docs_tsv_gin ON docs USING GIN (tsv);\n")
    out.write("COMMIT;\n")
    out.write("SELECT 'backend_VmHWM_kB ' || (regexp_match(pg_read_file('/proc/self/status'),"
              " 'VmHWM:\\s*(\\d+)'))[1];\n")
    # utime + stime of the backend, in clock ticks (fields 14 and 15 of /proc/self/stat).
    out.write("SELECT 'backend_cpu_ticks ' || (f[12]::bigint + f[13]::bigint) FROM (SELECT"
              " string_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ') AS f) s;\n")
    out.flush()


if __name__ == "__main__":
    main()
