#!/usr/bin/env python3
"""Query latency of the peers (SQLite FTS5, PostgreSQL 15, Sphinx 2.2.11) on the growth-curve
corpora.

Usage: peer_queries.py sqlite DB QUERIES.jsonl STOPWORDS.txt
       peer_queries.py pg SOCKET_DIR PORT QUERIES.jsonl
       peer_queries.py sphinx PORT QUERIES.jsonl
Prints one line: p50_ms<TAB>p90_ms<TAB>p99_ms<TAB>queries_per_s<TAB>queries<TAB>with_hits.

Each query's words ([^\\W_]+) become an OR query ranked by the engine's own relevance, top 10:
  SQLite      docs MATCH '"w1" OR "w2" ...' ORDER BY rank (bm25) LIMIT 10, through python3's
              sqlite3 module in this process (in-process, like search_bench). FTS5 has no stop
              list, so the Snowball French stop words are dropped first (otherwise "de" alone
              matches nearly every row).
  PostgreSQL  tsv @@ to_tsquery('fr_unaccent', 'w1 | w2 ...') ORDER BY ts_rank(tsv, q) DESC
              LIMIT 10, through psycopg2 over the Unix socket: client wall time, round trip
              included (the french configuration drops stop words itself).
  Sphinx      SELECT doc_id FROM passages WHERE MATCH('w1 | w2 ...') LIMIT 10
              OPTION ranker=bm25, SphinxQL through pymysql to searchd on 127.0.0.1:PORT (client
              wall time, round trip included). bm25 like the other two, rather than the default
              proximity_bm25, which adds phrase proximity to the score. The index has the
              Snowball stop words, so searchd drops them from the query as PostgreSQL does.
None counts facets: they only rank. The first WARM queries (untimed) warm the caches, then
one timed pass over all of them (a full warm-up pass would double PostgreSQL's minutes at 1M).
"""
import json
import re
import sys
import time

WORD = re.compile(r"[^\W_]+")
SPHINX_SPECIAL = re.compile(r'([\\()|\-!@~"&/^$=<])')  # Sphinx extended query syntax


def load_queries(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def summary(ms, hits):
    ms = sorted(ms)
    pct = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))]
    return (f"{pct(0.5):.3f}\t{pct(0.9):.3f}\t{pct(0.99):.3f}\t{1000 * len(ms) / sum(ms):.1f}"
            f"\t{len(ms)}\t{hits}")


WARM = 100


def time_all(queries, run):
    for q in queries[:WARM]:  # warm-up, untimed
        run(q)
    ms, hits = [], 0
    for q in queries:
        start = time.perf_counter()
        rows = run(q)
        ms.append(1000 * (time.perf_counter() - start))
        hits += bool(rows)
    return ms, hits


def sqlite_main(db, queries_path, stopwords_path):
    import sqlite3
    with open(stopwords_path, encoding="utf-8") as f:
        stop = {w.strip().casefold() for w in f if w.strip() and not w.startswith("#")}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    exprs = []
    for q in load_queries(queries_path):
        words = [w for w in WORD.findall(q.casefold()) if w not in stop]
        if words:
            exprs.append(" OR ".join(f'"{w}"' for w in dict.fromkeys(words)))
    sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
    ms, hits = time_all(exprs, lambda e: con.execute(sql, (e,)).fetchall())
    print(summary(ms, hits))


def pg_main(sock, port, queries_path):
    import psycopg2
    con = psycopg2.connect(host=sock, port=int(port), user="postgres", dbname="postgres")
    con.autocommit = True
    cur = con.cursor()
    exprs = []
    for q in load_queries(queries_path):
        words = list(dict.fromkeys(WORD.findall(q.casefold())))
        if words:
            exprs.append(" | ".join(words))
    sql = ("SELECT id FROM docs, to_tsquery('fr_unaccent', %s) q WHERE tsv @@ q "
           "ORDER BY ts_rank(tsv, q) DESC LIMIT 10")

    def run(e):
        cur.execute(sql, (e,))
        return cur.fetchall()

    ms, hits = time_all(exprs, run)
    print(summary(ms, hits))


def sphinx_main(port, queries_path):
    import pymysql
    con = pymysql.connect(host="127.0.0.1", port=int(port), autocommit=True)
    cur = con.cursor()
    exprs = []
    for q in load_queries(queries_path):
        # lower(), not casefold(): charset_table keeps ß, casefold would make it ss. The words
        # have no operator characters; escaping keeps it so if WORD changes.
        words = [SPHINX_SPECIAL.sub(r"\\\1", w) for w in dict.fromkeys(WORD.findall(q.lower()))]
        if words:
            exprs.append(" | ".join(words))
    sql = "SELECT doc_id FROM passages WHERE MATCH(%s) LIMIT 10 OPTION ranker=bm25"

    def run(e):
        cur.execute(sql, (e,))
        return cur.fetchall()

    ms, hits = time_all(exprs, run)
    print(summary(ms, hits))


if __name__ == "__main__":
    if sys.argv[1:2] == ["sqlite"] and len(sys.argv) == 5:
        sqlite_main(*sys.argv[2:])
    elif sys.argv[1:2] == ["pg"] and len(sys.argv) == 5:
        pg_main(*sys.argv[2:])
    elif sys.argv[1:2] == ["sphinx"] and len(sys.argv) == 4:
        sphinx_main(*sys.argv[2:])
    else:
        sys.exit(__doc__)
