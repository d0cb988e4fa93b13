#pragma once

#include <gumbo.h>
#include <string>

namespace kb::html {

/// The main text of a parsed page, paragraphs separated by "\n\n": the content of the
/// elements marked `data-kb-body` when there are any; else, once the page chrome is dropped
/// (by tag, ARIA role, class or id), the blocks of the content region that the structure
/// shows (<main>, role="main", the container of the headline `title` names, the <article>),
/// or without one those that jusText-style classification (length, link density, French
/// stopword density, neighbours) keeps; the densest block when nothing else is. Elements
/// marked `data-kb-ignore` never count (see html_reader.h). Empty only for a page without text.
std::string main_text(const GumboOutput& output, const std::string& title);

} // namespace kb::html
