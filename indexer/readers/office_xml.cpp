#include "indexer/readers/office_xml.h"

#include "core/error.h"
#include "indexer/readers/text_cleanup.h"

#include <Poco/Exception.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <cstdlib>

namespace kb::office {

void damaged(const std::string& reason) {
    throw Error(ErrorKind::InvalidRequest, "unreadable_document", reason);
}

Archive::Archive(std::string_view content) : stream_(std::string(content)) {
    try {
        archive_.emplace(stream_);
    } catch (const Poco::Exception& e) {
        damaged("damaged or truncated ZIP archive: " + e.displayText());
    } catch (const std::exception& e) {
        damaged(std::string("damaged or truncated ZIP archive: ") + e.what());
    }
}

bool Archive::has(const std::string& name) const {
    return archive_->findHeader(name) != archive_->headerEnd();
}

std::vector<std::string> Archive::names() const {
    std::vector<std::string> out;
    for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it)
        out.push_back(it->first);
    return out;
}

std::optional<std::string> Archive::read(const std::string& name) {
    auto it = archive_->findHeader(name);
    if (it == archive_->headerEnd())
        return std::nullopt;
    if (it->second.getUncompressedSize() > kMaxEntryBytes)
        damaged(name + " is " + std::to_string(it->second.getUncompressedSize()) +
                " bytes uncompressed, over the 64 MiB limit (zip bomb?)");
    try {
        stream_.clear();
        Poco::Zip::ZipInputStream in(stream_, it->second, true);
        std::string out;
        char buffer[64 * 1024];
        // The header's size can lie: the limits are enforced on what inflating produces.
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            out.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (out.size() > kMaxEntryBytes)
                damaged(name + " inflates to over 64 MiB (zip bomb?)");
            if (inflated_ + out.size() > kMaxArchiveBytes)
                damaged("the archive's parts inflate to over 256 MiB (zip bomb?)");
        }
        if (in.bad())
            damaged("cannot inflate " + name);
        inflated_ += out.size();
        return out;
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        damaged("cannot inflate " + name + ": " + e.displayText());
    } catch (const std::exception& e) {
        damaged("cannot inflate " + name + ": " + e.what());
    }
}

// The folder of a part ("ppt/slides/" for "ppt/slides/slide1.xml").
std::string folder_of(const std::string& part) {
    const std::size_t slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// `target` relative to `folder`, with "." and ".." resolved; "/x" is from the package root.
std::string resolve_part(const std::string& folder, const std::string& target) {
    std::vector<std::string> parts;
    const std::string path =
        !target.empty() && target[0] == '/' ? target.substr(1) : folder + target;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos)
            slash = path.size();
        const std::string seg = path.substr(start, slash - start);
        if (seg == "..") {
            if (!parts.empty())
                parts.pop_back();
        } else if (!seg.empty() && seg != ".")
            parts.push_back(seg);
        start = slash + 1;
    }
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : "/") + p;
    return out;
}

void parse_xml(const std::string& xml, const std::string& part, Handler& handler) {
    try {
        Poco::XML::SAXParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        // Never fetch anything a document points to.
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setContentHandler(&handler);
        Poco::XML::InputSource source;
        std::istringstream in(xml);
        source.setByteStream(in);
        parser.parse(&source);
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        damaged(part + " is not well-formed XML: " + e.displayText());
    } catch (const std::exception& e) {
        damaged(part + " is not well-formed XML: " + e.what());
    }
}

void MetaFields::parse(const std::string& xml, const std::string& part) {
    values.assign(wanted.size(), {});
    int current = -1;
    Handler h(
        [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes&) {
            current = -1;
            for (std::size_t i = 0; i < wanted.size(); ++i)
                if (wanted[i].first == uri && wanted[i].second == name && values[i].empty())
                    current = static_cast<int>(i);
        },
        [&](const std::string&, const std::string&) { current = -1; },
        [&](const char* s, int n) {
            if (current >= 0)
                values[current].append(s, static_cast<std::size_t>(n));
        });
    parse_xml(xml, part, h);
    for (auto& v : values)
        v = collapse_whitespace(v);
}

