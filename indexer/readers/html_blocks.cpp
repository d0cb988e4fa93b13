#include "indexer/readers/html_blocks.h"

#include "indexer/readers/html_page.h"
#include "indexer/readers/html_tree.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace kb::html {
namespace {

// Never text, whatever the mode.
bool is_never_text(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
        return true;
    default:
        return false;
    }
}

// Page chrome by HTML5 semantics, whatever it holds (<header>, <footer> and <form> are judged
// by Walker::is_dropped).
bool is_chrome(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_MENU:
        return true;
    default:
        return false;
    }
}

bool is_chrome_role(const char* role) {
    if (!role)
        return false;
    const std::string r = lower(role);
    return r == "navigation" || r == "banner" || r == "contentinfo" || r == "complementary" ||
           r == "search" || r == "menu" || r == "menubar" || r == "dialog" || r == "alertdialog";
}

bool is_heading(GumboTag tag) { return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6; }

// Elements that start and end a text block; inline elements (a, span, em...) do not.
bool is_block(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
        return true;
    default:
        return is_heading(tag);
    }
}

// Cuts the walked DOM into text blocks, collapsing whitespace as a browser does.
class BlockBuilder {
public:
    void text(std::string_view s, bool in_link) {
        for (char c : s) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                space_ = !current_.text.empty();
                continue;
            }
            if (space_)
                current_.text.push_back(' ');
            space_ = false;
            current_.text.push_back(c);
            if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                ++current_.chars;
                if (in_link)
                    ++current_.link_chars;
            }
        }
    }
    // `span`: the innermost block-level element open around the block.
    void flush(int span) {
        current_.span = span;
        if (!current_.text.empty())
            blocks_.push_back(std::move(current_));
        current_ = Block{};
        space_ = false;
    }
    void heading(int level, bool headline) {
        current_.heading = level;
        current_.headline = headline;
    }
    void link() { ++current_.links; }
    /// The index the block being built will have; one past the last block when it is empty.
    std::size_t next_index() const { return blocks_.size(); }
    std::size_t end_index() const { return blocks_.size() + !current_.text.empty(); }
    std::vector<Block> take() {
        flush(-1);
        return std::move(blocks_);
    }

private:
    Block current_;
    bool space_ = false;
    std::vector<Block> blocks_;
};

// A link to a file (a PDF, an office document) names a document of the page, as a paragraph
// would; only links to other pages make a block navigation.
bool links_to_document(const GumboNode* a) {
    const char* href = attribute(a, "href");
    if (!href)
        return false;
    std::string h = lower(href);
    h = h.substr(0, h.find_first_of("?#"));
    for (const char* ext : {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt",
                            ".pptx", ".odp", ".zip", ".rtf", ".csv"})
        if (h.ends_with(ext))
            return true;
    return false;
}

// Cuts the tree under one node into blocks, and records each block-level element as the
// range of blocks it holds. What walk() used to pass down to the children (inside a link,
// inside an article) is kept as counts of the open elements, so that the walk needs no
// recursion.
class Walker {
public:
    Walker(bool explicit_body, const Evidence& evidence, Page& page)
        : explicit_body_(explicit_body), evidence_(evidence), page_(page) {}

    void walk(const GumboNode* root) {
        walk_tree(
            root, [this](const GumboNode* node) { return enter(node); },
            [this](const GumboNode* node) { leave(node); });
        page_.blocks = out_.take();
        for (Span& s : page_.spans) {
            s.last = std::min(s.last, page_.blocks.size());
            s.first = std::min(s.first, s.last);
        }
    }

private:
    bool holds_content(const GumboNode* node) const {
        return evidence_.holds_content.count(node) > 0;
    }

    // Page chrome, dropped when the page does not mark its body explicitly. A <header> or
    // <footer> is the site's only outside <article>, <main> and <section> (as ARIA maps them
    // to banner and contentinfo); none of the weaker signs drop an element holding the content.
    bool is_dropped(const GumboNode* node, GumboTag tag) const {
        if (is_chrome(tag))
            return true;
        if (holds_content(node))
            return false;
        if (tag == GUMBO_TAG_FORM)
            return true;
        if ((tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER) && sections_ == 0)
            return true;
        return is_chrome_role(attribute(node, "role")) || is_chrome_by_name(node);
    }

