#pragma once

#include "core/record.h"
#include "indexer/readers/ocr.h"

#include <string>
#include <string_view>

namespace kb {

/// Reads a PDF's text layer with poppler. The body is each page's text in reading order
/// (poppler's non-physical layout), pages separated by a form feed "\f" so page numbers stay
/// recoverable (page n is the text after the (n-1)th "\f"). Title, Author and CreationDate
/// come from the document info (author → metadata["author"], date as ISO 8601); without a
/// Title the first non-empty line of page 1 is used. metadata["pages"] is the page count.
/// Pages with no text layer (or only noise: reads_as_text() false) are rendered and recognised by
/// OCR as `ocr` says; then metadata["ocr"] is "true", "ocr_pages" lists them ("1-3,7"),
/// "ocr_confidence" is Tesseract's mean confidence (0-100), "ocr_partial_pages" those stopped
/// at the time cap, and "ocr_error" says why OCR could not run (the text layer is kept).
/// Throws kb::Error(InvalidRequest) with "encrypted PDF (password required)",
/// "not a readable PDF: …" or "no text layer (scanned PDF?) …".
Record read_pdf(std::string_view content, const std::string& default_id,
                const OcrOptions& ocr = {});

} // namespace kb
