#include "indexer/readers/html_blocks.h"

#include "core/analysis/apostrophes.h"
#include "core/analysis/stopwords.h"
#include "core/analysis/word_normalizer.h"
#include "indexer/readers/html_tree.h"

#include <cctype>
#include <string_view>
#include <vector>

namespace kb::html {
namespace {

// jusText's defaults (Pomikálek 2011), which hold for French with a French stop list.
constexpr std::size_t kLengthLow = 70;   // below: a "short" block, judged by its neighbours
constexpr std::size_t kLengthHigh = 200; // above, with enough stopwords: certainly content
constexpr double kStopwordsLow = 0.30;
constexpr double kStopwordsHigh = 0.32;
constexpr double kMaxLinkDensity = 0.2;
constexpr std::size_t kMaxHeadingDistance = 200; // chars between a heading and its content

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

// Page chrome by HTML5 semantics: dropped when the page does not mark its body explicitly.
bool is_chrome(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
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
           r == "search" || r == "menu" || r == "menubar";
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

enum class Cls { Bad, Short, NearGood, Good };

struct Block {
    std::string text;
    std::size_t chars = 0;      // code points, spaces excluded
    std::size_t link_chars = 0; // of which inside <a>
    bool heading = false;
    Cls context_free = Cls::Bad;
    Cls cls = Cls::Bad;
};

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
    void flush() {
        if (!current_.text.empty())
            blocks_.push_back(std::move(current_));
        current_ = Block{};
        space_ = false;
    }
    void heading(bool on) { current_.heading = on; }
    std::vector<Block> take() {
        flush();
        return std::move(blocks_);
    }

private:
    Block current_;
    bool space_ = false;
    std::vector<Block> blocks_;
};

// Cuts the tree under one node into blocks. What walk() used to pass down to the children
// (inside a link, inside an article) is kept as counts of the open <a> and <article>/<main>
// elements, so that the walk needs no recursion.
class Walker {
public:
    Walker(bool explicit_body, BlockBuilder& out) : explicit_body_(explicit_body), out_(out) {}

    void walk(const GumboNode* root) {
        walk_tree(
            root, [this](const GumboNode* node) { return enter(node); },
            [this](const GumboNode* node) { leave(node); });
    }

private:
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
        if (!explicit_body_) {
            // An <article>'s own header holds its title and byline, not the site banner.
            const bool own_header =
                articles_ > 0 && (tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER);
            if ((is_chrome(tag) && !own_header) || is_chrome_role(attribute(node, "role")))
                return false;
        }
        if (is_block(tag))
            out_.flush();
        if (is_heading(tag))
            out_.heading(true);
        links_ += tag == GUMBO_TAG_A;
        articles_ += tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN;
        return true;
    }

    // Only for the elements enter() returned true for.
    void leave(const GumboNode* node) {
        const GumboTag tag = tag_of(node);
        links_ -= tag == GUMBO_TAG_A;
        articles_ -= tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN;
        if (is_block(tag))
            out_.flush();
    }

