#pragma once

#include <cstddef>
#include <string_view>

namespace kb {

namespace html_limits {
// Real pages rarely nest more than 100 elements deep; gumbo's tree construction costs
// O(elements × depth) (its scope checks walk the stack of open elements), so 50,000 nested
// <div> take minutes. Deeper than this, a page is refused before gumbo sees it.
constexpr std::size_t kMaxDepth = 1000;
// About 100 bytes of gumbo tree per element: a million elements is already 100 MB or more.
constexpr std::size_t kMaxElements = 1'000'000;
} // namespace html_limits

/// What a linear scan of the markup (no tree) finds: an estimate of the deepest element nesting
/// gumbo would build, and the number of start tags.
struct HtmlShape {
    std::size_t depth = 0;
    std::size_t elements = 0;
};

/// Scans decoded HTML (UTF-8) in one pass, modelling the tokenizer (comments, quoted attribute
/// values, raw text of script/style/textarea/title...) and enough of tree construction (end
/// tags closing what they enclose, unclosed <p>/<li>/<td>... closed by their successor,
/// self-closing tags in SVG/MathML) for the estimate to stay close to gumbo's real depth.
/// Elements whose end tag is optional (p, li, td...) do not count towards the depth.
/// Stops counting at `limit_depth` / `limit_elements`, whichever comes first.
HtmlShape scan_html_shape(std::string_view html, std::size_t limit_depth = html_limits::kMaxDepth,
                          std::size_t limit_elements = html_limits::kMaxElements);

/// Throws kb::Error (InvalidRequest, "html_too_deep" or "html_too_many_elements") when the page
/// is over html_limits, so that the file is reported as skipped instead of being parsed.
void check_html_shape(std::string_view html);

} // namespace kb
