#!/usr/bin/env python3
"""The peer systems of the relevance evaluation, on the documents and test queries that
relevance_eval --export wrote (KEY.docs.jsonl: id, title, text; KEY.queries.tsv: id, text).
Writes KEY.<system>.run (query_id TAB doc_id TAB rank, best first, 100 per query).

  peers.py sqlite WORK KEY STOPWORDS   SQLite FTS5, unicode61 remove_diacritics 2, bm25()
  peers.py pg-table WORK KEY           prints the name of KEY's table (keyed by the records)
  peers.py pg-script WORK KEY LOAD     prints a psql script that loads KEY's table first when
                                       LOAD is 1, and then prints the run on stdout

Queries are questions: both peers get an OR of the query's words, because AND (FTS5's implicit
operator, plainto_tsquery) finds nothing for most questions. FTS5 has no stop-word list, so the
Snowball French stop words (the list Passerelle uses) are left out of its OR; PostgreSQL's
french configuration drops them itself. The same tables as bench/ingest_bench (FTS5 columns
title and text; PostgreSQL french + unaccent over title || ' ' || body).
"""
import hashlib
import json
import os
import re
import sqlite3
import sys

DEPTH = 100
WORD = re.compile(r"\w+", re.UNICODE)


def words(text):
    return [w.lower() for w in WORD.findall(text)]


def queries(work, key):
    with open(os.path.join(work, f"{key}.queries.tsv"), encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            yield qid, text


def docs(work, key):
    with open(os.path.join(work, f"{key}.docs.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield d["id"], d.get("title") or "", d.get("text") or ""


def file_digest(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def sqlite_run(work, key, stopwords_path):
    with open(stopwords_path, encoding="utf-8") as f:
        stop = {w.strip() for w in f if w.strip() and not w.startswith("#")}
    db_path = os.path.join(work, f"{key}.fts5-{file_digest(os.path.join(work, key + '.docs.jsonl'))}.db")
    if not os.path.exists(db_path):
        tmp = db_path + ".tmp"
        if os.path.exists(tmp):
            os.remove(tmp)
        con = sqlite3.connect(tmp, isolation_level=None)
        con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                    "tokenize='unicode61 remove_diacritics 2')")
        con.execute("BEGIN")
        con.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", docs(work, key))
        con.execute("COMMIT")
        con.close()
        os.replace(tmp, db_path)
    con = sqlite3.connect(db_path)
    out_path = os.path.join(work, f"{key}.sqlite.run")
    with open(out_path + ".tmp", "w", encoding="utf-8") as out:
        for qid, text in queries(work, key):
            terms = [w for w in dict.fromkeys(words(text)) if w not in stop]
            if not terms:
                continue
            match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
            rows = con.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                               (match, DEPTH)).fetchall()
            for rank, (doc_id,) in enumerate(rows, 1):
                out.write(f"{qid}\t{doc_id}\t{rank}\n")
    os.replace(out_path + ".tmp", out_path)


def copy_field(value):
    return (value or "").translate(str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n",
                                                  "\r": "\\r", "\0": ""}))


def pg_table(work, key):
    return f"docs_{key}_{file_digest(os.path.join(work, key + '.docs.jsonl'))}"


def pg_script(work, key, load):
    """A psql script: load the documents (when asked), then the run."""
    table = pg_table(work, key)
    w = sys.stdout.write
    if load:
        pg_load(w, work, key, table)
    pg_queries(w, work, key, table)


def pg_load(w, work, key, table):
    w("BEGIN;\n")
    w(f"CREATE TABLE {table} (id text PRIMARY KEY, title text, body text, tsv tsvector "
      "GENERATED ALWAYS AS (to_tsvector('fr_unaccent', coalesce(title, '') || ' ' || "
      "coalesce(body, ''))) STORED);\n")
    w(f"COPY {table} (id, title, body) FROM STDIN;\n")
    for doc_id, title, text in docs(work, key):
        w(f"{copy_field(doc_id)}\t{copy_field(title)}\t{copy_field(text)}\n")
    w("\\.\n")
    w(f"CREATE INDEX ON {table} USING GIN (tsv);\nANALYZE {table};\nCOMMIT;\n")


def pg_queries(w, work, key, table):
    w("CREATE TEMP TABLE q (qid text, orq text);\nCOPY q FROM STDIN;\n")
    for qid, text in queries(work, key):
        # "or" is websearch_to_tsquery's operator; the French word "or" (gold) is lost.
        terms = [t for t in dict.fromkeys(words(text)) if t != "or"]
        if terms:
            w(f"{copy_field(qid)}\t{copy_field(' or '.join(terms))}\n")
    w("\\.\n")
    # ts_rank_cd once per matching row (it reads every position), best 100 kept per query.
    w("COPY (SELECT q.qid, d.id, row_number() OVER (PARTITION BY q.qid ORDER BY d.s DESC, d.id) "
      "AS r FROM q CROSS JOIN LATERAL ("
      f"SELECT t.id, ts_rank_cd(t.tsv, x) AS s FROM {table} t, "
      "websearch_to_tsquery('fr_unaccent', q.orq) x WHERE t.tsv @@ x "
      f"ORDER BY s DESC, t.id LIMIT {DEPTH}) d ORDER BY 1, 3) TO STDOUT;\n")


def main():
    cmd = sys.argv[1]
    if cmd == "sqlite":
        sqlite_run(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "pg-table":
        print(pg_table(sys.argv[2], sys.argv[3]))
    elif cmd == "pg-script":
        pg_script(sys.argv[2], sys.argv[3], sys.argv[4] == "1")
    else:
        sys.exit(f"peers.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