std::string finish_paragraph(const std::string& raw) {
    std::string out;
    std::size_t start = 0;
    while (start <= raw.size()) {
        std::size_t nl = raw.find('\n', start);
        std::string line =
            raw.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        // Trim spaces only: a leading tab is layout the author put there.
        std::size_t b = line.find_first_not_of(' '), e = line.find_last_not_of(" \t");
        if (!out.empty())
            out += '\n';
        if (b != std::string::npos)
            out += line.substr(b, e - b + 1);
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    std::size_t e = out.find_last_not_of("\n\t ");
    return e == std::string::npos ? std::string() : out.substr(0, e + 1);
}

std::string join_paragraphs(const std::vector<std::string>& paragraphs) {
    std::string out;
    for (const auto& p : paragraphs) {
        if (p.empty())
            continue;
        if (!out.empty())
            out += "\n\n";
        out += p;
    }
    return out;
}

std::string first_line(const std::string& text) {
    const std::size_t begin = text.find_first_not_of(" \t\r\n\f");
    if (begin == std::string::npos)
        return {};
    return collapse_whitespace(text.substr(begin, text.find_first_of("\n\f", begin) - begin));
}

Record guarded(const std::function<Record()>& read) {
    try {
        return read();
    } catch (const Error&) {
        throw;
    } catch (const Poco::Exception& e) {
        damaged("damaged document: " + e.displayText());
    } catch (const std::bad_alloc&) {
        damaged("document too large to read");
    } catch (const std::exception& e) {
        damaged(std::string("damaged document: ") + e.what());
    }
}

std::optional<DocumentMeta> read_meta(Archive& archive, const std::string& part,
                                      const MetaFields::Name& created,
                                      const std::vector<MetaFields::Name>& authors) {
    const std::optional<std::string> xml = archive.read(part);
    if (!xml)
        return std::nullopt;
    MetaFields meta{{{ns::dc, "title"},
                     created,
                     {ns::dc, "language"},
                     {ns::dc, "subject"},
                     {ns::dc, "description"}},
                    {}};
    meta.wanted.insert(meta.wanted.end(), authors.begin(), authors.end());
    meta.parse(*xml, part);
    const std::vector<std::string>& v = meta.values;
    DocumentMeta about{v[0], {}, v[1], v[2], v[3], v[4]};
    for (std::size_t i = 0; i < authors.size() && about.author.empty(); ++i)
        about.author = v[5 + i];
    return about;
}

Record office_record(const std::string& default_id, std::string text,
                     const std::optional<DocumentMeta>& meta) {
    Record r;
    r.id = default_id;
    r.text = std::move(text);
    if (meta) {
        r.title = meta->title;
        if (!meta->author.empty())
            r.metadata["author"] = meta->author;
        r.date = normalize_date(meta->created);
        r.language = meta->language;
        if (!meta->subject.empty())
            r.metadata["subject"] = meta->subject;
        if (!meta->description.empty())
            r.metadata["description"] = meta->description;
    }
    if (r.title.empty())
        r.title = first_line(r.text);
    return r;
}

void OdfParagraphs::start(const std::string& uri, const std::string& name,
                          const Poco::XML::Attributes& attrs) {
    if (skip_ > 0 || (uri == ns::office && name == "annotation") ||
        (uri == ns::text && name == "tracked-changes")) {
        ++skip_;
        return;
    }
    if (uri != ns::text)
        return;
    if (name == "p" || name == "h")
        open_.emplace_back();
    else if (open_.empty())
        return;
    else if (name == "tab")
        open_.back() += '\t';
    else if (name == "line-break")
        open_.back() += '\n';
    else if (name == "s") {
        int count = 1;
        const std::string c = attrs.getValue(ns::text, "c");
        if (!c.empty())
            count = std::clamp(std::atoi(c.c_str()), 1, 1000);
        // Kept as no-break spaces would be collapsed; they are real spaces.
        open_.back().append(static_cast<std::size_t>(count), ' ');
    }
}

void OdfParagraphs::end(const std::string& uri, const std::string& name) {
    if (skip_ > 0) {
        --skip_;
        return;
    }
    if (uri == ns::text && (name == "p" || name == "h") && !open_.empty()) {
        paragraphs_.push_back(finish_paragraph(open_.back()));
        open_.pop_back();
    }
}

void OdfParagraphs::text(const char* s, int n) {
    if (skip_ > 0 || open_.empty())
        return;
    // Whitespace in ODF text is collapsed; only text:s and text:tab are layout.
    std::string& p = open_.back();
    for (int i = 0; i < n; ++i) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c == ' ' && !p.empty() && p.back() == ' ')
            continue;
        p += c;
    }
}

} // namespace kb::office
