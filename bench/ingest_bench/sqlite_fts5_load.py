#!/usr/bin/env python3
"""Load JSONL files (id, title, text) into a SQLite FTS5 table on disk, in one transaction.

Usage: sqlite_fts5_load.py DB FILE.jsonl...
The timing done by the caller covers the whole of this script: JSON parsing, tokenizing
(FTS5 unicode61 remove_diacritics 2) and the commit (default journal, synchronous=FULL).
Prints the number of rows in the table at the end.
"""
import json
import sqlite3
import sys


def rows(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                doc = json.loads(line)
                yield doc.get("id"), doc.get("title") or "", doc.get("text") or ""


def main():
    db, paths = sys.argv[1], sys.argv[2:]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                "tokenize='unicode61 remove_diacritics 2')")
    con.execute("BEGIN")
    con.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", rows(paths))
    con.execute("COMMIT")
    print(con.execute("SELECT count(*) FROM docs").fetchone()[0])
    con.close()


if __name__ == "__main__":
    main()
