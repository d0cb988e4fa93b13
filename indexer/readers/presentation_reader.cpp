// Presentations: PowerPoint (.pptx) and OpenDocument (.odp), one page ("\f") per slide.

#include "core/error.h"
#include "indexer/readers/office_reader.h"
#include "indexer/readers/office_xml.h"
#include "indexer/readers/text_cleanup.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb {
namespace {

using namespace office;

constexpr const char* kPresentationNs =
    "http://schemas.openxmlformats.org/presentationml/2006/main";
constexpr const char* kDrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/main";
constexpr const char* kRelationshipNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kOdfDrawNs = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";

struct Relationship {
    std::string type, target; // target resolved to a part name
};

// The relationships of an OOXML part (its _rels/NAME.rels), by id; empty when it has none.
std::map<std::string, Relationship> relationships(Archive& archive, const std::string& part) {
    const std::string folder = folder_of(part);
    const std::string rels_part = folder + "_rels/" + part.substr(folder.size()) + ".rels";
    std::map<std::string, Relationship> out;
    const std::optional<std::string> xml = archive.read(rels_part);
    if (!xml)
        return out;
    Handler h(
        [&](const std::string&, const std::string& name, const Poco::XML::Attributes& a) {
            if (name == "Relationship" && a.getValue("", "TargetMode") != "External")
                out[a.getValue("", "Id")] = {a.getValue("", "Type"),
                                             resolve_part(folder, a.getValue("", "Target"))};
        },
        [](const std::string&, const std::string&) {}, [](const char*, int) {});
    parse_xml(*xml, rels_part, h);
    return out;
}

// The slide parts in presentation order: ppt/presentation.xml's p:sldIdLst through its
// relationships, else the ppt/slides/slideN.xml entries by N.
std::vector<std::string> pptx_slides(Archive& archive) {
    std::vector<std::string> slides;
    if (const std::optional<std::string> xml = archive.read("ppt/presentation.xml")) {
        const auto rels = relationships(archive, "ppt/presentation.xml");
        std::vector<std::string> ids;
        Handler h(
            [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& a) {
                if (uri == kPresentationNs && name == "sldId")
                    ids.push_back(a.getValue(kRelationshipNs, "id"));
            },
            [](const std::string&, const std::string&) {}, [](const char*, int) {});
        parse_xml(*xml, "ppt/presentation.xml", h);
        for (const auto& id : ids) {
            auto it = rels.find(id);
            if (it != rels.end())
                slides.push_back(it->second.target);
        }
    }
    if (!slides.empty())
        return slides;
    std::vector<std::pair<unsigned long, std::string>> numbered;
    const std::string prefix = "ppt/slides/slide";
    for (const auto& name : archive.names()) {
        if (name.rfind(prefix, 0) != 0 || name.size() <= prefix.size() + 4 ||
            name.compare(name.size() - 4, 4, ".xml") != 0)
            continue;
        const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 4);
        if (digits.size() < 10 && std::all_of(digits.begin(), digits.end(),
                                              [](unsigned char c) { return std::isdigit(c) != 0; }))
            numbered.emplace_back(std::stoul(digits), name);
    }
    std::sort(numbered.begin(), numbered.end());
    for (const auto& n : numbered)
        slides.push_back(n.second);
    return slides;
}

// The paragraphs of a slide or notes part: a:p of a:t runs, a:br as a line break. Fields
// (a:fld: slide numbers, dates) are left out.
std::vector<std::string> drawing_paragraphs(const std::string& xml, const std::string& part) {
    std::vector<std::string> paragraphs;
    std::string current;
    int in_text = 0, in_field = 0;
    Handler h(
        [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes&) {
            if (uri != kDrawingNs)
                return;
            if (name == "t")
                ++in_text;
            else if (name == "fld")
                ++in_field;
            else if (name == "br")
                current += '\n';
        },
        [&](const std::string& uri, const std::string& name) {
            if (uri != kDrawingNs)
                return;
            if (name == "t")
                --in_text;
            else if (name == "fld")
                --in_field;
            else if (name == "p") {
                paragraphs.push_back(finish_paragraph(current));
                current.clear();
            }
        },
        [&](const char* s, int n) {
            if (in_text > 0 && in_field == 0)
                current.append(s, static_cast<std::size_t>(n));
        });
    parse_xml(xml, part, h);
    return paragraphs;
}

// The record of a presentation: slides joined by "\f", each an already joined text.
Record presentation_record(const std::string& default_id, const std::vector<std::string>& slides,
                           const std::optional<DocumentMeta>& meta) {
    std::string text;
    for (std::size_t i = 0; i < slides.size(); ++i)
        text += (i > 0 ? "\f" : "") + slides[i];
    Record r = office_record(default_id, std::move(text), meta);
    if (r.title.empty() && r.text.find_first_not_of(" \t\r\n\f") == std::string::npos)
        damaged("no text found");
    r.metadata["slides"] = std::to_string(slides.size());
    return r;
}

} // namespace

Record read_pptx(std::string_view content, const std::string& default_id) {
    return guarded([&] {
        Archive archive(content);
        const std::vector<std::string> parts = pptx_slides(archive);
        if (parts.empty())
            damaged("not a PowerPoint presentation: no slides (ppt/slides/slideN.xml)");
        std::vector<std::string> slides;
        for (const auto& part : parts) {
            const std::optional<std::string> xml = archive.read(part);
            if (!xml)
                damaged(part + " is listed in ppt/presentation.xml but missing from the archive");
            std::vector<std::string> paragraphs = drawing_paragraphs(*xml, part);
            // Speaker notes are often where the talk's words are; they stay on their slide.
            for (const auto& entry : relationships(archive, part)) {
                const Relationship& rel = entry.second;
                if (rel.type.size() >= 11 &&
                    rel.type.compare(rel.type.size() - 11, 11, "/notesSlide") == 0)
                    if (const std::optional<std::string> notes = archive.read(rel.target)) {
                        const auto more = drawing_paragraphs(*notes, rel.target);
                        paragraphs.insert(paragraphs.end(), more.begin(), more.end());
                    }
            }
            slides.push_back(join_paragraphs(paragraphs));
        }
        return presentation_record(default_id, slides,
                                   read_meta(archive, "docProps/core.xml", {ns::dcterms, "created"},
                                             {{ns::dc, "creator"}}));
    });
}

Record read_odp(std::string_view content, const std::string& default_id) {
    return guarded([&] {
        Archive archive(content);
        const std::optional<std::string> xml = archive.read("content.xml");
        if (!xml)
            damaged("not an OpenDocument presentation: no content.xml");
        std::vector<std::string> slides;
        OdfParagraphs odf;
        Handler h(
            [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& a) {
                if (uri == kOdfDrawNs && name == "page")
                    odf.take(); // text outside the slides is not theirs
                odf.start(uri, name, a);
            },
            [&](const std::string& uri, const std::string& name) {
                odf.end(uri, name);
                if (uri == kOdfDrawNs && name == "page")
                    slides.push_back(join_paragraphs(odf.take()));
            },
            [&](const char* s, int n) { odf.text(s, n); });
        parse_xml(*xml, "content.xml", h);
        if (slides.empty())
            damaged("not an OpenDocument presentation: no slides (draw:page) in content.xml");
        return presentation_record(default_id, slides,
                                   read_meta(archive, "meta.xml", {ns::meta, "creation-date"},
                                             {{ns::meta, "initial-creator"}, {ns::dc, "creator"}}));
    });
}

} // namespace kb