    bool explicit_body_; // inside data-kb-body: keep every block, drop only non-text
    BlockBuilder& out_;
    std::size_t links_ = 0, articles_ = 0;
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

bool is_apostrophe_at(std::string_view w, std::size_t i, std::size_t& len) {
    for (const Apostrophe& a : kWordSplittingApostrophes)
        if (w.substr(i).starts_with(a.utf8))
            return len = a.utf8.size(), true;
    return false;
}

// Fraction of the block's words that are French stopwords; elided articles (l’, d’, qu’)
// count as words of their own, as they would written in full.
double stopword_density(std::string_view text) {
    const Stopwords& stop = Stopwords::builtin();
    std::size_t words = 0, stops = 0;
    auto count = [&](std::string_view part) {
        while (!part.empty() && std::ispunct(static_cast<unsigned char>(part.front())))
            part.remove_prefix(1);
        while (!part.empty() && std::ispunct(static_cast<unsigned char>(part.back())))
            part.remove_suffix(1);
        if (part.empty())
            return;
        const std::string folded = normalize_word(part).folded;
        // « » … – and other lone symbols are not words.
        if (folded.empty() || !std::isalnum(static_cast<unsigned char>(folded.front())))
            return;
        ++words;
        if (stop.contains(folded) || is_elision(folded))
            ++stops;
    };
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        std::size_t len = 0;
        if (i == text.size() || text[i] == ' ') {
            count(text.substr(start, i - start));
            start = i + 1;
        } else if (is_apostrophe_at(text, i, len)) {
            count(text.substr(start, i - start));
            start = i + len;
            i += len - 1;
        }
    }
    return words ? static_cast<double>(stops) / static_cast<double>(words) : 0.0;
}

Cls classify_context_free(const Block& b) {
    const double link_density =
        b.chars ? static_cast<double>(b.link_chars) / static_cast<double>(b.chars) : 0.0;
    if (link_density > kMaxLinkDensity)
        return Cls::Bad;
    const std::string l = lower(b.text);
    if (l.find("\xC2\xA9") != std::string::npos || l.find("copyright") != std::string::npos ||
        l.find("tous droits r") != std::string::npos)
        return Cls::Bad;
    if (b.chars < kLengthLow)
        return b.link_chars ? Cls::Bad : Cls::Short;
    const double sd = stopword_density(b.text);
    if (sd >= kStopwordsHigh)
        return b.chars > kLengthHigh ? Cls::Good : Cls::NearGood;
    if (sd >= kStopwordsLow)
        return Cls::NearGood;
    return Cls::Bad;
}

// The nearest block before (step -1) or after (+1) that is not short (nor near-good when
// asked); the edges of the page count as bad.
Cls neighbour(const std::vector<Block>& blocks, std::size_t i, int step, bool ignore_neargood) {
    for (auto j = static_cast<std::ptrdiff_t>(i) + step;
         j >= 0 && j < static_cast<std::ptrdiff_t>(blocks.size()); j += step) {
        const Cls c = blocks[static_cast<std::size_t>(j)].cls;
        if (c == Cls::Good || c == Cls::Bad)
            return c;
        if (c == Cls::NearGood && !ignore_neargood)
            return c;
    }
    return Cls::Bad;
}

bool good_block_follows(const std::vector<Block>& blocks, std::size_t i) {
    std::size_t distance = 0;
    for (std::size_t j = i + 1; j < blocks.size() && distance <= kMaxHeadingDistance; ++j) {
        if (blocks[j].cls == Cls::Good)
            return true;
        distance += blocks[j].chars;
    }
    return false;
}

void classify(std::vector<Block>& blocks) {
    for (Block& b : blocks)
        b.cls = b.context_free = classify_context_free(b);
    // Short headings right before content are promoted, so they survive the next passes.
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].heading && blocks[i].cls == Cls::Short && good_block_follows(blocks, i))
            blocks[i].cls = Cls::NearGood;
    // Short blocks take the class of their surroundings.
    std::vector<Cls> next(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        next[i] = blocks[i].cls;
        if (blocks[i].cls != Cls::Short)
            continue;
        const Cls p = neighbour(blocks, i, -1, true), n = neighbour(blocks, i, +1, true);
        const bool both_good = p == Cls::Good && n == Cls::Good;
        const bool both_bad = p == Cls::Bad && n == Cls::Bad;
        // Beside a bad block, a short one is good only when a near-good block lies past it.
        const bool near_good =
            !both_bad && ((p == Cls::Bad && neighbour(blocks, i, -1, false) == Cls::NearGood) ||
                          (n == Cls::Bad && neighbour(blocks, i, +1, false) == Cls::NearGood));
        next[i] = both_good || near_good ? Cls::Good : Cls::Bad;
    }
    for (std::size_t i = 0; i < blocks.size(); ++i)
        blocks[i].cls = next[i];
    // Near-good blocks are content unless surrounded by boilerplate.
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        next[i] = blocks[i].cls;
        if (blocks[i].cls != Cls::NearGood)
            continue;
        const Cls p = neighbour(blocks, i, -1, true), n = neighbour(blocks, i, +1, true);
        next[i] = p == Cls::Bad && n == Cls::Bad ? Cls::Bad : Cls::Good;
    }
    for (std::size_t i = 0; i < blocks.size(); ++i)
        blocks[i].cls = next[i];
    // Headings followed by content are kept, unless they were boilerplate on their own.
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].heading && blocks[i].cls == Cls::Bad && blocks[i].context_free != Cls::Bad &&
            good_block_follows(blocks, i))
            blocks[i].cls = Cls::Good;
}

} // namespace

std::string main_text(const GumboOutput& output) {
    std::vector<const GumboNode*> marked;
    find_marked_bodies(output.document, marked);
    BlockBuilder builder;
    if (!marked.empty()) {
        Walker walker(true, builder);
        for (const GumboNode* node : marked)
            walker.walk(node);
    } else {
        Walker walker(false, builder);
        walker.walk(output.root);
    }
    std::vector<Block> blocks = builder.take();
    if (marked.empty())
        classify(blocks);
    else
        for (Block& b : blocks)
            b.cls = Cls::Good;

    std::string text;
    for (const Block& b : blocks) {
        if (b.cls != Cls::Good)
            continue;
        if (!text.empty())
            text += "\n\n";
        text += b.text;
    }
    return text;
}

} // namespace kb::html
