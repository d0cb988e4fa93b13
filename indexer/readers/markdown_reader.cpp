#include "indexer/readers/markdown_reader.h"

#include "core/trim.h"
#include "indexer/readers/front_matter.h"
#include "indexer/readers/markdown_text.h"

#include <cctype>
#include <vector>

namespace kb {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line =
            text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    return lines;
}

// The lines from `from` on, leading blank lines and trailing whitespace dropped.
std::string body_from(const std::vector<std::string_view>& lines, std::size_t from) {
    std::string body;
    for (std::size_t i = from; i < lines.size(); ++i) {
        if (body.empty() && trim(lines[i]).empty())
            continue;
        body.append(lines[i]);
        body.push_back('\n');
    }
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
        body.pop_back();
    return body;
}

// Title from the body when the front matter has none: the first "#" heading, else the first
// line of text.
std::string title_from_body(const MarkdownText& body) {
    for (const Section& s : body.sections)
        if (s.level == 1)
            return std::string(trim(s.heading));
    for (std::string_view line : split_lines(body.text))
        if (!trim(line).empty())
            return std::string(trim(line));
    return {};
}

} // namespace

Record parse_markdown(std::string_view content, const std::string& source,
                      const std::string& default_id) {
    if (content.rfind("\xEF\xBB\xBF", 0) == 0)
        content.remove_prefix(3); // UTF-8 BOM
    Record r;
    r.id = default_id;
    const std::vector<std::string_view> lines = split_lines(content);
    const std::size_t body_start = read_front_matter(lines, source, r);
    MarkdownText body = reduce_markdown(body_from(lines, body_start));
    if (r.title.empty())
        r.title = title_from_body(body);
    r.text = std::move(body.text);
    r.sections = std::move(body.sections);
    return r;
}

Record parse_plain_text(std::string_view content, const std::string& default_id) {
    if (content.rfind("\xEF\xBB\xBF", 0) == 0)
        content.remove_prefix(3);
    Record r;
    r.id = default_id;
    const std::vector<std::string_view> lines = split_lines(content);
    std::size_t i = 0;
    while (i < lines.size() && trim(lines[i]).empty())
        ++i;
    if (i < lines.size())
        r.title = std::string(trim(lines[i++]));
    r.text = body_from(lines, i);
    return r;
}

} // namespace kb
