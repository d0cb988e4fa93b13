#include "indexer/readers/front_matter.h"

#include "core/error.h"
#include "core/record_fields.h"
#include "core/trim.h"

#include <cctype>
#include <toml++/toml.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace kb {
namespace {

[[noreturn]] void fail(const std::string& source, std::size_t line, const std::string& reason) {
    throw Error(ErrorKind::InvalidRequest, "malformed_front_matter",
                source + ":" + std::to_string(line) + ": " + reason);
}

bool digits(std::string_view s, std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
        if (i >= s.size() || std::isdigit(static_cast<unsigned char>(s[i])) == 0)
            return false;
    return true;
}

// YYYY, YYYY-MM or YYYY-MM-DD with a real month and day; a date-time gives its day
// ("2019-05-03T10:00:00+02:00", "2019-05-03 10:00"). "" when the value is no such date.
std::string iso_day(std::string_view d) {
    if (d.size() > 10 && (d[10] == 'T' || d[10] == 't' || d[10] == ' ') && digits(d, 11, 2))
        d = d.substr(0, 10);
    if (d.size() == 4 && digits(d, 0, 4))
        return std::string(d);
    if (d.size() == 7 && digits(d, 0, 4) && d[4] == '-' && digits(d, 5, 2) && d.substr(5) >= "01" &&
        d.substr(5) <= "12")
        return std::string(d);
    if (d.size() == 10 && digits(d, 0, 4) && d[4] == '-' && digits(d, 5, 2) && d[7] == '-' &&
        digits(d, 8, 2)) {
        const int month = std::stoi(std::string(d.substr(5, 2)));
        const int day = std::stoi(std::string(d.substr(8, 2)));
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31)
            return std::string(d);
    }
    return {};
}

bool valid_key(std::string_view key) {
    if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_'))
        return false;
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

// One key of either syntax, with its file line, into the record.
void assign(Record& r, const std::string& key, std::string value, const std::string& source,
            std::size_t line) {
    if (!valid_key(key))
        fail(source, line, "invalid key '" + key + "'");
    if (key == "id") {
        std::string id(trim(value));
        if (id.empty())
            fail(source, line, "id is empty");
        r.id = std::move(id);
    } else if (key == "date") {
        const std::string day = iso_day(trim(value));
        if (!trim(value).empty() && day.empty())
            fail(source, line,
                 "date '" + value + "' is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)");
        r.date = day;
    } else if (std::string* field = key == "text" ? nullptr : named_field(r, key)) {
        *field = std::move(value); // the body is the text: a "text" key stays metadata
    } else {
        r.metadata[key] = std::move(value);
    }
}

// ---- YAML ------------------------------------------------------------------------------

void read_yaml_value(Record& r, const std::string& key, const YAML::Node& value,
                     const std::string& source, std::size_t first_line, int depth) {
    const std::size_t line = first_line + static_cast<std::size_t>(value.Mark().line);
    if (value.IsNull() || !value.IsDefined()) {
        assign(r, key, "", source, line);
    } else if (value.IsScalar()) {
        assign(r, key, value.Scalar(), source, line);
    } else if (value.IsSequence()) {
        std::string joined;
        for (const YAML::Node& item : value) {
            if (!item.IsScalar() && !item.IsNull())
                fail(source, first_line + static_cast<std::size_t>(item.Mark().line),
                     "the items of '" + key + "' must be plain values, not lists or maps");
            if (item.IsScalar() && !item.Scalar().empty())
                joined += (joined.empty() ? "" : "; ") + item.Scalar();
        }
        assign(r, key, joined, source, line);
    } else if (value.IsMap()) {
        if (depth >= 8)
            fail(source, line, "'" + key + "' nests maps more than 8 deep");
        for (const auto& entry : value) {
            if (!entry.first.IsScalar())
                fail(source, first_line + static_cast<std::size_t>(entry.first.Mark().line),
                     "a key must be a plain name");
            read_yaml_value(r, key + "." + entry.first.Scalar(), entry.second, source, first_line,
                            depth + 1);
        }
    }
}

void read_yaml(const std::string& yaml, const std::string& source, std::size_t first_line,
               Record& r) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::DeepRecursion& e) {
        // Its message is a stray "bad file".
        fail(source, first_line + static_cast<std::size_t>(std::max(0, e.mark.line)),
             "invalid YAML: nested more than " + std::to_string(e.depth()) + " levels deep");
    } catch (const YAML::Exception& e) {
        fail(source, first_line + static_cast<std::size_t>(std::max(0, e.mark.line)),
             "invalid YAML: " + e.msg);
    }
    if (root.IsNull())
        return;
    if (!root.IsMap())
        fail(source, first_line, "expected 'key: value' lines");
    try {
        for (const auto& entry : root) {
            if (!entry.first.IsScalar())
                fail(source, first_line + static_cast<std::size_t>(entry.first.Mark().line),
                     "a key must be a plain name");
            // yaml-cpp reads a line of words alone as a key with no value.
            const std::string& key = entry.first.Scalar();
            if (entry.second.IsNull() && key.find(' ') != std::string::npos)
                fail(source, first_line + static_cast<std::size_t>(entry.first.Mark().line),
                     "expected 'key: value', found '" + key + "'");
            read_yaml_value(r, key, entry.second, source, first_line, 0);
        }
    } catch (const YAML::Exception& e) {
        fail(source, first_line + static_cast<std::size_t>(std::max(0, e.mark.line)),
             "invalid YAML: " + e.msg);
    }
}

