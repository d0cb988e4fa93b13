#include "indexer/readers/office_reader.h"

#include "core/error.h"
#include "indexer/readers/office_xml.h"
#include "indexer/readers/text_cleanup.h"

#include <optional>
#include <string>
#include <vector>

namespace kb {
namespace {

using namespace office;

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
    OdfParagraphs odf;
    Handler h([&](const std::string& uri, const std::string& name,
                  const Poco::XML::Attributes& attrs) { odf.start(uri, name, attrs); },
              [&](const std::string& uri, const std::string& name) { odf.end(uri, name); },
              [&](const char* s, int n) { odf.text(s, n); });
    parse_xml(xml, "content.xml", h);
    return odf.take();
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
        return office_record(default_id, join_paragraphs(paragraphs),
                             read_meta(archive, format.meta_part, format.created, format.authors));
    });
}

std::string mimetype(Archive& archive) {
    const std::optional<std::string> mime = archive.read("mimetype");
    return mime ? collapse_whitespace(*mime) : std::string();
}

} // namespace

ZipKind sniff_zip(std::string_view content) {
    try {
        Archive archive(content);
        if (archive.has("word/document.xml"))
            return ZipKind::Docx;
        if (archive.has("ppt/presentation.xml"))
            return ZipKind::Pptx;
        const std::string mime = mimetype(archive);
        if (mime == "application/vnd.oasis.opendocument.text")
            return ZipKind::Odt;
        if (mime == "application/vnd.oasis.opendocument.presentation")
            return ZipKind::Odp;
        if (mime == "application/epub+zip")
            return ZipKind::Epub;
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

// libwv (Debian libwv-dev) reads .doc from memory, but it is unmaintained C with a record of
// crashes on malformed files and would run inside the indexer; no Debian library reads .ppt.
Record read_word97(std::string_view, const std::string&) {
    damaged("Word 97 .doc: no Debian library reads it; save it as .docx or .odt");
}

Record read_powerpoint97(std::string_view, const std::string&) {
    damaged("PowerPoint 97 .ppt: no Debian library reads it; save it as .pptx or .odp");
}

} // namespace kb
