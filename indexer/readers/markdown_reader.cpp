#include "indexer/readers/markdown_reader.h"

#include "core/error.h"
#include "core/record_fields.h"
#include "core/trim.h"

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

[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& reason) {
    throw Error(ErrorKind::InvalidRequest, "malformed_front_matter",
                source + ":" + std::to_string(line) + ": " + reason);
}

std::string unquote(std::string_view v, const std::string& source, std::size_t line) {
    if (v.empty())
        return {};
    if (v.front() == '"') {
        if (v.size() < 2 || v.back() != '"')
            fail(source, line, "unterminated double-quoted value");
        std::string out;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
            char c = v[i];
            if (c == '\\') {
                if (i + 2 >= v.size())
                    fail(source, line, "dangling backslash in quoted value");
                char e = v[++i];
                out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
            } else if (c == '"') {
                fail(source, line, "unescaped \" inside a double-quoted value");
            } else {
                out.push_back(c);
            }
        }
        return out;
    }
    if (v.front() == '\'') {
        if (v.size() < 2 || v.back() != '\'')
            fail(source, line, "unterminated single-quoted value");
        std::string out;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
            out.push_back(v[i]);
            if (v[i] == '\'' && v[i + 1] == '\'')
                ++i; // YAML's '' escape
        }
        return out;
    }
    if (v.front() == '[') {
        if (v.back() != ']')
            fail(source, line, "unterminated list (missing ']')");
        std::string out;
        std::string_view items = v.substr(1, v.size() - 2);
        std::size_t start = 0;
        while (start <= items.size()) {
            std::size_t comma = items.find(',', start);
            std::string_view item =
                trim(items.substr(start, comma == items.npos ? items.npos : comma - start));
            if (!item.empty()) {
                if (!out.empty())
                    out += "; ";
                out += unquote(item, source, line);
            }
            if (comma == items.npos)
                break;
            start = comma + 1;
        }
        return out;
    }
    return std::string(v);
}

bool valid_key(std::string_view key) {
    if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_'))
        return false;
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
            return false;
    return true;
}

bool valid_iso_date(const std::string& d) {
    auto digits = [&](std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            if (i >= d.size() || !std::isdigit(static_cast<unsigned char>(d[i])))
                return false;
        return true;
    };
    if (d.size() == 4)
        return digits(0, 4);
    if (d.size() == 7)
        return digits(0, 4) && d[4] == '-' && digits(5, 2) && d.substr(5) >= "01" &&
               d.substr(5) <= "12";
    if (d.size() == 10) {
        if (!(digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2)))
            return false;
        int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }
    return false;
}

// Title from the body when the front matter has none: first "# " heading, else first line.
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

std::string title_from_body(std::string_view body) {
    std::string_view first;
    for (std::string_view line : split_lines(body)) {
        std::string_view t = trim(line);
        if (t.empty())
            continue;
        if (t.rfind("# ", 0) == 0)
            return std::string(trim(t.substr(2)));
        if (first.empty())
            first = t;
    }
    return std::string(first);
}

} // namespace

Record parse_markdown(std::string_view content, const std::string& source,
                      const std::string& default_id) {
    if (content.rfind("\xEF\xBB\xBF", 0) == 0)
        content.remove_prefix(3); // UTF-8 BOM
    Record r;
    r.id = default_id;
    const std::vector<std::string_view> lines = split_lines(content);
    std::size_t body_start = 0;
    if (!lines.empty() && trim(lines[0]) == "---") {
        bool closed = false;
        for (std::size_t k = 1; k < lines.size() && !closed; ++k)
            closed = trim(lines[k]) == "---" || trim(lines[k]) == "...";
        if (!closed)
            fail(source, 1, "front matter opened here is never closed by a '---' line");
        std::size_t i = 1;
        for (; i < lines.size(); ++i) {
            std::string_view line = lines[i];
            std::string_view t = trim(line);
            if (t == "---" || t == "...")
                break;
            if (t.empty() || t.front() == '#')
                continue;
            std::size_t colon = line.find(':');
            if (colon == std::string_view::npos)
                fail(source, i + 1, "expected 'key: value', found '" + std::string(t) + "'");
            std::string_view key = trim(line.substr(0, colon));
            if (!valid_key(key))
                fail(source, i + 1, "invalid key '" + std::string(key) + "'");
            std::string value = unquote(trim(line.substr(colon + 1)), source, i + 1);
            if (key == "id") {
                if (trim(value).empty())
                    fail(source, i + 1, "id is empty");
                r.id = std::string(trim(value));
            } else if (key == "date") {
                if (!value.empty() && !valid_iso_date(value))
                    fail(source, i + 1,
                         "date '" + value + "' is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)");
                r.date = value;
            } else if (std::string* field = key == "text" ? nullptr : named_field(r, key)) {
                *field = value; // the body is the text: a "text" key stays metadata
            } else {
                r.metadata[std::string(key)] = value;
            }
        }
        body_start = i + 1;
    }
    r.text = body_from(lines, body_start);
    if (r.title.empty())
        r.title = title_from_body(r.text);
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
