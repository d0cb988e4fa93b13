#!/usr/bin/env python3
"""Build the growth-curve corpora: N paragraph-sized passages of real French text, as JSONL.

Usage: build_corpus.py --datasets DIR --out DIR --sizes 10k,100k,1M [--seed 9] [--queries 500]

Writes, for each size, OUT/passages-<size>/<source>.jsonl (one file per legal code, plus
piaf.jsonl) and OUT/queries.jsonl; a size whose folder holds a .done stamp made with the same
recipe (VERSION, the constants below) and seed is not rebuilt.

How (bench/README.md says the same):
1. Real passages. Each article of legi-codes-fr/docs is cut at its lines (paragraphs,
   enumerated items); consecutive lines are grouped until a passage has at least MIN_WORDS
   words, and a passage is closed before it would pass MAX_WORDS (a single line longer than
   that is cut at sentence ends). PIAF Wikipedia paragraphs are cut the same way (most stay
   one passage). Passages under MIN_KEEP words are dropped.
2. The real passages are de-duplicated exactly (BLAKE2b of the NFKC, case-folded,
   whitespace-collapsed text) and shuffled with random.Random(seed). Sizes up to their number
   are prefixes of this order, so every corpus is a uniform sample of the real text and a
   smaller corpus is a prefix of a larger one.
3. Beyond that, re-mixed passages: a legal code is drawn (weighted by its number of
   sentences), then two different articles of it, a window of 1-3 consecutive sentences from
   each, joined as two paragraphs. A re-mix whose normalised hash was already seen (real or
   re-mixed) is drawn again. The re-mix stream is deterministic (its own Random(seed + 1)),
   so a larger corpus again extends a smaller one.
Every passage stays under the indexer's split threshold (core/indexing/passages.h, kMinWordsToSplit
= 800 words): each record is exactly one Xapian document.
"""
import argparse
import glob
import hashlib
import json
import os
import random
import re
import sys
import unicodedata

MIN_WORDS = 30     # group lines until a passage has this many words
MAX_WORDS = 180    # close a passage before it passes this many
MIN_KEEP = 8       # drop shorter passages ("Abrogé.", lone headings)
SPLIT_LIMIT = 800  # core/indexing/passages.h kMinWordsToSplit; asserted below
VERSION = "1"      # bump when the recipe changes, so cached corpora are rebuilt

SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[«\"(A-ZÀ-ÖØ-Þ0-9])")


def parse_size(text):
    text = text.strip().lower()
    mult = {"k": 1000, "m": 1000000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * mult)


def size_name(n):
    return f"{n // 1000000}M" if n % 1000000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def words(text):
    return len(text.split())


def norm_hash(text):
    norm = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).digest()


def sentences(line):
    return [s for s in SENTENCE_END.split(line.strip()) if s]


def cut_long(line):
    """A line longer than MAX_WORDS, cut at sentence ends into pieces of at most MAX_WORDS."""
    out, cur = [], []
    for s in sentences(line):
        if cur and words(" ".join(cur + [s])) > MAX_WORDS:
            out.append(" ".join(cur))
            cur = []
        cur.append(s)
    if cur:
        out.append(" ".join(cur))
    # A single sentence over the limit is cut at words (rare: long enumerations).
    pieces = []
    for p in out:
        w = p.split()
        pieces.extend(" ".join(w[i:i + MAX_WORDS]) for i in range(0, len(w), MAX_WORDS))
    return pieces


def passages_of(text):
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            lines.extend(cut_long(line) if words(line) > MAX_WORDS else [line])
    out, cur, n = [], [], 0
    for line in lines:
        w = words(line)
        if cur and n + w > MAX_WORDS:
            out.append("\n\n".join(cur))
            cur, n = [], 0
        cur.append(line)
        n += w
        if n >= MIN_WORDS:
            out.append("\n\n".join(cur))
            cur, n = [], 0
    if cur:
        # A short tail joins the previous passage when that stays under the limit.
        if out and n < MIN_WORDS and words(out[-1]) + n <= MAX_WORDS:
            out[-1] += "\n\n" + "\n\n".join(cur)
        else:
            out.append("\n\n".join(cur))
    return [p for p in out if words(p) >= MIN_KEEP]


def code_title(code):
    return code.replace("-", " ").capitalize()


