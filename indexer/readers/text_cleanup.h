#pragma once

#include <string>
#include <string_view>

namespace kb {

/// Drops exact repeats of a paragraph inside one text (pages that print their body twice, PDFs
/// that repeat a block). Paragraphs are separated by blank lines and compared after whitespace
/// normalisation; the first occurrence is kept, and paragraphs under 30 characters (headings,
/// "Sommaire", list bullets) are never dropped. Text without repeats is returned unchanged.
std::string remove_duplicate_paragraphs(const std::string& text);

/// Normalises a date as sources write it to ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD): ISO
/// timestamps ("2017-10-03T10:00:00+02:00"), "2017/10/03", "20171003", French day-first dates
/// ("03/10/2017", "3 octobre 2017", "1er mars 2020", "octobre 2017"), English month names and
/// PDF dates ("D:20171003..."). Returns "" when the text holds no date it can trust.
std::string normalize_date(std::string_view text);

/// Collapses runs of whitespace (ASCII and U+00A0 kept as is) to one space and trims.
std::string collapse_whitespace(std::string_view text);

} // namespace kb
