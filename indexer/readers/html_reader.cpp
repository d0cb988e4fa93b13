#include "indexer/readers/html_reader.h"

#include "indexer/readers/charset.h"
#include "indexer/readers/html_blocks.h"
#include "indexer/readers/html_depth.h"
#include "indexer/readers/html_tree.h"
#include "indexer/readers/text_cleanup.h"

#include <algorithm>
#include <cctype>
#include <gumbo.h>
#include <map>
#include <memory>

namespace kb {
namespace {

using html::attribute;
using html::lower;
using html::tag_of;
using html::text_content;
using html::walk_tree;

// <meta charset> or http-equiv Content-Type in the first bytes, to decode non-UTF-8 pages.
std::string declared_charset(std::string_view content) {
    const std::string head = lower(content.substr(0, 4096));
    std::size_t at = head.find("charset=");
    if (at == std::string::npos)
        return {};
    at += 8;
    while (at < head.size() && (head[at] == '"' || head[at] == '\'' || head[at] == ' '))
        ++at;
    std::size_t end = at;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) ||
                                 head[end] == '-' || head[end] == '_'))
        ++end;
    return head.substr(at, end - at);
}

struct Head {
    std::string title, h1, lang, canonical;
    std::map<std::string, std::string> meta; // lower-cased name/property → first content
};

// The text of a <title> or <h1>, unless an outer one (`empty`) came out empty; remembers the
// node as `empty` when its own text is.
void read_heading(const GumboNode* node, const GumboNode*& empty, std::string& out) {
    if (empty)
        return;
    std::string t;
    text_content(node, t);
    out = collapse_whitespace(t);
    if (out.empty())
        empty = node;
}

void scan_head(const GumboNode* root, Head& head) {
    // The outermost <title> and <h1> whose text came out empty: the ones nested in them would
    // come out empty too, and reading them again would make nested headings quadratic.
    const GumboNode* empty_title = nullptr;
    const GumboNode* empty_h1 = nullptr;
    auto enter = [&](const GumboNode* node) {
        const GumboTag tag = tag_of(node);
        if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE)
            return false;
        if (tag == GUMBO_TAG_HTML && head.lang.empty())
            if (const char* lang = attribute(node, "lang"))
                head.lang = lang;
        if (tag == GUMBO_TAG_TITLE && head.title.empty()) {
            read_heading(node, empty_title, head.title);
        } else if (tag == GUMBO_TAG_H1 && head.h1.empty() && !attribute(node, "data-kb-ignore")) {
            read_heading(node, empty_h1, head.h1);
        } else if (tag == GUMBO_TAG_META) {
            const char* key = attribute(node, "name");
            if (!key)
                key = attribute(node, "property");
            if (!key)
                key = attribute(node, "http-equiv");
            if (!key)
                key = attribute(node, "itemprop");
            const char* content = attribute(node, "content");
            if (key && content) {
                std::string value = collapse_whitespace(content);
                if (!value.empty())
                    head.meta.emplace(lower(collapse_whitespace(key)), value);
            }
        } else if (tag == GUMBO_TAG_LINK && head.canonical.empty()) {
            const char* rel = attribute(node, "rel");
            const char* href = attribute(node, "href");
            if (rel && href && lower(rel) == "canonical")
                head.canonical = href;
        }
        return true;
    };
    auto leave = [&](const GumboNode* node) {
        if (node == empty_title)
            empty_title = nullptr;
        if (node == empty_h1)
            empty_h1 = nullptr;
    };
    walk_tree(root, enter, leave);
}

std::string first_of(const Head& head, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        auto it = head.meta.find(k);
        if (it != head.meta.end())
            return it->second;
    }
    return {};
}

struct GumboDeleter {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

} // namespace

Record parse_html(std::string_view content, const std::string& default_id) {
    Record r;
    r.id = default_id;
    const DecodedText decoded = to_utf8(content, declared_charset(content));
    if (decoded.encoding != "UTF-8")
        r.metadata["encoding"] = decoded.encoding;
    // Before gumbo, whose tree construction is quadratic in the nesting depth.
    check_html_shape(decoded.text);

    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 1000; // parse errors are only recorded; keep their memory bounded
    std::unique_ptr<GumboOutput, GumboDeleter> output(
        gumbo_parse_with_options(&options, decoded.text.data(), decoded.text.size()));
    if (!output)
        return r;

    Head head;
    scan_head(output->document, head);
    r.title = head.title;
    if (r.title.empty())
        r.title = first_of(head, {"og:title", "dc.title", "dcterms.title"});
    if (r.title.empty())
        r.title = head.h1;

    for (const char* key :
         {"article:published_time", "dcterms.issued", "dcterms.created", "dc.date.issued",
          "dc.date.created", "dc.date", "dcterms.date", "date", "datepublished", "pubdate",
          "article:modified_time", "dcterms.modified"}) {
        auto it = head.meta.find(key);
        if (it != head.meta.end() && !(r.date = normalize_date(it->second)).empty())
            break;
    }
    r.publisher = first_of(head, {"dc.publisher", "dcterms.publisher"});
    r.language = head.lang.empty()
                     ? first_of(head, {"dc.language", "dcterms.language", "content-language"})
                     : collapse_whitespace(head.lang);
    std::replace(r.language.begin(), r.language.end(), '_', '-');
    r.url = first_of(head, {"og:url"});
    if (r.url.empty())
        r.url = head.canonical;
    auto put = [&](const char* field, std::initializer_list<const char*> keys) {
        std::string v = first_of(head, keys);
        if (!v.empty())
            r.metadata[field] = std::move(v);
    };
    put("description", {"description", "dc.description", "dcterms.description", "dcterms.abstract",
                        "og:description"});
    put("author", {"author", "dc.creator", "dcterms.creator"});
    put("site", {"og:site_name"});
    put("keywords", {"keywords"});
    put("subject", {"dc.subject", "dcterms.subject"});

    r.text = html::main_text(*output, r.title);
    return r;
}

} // namespace kb