def load_real(datasets):
    """Real passages (list of records) and, per code, its articles as sentence lists."""
    real, pools = [], {}
    for path in sorted(glob.glob(os.path.join(datasets, "legi-codes-fr", "docs", "*.jsonl"))):
        code = os.path.basename(path)[: -len(".jsonl")]
        articles = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                title = f"{code_title(code)}, {doc.get('title', '')}"
                for k, text in enumerate(passages_of(doc["text"])):
                    real.append({"id": f"{doc['id']}#{k + 1}", "title": title, "text": text,
                                 "type": "article de code", "source": code})
                sents = [s for l in doc["text"].split("\n") for s in sentences(l)
                         if MIN_KEEP // 2 <= words(s) <= MAX_WORDS // 3]
                if sents:
                    articles.append((doc.get("title", ""), sents))
        if len(articles) >= 2:
            pools[code] = articles
    with open(os.path.join(datasets, "piaf-fr", "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            for k, text in enumerate(passages_of(doc["text"])):
                real.append({"id": f"{doc['id']}#{k + 1}", "title": doc.get("title", ""),
                             "text": text, "type": "encyclopédie", "source": "piaf"})
    return real, pools


def remixes(pools, seed, seen):
    """An endless, deterministic stream of re-mixed passages not in `seen` (updated)."""
    rng = random.Random(seed + 1)
    codes = sorted(pools)
    weights = [sum(len(s) for _, s in pools[c]) for c in codes]
    n = 0
    while True:
        code = rng.choices(codes, weights)[0]
        articles = pools[code]
        a, b = rng.sample(range(len(articles)), 2)
        parts = []
        for idx in (a, b):
            sents = articles[idx][1]
            k = rng.randint(1, min(3, len(sents)))
            start = rng.randrange(len(sents) - k + 1)
            parts.append(" ".join(sents[start:start + k]))
        text = "\n\n".join(parts)
        if words(text) < MIN_KEEP:
            continue
        h = norm_hash(text)
        if h in seen:
            continue
        seen.add(h)
        n += 1
        yield {"id": f"remix/{code}/{n}",
               "title": f"{code_title(code)}, {articles[a][0]} + {articles[b][0]}",
               "text": text, "type": "article de code (re-mix)", "source": code}


def write_queries(datasets, out, count, seed):
    """count/2 PIAF questions and count/2 legal-code headings, sampled with Random(seed)."""
    rng = random.Random(seed)
    piaf = [json.loads(l)["text"] for l in open(os.path.join(datasets, "piaf-fr", "queries.jsonl"),
                                                 encoding="utf-8")]
    heads = [json.loads(l)["text"] for l in open(
        os.path.join(datasets, "legi-codes-fr", "queries-headings.jsonl"), encoding="utf-8")]
    chosen = rng.sample(piaf, count // 2) + rng.sample(heads, count - count // 2)
    with open(out, "w", encoding="utf-8") as f:
        for i, q in enumerate(chosen):
            src = "piaf" if i < count // 2 else "heading"
            f.write(json.dumps({"id": f"{src}-{i + 1}", "text": q}, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--queries", type=int, default=500)
    args = ap.parse_args()
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    os.makedirs(args.out, exist_ok=True)
    # The recipe, not this file's bytes: editing a comment does not rebuild a 1M corpus.
    stamp = (f"version {VERSION} words {MIN_WORDS}-{MAX_WORDS} keep {MIN_KEEP} "
             f"seed {args.seed}\n")

    qpath = os.path.join(args.out, "queries.jsonl")
    write_queries(args.datasets, qpath, args.queries, args.seed)

    todo = [n for n in sizes
            if not (os.path.exists(os.path.join(args.out, f"passages-{size_name(n)}", ".done"))
                    and open(os.path.join(args.out, f"passages-{size_name(n)}", ".done")).read() == stamp)]
    for n in sizes:
        if n not in todo:
            print(f"corpus {size_name(n)}: cached in {args.out}/passages-{size_name(n)}", file=sys.stderr)
    if not todo:
        return

    real, pools = load_real(args.datasets)
    seen, unique = set(), []
    for r in real:
        h = norm_hash(r["text"])
        if h not in seen:
            seen.add(h)
            unique.append(r)
    print(f"real passages: {len(real)}, {len(unique)} after exact de-duplication", file=sys.stderr)
    random.Random(args.seed).shuffle(unique)
    stream = remixes(pools, args.seed, seen)
    ordered = unique
    for n in todo:
        while len(ordered) < n:
            ordered.append(next(stream))
        folder = os.path.join(args.out, f"passages-{size_name(n)}")
        os.makedirs(folder, exist_ok=True)
        for old in glob.glob(os.path.join(folder, "*.jsonl")) + glob.glob(os.path.join(folder, ".done")):
            os.remove(old)
        files, longest, remixed = {}, 0, 0
        try:
            for r in ordered[:n]:
                w = words(r["text"])
                assert w <= SPLIT_LIMIT, r["id"]
                longest = max(longest, w)
                remixed += r["id"].startswith("remix/")
                f = files.get(r["source"])
                if f is None:
                    f = files[r["source"]] = open(os.path.join(folder, r["source"] + ".jsonl"), "w",
                                                  encoding="utf-8")
                rec = {k: v for k, v in r.items() if k != "source"}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        finally:
            for f in files.values():
                f.close()
        with open(os.path.join(folder, ".done"), "w") as f:
            f.write(stamp)
        print(f"corpus {size_name(n)}: {n} passages ({remixed} re-mixed), {len(files)} files, "
              f"longest {longest} words, in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
