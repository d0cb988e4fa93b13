// Where a page's content is: its headline (the heading its <title> names), the elements that
// hold it, chrome named by class or id, and the content region the blocks are judged in.

#include "core/analysis/stopwords.h"
#include "indexer/readers/html_page.h"
#include "indexer/readers/html_tree.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <tuple>

namespace kb::html {
namespace {

// Class and id words of page chrome. Matched as whole words of the attribute ("fr-share",
// "site-header", "cc-banner"), or as prefixes for the ones marked with a trailing '*'
// ("cookieconsent", "tarteaucitronRoot", "skiplinks"). An element that holds the content
// (Evidence::holds_content) is never dropped by its name.
constexpr std::string_view kChromeNames[] = {
    "cookie*",    "consent*",    "tarteaucitron*", "cc",      "gdpr",       "rgpd",
    "axeptio*",   "breadcrumb*", "ariane",         "share",   "sharing",    "sharer",
    "partage",    "partager",    "social",         "sociaux", "skip",       "skiplink*",
    "evitement",  "pagination",  "pager",          "related", "similaires", "aussi",
    "newsletter", "sidebar",     "widget",         "header",  "footer",     "menu",
    "nav",        "navbar",      "navigation",     "entete",  "pied",       "bandeau",
    "topbar",     "toolbar",     "banner",         "colonne", "lateral",    "encart",
    "encarts"};

bool chrome_word(std::string_view word) {
    for (std::string_view name : kChromeNames) {
        if (name.back() == '*') {
            if (word.starts_with(name.substr(0, name.size() - 1)))
                return true;
        } else if (word == name) {
            return true;
        }
    }
    return false;
}

bool has_chrome_word(const char* value) {
    if (!value)
        return false;
    const std::string v = lower(value);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= v.size(); ++i)
        if (i == v.size() || !std::isalnum(static_cast<unsigned char>(v[i]))) {
            if (i > start && chrome_word(std::string_view(v).substr(start, i - start)))
                return true;
            start = i + 1;
        }
    return false;
}

bool is_skipped_for_headings(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
        return true;
    default:
        return false;
    }
}

bool is_main(const GumboNode* node) {
    if (tag_of(node) == GUMBO_TAG_MAIN)
        return true;
    const char* role = attribute(node, "role");
    return role && lower(role) == "main";
}

std::set<std::string> content_words(std::string_view text) {
    std::set<std::string> words;
    const Stopwords& stop = Stopwords::builtin();
    for (std::string& w : folded_words(text))
        if (!stop.contains(w))
            words.insert(std::move(w));
    return words;
}

struct Heading {
    const GumboNode* node;
    int level;
    std::string text;
    bool in_banner;  // in the site's <header>/<footer> or role="banner"/"contentinfo"
    bool in_content; // in <main>, role="main", an <article> or itemprop="articleBody"
};

} // namespace

Evidence find_evidence(const GumboOutput& output, const std::string& title) {
    Evidence e;
    std::vector<Heading> headings;
    std::vector<const GumboNode*> anchors;
    std::size_t sections = 0, banners = 0, contents = 0; // open elements of each kind
    auto is_section = [](GumboTag t) {
        return t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN || t == GUMBO_TAG_SECTION;
    };
    auto is_banner = [&](const GumboNode* node) {
        const GumboTag t = tag_of(node);
        const char* role = attribute(node, "role");
        const std::string r = role ? lower(role) : std::string();
        return ((t == GUMBO_TAG_HEADER || t == GUMBO_TAG_FOOTER) && sections == 0) ||
               r == "banner" || r == "contentinfo";
    };
    auto enter = [&](const GumboNode* node) {
        if (node->type != GUMBO_NODE_ELEMENT)
            return false;
        const GumboTag tag = tag_of(node);
        if (is_skipped_for_headings(tag) || attribute(node, "data-kb-ignore"))
            return false;
        const char* itemprop = attribute(node, "itemprop");
        const bool content = is_main(node) || tag == GUMBO_TAG_ARTICLE ||
                             (itemprop && lower(itemprop) == "articlebody");
        if (content)
            anchors.push_back(node);
        if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) {
            std::string text;
            text_content(node, text);
            if (text.find_first_not_of(" \t\r\n\f") != std::string::npos)
                headings.push_back({node, tag == GUMBO_TAG_H1 ? 1 : 2, std::move(text), banners > 0,
                                    contents > 0});
            return false;
        }
        banners += is_banner(node);
        contents += content;
        sections += is_section(tag);
        return true;
    };
    auto leave = [&](const GumboNode* node) {
        const GumboTag tag = tag_of(node);
        sections -= is_section(tag);
        const char* itemprop = attribute(node, "itemprop");
        contents -= is_main(node) || tag == GUMBO_TAG_ARTICLE ||
                    (itemprop && lower(itemprop) == "articlebody");
        banners -= is_banner(node);
    };
    walk_tree(output.root, enter, leave);

    // The heading sharing the most words with the title (an <h2> only when the title names
    // it: two words at least); then one outside the site's banner, one inside <main> or an
    // <article>, an <h1>, the first.
    const std::set<std::string> title_words = content_words(title);
    auto key = [&](const Heading& h) {
        std::size_t shared = 0;
        for (const std::string& w : content_words(h.text))
            shared += title_words.count(w);
        return std::tuple(shared, !h.in_banner, h.in_content, h.level == 1);
    };
    std::tuple<std::size_t, bool, bool, bool> best{};
    for (const Heading& h : headings) {
        const auto k = key(h);
        if (h.level == 2 && std::get<0>(k) < 2)
            continue;
        if (!e.headline || k > best) {
            best = k;
            e.headline = h.node;
        }
    }
    if (e.headline)
        anchors.push_back(e.headline);
    for (const GumboNode* node : anchors)
        for (; node && e.holds_content.insert(node).second; node = node->parent) {
        }
    return e;
}

