#pragma once

// What the readers of ZIP-packaged XML documents (DOCX, ODT, PPTX, ODP, EPUB) share: the
// archive with its size guards, a SAX handler over callbacks, Dublin Core style metadata and
// the paragraph helpers. Internal to the readers.

#include "core/record.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/Zip/ZipArchive.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::office {

// An office document's XML parts are a few MiB at most; more than this uncompressed is a
// zip bomb or not a document worth indexing.
constexpr std::uint64_t kMaxEntryBytes = 64ull * 1024 * 1024;
// All parts read from one archive together (a book of a thousand chapters, a deck of slides):
// a bomb can also be many entries each under kMaxEntryBytes.
constexpr std::uint64_t kMaxArchiveBytes = 256ull * 1024 * 1024;

namespace ns {
constexpr const char* w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* dc = "http://purl.org/dc/elements/1.1/";
constexpr const char* dcterms = "http://purl.org/dc/terms/";
constexpr const char* text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr const char* meta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
constexpr const char* office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
} // namespace ns

/// Throws kb::Error(InvalidRequest, "unreadable_document") with `reason` as its message.
[[noreturn]] void damaged(const std::string& reason);

/// A parsed archive over an in-memory copy of the file.
class Archive {
public:
    explicit Archive(std::string_view content);
    bool has(const std::string& name) const;
    /// Entry names in the archive's order.
    std::vector<std::string> names() const;
    /// The entry's uncompressed bytes, or nullopt when absent. Throws (damaged) when the entry
    /// inflates past kMaxEntryBytes, or the entries read so far past kMaxArchiveBytes.
    std::optional<std::string> read(const std::string& name);

private:
    std::istringstream stream_;
    std::optional<Poco::Zip::ZipArchive> archive_;
    std::uint64_t inflated_ = 0;
};

/// A SAX handler calling back on element start/end and text, with namespace URIs resolved.
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
    void ignorableWhitespace(const Poco::XML::XMLChar[], int, int) override {}
    void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void endPrefixMapping(const Poco::XML::XMLString&) override {}
    void skippedEntity(const Poco::XML::XMLString&) override {}

private:
    Start start_;
    End end_;
    Text text_;
};

/// The folder of a part, with its slash ("ppt/slides/" for "ppt/slides/slide1.xml").
std::string folder_of(const std::string& part);
/// The part `target` names from a part in `folder`, "." and ".." resolved ("/x" is from the
/// archive's root); ".." never climbs above the root.
std::string resolve_part(const std::string& folder, const std::string& target);

/// Parses `xml` (the part `part`, named in errors) without fetching anything it points to.
void parse_xml(const std::string& xml, const std::string& part, Handler& handler);

/// Collects the text of simple metadata elements (dc:title, dc:creator...) by (uri, name).
struct MetaFields {
    using Name = std::pair<std::string, std::string>; // uri, local name
    std::vector<Name> wanted;
    std::vector<std::string> values;
    void parse(const std::string& xml, const std::string& part);
};

/// Paragraph text as it accumulates: spaces collapsed inside runs, explicit tabs and breaks kept.
std::string finish_paragraph(const std::string& raw);
/// The non-empty paragraphs, separated by "\n\n".
std::string join_paragraphs(const std::vector<std::string>& paragraphs);
/// The first line of `text`, whitespace collapsed.
std::string first_line(const std::string& text);

/// Runs a reader, turning Poco and standard exceptions into kb::Error (damaged).
Record guarded(const std::function<Record()>& read);

/// What DOCX's docProps/core.xml and ODT's meta.xml say about a document.
struct DocumentMeta {
    std::string title, author, created, language, subject, description;
};

/// The metadata part `part` of the archive (nullopt when absent). The title, language, subject
/// and description come from Dublin Core; the creation date is `created`, and the author the
/// first of `authors` that is not empty.
std::optional<DocumentMeta> read_meta(Archive& archive, const std::string& part,
                                      const MetaFields::Name& created,
                                      const std::vector<MetaFields::Name>& authors);

/// The record of an office document: its text, its metadata when it has any, and its first
/// line as the title when it has none.
Record office_record(const std::string& default_id, std::string text,
                     const std::optional<DocumentMeta>& meta);

/// Reads ODF text elements (text:p, text:h with text:span, text:s, text:tab, text:line-break;
/// annotations and tracked changes left out) into paragraphs; the caller forwards SAX events.
class OdfParagraphs {
public:
    void start(const std::string& uri, const std::string& name, const Poco::XML::Attributes&);
    void end(const std::string& uri, const std::string& name);
    void text(const char* s, int n);
    /// The paragraphs finished so far, taken away.
    std::vector<std::string> take() { return std::exchange(paragraphs_, {}); }

private:
    std::vector<std::string> paragraphs_;
    std::vector<std::string> open_; // paragraphs being read; notes nest inside paragraphs
    int skip_ = 0;                  // inside annotations or tracked deletions
};

} // namespace kb::office
