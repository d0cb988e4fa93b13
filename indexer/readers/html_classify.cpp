// Which blocks of a page are its body: every block of the content region but link lists and
// copyright lines; without a region, jusText (Pomikálek 2011) with French stopwords; never
// nothing when the page has text.

#include "core/analysis/apostrophes.h"
#include "core/analysis/stopwords.h"
#include "core/analysis/word_normalizer.h"
#include "indexer/readers/html_page.h"
#include "indexer/readers/html_tree.h"

#include <cctype>
#include <string_view>

namespace kb::html {
namespace {

// jusText's defaults, which hold for French with a French stop list.
constexpr std::size_t kLengthLow = 70;   // below: a "short" block, judged by its neighbours
constexpr std::size_t kLengthHigh = 200; // above, with enough stopwords: certainly content
constexpr double kStopwordsLow = 0.30;
constexpr double kStopwordsHigh = 0.32;
constexpr double kMaxLinkDensity = 0.2;
// Where the content is, a paragraph may be half links (a resource page naming its sources).
constexpr double kMaxLooseLinkDensity = 0.5;
constexpr std::size_t kMaxHeadingDistance = 200; // chars between a heading and its content
// Inside the content region a block is dropped only as a list of links: a sentence with a
// link in it ("voir le programme") is content there.
constexpr double kMaxRegionLinkDensity = 0.8;
// The labels of the page's tools, which open a short block of links or a counter.
constexpr std::size_t kMaxLabelledChars = 120;
constexpr std::string_view kToolLabels[] = {
    "vous etes ici", "fil d ariane",   "partager",    "partagez",    "mots-cles",
    "mots cles",     "etiquettes",     "tags",        "categories",  "imprimer",
    "haut de page",  "retour en haut", "suivez-nous", "suivez nous", "affichages"};

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
    const std::vector<std::string> words = folded_words(text);
    std::size_t stops = 0;
    for (const std::string& w : words)
        stops += stop.contains(w) || is_elision(w);
    return words.empty() ? 0.0 : static_cast<double>(stops) / static_cast<double>(words.size());
}

bool is_copyright(const Block& b) {
    const std::string l = lower(b.text);
    return l.find("\xC2\xA9") != std::string::npos || l.find("copyright") != std::string::npos ||
           l.find("tous droits r") != std::string::npos;
}

// Headings that open links to other pages of the site, not a section of the article.
constexpr std::string_view kRelatedLabels[] = {"voir aussi",
                                               "a voir aussi",
                                               "lire aussi",
                                               "a lire aussi",
                                               "sur le meme theme",
                                               "sur le meme sujet",
                                               "dans la meme rubrique",
                                               "articles lies",
                                               "actualites liees",
                                               "contenus lies",
                                               "pages liees",
                                               "a decouvrir aussi",
                                               "vous aimerez aussi",
                                               "autres actualites",
                                               "autres evenements",
                                               "ces actualites peuvent vous interesser",
                                               "dernieres actualites",
                                               "derniers articles"};

std::string folded_start(const Block& b, std::size_t bytes) {
    std::string start;
    for (const std::string& w : folded_words(b.text.substr(0, bytes)))
        start += (start.empty() ? "" : " ") + w;
    return start;
}

bool is_related_heading(const Block& b) {
    if (!b.heading || b.chars > kMaxLabelledChars)
        return false;
    const std::string start = folded_start(b, kMaxLabelledChars);
    for (std::string_view label : kRelatedLabels)
        if (start.starts_with(label))
            return true;
    return false;
}

// "Accueil > Actualités > Le titre": links between path separators.
bool is_breadcrumb(const Block& b) {
    if (b.links < 2 || b.text.find("\xC2\xAB") != std::string::npos) // « a quotation »
        return false;
    for (const char* separator : {" > ", " \xE2\x80\xBA ", " \xC2\xBB ", " / "})
        if (b.text.find(separator) != std::string::npos)
            return true;
    return false;
}

// "Partager : Facebook LinkedIn", "Vous êtes ici : Accueil > …", "Mots-clés : …".
bool is_tool_line(const Block& b) {
    if (b.chars > kMaxLabelledChars)
        return false;
    if (is_breadcrumb(b))
        return true;
    const std::string start = folded_start(b, 40);
    for (std::string_view label : kToolLabels)
        if (start.starts_with(label))
            return true;
    return false;
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

// jusText over the whole page, for pages whose structure does not say where the content is.
void classify_justext(std::vector<Block>& blocks) {
    // Consecutive near-good paragraphs (short ones between them aside) that add up to a long
    // text are content as a long paragraph would be: a short article of three paragraphs of
    // 150 characters is not three stray sentences.
    for (std::size_t i = 0; i < blocks.size();) {
        if (blocks[i].cls != Cls::NearGood) {
            ++i;
            continue;
        }
        std::size_t j = i, chars = 0, near_good = 0;
        for (; j < blocks.size() && blocks[j].cls != Cls::Bad && blocks[j].cls != Cls::Good; ++j)
            if (blocks[j].cls == Cls::NearGood) {
                chars += blocks[j].chars;
                ++near_good;
            }
        if (near_good >= 2 && chars > kLengthHigh)
            for (std::size_t k = i; k < j; ++k)
                if (blocks[k].cls == Cls::NearGood)
                    blocks[k].cls = Cls::Good;
        i = j;
    }
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

// Inside the content region: every block but link lists and copyright lines; a heading only
// when content follows it before the next heading of its rank.
void classify_region(std::vector<Block>& blocks, const Span& region) {
    const std::size_t last = std::min(region.last, blocks.size());
    for (std::size_t i = region.first; i < last; ++i) {
        Block& b = blocks[i];
        b.cls = is_copyright(b) || is_tool_line(b) || b.link_density() > kMaxRegionLinkDensity
                    ? Cls::Bad
                    : Cls::Good;
    }
    // « Voir aussi », « Dans la même rubrique »: what they open, up to the next heading of
    // their rank, is not the page's.
    for (std::size_t i = region.first; i < last; ++i)
        if (is_related_heading(blocks[i]) && !blocks[i].headline) {
            const int rank = blocks[i].heading;
            blocks[i].cls = Cls::Bad;
            for (++i; i < last && !(blocks[i].heading && blocks[i].heading <= rank); ++i)
                blocks[i].cls = Cls::Bad;
            --i;
        }
    for (std::size_t i = region.first; i < last; ++i) {
        Block& h = blocks[i];
        if (!h.heading || is_copyright(h) || is_related_heading(h))
            continue;
        h.cls = Cls::Bad;
        for (std::size_t j = i + 1; j < last; ++j) {
            if (blocks[j].heading && blocks[j].heading <= h.heading)
                break;
            if (!blocks[j].heading && blocks[j].cls == Cls::Good) {
                h.cls = Cls::Good;
                break;
            }
        }
    }
}

// The short paragraphs that sit with the headline are its article's, until the first list of
// links or a heading that only introduces one.
void keep_headline_neighbours(std::vector<Block>& blocks) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (!blocks[i].headline)
            continue;
        std::size_t j = i + 1;
        while (j < blocks.size() && blocks[j].headline)
            ++j;
        for (; j < blocks.size(); ++j) {
            const Block& b = blocks[j];
            if (b.context_free == Cls::Bad || is_copyright(b))
                break;
            if (b.heading && (j + 1 == blocks.size() || blocks[j + 1].context_free == Cls::Bad))
                break;
            blocks[j].cls = Cls::Good;
        }
        return;
    }
}

} // namespace

