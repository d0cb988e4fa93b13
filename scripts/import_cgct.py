#!/usr/bin/env python3
"""Import the CGCT articles of the legi-codes-fr dataset into the Passerelle corpus.

Usage:
    python3 scripts/import_cgct.py SOURCE.jsonl SECTIONS.jsonl OUTPUT.jsonl

SOURCE.jsonl is docs/code-general-des-collectivites-territoriales.jsonl from the
legi-codes-fr dataset (one article per line: id, title, text, code, section), and
SECTIONS.jsonl its sections.jsonl (one division per line: id, title), where the code's own
row gives its name.
Each object is copied with its fields unchanged and these metadata fields added:
type, publisher, language, and code_title (the code's name, "Code général des collectivités
territoriales", so that a citation can name the code). One JSON object per line, UTF-8, not
ASCII-escaped.
Standard library only.
"""
import json
import sys

ADDED = {
    "type": "texte de référence",
    "publisher": "Légifrance (DILA), base LEGI",
    "language": "fr",
}
REQUIRED = ("id", "title", "text", "code", "section")


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: %s SOURCE.jsonl SECTIONS.jsonl OUTPUT.jsonl\n" % argv[0])
        return 2
    src, sections, dst = argv[1], argv[2], argv[3]
    code_titles = {}
    with open(sections, encoding="utf-8") as fin:
        for line in fin:
            if line.strip():
                row = json.loads(line)
                if "/" not in row["id"]:
                    code_titles[row["id"]] = row["title"]
    count = 0
    seen = set()
    with open(src, encoding="utf-8") as fin, \
            open(dst, "w", encoding="utf-8", newline="\n") as fout:
        for lineno, line in enumerate(fin, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                sys.stderr.write("%s:%d: invalid JSON: %s\n" % (src, lineno, e))
                return 1
            missing = [k for k in REQUIRED if k not in obj]
            if missing:
                sys.stderr.write("%s:%d: missing field(s) %s\n"
                                 % (src, lineno, ", ".join(missing)))
                return 1
            if obj["id"] in seen:
                sys.stderr.write("%s:%d: duplicate id %s\n" % (src, lineno, obj["id"]))
                return 1
            seen.add(obj["id"])
            for key, value in ADDED.items():
                if key in obj and obj[key] != value:
                    sys.stderr.write("%s:%d: field %r already present\n"
                                     % (src, lineno, key))
                    return 1
                obj[key] = value
            if obj["code"] not in code_titles:
                sys.stderr.write("%s:%d: code %r has no title in %s\n"
                                 % (src, lineno, obj["code"], sections))
                return 1
            obj["code_title"] = code_titles[obj["code"]]
            fout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            count += 1
    sys.stderr.write("wrote %d articles to %s\n" % (count, dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
