#include "indexer/readers/office_reader.h"

#include "core/error.h"
#include "indexer/readers/text_cleanup.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <vector>

namespace kb {
namespace {

// An office document's XML parts are a few MiB at most; more than this uncompressed is a
// zip bomb or not a document worth indexing.
constexpr std::uint64_t kMaxEntryBytes = 64ull * 1024 * 1024;

namespace ns {
constexpr const char* w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* dc = "http://purl.org/dc/elements/1.1/";
constexpr const char* dcterms = "http://purl.org/dc/terms/";
constexpr const char* text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr const char* meta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
constexpr const char* office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
} // namespace ns

[[noreturn]] void damaged(const std::string& reason) {
    throw Error(ErrorKind::InvalidRequest, "unreadable_document", reason);
}

// A parsed archive over an in-memory copy of the file.
class Archive {
public:
    explicit Archive(std::string_view content) : stream_(std::string(content)) {
        try {
            archive_.emplace(stream_);
        } catch (const Poco::Exception& e) {
            damaged("damaged or truncated ZIP archive: " + e.displayText());
        } catch (const std::exception& e) {
            damaged(std::string("damaged or truncated ZIP archive: ") + e.what());
        }
    }

    bool has(const std::string& name) const {
        return archive_->findHeader(name) != archive_->headerEnd();
    }

    /// The entry's uncompressed bytes, or nullopt when absent.
    std::optional<std::string> read(const std::string& name) {
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
            // The header's size can lie: the limit is enforced on what inflating produces.
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                out.append(buffer, static_cast<std::size_t>(in.gcount()));
                if (out.size() > kMaxEntryBytes)
                    damaged(name + " inflates to over 64 MiB (zip bomb?)");
            }
            if (in.bad())
                damaged("cannot inflate " + name);
            return out;
        } catch (const Error&) {
            throw;
        } catch (const Poco::Exception& e) {
            damaged("cannot inflate " + name + ": " + e.displayText());
        } catch (const std::exception& e) {
            damaged("cannot inflate " + name + ": " + e.what());
        }
    }

private:
    std::istringstream stream_;
    std::optional<Poco::Zip::ZipArchive> archive_;
};

// A SAX handler calling back on element start/end and text, with namespace URIs resolved.
class Handler : public Poco::XML::ContentHandler {
public:
    using Start = std::function<void(const std::string& uri, const std::string& name,
                                     const Poco::XML::Attributes&)>;
    using End = std::function<void(const std::string& uri, const std::string& name)>;
    using Text = std::function<void(const char*, int)>;
    Handler(Start s, End e, Text t)
        : start_(std::move(s)), end_(std::move(e)), text_(std::move(t)) {}

    void setDocumentLocator(const Poco::XML::Locator*) override {}
    void startDocument() override {}
    void endDocument() override {}
    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString&, const Poco::XML::Attributes& attrs) override {
        start_(uri, localName, attrs);
    }
    void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                    const Poco::XML::XMLString&) override {
        end_(uri, localName);
    }
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        text_(ch + start, length);
    }
    void ignorableWhitespace(const Poco::XML::XMLChar ch[], int start, int length) override {}
    void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void endPrefixMapping(const Poco::XML::XMLString&) override {}
    void skippedEntity(const Poco::XML::XMLString&) override {}

private:
    Start start_;
    End end_;
    Text text_;
};

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

// Collects the text of simple metadata elements (dc:title, dc:creator...) by (uri, name).
struct MetaFields {
    using Name = std::pair<std::string, std::string>; // uri, local name
    std::vector<Name> wanted;
    std::vector<std::string> values;

    void parse(const std::string& xml, const std::string& part) {
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
};

// Paragraph text as it accumulates: spaces collapsed inside runs, explicit tabs and breaks kept.
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
    return collapse_whitespace(text.substr(0, text.find('\n')));
}