std::vector<std::string> folded_words(std::string_view text) {
    std::vector<std::string> words;
    auto add = [&](std::string_view part) {
        while (!part.empty() && std::ispunct(static_cast<unsigned char>(part.front())))
            part.remove_prefix(1);
        while (!part.empty() && std::ispunct(static_cast<unsigned char>(part.back())))
            part.remove_suffix(1);
        if (part.empty())
            return;
        std::string folded = normalize_word(part).folded;
        // « » … – and other lone symbols are not words.
        if (!folded.empty() && std::isalnum(static_cast<unsigned char>(folded.front())))
            words.push_back(std::move(folded));
    };
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        std::size_t len = 0;
        if (i == text.size() || std::isspace(static_cast<unsigned char>(text[i]))) {
            add(text.substr(start, i - start));
            start = i + 1;
        } else if (is_apostrophe_at(text, i, len)) {
            add(text.substr(start, i - start));
            start = i + len;
            i += len - 1;
        }
    }
    return words;
}

Cls classify_context_free(const Block& b, double max_link_density) {
    if (b.link_density() > max_link_density || is_copyright(b))
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

void classify_page(Page& page) {
    std::vector<Block>& blocks = page.blocks;
    for (Block& b : blocks) {
        b.cls = b.context_free = classify_context_free(b, kMaxLinkDensity);
        b.loose = classify_context_free(b, kMaxLooseLinkDensity);
    }
    const int region = content_region(page);
    if (region >= 0) {
        for (Block& b : blocks)
            b.cls = Cls::Bad;
        const Span& r = page.spans[static_cast<std::size_t>(region)];
        classify_region(blocks, r);
        // Before the headline, only what sits beside it (a kicker) is the article's: not an
        // agenda box that precedes it in the same container.
        if (page.headline >= 0) {
            const Span& h = page.spans[static_cast<std::size_t>(page.headline)];
            for (std::size_t i = r.first; i < h.first && i < blocks.size(); ++i) {
                const int s = blocks[i].span;
                if (s != h.parent &&
                    (s < 0 || page.spans[static_cast<std::size_t>(s)].parent != h.parent))
                    blocks[i].cls = Cls::Bad;
            }
        }
    } else {
        classify_justext(blocks);
        keep_headline_neighbours(blocks);
    }
    // The headline is the page's own title, wherever it sits.
    for (Block& b : blocks)
        if (b.headline)
            b.cls = Cls::Good;
    for (const Block& b : blocks)
        if (b.cls == Cls::Good)
            return;
    // Nothing kept: the block with the most text outside links, rather than no body at all.
    Block* densest = nullptr;
    for (Block& b : blocks)
        if (!densest || b.chars - b.link_chars > densest->chars - densest->link_chars)
            densest = &b;
    if (densest)
        densest->cls = Cls::Good;
}

} // namespace kb::html
