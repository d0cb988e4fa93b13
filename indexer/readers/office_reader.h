#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// What a ZIP archive holds, as far as the readers care.
enum class ZipKind { Docx, Odt, Other };

/// Looks inside a ZIP archive: Docx when it has word/document.xml, Odt when its mimetype entry
/// is application/vnd.oasis.opendocument.text. Other for anything else, damaged archives too.
ZipKind sniff_zip(std::string_view content);

/// Reads a Word document (.docx): paragraphs of word/document.xml (w:p, with w:t text, w:tab
/// and w:br), separated by "\n\n"; title, author (metadata["author"]) and creation date from
/// docProps/core.xml. Without a title, the first paragraph. Throws kb::Error(InvalidRequest)
/// on a damaged archive or XML, or an entry over 64 MiB uncompressed (zip bomb guard).
Record read_docx(std::string_view content, const std::string& default_id);

/// Reads an OpenDocument text (.odt): text:p and text:h of content.xml (with text:span, text:s,
/// text:tab, text:line-break), separated by "\n\n"; title, author (meta:initial-creator, else
/// dc:creator) and meta:creation-date from meta.xml. Errors as read_docx().
Record read_odt(std::string_view content, const std::string& default_id);

} // namespace kb
