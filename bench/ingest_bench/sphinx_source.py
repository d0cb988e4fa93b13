#!/usr/bin/env python3
"""Sphinx 2.2 (sphinxsearch) for the benchmarks: the config, and the tsvpipe source.

Usage: sphinx_source.py conf DIR STOPWORDS PORT > DIR/sphinx.conf
       sphinx_source.py tsv FILE_LIST        (run by indexer, as the tsvpipe_command)
conf  writes a config whose source runs `<this python> sphinx_source.py tsv DIR/files.txt`
      (FILE_LIST: one JSONL path a line, written by load_sphinx; a list file keeps the
      command short whatever the number of files) under `/usr/bin/time -v -o DIR/convert.time`:
      indexer does not wait for its tsvpipe child, so the GNU time report on indexer lacks
      the converter's CPU and load_sphinx adds it from that file. Also index
      DIR/index/passages, and a searchd listening for SphinxQL on 127.0.0.1:PORT with its log
      and pid file in DIR.
tsv   turns JSONL (id, title, text) into tsvpipe rows: <n>\\t<id>\\t<title>\\t<text>. Sphinx
      document ids are integers, so records are numbered from 1 in input order and the string
      id is kept as the string attribute doc_id. tsvpipe has no quoting (tab and newline are
      hard separators, a backslash is a plain character), so tabs and line breaks become spaces.
indexer runs this as a child and the caller times indexer, so JSON parsing is counted for
Sphinx as it is for the other peers.

Analysis, as close as Sphinx 2.2.11 gets to the PostgreSQL peer (unaccent, then the Snowball
French stemmer, Snowball stop words): charset_table lowercases and folds accents (Sphinx 2.2
has no accent folding of its own; the table below maps Latin-1 and Latin Extended-A letters
to their base letter), then morphology = libstemmer_french (Debian's build links libstemmer;
there is no built-in stem_fr), stop words from STOPWORDS matched before stemming, every word
indexed (min_word_len = 1). Other settings are the defaults (dict = keywords, mem_limit 128M).
"""
import json
import os
import shlex
import sys
import unicodedata

# Letters without a decomposition that still read as a base letter in French text.
EXTRA = {"Ø": "o", "ø": "o", "Đ": "d", "đ": "d", "Ħ": "h", "ħ": "h", "Ł": "l", "ł": "l",
         "ı": "i", "ĸ": "k", "Ŀ": "l", "ŀ": "l", "Ŧ": "t", "ŧ": "t", "ſ": "s"}


def charset_table():
    """0..9, a..z, A..Z folded to a..z, and U+C0..U+17F letters to their lowercase base letter
    (é -> e, Ç -> c, Œ -> œ, ß stays)."""
    maps = {}
    for cp in range(0xC0, 0x180):
        ch = chr(cp)
        if not unicodedata.category(ch).startswith("L"):
            continue  # × and ÷
        base = EXTRA.get(ch) or unicodedata.normalize("NFD", ch)[0]
        if not ("a" <= base.lower() <= "z"):
            low = ch.lower()
            base = low if len(low) == 1 else ch  # æ, œ, þ, ŋ: their own (lowercase) letter
        maps[cp] = ord(base.lower())
    entries = ["0..9", "A..Z->a..z", "a..z"]
    entries += [f"U+{cp:X}" if cp == to else f"U+{cp:X}->U+{to:X}" for cp, to in maps.items()]
    return ", \\\n    ".join(", ".join(entries[i:i + 8]) for i in range(0, len(entries), 8))


def conf(directory, stopwords, port):
    directory = os.path.abspath(directory)
    command = " ".join(shlex.quote(a) for a in [
        "/usr/bin/time", "-v", "-o", os.path.join(directory, "convert.time"),
        sys.executable, os.path.abspath(__file__), "tsv", os.path.join(directory, "files.txt")])
    print(f"""# written by bench/ingest_bench/sphinx_source.py
source passages_src
{{
  type = tsvpipe
  tsvpipe_command = {command}
  # columns after the document id, in this order
  tsvpipe_attr_string = doc_id
  tsvpipe_field = title
  tsvpipe_field = text
}}

index passages
{{
  source = passages_src
  path = {directory}/index/passages
  morphology = libstemmer_french
  stopwords = {os.path.abspath(stopwords)}
  stopwords_unstemmed = 1
  min_word_len = 1
  charset_table = {charset_table()}
}}

searchd
{{
  listen = 127.0.0.1:{int(port)}:mysql41
  log = {directory}/searchd.log
  pid_file = {directory}/searchd.pid
  binlog_path =
}}""")


def tsv(file_list):
    clean = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\0": " "})
    out = sys.stdout
    n = 0
    with open(file_list, encoding="utf-8") as paths:
        for path in paths:
            with open(path.rstrip("\n"), encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    doc = json.loads(line)
                    n += 1
                    out.write(f"{n}\t{str(doc.get('id') or '').translate(clean)}"
                              f"\t{(doc.get('title') or '').translate(clean)}"
                              f"\t{(doc.get('text') or '').translate(clean)}\n")
    out.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["conf"] and len(sys.argv) == 5:
        conf(*sys.argv[2:])
    elif sys.argv[1:2] == ["tsv"] and len(sys.argv) == 3:
        tsv(sys.argv[2])
    else:
        sys.exit(__doc__)
