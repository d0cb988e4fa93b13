#include "core/indexing/passages.h"

#include <algorithm>

namespace kb {
namespace {

std::size_t count_words(const std::string& text, std::size_t begin, std::size_t end) {
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t i = begin; i < end; ++i) {
        const bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t' ||
                           text[i] == '\f' || text[i] == '\r';
        if (!space && !in_word)
            ++words;
        in_word = !space;
    }
    return words;
}

struct Span {
    std::size_t begin, end, words;
};

// Paragraphs: separated by a blank line or a page break.
std::vector<Span> paragraphs(const std::string& text) {
    std::vector<Span> out;
    std::size_t start = 0;
    auto flush = [&](std::size_t end) {
        while (start < end && (text[start] == '\n' || text[start] == ' ' || text[start] == '\f'))
            ++start;
        if (start < end)
            out.push_back({start, end, count_words(text, start, end)});
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\f' || (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n')) {
            flush(i);
            start = i + 1;
        }
    }
    flush(text.size());
    return out;
}

// Cuts an over-long paragraph at sentence ends into pieces of about kPassageWords words.
void cut_long(const std::string& text, const Span& p, std::vector<Span>& out) {
    std::size_t start = p.begin, words = 0;
    bool in_word = false;
    for (std::size_t i = p.begin; i < p.end; ++i) {
        const bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
        if (!space && !in_word)
            ++words;
        in_word = !space;
        const bool sentence_end =
            (text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == ';') &&
            i + 1 < p.end && text[i + 1] == ' ';
        if ((sentence_end && words >= kPassageWords) || words >= 2 * kPassageWords) {
            out.push_back({start, i + 1, words});
            start = i + 1;
            words = 0;
        }
    }
    if (start < p.end)
        out.push_back({start, p.end, count_words(text, start, p.end)});
}

} // namespace

unsigned page_at(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<unsigned>(std::count(text.begin(), text.begin() + offset, '\f'));
}

std::vector<Passage> split_passages(const std::string& text, const std::vector<Section>& sections) {
    std::vector<Passage> out;
    if (count_words(text, 0, text.size()) <= kMinWordsToSplit)
        return out;
    std::vector<Span> pieces;
    for (const Span& p : paragraphs(text)) {
        if (p.words > 2 * kPassageWords)
            cut_long(text, p, pieces);
        else
            pieces.push_back(p);
    }
    // The sections are in text order, and so are the pieces: one pass marks the headings.
    std::vector<const Section*> starts(pieces.size(), nullptr);
    for (std::size_t k = 0, s = 0; k < pieces.size() && s < sections.size(); ++k) {
        while (s < sections.size() && sections[s].begin < pieces[k].begin)
            ++s;
        if (s < sections.size() && sections[s].begin < pieces[k].end)
            starts[k] = &sections[s];
    }
    // The heading a piece is under: the last one that started at or before it.
    std::vector<const Section*> under(pieces.size(), nullptr);
    for (std::size_t k = 0; k < pieces.size(); ++k)
        under[k] = starts[k] != nullptr ? starts[k] : (k > 0 ? under[k - 1] : nullptr);
    std::size_t i = 0;
    while (i < pieces.size()) {
        std::size_t j = i, words = 0;
        while (j < pieces.size() && (words < kPassageWords || j == i)) {
            if (j > i && starts[j] != nullptr && words >= kMinSectionWords)
                break;
            words += pieces[j++].words;
        }
        Passage passage;
        passage.begin = pieces[i].begin;
        passage.text = text.substr(pieces[i].begin, pieces[j - 1].end - pieces[i].begin);
        passage.page = page_at(text, passage.begin);
        // Headings that open the passage are followed by its text: the deepest one names it.
        std::size_t body = i;
        while (body + 1 < j && starts[body] != nullptr)
            ++body;
        if (const Section* h = under[body]; h != nullptr)
            passage.heading = h->heading;
        out.push_back(std::move(passage));
        if (j >= pieces.size())
            break;
        // Overlap: the next passage repeats this one's last paragraph when it is short, unless
        // the next passage starts a section.
        const bool overlap =
            j - 1 > i && pieces[j - 1].words < kPassageWords / 3 && starts[j] == nullptr;
        i = overlap ? j - 1 : j;
    }
    return out;
}

} // namespace kb