// ---- TOML ------------------------------------------------------------------------------

std::string toml_scalar(const toml::node& n) {
    if (const auto* s = n.as_string())
        return s->get();
    if (const auto* i = n.as_integer())
        return std::to_string(i->get());
    if (const auto* f = n.as_floating_point()) {
        std::ostringstream out;
        out << f->get();
        return out.str();
    }
    if (const auto* b = n.as_boolean())
        return b->get() ? "true" : "false";
    std::ostringstream out;
    if (const auto* d = n.as_date())
        out << d->get();
    else if (const auto* dt = n.as_date_time())
        out << dt->get().date;
    else if (const auto* t = n.as_time())
        out << t->get();
    return out.str();
}

void read_toml_table(Record& r, const std::string& prefix, const toml::table& table,
                     const std::string& source, std::size_t first_line, int depth) {
    for (const auto& [k, node] : table) {
        const std::string key = prefix + std::string(k.str());
        const std::size_t line =
            first_line + static_cast<std::size_t>(std::max<int>(1, node.source().begin.line)) - 1;
        if (const auto* sub = node.as_table()) {
            if (depth >= 8)
                fail(source, line, "'" + key + "' nests tables more than 8 deep");
            read_toml_table(r, key + ".", *sub, source, first_line, depth + 1);
        } else if (const auto* array = node.as_array()) {
            std::string joined;
            for (const toml::node& item : *array) {
                if (item.is_array() || item.is_table())
                    fail(source, line,
                         "the items of '" + key + "' must be plain values, not lists or tables");
                const std::string v = toml_scalar(item);
                if (!v.empty())
                    joined += (joined.empty() ? "" : "; ") + v;
            }
            assign(r, key, joined, source, line);
        } else {
            assign(r, key, toml_scalar(node), source, line);
        }
    }
}

void read_toml(const std::string& text, const std::string& source, std::size_t first_line,
               Record& r) {
    try {
        const toml::table table = toml::parse(text, source);
        read_toml_table(r, "", table, source, first_line, 0);
    } catch (const toml::parse_error& e) {
        const auto line = static_cast<std::size_t>(std::max<int>(1, e.source().begin.line));
        fail(source, first_line + line - 1, "invalid TOML: " + std::string(e.description()));
    }
}

// French typography writes « Villes moyennes : un guide » unquoted, and YAML reads ": " inside a
// plain value as a second key. A top-level "key: value" whose bare value holds ": " is quoted.
std::string quote_french_colon(std::string_view line) {
    const std::size_t colon = line.find(": ");
    if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_') ||
        colon == std::string_view::npos || !valid_key(line.substr(0, colon)))
        return std::string(line);
    std::string_view value = trim(line.substr(colon + 1));
    const char first = value.empty() ? '\0' : value.front();
    if (value.find(':') == std::string_view::npos || first == '"' || first == '\'' ||
        first == '[' || first == '{' || first == '|' || first == '>' || first == '&' ||
        first == '*' || first == '!' || first == '#')
        return std::string(line);
    std::string out(line.substr(0, colon + 2));
    out += '\'';
    for (char c : value) {
        out += c;
        if (c == '\'')
            out += '\''; // YAML's '' escape
    }
    out += '\'';
    return out;
}

} // namespace

std::size_t read_front_matter(const std::vector<std::string_view>& lines, const std::string& source,
                              Record& r) {
    if (lines.empty())
        return 0;
    const std::string_view opening = trim(lines[0]);
    const bool yaml = opening == "---", toml_block = opening == "+++";
    if (!yaml && !toml_block)
        return 0;
    std::size_t close = 1;
    for (; close < lines.size(); ++close) {
        const std::string_view t = trim(lines[close]);
        if (yaml ? (t == "---" || t == "...") : t == "+++")
            break;
    }
    if (close == lines.size())
        fail(source, 1,
             std::string("front matter opened here is never closed by a '") +
                 (yaml ? "---" : "+++") + "' line");
    std::string block;
    for (std::size_t i = 1; i < close; ++i) {
        block.append(yaml ? quote_french_colon(lines[i]) : std::string(lines[i]));
        block.push_back('\n');
    }
    // Line 2 of the file is line 1 (toml++) or 0 (yaml-cpp) of the block.
    if (yaml)
        read_yaml(block, source, 2, r);
    else
        read_toml(block, source, 2, r);
    return close + 1;
}

} // namespace kb
