#pragma once

#include "core/record.h"

#include <string>
#include <string_view>

namespace kb {

/// Reads an HTML page (any common encoding; <meta charset> honoured) into a Record:
/// - title: <title>, else og:title, else DC.title / DCTERMS.title, else the first <h1>;
/// - date (ISO 8601) from article:published_time, DCTERMS.issued/created/date, DC.date or
///   <meta name=date>; publisher from DC(TERMS).publisher; language from <html lang>, else
///   DC(TERMS).language; url from og:url, else <link rel=canonical>;
/// - metadata: description, author, keywords, subject, site (og:site_name), encoding (when
///   the page was not UTF-8);
/// - text: the main content, paragraphs separated by "\n\n". When elements carry a
///   `data-kb-body` attribute, only their content is the body; elements with `data-kb-ignore`
///   are always dropped. Otherwise page chrome (script, style, nav, header, footer, aside,
///   form, ARIA navigation/banner/contentinfo/complementary...) is dropped and the remaining
///   text blocks are classified jusText-style by length, link density and French stopword
///   density, with short blocks judged by their neighbours.
/// Never throws on malformed markup (HTML parsing cannot fail); throws kb::Error (InvalidRequest,
/// "html_too_deep" or "html_too_many_elements") for a page over html_limits (html_depth.h),
/// which would take gumbo minutes and gigabytes to parse.
Record parse_html(std::string_view content, const std::string& default_id);

} // namespace kb
