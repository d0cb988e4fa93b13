#pragma once

#include "core/record.h"

#include <cstddef>
#include <string>
#include <vector>

namespace kb {

/// A stretch of a long document, indexed on its own so a search can point at it.
struct Passage {
    std::string text;
    std::size_t begin = 0; ///< byte offset in the document's text
    unsigned page = 1;     ///< page of `begin` (pages are separated by form feeds, as PDF text is)
    std::string heading;   ///< the heading the passage's text is under; empty without sections
};

/// Documents up to this many words stay one piece.
constexpr std::size_t kMinWordsToSplit = 800;
/// Target passage length in words.
constexpr std::size_t kPassageWords = 300;

/// Splits a long text into passages of about kPassageWords words at paragraph (or page)
/// boundaries, each starting with the previous passage's last short paragraph for context;
/// an over-long paragraph is cut at sentence ends. Short texts give no passages.
/// A heading of `sections` starts a new passage (unless the current one has fewer than
/// kMinSectionWords words: a heading followed at once by a sub-heading stays with it), no
/// passage repeats a paragraph across a heading, and each passage says its heading.
std::vector<Passage> split_passages(const std::string& text,
                                    const std::vector<Section>& sections = {});

/// Fewer words than this before a heading do not make a passage of their own.
constexpr std::size_t kMinSectionWords = 40;

/// The 1-based page of a byte offset: one more than the form feeds before it.
unsigned page_at(const std::string& text, std::size_t offset);

} // namespace kb
