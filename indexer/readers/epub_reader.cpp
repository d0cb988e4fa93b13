#include "indexer/readers/epub_reader.h"

#include "core/error.h"
#include "core/utf8.h"
#include "indexer/readers/charset.h"
#include "indexer/readers/html_depth.h"
#include "indexer/readers/html_tree.h"
#include "indexer/readers/office_xml.h"
#include "indexer/readers/text_cleanup.h"
#include "indexer/readers/title_page.h"

#include <algorithm>
#include <cctype>
#include <gumbo.h>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb {
namespace {

using namespace office;

constexpr const char* kContainerNs = "urn:oasis:names:tc:opendocument:xmlns:container";
constexpr const char* kOpfNs = "http://www.idpf.org/2007/opf";
constexpr const char* kEncryptionNs = "http://www.w3.org/2001/04/xmlenc#";

// An href as the archive names it: no fragment, %XX decoded.
std::string href_path(const std::string& href) {
    const std::string path = href.substr(0, href.find('#'));
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size() &&
            std::isxdigit(static_cast<unsigned char>(path[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(path[i + 2]))) {
            out += static_cast<char>(std::stoi(path.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else
            out += path[i];
    }
    return out;
}

// Calls `on_element(uri, name, attributes)` for every element of `xml`.
void each_element(const std::string& xml, const std::string& part,
                  const Handler::Start& on_element) {
    Handler h(
        on_element, [](const std::string&, const std::string&) {}, [](const char*, int) {});
    parse_xml(xml, part, h);
}

struct ManifestItem {
    std::string path, media_type, properties;
};

// What the package (OPF) says: Dublin Core metadata, the manifest and the spine.
struct Package {
    std::map<std::string, std::vector<std::string>> dc; // local name → values in order
    std::map<std::string, ManifestItem> manifest;       // by id
    std::vector<std::string> spine;                     // item ids in reading order
};

Package read_package(const std::string& xml, const std::string& part) {
    Package package;
    const std::string folder = folder_of(part);
    std::string* text = nullptr;
    Handler h(
        [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& a) {
            text = nullptr;
            if (uri == ns::dc) {
                package.dc[name].emplace_back();
                text = &package.dc[name].back();
            } else if (uri == kOpfNs && name == "item")
                package.manifest[a.getValue("", "id")] = {
                    resolve_part(folder, href_path(a.getValue("", "href"))),
                    a.getValue("", "media-type"), a.getValue("", "properties")};
            else if (uri == kOpfNs && name == "itemref")
                package.spine.push_back(a.getValue("", "idref"));
        },
        [&](const std::string&, const std::string&) { text = nullptr; },
        [&](const char* s, int n) {
            if (text)
                text->append(s, static_cast<std::size_t>(n));
        });
    parse_xml(xml, part, h);
    for (auto& entry : package.dc)
        for (auto& value : entry.second)
            value = collapse_whitespace(value);
    return package;
}

struct GumboDeleter {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

// The elements whose start and end end a paragraph.
constexpr GumboTag kBlocks[] = {
    GUMBO_TAG_P,       GUMBO_TAG_DIV,        GUMBO_TAG_H1,      GUMBO_TAG_H2,
    GUMBO_TAG_H3,      GUMBO_TAG_H4,         GUMBO_TAG_H5,      GUMBO_TAG_H6,
    GUMBO_TAG_LI,      GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE,     GUMBO_TAG_TR,
    GUMBO_TAG_TD,      GUMBO_TAG_TH,         GUMBO_TAG_DT,      GUMBO_TAG_DD,
    GUMBO_TAG_CAPTION, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_SECTION, GUMBO_TAG_ARTICLE,
    GUMBO_TAG_HEADER,  GUMBO_TAG_FOOTER,     GUMBO_TAG_ASIDE,   GUMBO_TAG_NAV,
    GUMBO_TAG_TABLE,   GUMBO_TAG_UL,         GUMBO_TAG_OL,      GUMBO_TAG_DL,
    GUMBO_TAG_HR,      GUMBO_TAG_BODY,       GUMBO_TAG_ADDRESS, GUMBO_TAG_FIGURE};

bool is_block(GumboTag t) {
    return std::find(std::begin(kBlocks), std::end(kBlocks), t) != std::end(kBlocks);
}

// A chapter's text, every block of it: a book has no site chrome, so the HTML reader's
// boilerplate classification (which drops short blocks: dialogue, verse, table cells) does
// not apply. gumbo rather than an XML parser: chapters use HTML entities (&nbsp;) that XML
// without the DTD rejects.
std::string chapter_text(std::string xhtml, const std::string& part) {
    if (!is_valid_utf8(xhtml))
        xhtml = to_utf8(xhtml).text;
    try {
        check_html_shape(xhtml);
    } catch (const Error& e) {
        damaged(part + ": " + e.message());
    }
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 1000;
    std::unique_ptr<GumboOutput, GumboDeleter> output(
        gumbo_parse_with_options(&options, xhtml.data(), xhtml.size()));
    if (!output)
        return {};
    std::vector<std::string> paragraphs;
    std::string current;
    auto flush = [&] {
        if (!current.empty())
            paragraphs.push_back(finish_paragraph(current));
        current.clear();
    };
    html::walk_tree(
        output->root,
        [&](const GumboNode* node) {
            if (html::is_text_node(node)) {
                for (const char* s = node->v.text.text; *s; ++s) {
                    const char c = *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s;
                    if (c != ' ' ||
                        (!current.empty() && current.back() != ' ' && current.back() != '\n'))
                        current += c;
                }
                return false;
            }
            const GumboTag t = html::tag_of(node);
            if (t == GUMBO_TAG_HEAD || t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
                t == GUMBO_TAG_TEMPLATE)
                return false;
            if (t == GUMBO_TAG_BR)
                current += '\n';
            else if (is_block(t))
                flush();
            return true;
        },
        [&](const GumboNode* node) {
            if (is_block(html::tag_of(node)))
                flush();
        });
    flush();
    return join_paragraphs(paragraphs);
}

// The archive paths META-INF/encryption.xml says are encrypted (fonts are often obfuscated
// that way, which is harmless; chapters are DRM).
std::set<std::string> encrypted_parts(Archive& archive) {
    std::set<std::string> out;
    if (const std::optional<std::string> xml = archive.read("META-INF/encryption.xml"))
        each_element(
            *xml, "META-INF/encryption.xml",
            [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& a) {
                if (uri == kEncryptionNs && name == "CipherReference")
                    out.insert(resolve_part("", href_path(a.getValue("", "URI"))));
            });
    return out;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values)
        if (!v.empty())
            out += (out.empty() ? "" : std::string(kAuthorSeparator)) + v;
    return out;
}

} // namespace

Record read_epub(std::string_view content, const std::string& default_id) {
    return guarded([&] {
        Archive archive(content);
        const std::optional<std::string> container = archive.read("META-INF/container.xml");
        if (!container)
            damaged("not an EPUB: no META-INF/container.xml");
        std::string opf_path;
        each_element(
            *container, "META-INF/container.xml",
            [&](const std::string& uri, const std::string& name, const Poco::XML::Attributes& a) {
                if (uri == kContainerNs && name == "rootfile" && opf_path.empty())
                    opf_path = resolve_part("", a.getValue("", "full-path"));
            });
        if (opf_path.empty())
            damaged("not an EPUB: META-INF/container.xml names no package (rootfile)");
        const std::optional<std::string> opf = archive.read(opf_path);
        if (!opf)
            damaged("the package " + opf_path +
                    " that META-INF/container.xml names is missing from the archive");
        const Package package = read_package(*opf, opf_path);

        const std::set<std::string> encrypted = encrypted_parts(archive);
        std::vector<std::string> chapters;
        for (const auto& idref : package.spine) {
            auto it = package.manifest.find(idref);
            if (it == package.manifest.end())
                damaged(opf_path + ": the spine names " + idref + ", which is not in the manifest");
            const ManifestItem& item = it->second;
            // The navigation document repeats the chapter titles; not a chapter.
            if (item.properties.find("nav") != std::string::npos ||
                (item.media_type != "application/xhtml+xml" && item.media_type != "text/html"))
                continue;
            if (encrypted.count(item.path))
                damaged("encrypted EPUB (DRM): " + item.path + " cannot be read");
            std::optional<std::string> xhtml = archive.read(item.path);
            if (!xhtml)
                damaged(item.path + " is in the spine of " + opf_path +
                        " but missing from the archive");
            chapters.push_back(chapter_text(std::move(*xhtml), item.path));
        }
        if (chapters.empty())
            damaged(opf_path + ": no chapters in the spine");

        Record r;
        r.id = default_id;
        for (std::size_t i = 0; i < chapters.size(); ++i)
            r.text += (i > 0 ? "\f" : "") + chapters[i];
        auto first = [&](const char* name) {
            auto it = package.dc.find(name);
            return it == package.dc.end() || it->second.empty() ? std::string()
                                                                : it->second.front();
        };
        r.title = first("title");
        if (r.title.empty())
            r.title = first_line(r.text);
        if (r.title.empty())
            damaged("no text found");
        if (auto it = package.dc.find("creator"); it != package.dc.end()) {
            const std::string authors = joined(it->second);
            if (!authors.empty())
                r.metadata["author"] = authors;
        }
        r.date = normalize_date(first("date"));
        r.language = first("language");
        r.publisher = first("publisher");
        r.metadata["chapters"] = std::to_string(chapters.size());
        return r;
    });
}

} // namespace kb
