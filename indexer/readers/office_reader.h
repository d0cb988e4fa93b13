#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// What a ZIP archive holds, as far as the readers care.
enum class ZipKind { Docx, Odt, Pptx, Odp, Epub, Other };

/// Looks inside a ZIP archive: Docx when it has word/document.xml, Pptx when it has
/// ppt/presentation.xml, Odt / Odp / Epub by its mimetype entry
/// (application/vnd.oasis.opendocument.text or .presentation, application/epub+zip). Other for
/// anything else, damaged archives too.
ZipKind sniff_zip(std::string_view content);

// All readers below throw kb::Error(InvalidRequest) with the reason on a damaged archive or
// XML, a missing part, an entry over 64 MiB uncompressed or parts over 256 MiB together (zip
// bomb guards), and "no text found" for a document without text or title.

/// Reads a Word document (.docx): paragraphs of word/document.xml (w:p, with w:t text, w:tab
/// and w:br), separated by "\n\n"; title, author (metadata["author"]) and creation date from
/// docProps/core.xml. Without a title, the first paragraph.
Record read_docx(std::string_view content, const std::string& default_id);

/// Reads an OpenDocument text (.odt): text:p and text:h of content.xml (with text:span, text:s,
/// text:tab, text:line-break), separated by "\n\n"; title, author (meta:initial-creator, else
/// dc:creator) and meta:creation-date from meta.xml.
Record read_odt(std::string_view content, const std::string& default_id);

/// Reads a PowerPoint presentation (.pptx): the slides in the order ppt/presentation.xml lists
/// them (in slideN number order when it cannot say), each slide's paragraphs (a:p of a:t runs,
/// a:br) then its speaker notes, separated by "\n\n"; slides separated by a form feed "\f" as
/// PDF pages are, so a passage's page is its slide. metadata["slides"] is the slide count;
/// title, author and date from docProps/core.xml as for DOCX, else the first slide's first line.
Record read_pptx(std::string_view content, const std::string& default_id);

/// Reads an OpenDocument presentation (.odp): each draw:page of content.xml (its text:p and
/// text:h, notes included) is a slide, slides separated by "\f"; metadata["slides"]; meta.xml
/// as for ODT, else the first slide's first line.
Record read_odp(std::string_view content, const std::string& default_id);

/// Word 97-2003 (.doc) and PowerPoint 97-2003 (.ppt) binary files: always throws
/// kb::Error(InvalidRequest) saying why they are not read and what to convert them to.
Record read_word97(std::string_view content, const std::string& default_id);
Record read_powerpoint97(std::string_view content, const std::string& default_id);

} // namespace kb
