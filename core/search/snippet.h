#pragma once

#include "core/analysis/analyzer.h"
#include "core/search_types.h"

#include <string>

namespace kb {

/// Bytes of a text the snippet maker reads at most.
constexpr std::size_t kMaxSnippetScanBytes = std::size_t{24} * 1024;

/// HTML-escapes text; the only markup a snippet ever carries is what make_snippet adds.
std::string html_escape(std::string_view text);

/// The passage of `text` (about `max_bytes` long) with the most distinct query matches, on the
/// original accented text, HTML-escaped, with <mark>…</mark> around every matching word. Words
/// match through the same analysis chain as the query (folded, stemmed, prefix).
std::string make_snippet(const std::string& text, const HighlightTerms& highlight,
                         const Analyzer& analyzer, std::size_t max_bytes = 320,
                         const std::string& pre = "<mark>", const std::string& post = "</mark>",
                         std::size_t* window_begin = nullptr);

} // namespace kb