bool is_chrome_by_name(const GumboNode* node) {
    return has_chrome_word(attribute(node, "class")) || has_chrome_word(attribute(node, "id"));
}

namespace {

// Text that reads as content: outside links, in blocks that are not headings nor boilerplate
// on their own.
std::size_t prose(const Page& page, const Span& s) {
    std::size_t n = 0;
    for (std::size_t i = s.first; i < s.last && i < page.blocks.size(); ++i) {
        const Block& b = page.blocks[i];
        if (!b.heading && b.context_free != Cls::Bad)
            n += b.chars - b.link_chars;
    }
    return n;
}

// From the headline up, the first element holding at least half of `total`'s prose: the
// headline's own container (its article, its column), not the page around it.
int climb(const Page& page, int from, std::size_t total) {
    for (int s = from; s >= 0; s = page.spans[static_cast<std::size_t>(s)].parent) {
        const std::size_t p = prose(page, page.spans[static_cast<std::size_t>(s)]);
        if (p > 0 && 2 * p >= total)
            return s;
    }
    return -1;
}

bool inside(const Page& page, int span, int ancestor) {
    for (int s = span; s >= 0; s = page.spans[static_cast<std::size_t>(s)].parent)
        if (s == ancestor)
            return true;
    return false;
}

int common_ancestor(const Page& page, int a, int b) {
    for (int s = a; s >= 0; s = page.spans[static_cast<std::size_t>(s)].parent)
        if (inside(page, b, s))
            return s;
    return -1;
}

} // namespace

int content_region(const Page& page) {
    const Span whole{nullptr, 0, page.blocks.size(), -1};
    // The page itself is no region: its chrome (what tags and names did not drop) is in it.
    auto covers_all = [&](int s) {
        const GumboTag tag = tag_of(page.spans[static_cast<std::size_t>(s)].node);
        return tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML;
    };
    if (!page.mains.empty()) {
        int main = page.mains[0];
        for (int m : page.mains)
            if (prose(page, page.spans[static_cast<std::size_t>(m)]) >
                prose(page, page.spans[static_cast<std::size_t>(main)]))
                main = m;
        const std::size_t total = prose(page, page.spans[static_cast<std::size_t>(main)]);
        if (page.headline >= 0 && inside(page, page.headline, main) && total > 0) {
            const int r = climb(page, page.headline, total);
            if (r >= 0)
                return r;
        }
        return main;
    }
    if (page.headline >= 0) {
        const int r = climb(page, page.headline, prose(page, whole));
        if (r >= 0 && !covers_all(r))
            return r;
    }
    if (!page.articles.empty()) {
        int r = page.articles[0];
        for (int a : page.articles)
            r = r >= 0 ? common_ancestor(page, r, a) : r;
        if (r >= 0 && !covers_all(r))
            return r;
    }
    // No structure to go by: the container of the densest block (the most text outside links),
    // as the headline's would be.
    std::size_t densest = page.blocks.size(), most = 0;
    for (std::size_t i = 0; i < page.blocks.size(); ++i) {
        const Block& b = page.blocks[i];
        if (!b.heading && b.context_free != Cls::Bad && b.chars - b.link_chars > most) {
            most = b.chars - b.link_chars;
            densest = i;
        }
    }
    int deepest = -1; // spans are in document order: the last one holding the block is innermost
    for (std::size_t s = 0; s < page.spans.size(); ++s)
        if (page.spans[s].first <= densest && densest < page.spans[s].last)
            deepest = static_cast<int>(s);
    if (deepest >= 0) {
        const int r = climb(page, deepest, prose(page, whole));
        if (r >= 0 && !covers_all(r))
            return r;
    }
    return -1;
}

} // namespace kb::html
