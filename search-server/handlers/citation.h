#pragma once

#include "core/record.h"

#include <optional>
#include <string>
#include <vector>

namespace kb::http {

enum class CitationFormat { BibTeX, RIS, CslJson };

/// "bibtex", "ris" or "csl-json"; nothing for anything else.
std::optional<CitationFormat> citation_format(const std::string& name);
/// The MIME type a citation file is served with.
const char* citation_content_type(CitationFormat format);
/// Citations of the records, for Zotero, JabRef and other reference managers.
std::string format_citations(const std::vector<Record>& records, CitationFormat format);

} // namespace kb::http
