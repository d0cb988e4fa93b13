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

/// `text` cropped to `words` words around its best run of query matches (the most distinct
/// words typed of `highlight` in `words` words, centred; from the start when none matches),
/// with `marker` where the text was cut, the words typed between `pre` and `post` (nothing
/// added when both are empty). The text is raw, as written (not HTML-escaped); a long one is
/// read around its matches only (kMaxSnippetScanBytes at most).
std::string crop_text(const std::string& text, const HighlightTerms& highlight,
                      const Analyzer& analyzer, std::size_t words, const std::string& marker,
                      const std::string& pre, const std::string& post);

} // namespace kb
