#pragma once

#include "core/record.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// A Markdown body reduced to the text people read, with its headings.
struct MarkdownText {
    /// Blocks (paragraphs, headings, code blocks, tables) separated by a blank line; list items
    /// and table rows one per line, table cells joined by " ; ". Emphasis, links and images
    /// are reduced to their text, entities decoded, raw HTML tags dropped, code kept verbatim.
    std::string text;
    std::vector<Section> sections; ///< every non-empty heading, in order
};

/// Parses `body` as CommonMark with GitHub's tables, strikethrough, task lists and autolinks
/// (md4c). Throws kb::Error(Internal) if md4c gives up (it only does when out of memory).
MarkdownText reduce_markdown(std::string_view body);

/// The sections of a text someone edited (repeated paragraphs removed): each heading found
/// again, in order, at the start of a line after the previous one; a heading no longer there
/// is dropped.
std::vector<Section> relocate_sections(const std::vector<Section>& sections,
                                       const std::string& text);

} // namespace kb
