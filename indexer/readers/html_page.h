#pragma once

// What the HTML reader's body extraction works on (html_blocks, html_region, html_classify):
// a page cut into text blocks in document order, the block-level elements as ranges of those
// blocks, and the structural evidence of where the content is.

#include <gumbo.h>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kb::html {

enum class Cls { Bad, Short, NearGood, Good };

struct Block {
    std::string text;
    std::size_t chars = 0;      // code points, spaces excluded
    std::size_t link_chars = 0; // of which inside a navigation link (<a> to a page, not a file)
    std::size_t links = 0;      // navigation links that start in the block
    int heading = 0;            // 1 to 6 for the text of <h1>…<h6>, else 0
    int span = -1;              // the innermost block-level element holding it
    bool headline = false;      // inside the page's headline (see find_evidence)
    Cls context_free = Cls::Bad;
    Cls loose = Cls::Bad; // the same, tolerating links in running text: for finding regions
    Cls cls = Cls::Bad;

    double link_density() const {
        return chars ? static_cast<double>(link_chars) / static_cast<double>(chars) : 0.0;
    }
};

/// A block-level element as the blocks it holds: [first, last) in document order.
struct Span {
    const GumboNode* node = nullptr;
    std::size_t first = 0, last = 0;
    int parent = -1;          // index of the enclosing span, -1 for the outermost
    std::size_t end_span = 0; // one past the index of its last descendant span
};

/// Where the page says its content is, read from the tree before it is cut into blocks.
struct Evidence {
    /// The heading that best matches the page's <title> (an <h1>, or an <h2> the title names),
    /// else the first <h1>; nullptr when the page has none.
    const GumboNode* headline = nullptr;
    /// Elements holding <main>, role="main", an <article> or the headline: never dropped as
    /// chrome for their class, role, or for being a <form>, <header> or <footer> (a page
    /// wrapped in one ASP.NET <form>, a headline in a <header>). <nav> and <aside> always are.
    std::unordered_set<const GumboNode*> holds_content;
};

/// The page cut into blocks, with its block-level elements.
struct Page {
    std::vector<Block> blocks;
    std::vector<Span> spans;
    std::vector<int> mains;    // spans of <main> and role="main"
    std::vector<int> articles; // spans of <article> and itemprop="articleBody"
    int headline = -1;         // span of the headline
};

/// The headline and the elements that hold content (see Evidence).
Evidence find_evidence(const GumboOutput& output, const std::string& title);

/// True for an element that is page chrome by its class or id (cookie banners, breadcrumbs,
/// share bars, skip links, menus, headers and footers of the site, sidebars and widgets).
bool is_chrome_by_name(const GumboNode* node);

/// The span the page's content is in, -1 when the structure does not say. A container is
/// an element's first ancestor holding a paragraph of prose, grown while it holds one at most
/// (a headline and its lead) and its parent continues its text (the parent's other first block is
/// content, not a heading); never <body>. The region is the headline's container within the <main>
/// (the <main> itself when the headline is elsewhere and it holds a fifth of the page's text);
/// otherwise the headline's container,
/// else the container of the text that follows the headline, else the common ancestor of the
/// <article>s, else the container of the densest block.
int content_region(const Page& page);

/// Marks the blocks of the page's content Good and the others Bad: inside the content region
/// (main, the headline's container, the article) every block but pure link lists and
/// copyright lines; without a region, jusText-style classification over the whole page. Never
/// leaves a page with text without a body: the densest block is the last resort.
void classify_page(Page& page);

/// The words of `text`, folded (normalize_word), elided articles (l’, d’) as words of their
/// own, lone symbols (« » –) left out.
std::vector<std::string> folded_words(std::string_view text);

/// jusText's class of a block on its own: length, link density (at most `max_link_density`),
/// stopword density.
Cls classify_context_free(const Block& b, double max_link_density);

} // namespace kb::html
