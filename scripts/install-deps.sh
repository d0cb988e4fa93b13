#!/usr/bin/env bash
# Installs the Debian packages Passerelle builds and runs with. Idempotent: packages already
# installed are skipped, and apt-get is not called at all when nothing is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config          # toolchain
  libxapian-dev xapian-tools         # search engine (+ xapian-check, xapian-compact)
  libicu-dev                         # French analysis chain
  zlib1g-dev                         # build time: reading the FreeDict .dict.dz files
  dict-freedict-eng-fra dict-freedict-fra-eng  # build time: English → French query translation
  libpoco-dev                        # HTTP server, options, processes; Zip + XML (DOCX, ODT)
  libgumbo-dev                       # HTML reader (parsing)
  libpoppler-cpp-dev                 # PDF reader (text layer, document info, page rendering for OCR)
  libtesseract-dev libleptonica-dev  # OCR of scanned PDF pages
  tesseract-ocr-fra tesseract-ocr-eng  # OCR models: French, English
  libyaml-cpp-dev                    # Markdown front matter (YAML)
  libtomlplusplus-dev                # Markdown front matter (TOML, +++)
  libmd4c-dev                        # Markdown body (CommonMark + tables)
  poppler-utils img2pdf              # ocr tests: scanned PDFs made from text pages (pdftoppm)
  rapidjson-dev                      # JSON
  libfasttext-dev                    # word vectors (core/embedding: training, loading a user's model)
  libhnswlib-dev                     # approximate nearest neighbours over passage vectors (header-only)
  libcpprest-dev libssl-dev          # HTTP client (tests, remote ingestion)
  libboost-test-dev                  # unit tests
  chromium                           # browser tests (tests/browser, driven by playwright-core)
  texlive-binaries texlive-base      # citation_test: bibtex and plain.bst read our BibTeX
  pandoc                             # citation_test: pandoc --citeproc renders our CSL-JSON
)
# Node.js and npm run the browser tests; the machine image may already have them (not from
# Debian), so the Debian packages are only wanted when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "kb: dependencies already installed"
  exit 0
fi

echo "kb: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "kb: these Debian packages are missing and I am not root: ${missing[*]}" >&2
    echo "kb: run as root, or: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
