#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// Reads an EPUB (2 or 3) book: META-INF/container.xml names the package (OPF), whose spine
/// gives the chapters' order (not the archive's). Each XHTML chapter's text (headings,
/// paragraphs, list items, table cells; script, style and the <head> left out) is one page:
/// chapters are separated by a form feed "\f", so a passage's page is its chapter in spine
/// order (a book has no fixed pages; the chapter is its only stable place). The EPUB 3
/// navigation document is left out. Metadata from the OPF: dc:title (else the first line),
/// dc:creator (all of them, "; " between, → metadata["author"]), dc:date, dc:language,
/// dc:publisher; metadata["chapters"] is the chapter count.
/// Throws kb::Error(InvalidRequest) as the office readers do (office_reader.h), and for a
/// missing container or package, an empty spine, or chapters encrypted (DRM).
Record read_epub(std::string_view content, const std::string& default_id);

} // namespace kb
