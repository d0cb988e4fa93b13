#pragma once

#include <gumbo.h>
#include <string>

namespace kb::html {

/// The main text of a parsed page, paragraphs separated by "\n\n": the content of the
/// elements marked `data-kb-body` when there are any, else the text blocks that jusText-style
/// classification (length, link density, French stopword density, neighbours) keeps once the
/// page chrome is dropped. Elements marked `data-kb-ignore` never count (see html_reader.h).
std::string main_text(const GumboOutput& output);

} // namespace kb::html