    bool enter(const GumboNode* node) {
        if (is_text_node(node)) {
            out_.text(node->v.text.text, links_ > 0);
            return false;
        }
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
            return false;
        const GumboTag tag = tag_of(node);
        if (is_never_text(tag) || attribute(node, "data-kb-ignore") || attribute(node, "hidden"))
            return false;
        if (!explicit_body_ && is_dropped(node, tag))
            return false;
        if (is_block(tag)) {
            out_.flush(open_.empty() ? -1 : open_.back());
            open_.push_back(static_cast<int>(page_.spans.size()));
            const int parent = open_.size() > 1 ? open_[open_.size() - 2] : -1;
            page_.spans.push_back({node, out_.next_index(), out_.next_index(), parent});
            const int self = open_.back();
            const char* itemprop = attribute(node, "itemprop");
            const char* role = attribute(node, "role");
            if (tag == GUMBO_TAG_MAIN || (role && lower(role) == "main"))
                page_.mains.push_back(self);
            if (tag == GUMBO_TAG_ARTICLE || (itemprop && lower(itemprop) == "articlebody"))
                page_.articles.push_back(self);
            if (node == evidence_.headline)
                page_.headline = self;
        }
        if (is_heading(tag))
            out_.heading(static_cast<int>(tag - GUMBO_TAG_H1) + 1, node == evidence_.headline);
        if (tag == GUMBO_TAG_A && !links_to_document(node)) {
            ++links_;
            out_.link();
        }
        sections_ += is_sectioning(tag);
        return true;
    }

    // Only for the elements enter() returned true for.
    void leave(const GumboNode* node) {
        const GumboTag tag = tag_of(node);
        links_ -= tag == GUMBO_TAG_A && !links_to_document(node);
        sections_ -= is_sectioning(tag);
        if (is_block(tag)) {
            out_.flush(open_.empty() ? -1 : open_.back());
            Span& span = page_.spans[static_cast<std::size_t>(open_.back())];
            span.last = out_.end_index();
            span.end_span = page_.spans.size();
            open_.pop_back();
        }
    }

    static bool is_sectioning(GumboTag tag) {
        return tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_SECTION;
    }

    bool explicit_body_; // inside data-kb-body: keep every block, drop only non-text
    const Evidence& evidence_;
    Page& page_;
    BlockBuilder out_;
    std::vector<int> open_; // spans of the block-level elements open around the walk
    std::size_t links_ = 0, sections_ = 0;
};

void find_marked_bodies(const GumboNode* root, std::vector<const GumboNode*>& found) {
    walk_tree(root, [&](const GumboNode* node) {
        if (attribute(node, "data-kb-ignore"))
            return false;
        if (attribute(node, "data-kb-body")) {
            found.push_back(node);
            return false;
        }
        return true;
    });
}

} // namespace

std::string main_text(const GumboOutput& output, const std::string& title) {
    std::vector<const GumboNode*> marked;
    find_marked_bodies(output.document, marked);
    const Evidence evidence = marked.empty() ? find_evidence(output, title) : Evidence{};
    Page page;
    if (!marked.empty()) {
        // Each marked element is walked on its own; their blocks are all the body.
        std::vector<Block> blocks;
        for (const GumboNode* node : marked) {
            Page part;
            Walker(true, evidence, part).walk(node);
            for (Block& b : part.blocks)
                blocks.push_back(std::move(b));
        }
        for (Block& b : blocks)
            b.cls = Cls::Good;
        page.blocks = std::move(blocks);
    } else {
        Walker(false, evidence, page).walk(output.root);
        classify_page(page);
    }

    std::string text;
    for (const Block& b : page.blocks) {
        if (b.cls != Cls::Good)
            continue;
        if (!text.empty())
            text += "\n\n";
        text += b.text;
    }
    return text;
}

} // namespace kb::html
