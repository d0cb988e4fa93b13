#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// Reads a PDF's text layer with poppler. The body is each page's text in reading order
/// (poppler's non-physical layout), pages separated by a form feed "\f" so page numbers stay
/// recoverable (page n is the text after the (n-1)th "\f"). Title, Author and CreationDate
/// come from the document info (author → metadata["author"], date as ISO 8601); without a
/// Title the first non-empty line of page 1 is used. metadata["pages"] is the page count.
/// Throws kb::Error(InvalidRequest) with "encrypted PDF (password required)",
/// "not a readable PDF: …" or "no text layer (scanned PDF?)".
Record read_pdf(std::string_view content, const std::string& default_id);

} // namespace kb
