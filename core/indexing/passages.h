#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kb {

/// A stretch of a long document, indexed on its own so a search can point at it.
struct Passage {
    std::string text;
    std::size_t begin = 0; ///< byte offset in the document's text
    unsigned page = 1;     ///< page of `begin` (pages are separated by form feeds, as PDF text is)
};

/// Documents up to this many words stay one piece.
constexpr std::size_t kMinWordsToSplit = 800;
/// Target passage length in words.
constexpr std::size_t kPassageWords = 300;

/// Splits a long text into passages of about kPassageWords words at paragraph (or page)
/// boundaries, each starting with the previous passage's last short paragraph for context;
/// an over-long paragraph is cut at sentence ends. Short texts give no passages.
std::vector<Passage> split_passages(const std::string& text);

/// The 1-based page of a byte offset: one more than the form feeds before it.
unsigned page_at(const std::string& text, std::size_t offset);

} // namespace kb
