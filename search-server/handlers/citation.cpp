#include "search-server/handlers/citation.h"

#include "core/record_fields.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <set>
#include <string_view>
#include <utility>

namespace kb::http {
namespace {

// Our document types in each format's vocabulary.
struct TypeMap {
    const char* bibtex;
    const char* ris;
    const char* csl;
};

TypeMap type_map(const std::string& type) {
    if (type == "étude")
        return {"techreport", "RPRT", "report"};
    if (type == "colloque")
        return {"inproceedings", "CONF", "paper-conference"};
    if (type == "vade-mecum")
        return {"book", "BOOK", "book"};
    if (type == "texte de référence")
        return {"misc", "STAT", "legislation"};
    if (type == "actualité")
        return {"misc", "NEWS", "article-newspaper"};
    return {"misc", "ELEC", "webpage"};
}

// What a citation says, read once from a record and written in every format.
struct Citation {
    std::string id;
    TypeMap type;
    std::string title;
    std::vector<std::string> authors; ///< people or organisations, each whole
    std::string publisher;
    std::string container; ///< the code an article belongs to
    std::string section;   ///< "art. L1115-1"
    std::string date;      ///< ISO 8601, as the record has it
    std::string url;
    std::string language;
    std::string kind; ///< our document type, in French
};

Citation citation_of(const Record& r) {
    Citation c{r.id, type_map(r.type), r.title, {},         r.publisher, {},
               {},   r.date,           r.url,   r.language, r.type};
    if (auto a = r.metadata.find("author"); a != r.metadata.end())
        c.authors = split_authors(a->second);
    // An article of a code cites as « Code général des collectivités territoriales, art.
    // L1115-1 »: the record's title alone ("Article L1115-1") names no text.
    if (auto code = r.metadata.find("code_title");
        code != r.metadata.end() && !code->second.empty()) {
        constexpr std::string_view kArticle = "Article ";
        c.container = code->second;
        const std::string number =
            r.title.rfind(kArticle, 0) == 0 ? r.title.substr(kArticle.size()) : r.title;
        c.section = number.empty() ? "" : "art. " + number;
        c.title = c.section.empty() ? c.container : c.container + ", " + c.section;
    }
    return c;
}

// French letters as LaTeX writes them, so that classic 7-bit BibTeX styles sort, purify and
// print them; other non-ASCII characters (« », which LaTeX's utf8 input reads) pass through
// as UTF-8.
constexpr std::pair<std::string_view, std::string_view> kLatexLetters[] = {
    {"é", "{\\'e}"},   {"è", "{\\`e}"},  {"ê", "{\\^e}"},  {"ë", "{\\\"e}"},  {"à", "{\\`a}"},
    {"â", "{\\^a}"},   {"ä", "{\\\"a}"}, {"î", "{\\^i}"},  {"ï", "{\\\"i}"},  {"ô", "{\\^o}"},
    {"ö", "{\\\"o}"},  {"ù", "{\\`u}"},  {"û", "{\\^u}"},  {"ü", "{\\\"u}"},  {"ÿ", "{\\\"y}"},
    {"ç", "{\\c{c}}"}, {"É", "{\\'E}"},  {"È", "{\\`E}"},  {"Ê", "{\\^E}"},   {"Ë", "{\\\"E}"},
    {"À", "{\\`A}"},   {"Â", "{\\^A}"},  {"Î", "{\\^I}"},  {"Ï", "{\\\"I}"},  {"Ô", "{\\^O}"},
    {"Ù", "{\\`U}"},   {"Û", "{\\^U}"},  {"Ü", "{\\\"U}"}, {"Ç", "{\\c{C}}"}, {"œ", "{\\oe}"},
    {"Œ", "{\\OE}"},   {"æ", "{\\ae}"},  {"Æ", "{\\AE}"},  {"’", "'"},        {"\u00a0", "~"},
    {"\u202f", "~"},   {"–", "--"},      {"—", "---"},     {"…", "\\dots{}"}};

// A field value in which every character BibTeX or LaTeX would read as markup is written as
// text: braces stay balanced (BibTeX counts them even after a backslash), % & $ # _ are
// escaped, ~ ^ \ are named, line breaks become spaces.
std::string bibtex_escape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool replaced = false;
        if (static_cast<unsigned char>(s[i]) >= 0x80)
            for (const auto& [letter, latex] : kLatexLetters)
                if (s.compare(i, letter.size(), letter) == 0) {
                    out += latex;
                    i += letter.size();
                    replaced = true;
                    break;
                }
        if (replaced)
            continue;
        const char c = s[i++];
        switch (c) {
        case '{':
            out += "\\textbraceleft{}";
            break;
        case '}':
            out += "\\textbraceright{}";
            break;
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        case '%':
        case '&':
        case '$':
        case '#':
        case '_':
            out += '\\';
            out += c;
            break;
        case '\n':
        case '\r':
        case '\t':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A URL is read verbatim by url.sty and biblatex: only braces would unbalance the entry.
std::string bibtex_url(const std::string& url) {
    std::string out;
    for (char c : url)
        out += c == '{'                   ? "%7B"
               : c == '}'                 ? "%7D"
               : (c == '\n' || c == '\r') ? ""
                                          : std::string(1, c);
    return out;
}

std::string bibtex_key(const std::string& id) {
    std::string key;
    for (char c : id)
        key += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
    return key.empty() ? "doc" : key;
}

std::string one_line(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c == '\n' || c == '\r')
            c = ' ';
    return out;
}

std::string bibtex(const Citation& c, const std::string& key) {
    std::string out = std::string("@") + c.type.bibtex + "{" + key + ",\n";
    auto field = [&](const char* name, const std::string& value) {
        if (!value.empty())
            out += std::string("  ") + name + " = {" + value + "},\n";
    };
    // Double braces: styles must not lower-case a French title, a code's name or "L1115-1".
    if (!c.title.empty())
        field("title", "{" + bibtex_escape(c.title) + "}");
    // Each author braced whole: an organisation is not "First Last".
    std::string authors;
    for (const std::string& a : c.authors)
        authors += (authors.empty() ? "{" : " and {") + bibtex_escape(a) + "}";
    field("author", authors);
    // Styles sort by author, else by `key`: a text without author sorts by its title.
    if (c.authors.empty())
        field("key", bibtex_escape(c.container.empty() ? c.title : c.container));
    field(std::string(c.type.bibtex) == "techreport" ? "institution" : "publisher",
          bibtex_escape(c.publisher));
    if (year_of(c.date))
        field("year", c.date.substr(0, 4));
    if (c.date.size() >= 7)
        field("month", std::to_string(std::stoi(c.date.substr(5, 2))));
    if (c.date.size() == 10)
        field("day", std::to_string(std::stoi(c.date.substr(8, 2))));
    field("url", bibtex_url(c.url));
    field("language", bibtex_escape(c.language));
    field("note", bibtex_escape(c.kind));
    out += "}\n";
    return out;
}

std::string ris(const Citation& c) {
    std::string out = std::string("TY  - ") + c.type.ris + "\n";
    auto field = [&](const char* tag, const std::string& value) {
        if (!value.empty())
            out += std::string(tag) + "  - " + one_line(value) + "\n";
    };
    field("ID", c.id);
    field("TI", c.title);
    for (const std::string& a : c.authors)
        field("AU", a);
    field("T2", c.container);
    field("PB", c.publisher);
    if (year_of(c.date))
        field("PY", c.date.substr(0, 4));
    if (c.date.size() == 10)
        field("DA", c.date.substr(0, 4) + "/" + c.date.substr(5, 2) + "/" + c.date.substr(8, 2));
    field("UR", c.url);
    field("LA", c.language);
    out += "ER  - \n";
    return out;
}

void csl_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Citation& c) {
    auto member = [&w](const char* key, const std::string& value) {
        if (value.empty())
            return;
        w.Key(key);
        w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    };
    w.StartObject();
    member("id", c.id);
    member("type", c.type.csl);
    member("title", c.title);
    member("container-title", c.container);
    member("section", c.section);
    member("publisher", c.publisher);
    if (!c.authors.empty()) {
        w.Key("author");
        w.StartArray();
        for (const std::string& a : c.authors) {
            w.StartObject();
            member("literal", a);
            w.EndObject();
        }
        w.EndArray();
    }
    member("URL", c.url);
    member("language", c.language);
    if (year_of(c.date)) {
        w.Key("issued");
        w.StartObject();
        w.Key("date-parts");
        w.StartArray();
        w.StartArray();
        w.Int(year_of(c.date));
        if (c.date.size() >= 7)
            w.Int(std::stoi(c.date.substr(5, 2)));
        if (c.date.size() == 10)
            w.Int(std::stoi(c.date.substr(8, 2)));
        w.EndArray();
        w.EndArray();
        w.EndObject();
    }
    w.EndObject();
}

} // namespace

