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
    "cookie*",  "consent*",   "tarteaucitron*", "cc",          "gdpr",       "rgpd",
    "axeptio*", "orejime*",   "didomi*",        "breadcrumb*", "ariane",     "arbo",
    "share",    "sharing",    "sharer",         "partage",     "partager",   "social",
    "sociaux",  "skip",       "skiplink*",      "evitement",   "pagination", "pager",
    "related",  "similaires", "aussi",          "newsletter",  "sidebar",    "widget",
    "menu",     "nav",        "navbar",         "navigation",  "bandeau",    "topbar",
    "toolbar",  "banner",     "colonne",        "lateral",     "encart",     "encarts"};

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

// A heading that links to the site's home page is its logo ("<h1><a href="/">Ville de
// Brest</a></h1>"), not the page's headline.
bool is_logo(const GumboNode* heading) {
    bool home = false;
    walk_tree(heading, [&](const GumboNode* node) {
        if (tag_of(node) == GUMBO_TAG_A)
            if (const char* href = attribute(node, "href")) {
                std::string h = lower(href);
                if (const std::size_t scheme = h.find("://"); scheme != std::string::npos) {
                    const std::size_t path = h.find('/', scheme + 3);
                    h = path == std::string::npos ? "/" : h.substr(path);
                }
                home = home || h == "/" || h == "./" || h == "index.html" || h == "index.php" ||
                       h == "/index.html" || h == "/index.php";
            }
        return !home;
    });
    return home;
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
        if ((tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2) && !is_logo(node)) {
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

// Paragraphs, not a date or a byline: content of a sentence's length at least.
constexpr std::size_t kMinParagraphChars = 40;
// A <main> without the headline is the content region when it holds a fifth of the page's
// text at least.
constexpr std::size_t kMainShare = 5;
// A block more than half links is a list of links (related pages, a pager).
constexpr double kLinkListDensity = 0.5;

// The region search over one page. Every count over a span's blocks is a difference of
// prefix sums and ancestry is a test on span indexes, so that a page of a million elements
// nested a thousand deep costs no more than its walk.
class RegionFinder {
public:
    explicit RegionFinder(const Page& page) : page_(page) {
        const std::size_t n = page.blocks.size();
        content_.assign(n + 1, 0);
        substantial_.assign(n + 1, 0);
        paragraphs_.assign(n + 1, 0);
        prose_.assign(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const Block& b = page.blocks[i];
            const std::size_t text = b.chars - b.link_chars;
            content_[i + 1] = content_[i] + is_content(b);
            substantial_[i + 1] = substantial_[i] + is_substantial(b);
            paragraphs_[i + 1] = paragraphs_[i] + (is_content(b) && text >= kMinParagraphChars);
            prose_[i + 1] = prose_[i] + (is_content(b) ? text : 0);
        }
        // The next (previous) block that is a heading or content, for continues().
        next_marker_.assign(n + 1, n);
        for (std::size_t i = n; i-- > 0;)
            next_marker_[i] = is_marker(page.blocks[i]) ? i : next_marker_[i + 1];
        prev_marker_.assign(n + 1, n);
        for (std::size_t i = 0; i < n; ++i)
            prev_marker_[i + 1] = is_marker(page.blocks[i]) ? i : prev_marker_[i];
    }

    int region() const {
        if (!page_.mains.empty()) {
            int main = page_.mains[0];
            for (int m : page_.mains)
                if (sum(prose_, m) > sum(prose_, main))
                    main = m;
            if (page_.headline >= 0 && inside(page_.headline, main))
                return narrowed(container(page_.headline, main, substantial_));
            // A <main> holding a breadcrumb while the article sits beside it is no evidence.
            if (kMainShare * sum(prose_, main) >= prose_.back())
                return main;
        }
        if (page_.headline >= 0) {
            // The headline's own box (an article's header), else the text that follows it.
            int r = container(page_.headline, -1, substantial_);
            if (r >= 0)
                return narrowed(r);
            const std::size_t after = span(page_.headline).last;
            for (std::size_t i = after; i < page_.blocks.size(); ++i)
                if (is_content(page_.blocks[i])) {
                    const int s = span_of_block(i);
                    return s >= 0 ? container(s, -1, content_) : -1;
                }
        }
        if (!page_.articles.empty()) {
            int r = page_.articles[0];
            for (int a : page_.articles)
                while (r >= 0 && !inside(a, r))
                    r = span(r).parent;
            if (r >= 0 && !is_page(r))
                return r;
        }
        // No structure to go by: the container of the densest block (the most text outside
        // links). Not beside a headline, whose text a long footer would outweigh: jusText then.
        if (page_.headline >= 0)
            return -1;
        std::size_t densest = page_.blocks.size(), most = 0;
        for (std::size_t i = 0; i < page_.blocks.size(); ++i) {
            const Block& b = page_.blocks[i];
            if (is_content(b) && b.chars - b.link_chars > most) {
                most = b.chars - b.link_chars;
                densest = i;
            }
        }
        const int s = densest < page_.blocks.size() ? span_of_block(densest) : -1;
        return s >= 0 ? container(s, -1, content_) : -1;
    }

private:
    static bool is_marker(const Block& b) { return b.heading || is_content(b); }

    const Span& span(int s) const { return page_.spans[static_cast<std::size_t>(s)]; }

    std::size_t sum(const std::vector<std::size_t>& prefix, int s) const {
        return prefix[span(s).last] - prefix[span(s).first];
    }

    bool is_page(int s) const {
        const GumboTag tag = tag_of(span(s).node);
        return tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML;
    }

    // Spans are numbered in document order, each one's descendants right after it.
    bool inside(int s, int ancestor) const {
        return ancestor <= s && static_cast<std::size_t>(s) < span(ancestor).end_span;
    }

    // The innermost span holding block `b`.
    int span_of_block(std::size_t b) const { return page_.blocks[b].span; }

    bool own_heading(std::size_t b, int parent) const {
        const int s = page_.blocks[b].span;
        return s >= 0 && span(s).parent == parent;
    }

    // s is a <section> or an <article>, and another child of its parent with its tag holds
    // content (the sections of a report).
    bool has_twin(int s) const {
        const GumboTag tag = tag_of(span(s).node);
        if (tag != GUMBO_TAG_SECTION && tag != GUMBO_TAG_ARTICLE)
            return false;
        for (std::size_t t = 0; t < page_.spans.size(); ++t)
            if (static_cast<int>(t) != s && page_.spans[t].parent == span(s).parent &&
                tag_of(page_.spans[t].node) == tag && sum(content_, static_cast<int>(t)) > 0)
                return true;
        return false;
    }

    // Whether `parent` continues `child`'s text: the first of its other blocks after the
    // child (else the nearest before it) that is content or a heading is content or the
    // headline (the body of an article whose headline and lead sit in a box of their own).
    // A column beside it starts with its own heading ("Agenda", "Le saviez-vous ?"), or holds
    // links only.
    bool continues(int child, int parent) const {
        const Span &c = span(child), &p = span(parent);
        if (sum(content_, parent) == sum(content_, child))
            return true; // it adds a heading or links at most (a section around its text)
        // A heading of the parent's own (a sub-heading of the article, not a column's title)
        // is passed over.
        std::size_t next = next_marker_[c.last];
        while (next < p.last && page_.blocks[next].heading && own_heading(next, parent))
            next = next_marker_[next + 1];
        if (next < p.last)
            return !page_.blocks[next].heading;
        const std::size_t prev = prev_marker_[c.first];
        if (prev < page_.blocks.size() && prev >= p.first) {
            const Block& b = page_.blocks[prev];
            return b.headline || !b.heading;
        }
        return false;
    }

    // The container of the text at span `from`: its first ancestor holding a block counted
    // by `test`, grown while it holds one paragraph at most and its parent continues its
    // text; never the page itself, never above `limit` (the <main>, which is returned when
    // nothing smaller holds the text). -1 when the text has no container but the page.
    int container(int from, int limit, const std::vector<std::size_t>& test) const {
        int s = from;
        while (s >= 0 && s != limit && !is_page(s) && sum(test, s) == 0)
            s = span(s).parent;
        if (s < 0 || is_page(s))
            return limit;
        // A box holding the headline and its lead (one paragraph at most) is grown into the
        // text that continues it; one that already holds the article's paragraphs is the
        // article.
        while (s != limit && sum(paragraphs_, s) <= 1) {
            const int parent = span(s).parent;
            if (parent < 0 || is_page(parent) || !continues(s, parent))
                break;
            s = parent;
        }
        // One paragraph, or one of several <section>s, among the page's own children is no
        // container: its siblings are judged by jusText.
        const int parent = span(s).parent;
        if (s != limit && (parent < 0 || is_page(parent)) &&
            (span(s).last - span(s).first <= 1 || has_twin(s)))
            return limit;
        return s;
    }

    // The headline's container `c` may hold, beside the article's text, a column of related
    // links and fact boxes ("Sur le même thème"): then the region is the container of the
    // text that follows the headline, when it holds most of c's text (not one teaser of a
    // list page).
    int narrowed(int c) const {
        if (c < 0)
            return c;
        const Span& outer = span(c);
        std::size_t first = span(page_.headline).last;
        while (first < outer.last && !is_content(page_.blocks[first]))
            ++first;
        if (first >= outer.last)
            return c;
        const int from = span_of_block(first);
        if (from < 0 || !inside(from, c))
            return c;
        const int t = container(from, c, content_);
        if (t == c || 2 * sum(prose_, t) < sum(prose_, c))
            return c;
        const Span& inner = span(t);
        for (std::size_t i = outer.first; i < outer.last; ++i) {
            const Block& b = page_.blocks[i];
            if ((i < inner.first || i >= inner.last) && !b.heading &&
                b.link_density() > kLinkListDensity)
                return t;
        }
        return c;
    }

    const Page& page_;
    std::vector<std::size_t> content_, substantial_, paragraphs_, prose_; // prefix sums
    std::vector<std::size_t> next_marker_, prev_marker_;
};

} // namespace

int content_region(const Page& page) { return RegionFinder(page).region(); }

} // namespace kb::html
