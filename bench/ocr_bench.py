#!/usr/bin/env python3
"""OCR of scanned PDFs (issue 22): word recall and seconds per page.

Each text file given (default: corpus/seeds/*.md) is typeset into an A4 PDF (Helvetica 11 pt,
WinAnsi), rasterised at 300 dpi by pdftoppm and wrapped into an image-only PDF by img2pdf, as a
scanner would give it. kb-indexer indexes the scans (--ocr=auto); the text the server returns
for each is compared with the typeset words (recall: share of the typeset words, with their
multiplicity, found in the OCR text). The peer, when installed (Debian tesseract-ocr), is the
tesseract command on the same page images, one page at a time.

    python3 bench/ocr_bench.py [--build build] [--words 600] [FILE...]
"""
import argparse, collections, glob, json, os, re, shutil, subprocess, sys, tempfile, textwrap
import time, urllib.parse, urllib.request

REPLACE = {"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u0153": "oe",
           "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u201c": '"', "\u201d": '"'}


def typeset(words, path):
    lines = textwrap.wrap(" ".join(words), 80)
    def esc(line):
        out = ""
        for ch in "".join(REPLACE.get(c, c) for c in line):
            b = ch.encode("cp1252", errors="replace")[0]  # "?" for what WinAnsi lacks
            out += "\\" + ch if ch in "()\\" else chr(b) if b < 128 else "\\%03o" % b
        return out
    pages = [lines[i:i + 50] for i in range(0, len(lines), 50)]
    n, font = len(pages), 3 + 2 * len(pages)
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join("%d 0 R" % (3 + 2 * i) for i in range(n)), n)]
    for i, p in enumerate(pages):
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                    "<< /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, 4 + 2 * i))
        s = "BT /F1 11 Tf 14 TL 50 800 Td" + "".join(" (%s) Tj T*" % esc(l) for l in p) + " ET"
        objs.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(s), s))
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                "/Encoding /WinAnsiEncoding >>")
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, o)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)).encode()
    out += b"".join(("%010d 00000 n \n" % o).encode() for o in offsets)
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objs) + 1, xref)).encode()
    with open(path, "wb") as f:
        f.write(out)
    return n, " ".join(lines)


def words_of(text):
    return re.findall(r"[^\W_]+", text.lower())


def recall(original, recognised):
    have = collections.Counter(words_of(recognised))
    want = words_of(original)
    found = 0
    for w in want:
        if have[w] > 0:
            have[w] -= 1
            found += 1
    return found / max(1, len(want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--words", type=int, default=600, help="words typeset per file")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(glob.glob("corpus/seeds/*.md"))
    work = tempfile.mkdtemp(prefix="kb-ocr-bench-")
    scans, originals, pages, images = os.path.join(work, "scans"), {}, 0, []
    os.makedirs(scans)
    for k, f in enumerate(files):
        text = open(f, encoding="utf-8").read()
        text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter
        name = "doc%02d" % k
        n, typeset_text = typeset(text.split()[:a.words], os.path.join(work, name + ".pdf"))
        pages += n
        originals[name + ".pdf"] = typeset_text
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", name + ".pdf", name],
                       cwd=work, check=True)
        pngs = sorted(glob.glob(os.path.join(work, name + "-*.png")))
        images += pngs
        subprocess.run(["img2pdf", "--pagesize", "A4", *pngs, "-o",
                        os.path.join(scans, name + ".pdf")], check=True)
    index = os.path.join(work, "index")
    started = time.time()
    subprocess.run([os.path.join(a.build, "kb-indexer"), "--quiet", "--no-vectors", "--index",
                    index, scans], check=True, stdout=subprocess.DEVNULL)
    kb_seconds = time.time() - started
    server = subprocess.Popen([os.path.join(a.build, "kb-search-server"), "--index", index,
                               "--port", "0", "--no-access-log"], stdout=subprocess.PIPE,
                              text=True)
    url = re.search(r"http://[0-9.]+:[0-9]+", server.stdout.readline()).group(0)
    kb_recall = []
    for name, original in originals.items():
        with urllib.request.urlopen(url + "/documents/" + urllib.parse.quote(name)) as r:
            kb_recall.append(recall(original, json.load(r)["text"]))
    server.terminate()
    print("%d files, %d pages (300 dpi, Helvetica 11 pt), %d cores" %
          (len(files), pages, os.cpu_count()))
    print("%-34s %8s %10s %12s" % ("engine", "wall s", "s/page", "word recall"))
    print("%-34s %8.1f %10.2f %12.3f" % ("kb-indexer --ocr=auto (index incl.)", kb_seconds,
                                          kb_seconds / pages, sum(kb_recall) / len(kb_recall)))
    if shutil.which("tesseract"):
        started, text_by_doc = time.time(), collections.defaultdict(str)
        for png in images:
            out = subprocess.run(["tesseract", png, "-", "-l", "fra"], capture_output=True,
                                 text=True, env=dict(os.environ, OMP_THREAD_LIMIT="1")).stdout
            text_by_doc[os.path.basename(png).split("-")[0] + ".pdf"] += out + "\n"
        seconds = time.time() - started
        r = [recall(originals[n], t) for n, t in text_by_doc.items()]
        print("%-34s %8.1f %10.2f %12.3f" % ("tesseract CLI (1 page at a time)", seconds,
                                              seconds / pages, sum(r) / len(r)))
    else:
        print("(tesseract CLI not installed: apt-get install tesseract-ocr to compare)")
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