template <typename F> Record guarded(F&& f) {
    try {
        return f();
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

// What DOCX's docProps/core.xml and ODT's meta.xml say about a document.
struct DocumentMeta {
    std::string title, author, created, language, subject, description;
};

// The metadata part `part` of the archive (nullopt when absent). Both formats take the title,
// language, subject and description from Dublin Core; the creation date is `created`, and the
// author the first of `authors` that is not empty.
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

// The record of an office document: its paragraphs, its metadata when it has any, and its
// first line as the title when it has none.
Record office_record(const std::string& default_id, const std::vector<std::string>& paragraphs,
                     const std::optional<DocumentMeta>& meta) {
    Record r;
    r.id = default_id;
    r.text = join_paragraphs(paragraphs);
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

std::vector<std::string> docx_paragraphs(const std::string& xml) {
    std::vector<std::string> paragraphs;
    std::string current;
    int in_text = 0, depth_p = 0;
    Handler h(
        [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes&) {
            if (uri != ns::w)
                return;
            if (name == "p") {
                // A paragraph inside a text box inside a paragraph: end the outer one.
                if (depth_p++ > 0) {
                    paragraphs.push_back(finish_paragraph(current));
                    current.clear();
                }
            } else if (name == "t")
                ++in_text;
            else if (name == "tab")
                current += '\t';
            else if (name == "br" || name == "cr")
                current += '\n';
            else if (name == "noBreakHyphen")
                current += '-';
        },
        [&](const std::string& uri, const std::string& name) {
            if (uri != ns::w)
                return;
            if (name == "t")
                --in_text;
            else if (name == "p" && depth_p > 0) {
                --depth_p;
                paragraphs.push_back(finish_paragraph(current));
                current.clear();
            }
        },
        [&](const char* s, int n) {
            if (in_text > 0)
                current.append(s, static_cast<std::size_t>(n));
        });
    parse_xml(xml, "word/document.xml", h);
    return paragraphs;
}

std::vector<std::string> odt_paragraphs(const std::string& xml) {
    std::vector<std::string> paragraphs;
    std::vector<std::string> open; // paragraphs being read; notes nest inside paragraphs
    int skip = 0;                  // inside annotations or tracked deletions
    Handler h(
        [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& attrs) {
            if (skip > 0 || (uri == ns::office && name == "annotation") ||
                (uri == ns::text && name == "tracked-changes")) {
                ++skip;
                return;
            }
            if (uri != ns::text || open.empty()) {
                if (uri == ns::text && (name == "p" || name == "h"))
                    open.emplace_back();
                return;
            }
            if (name == "p" || name == "h")
                open.emplace_back();
            else if (name == "tab")
                open.back() += '\t';
            else if (name == "line-break")
                open.back() += '\n';
            else if (name == "s") {
                int count = 1;
                const std::string c = attrs.getValue(ns::text, "c");
                if (!c.empty())
                    count = std::clamp(std::atoi(c.c_str()), 1, 1000);
                // Kept as no-break spaces would be collapsed; they are real spaces.
                open.back().append(static_cast<std::size_t>(count), ' ');
            }
        },
        [&](const std::string& uri, const std::string& name) {
            if (skip > 0) {
                --skip;
                return;
            }
            if (uri == ns::text && (name == "p" || name == "h") && !open.empty()) {
                paragraphs.push_back(finish_paragraph(open.back()));
                open.pop_back();
            }
        },
        [&](const char* s, int n) {
            if (skip == 0 && !open.empty()) {
                // Whitespace in ODF text is collapsed; only text:s and text:tab are layout.
                std::string& p = open.back();
                for (int i = 0; i < n; ++i) {
                    char c = s[i];
                    if (c == '\n' || c == '\r' || c == '\t')
                        c = ' ';
                    if (c == ' ' && !p.empty() && p.back() == ' ')
                        continue;
                    p += c;
                }
            }
        });
    parse_xml(xml, "content.xml", h);
    return paragraphs;
}

// Where a format keeps its text and its metadata, and how the paragraphs of its text are read.
struct OfficeFormat {
    const char* body_part;
    const char* no_body; // the reason given when the archive has no body part
    std::vector<std::string> (*paragraphs)(const std::string& body_xml);
    const char* meta_part;
    MetaFields::Name created;
    std::vector<MetaFields::Name> authors; // the first that is not empty is the author
};

Record read_office(std::string_view content, const std::string& default_id,
                   const OfficeFormat& format) {
    return guarded([&] {
        Archive archive(content);
        const std::optional<std::string> body = archive.read(format.body_part);
        if (!body)
            damaged(format.no_body);
        const std::vector<std::string> paragraphs = format.paragraphs(*body);
        return office_record(default_id, paragraphs,
                             read_meta(archive, format.meta_part, format.created, format.authors));
    });
}

} // namespace

ZipKind sniff_zip(std::string_view content) {
    try {
        Archive archive(content);
        if (archive.has("word/document.xml"))
            return ZipKind::Docx;
        if (auto mime = archive.read("mimetype");
            mime && collapse_whitespace(*mime) == "application/vnd.oasis.opendocument.text")
            return ZipKind::Odt;
    } catch (const Error&) {
    }
    return ZipKind::Other;
}

Record read_docx(std::string_view content, const std::string& default_id) {
    static const OfficeFormat docx{
        "word/document.xml",      "not a Word document: no word/document.xml",
        docx_paragraphs,          "docProps/core.xml",
        {ns::dcterms, "created"}, {{ns::dc, "creator"}}};
    return read_office(content, default_id, docx);
}

Record read_odt(std::string_view content, const std::string& default_id) {
    // The author is the one who created the document before the one who last saved it.
    static const OfficeFormat odt{"content.xml",
                                  "not an OpenDocument text: no content.xml",
                                  odt_paragraphs,
                                  "meta.xml",
                                  {ns::meta, "creation-date"},
                                  {{ns::meta, "initial-creator"}, {ns::dc, "creator"}}};
    return read_office(content, default_id, odt);
}

} // namespace kb