std::optional<CitationFormat> citation_format(const std::string& name) {
    if (name == "bibtex")
        return CitationFormat::BibTeX;
    if (name == "ris")
        return CitationFormat::RIS;
    if (name == "csl-json" || name == "csljson")
        return CitationFormat::CslJson;
    return std::nullopt;
}

const char* citation_content_type(CitationFormat format) {
    switch (format) {
    case CitationFormat::BibTeX:
        return "application/x-bibtex; charset=utf-8";
    case CitationFormat::RIS:
        return "application/x-research-info-systems; charset=utf-8";
    case CitationFormat::CslJson:
        return "application/vnd.citationstyles.csl+json; charset=utf-8";
    }
    return "text/plain; charset=utf-8";
}

std::string format_citations(const std::vector<Record>& records, CitationFormat format) {
    if (format == CitationFormat::CslJson) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
        w.StartArray();
        for (const Record& r : records)
            csl_json(w, citation_of(r));
        w.EndArray();
        return buffer.GetString();
    }
    std::string out;
    std::set<std::string> keys; // two ids may sanitise to one key: the second gets a suffix
    for (const Record& r : records) {
        if (!out.empty())
            out += "\n";
        const Citation c = citation_of(r);
        if (format == CitationFormat::RIS) {
            out += ris(c);
            continue;
        }
        std::string key = bibtex_key(r.id);
        for (int n = 2; !keys.insert(key).second; ++n)
            key = bibtex_key(r.id) + "-" + std::to_string(n);
        out += bibtex(c, key);
    }
    return out;
}

} // namespace kb::http
