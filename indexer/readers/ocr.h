#pragma once

#include <string>
#include <string_view>

namespace kb {

/// How PDF pages are recognised by OCR (Tesseract) when their text layer is missing.
struct OcrOptions {
    /// Auto: only pages whose text layer has no dictionary word (none, or garbage from a broken
    /// font map); Always: every page, the OCR text kept when it has more dictionary words than
    /// the text layer; Never: the text layer only.
    enum class Mode { Auto, Always, Never } mode = Mode::Auto;
    unsigned threads = 0;          ///< pages recognised at once; 0 = one per core
    unsigned page_seconds = 120;   ///< a page still unfinished after this is kept partial
    unsigned dpi = 300;            ///< rendering resolution (lowered for huge pages)
    std::string languages = "fra"; ///< Tesseract models, "+"-separated ("fra+eng")
};

/// Parses "auto", "always" or "never"; throws std::invalid_argument otherwise.
OcrOptions::Mode parse_ocr_mode(std::string_view name);

/// One page's recognised text.
struct OcrPage {
    std::string text;
    int confidence = 0;     ///< Tesseract's mean word confidence, 0-100
    bool timed_out = false; ///< stopped at OcrOptions::page_seconds: text may be partial
};

/// An 8-bit grey image, rows top to bottom.
struct GrayImage {
    const unsigned char* pixels = nullptr;
    int width = 0, height = 0, bytes_per_row = 0, dpi = 300;
};

/// Recognises one page image with a Tesseract engine from a process-wide pool (an engine is
/// not shareable, and loading a model takes a fraction of a second, so engines are reused).
/// Safe to call from several threads at once. Throws kb::Error when the models are missing.
OcrPage recognise_page(const GrayImage& image, const OcrOptions& options);

/// Tesseract's recogniser starts OpenMP teams of its own inside every page; with several pages
/// recognised at once they fight over the cores (2 pages: 15 s instead of 3.5 s here). libgomp
/// reads OMP_THREAD_LIMIT only when the process starts, so when it is unset this sets it to 1
/// and restarts the program (execv of /proc/self/exe with the same arguments). Call first thing
/// in main(); if the restart fails the program simply goes on.
void limit_openmp_threads(char** argv);

/// Words of a text, and those of them found in the French or English stop lists.
struct WordCounts {
    std::size_t words = 0, dictionary = 0;
};
WordCounts count_words(std::string_view text);

/// True when a page's text layer reads as language: some dictionary words (of two letters or
/// more), at least one word in 10 (French prose has about one in three; a false "no" only costs
/// an OCR whose text replaces the layer only if it has more dictionary words). False for an empty
/// layer, and for the noise a broken font map makes of glyph codes.
bool reads_as_text(std::string_view text);

} // namespace kb
