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
    "cookie*",    "consent*",   "tarteaucitron*", "cc",      "gdpr",       "rgpd",    "axeptio*",
    "orejime*",   "didomi*",    "breadcrumb*",    "ariane",  "arbo",       "share",   "sharing",
    "sharer",     "partage",    "partager",       "social",  "sociaux",    "skip",    "skiplink*",
    "evitement",  "pagination", "pager",          "related", "similaires", "aussi",   "newsletter",
    "sidebar",    "widget",     "header",         "footer",  "menu",       "nav",     "navbar",
    "navigation", "entete",     "pied",           "bandeau", "topbar",     "toolbar", "banner",
    "colonne",    "lateral",    "encart",         "encarts"};

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

bool is_content(const Block& b) { return !b.heading && b.loose != Cls::Bad; }
// A paragraph of prose, not a date or a caption line.
bool is_substantial(const Block& b) {
    return !b.heading && (b.loose == Cls::NearGood || b.loose == Cls::Good);
}

const Span& span_at(const Page& page, int s) { return page.spans[static_cast<std::size_t>(s)]; }

bool is_page(const Page& page, int s) {
    const GumboTag tag = tag_of(span_at(page, s).node);
    return tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML;
}

bool holds(const Page& page, int s, bool (*test)(const Block&)) {
    const Span& span = span_at(page, s);
    for (std::size_t i = span.first; i < span.last; ++i)
        if (test(page.blocks[i]))
            return true;
    return false;
}

// Paragraphs, not a date or a byline: content of a sentence's length at least.
constexpr std::size_t kMinParagraphChars = 40;

std::size_t paragraphs(const Page& page, int s) {
    std::size_t n = 0;
    const Span& span = span_at(page, s);
    for (std::size_t i = span.first; i < span.last; ++i) {
        const Block& b = page.blocks[i];
        n += is_content(b) && b.chars - b.link_chars >= kMinParagraphChars;
    }
    return n;
}

// Whether `parent` continues `child`'s text: the first of its other blocks after the child
// (else the nearest before it) that is content or a heading is content or the headline (the
// body of an article whose headline and lead sit in a box of their own). A column beside it
// starts with its own heading ("Agenda", "Le saviez-vous ?"), or holds links only.
bool continues(const Page& page, int child, int parent) {
    const Span &c = span_at(page, child), &p = span_at(page, parent);
    for (std::size_t i = c.last; i < p.last; ++i) {
        const Block& b = page.blocks[i];
        if (b.heading)
            return false;
        if (is_content(b))
            return true;
    }
    for (std::size_t i = c.first; i > p.first; --i) {
        const Block& b = page.blocks[i - 1];
        if (b.headline)
            return true;
        if (b.heading)
            return false;
        if (is_content(b))
            return true;
    }
    return false;
}

// The container of the text at span `from`: its first ancestor holding a block that passes
// `test`, grown while it holds one paragraph at most and its parent continues its text; never the
// page itself, never above `limit` (the <main>, which is returned when nothing smaller holds the
// text). -1 when the text has no container but the page.
int container(const Page& page, int from, int limit, bool (*test)(const Block&)) {
    int s = from;
    while (s >= 0 && s != limit && !is_page(page, s) && !holds(page, s, test))
        s = span_at(page, s).parent;
    if (s < 0 || is_page(page, s))
        return limit;
    // A box holding the headline and its lead (one paragraph at most) is grown into the text
    // that continues it; one that already holds the article's paragraphs is the article.
    while (s != limit && paragraphs(page, s) <= 1) {
        const int parent = span_at(page, s).parent;
        if (parent < 0 || is_page(page, parent) || !continues(page, s, parent))
            break;
        s = parent;
    }
    return s;
}

bool inside(const Page& page, int span, int ancestor) {
    for (int s = span; s >= 0; s = span_at(page, s).parent)
        if (s == ancestor)
            return true;
    return false;
}

int common_ancestor(const Page& page, int a, int b) {
    for (int s = a; s >= 0; s = span_at(page, s).parent)
        if (inside(page, b, s))
            return s;
    return -1;
}

std::size_t prose(const Page& page, int s) {
    std::size_t n = 0;
    const Span& span = span_at(page, s);
    for (std::size_t i = span.first; i < span.last; ++i)
        if (is_content(page.blocks[i]))
            n += page.blocks[i].chars - page.blocks[i].link_chars;
    return n;
}

// The innermost span holding block `b`: spans are in document order, so the last one.
int span_of_block(const Page& page, std::size_t b) {
    int deepest = -1;
    for (std::size_t s = 0; s < page.spans.size(); ++s)
        if (page.spans[s].first <= b && b < page.spans[s].last)
            deepest = static_cast<int>(s);
    return deepest;
}

} // namespace

int content_region(const Page& page) {
    if (!page.mains.empty()) {
        int main = page.mains[0];
        for (int m : page.mains)
            if (prose(page, m) > prose(page, main))
                main = m;
        if (page.headline >= 0 && inside(page, page.headline, main))
            return container(page, page.headline, main, is_substantial);
        return main;
    }
    if (page.headline >= 0) {
        // The headline's own box (an article's header), else the text that follows it.
        int r = container(page, page.headline, -1, is_substantial);
        if (r >= 0)
            return r;
        for (std::size_t i = span_at(page, page.headline).last; i < page.blocks.size(); ++i)
            if (is_content(page.blocks[i])) {
                const int s = span_of_block(page, i);
                if (s >= 0 && (r = container(page, s, -1, is_content)) >= 0)
                    return r;
                break;
            }
    }
    if (!page.articles.empty()) {
        int r = page.articles[0];
        for (int a : page.articles)
            r = r >= 0 ? common_ancestor(page, r, a) : r;
        if (r >= 0 && !is_page(page, r))
            return r;
    }
    // No structure to go by: the container of the densest block (the most text outside
    // links). Not beside a headline, whose text a long footer would outweigh: jusText then.
    if (page.headline >= 0)
        return -1;
    std::size_t densest = page.blocks.size(), most = 0;
    for (std::size_t i = 0; i < page.blocks.size(); ++i) {
        const Block& b = page.blocks[i];
        if (is_content(b) && b.chars - b.link_chars > most) {
            most = b.chars - b.link_chars;
            densest = i;
        }
    }
    const int s = densest < page.blocks.size() ? span_of_block(page, densest) : -1;
    return s >= 0 ? container(page, s, -1, is_content) : -1;
}

} // namespace kb::html
