#include "search-server/handlers/citation.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

std::string bibtex_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '{' || c == '}' || c == '\\' || c == '%' || c == '&' || c == '$' || c == '#' ||
            c == '_')
            out += '\\';
        if (c == '\n' || c == '\r')
            c = ' ';
        out += c;
    }
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

std::string bibtex(const Record& r) {
    const TypeMap t = type_map(r.type);
    std::string out = std::string("@") + t.bibtex + "{" + bibtex_key(r.id) + ",\n";
    auto field = [&](const char* name, const std::string& value) {
        if (!value.empty())
            out += std::string("  ") + name + " = {" + bibtex_escape(value) + "},\n";
    };
    field("title", r.title);
    if (auto a = r.metadata.find("author"); a != r.metadata.end())
        field("author", a->second);
    field(std::string(t.bibtex) == "techreport" ? "institution" : "publisher", r.publisher);
    if (r.date.size() >= 4)
        field("year", r.date.substr(0, 4));
    if (r.date.size() >= 7)
        field("month", r.date.substr(5, 2));
    field("url", r.url);
    field("language", r.language);
    field("note", r.type);
    out += "}\n";
    return out;
}

std::string ris(const Record& r) {
    std::string out = std::string("TY  - ") + type_map(r.type).ris + "\n";
    auto field = [&](const char* tag, const std::string& value) {
        if (!value.empty())
            out += std::string(tag) + "  - " + one_line(value) + "\n";
    };
    field("ID", r.id);
    field("TI", r.title);
    if (auto a = r.metadata.find("author"); a != r.metadata.end())
        field("AU", a->second);
    field("PB", r.publisher);
    if (r.date.size() >= 4)
        field("PY", r.date.substr(0, 4));
    if (r.date.size() == 10)
        field("DA", r.date.substr(0, 4) + "/" + r.date.substr(5, 2) + "/" + r.date.substr(8, 2));
    field("UR", r.url);
    field("LA", r.language);
    out += "ER  - \n";
    return out;
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
        for (const Record& r : records) {
            w.StartObject();
            w.Key("id");
            w.String(r.id.c_str());
            w.Key("type");
            w.String(type_map(r.type).csl);
            w.Key("title");
            w.String(r.title.c_str());
            if (!r.publisher.empty()) {
                w.Key("publisher");
                w.String(r.publisher.c_str());
            }
            if (auto a = r.metadata.find("author"); a != r.metadata.end()) {
                w.Key("author");
                w.StartArray();
                w.StartObject();
                w.Key("literal");
                w.String(a->second.c_str());
                w.EndObject();
                w.EndArray();
            }
            if (!r.url.empty()) {
                w.Key("URL");
                w.String(r.url.c_str());
            }
            if (!r.language.empty()) {
                w.Key("language");
                w.String(r.language.c_str());
            }
            if (year_of(r.date)) {
                w.Key("issued");
                w.StartObject();
                w.Key("date-parts");
                w.StartArray();
                w.StartArray();
                w.Int(year_of(r.date));
                if (r.date.size() >= 7)
                    w.Int(std::stoi(r.date.substr(5, 2)));
                if (r.date.size() == 10)
                    w.Int(std::stoi(r.date.substr(8, 2)));
                w.EndArray();
                w.EndArray();
                w.EndObject();
            }
            w.EndObject();
        }
        w.EndArray();
        return buffer.GetString();
    }
    std::string out;
    for (const Record& r : records) {
        if (!out.empty())
            out += "\n";
        out += format == CitationFormat::BibTeX ? bibtex(r) : ris(r);
    }
    return out;
}

} // namespace kb::http
