#include "core/indexing/document_builder.h"

#include "core/facets/facet_extractor.h"
#include "core/indexing/near_duplicates.h"
#include "core/indexing/passages.h"
#include "core/record_fields.h"
#include "core/schema/schema.h"

#include <cstdint>
#include <cstdio>

namespace kb {
namespace {

using namespace std::string_literals;

// Writes the terms of one field; returns the position after the last token.
Xapian::termpos index_tokens(Xapian::Document& doc, const Analyzer& analyzer,
                             const std::vector<Token>& tokens, Xapian::termpos base,
                             Xapian::termcount weight, bool is_title,
                             std::vector<std::string>* spelling,
                             std::vector<std::string>* terms = nullptr) {
    Xapian::termpos last = base;
    for (const Token& t : tokens) {
        const Xapian::termpos pos = base + t.position + 1; // Xapian positions start at 1
        last = std::max(last, pos);
        doc.add_posting(std::string(schema::kWordPrefix) + t.term, pos, weight);
        if (terms && !t.compound && !t.implied)
            terms->push_back(t.term);
        if (is_title)
            doc.add_posting(std::string(schema::kTitlePrefix) + t.term, pos);
        if (!t.stopword) {
            const std::string stem = analyzer.stem(t);
            doc.add_term(std::string(schema::kStemPrefix) + stem, weight);
            if (is_title)
                doc.add_term(std::string(schema::kTitleStemPrefix) + stem);
        }
        if (!t.accented.empty())
            doc.add_term(std::string(schema::kAccentedPrefix) + t.accented, weight);
        if (spelling && t.kind == TokenKind::Word && !t.stopword && !t.compound &&
            t.term.size() >= 4)
            spelling->push_back(t.accented.empty() ? t.term : t.accented);
    }
    return last;
}

Xapian::termpos index_field(Xapian::Document& doc, const Analyzer& analyzer,
                            const std::string& text, Xapian::termpos base, Xapian::termcount weight,
                            bool is_title, std::vector<std::string>* spelling) {
    return index_tokens(doc, analyzer, analyzer.tokenize(text), base, weight, is_title, spelling);
}

std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= 0xff; // field separator, so ("ab","c") and ("a","bc") differ
    h *= 1099511628211ull;
    return h;
}

} // namespace

std::string id_term(const std::string& id) { return std::string(schema::kIdPrefix) + id; }

// Bumped when documents gain a field, so the next run rewrites every record.
// 2: schema::kFacetKeySlot and schema::kBrowseSortSlot.
// 3: French typographic spaces (U+202F...) separate words: the terms of such text changed;
//    source_file is relative to the folder indexed, no longer the path as given.
constexpr std::string_view kIndexFormat = "3";

std::string content_hash(const Record& r) {
    std::uint64_t h = fnv1a(1469598103934665603ull, std::string(kIndexFormat));
    for (const std::string* s : {&r.id, &r.title, &r.text, &r.date, &r.type, &r.publisher,
                                 &r.language, &r.source_file, &r.url})
        h = fnv1a(h, *s);
    for (const auto& [k, v] : r.metadata)
        h = fnv1a(fnv1a(h, k), v);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string facet_key(const std::string& cluster, const Xapian::Document& doc) {
    std::string key = cluster;
    key.push_back(schema::kFacetKeySeparator);
    key += doc.get_value(schema::kParentSlot);
    for (Xapian::valueno slot : schema::kFacetSlots) {
        key.push_back(schema::kFacetKeySeparator);
        key += doc.get_value(slot);
    }
    return key;
}

namespace {

// A filter term from a field the record sets: validate_record() bounds the field, but
// normalisation can expand it (NFKC of U+FDFA is 18 characters), and Xapian refuses a term
// over 245 bytes: cut at a character boundary, as the same field always is.
std::string filter_term(std::string_view prefix, const std::string& value) {
    constexpr std::size_t kMaxTermBytes = 245;
    std::string term = std::string(prefix) + value;
    if (term.size() > kMaxTermBytes) {
        std::size_t cut = kMaxTermBytes;
        while (cut > prefix.size() && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80)
            --cut;
        term.resize(cut);
    }
    return term;
}

// What a record and each of its passages share: filters, facets, date, the parent id.
void add_shared_fields(Xapian::Document& doc, const Record& record, const FacetValues& facets,
                       const Analyzer& analyzer) {
    doc.add_value(schema::kParentSlot, record.id);
    if (!record.type.empty()) {
        doc.add_boolean_term(filter_term(schema::kTypePrefix, analyzer.fold_phrase(record.type)));
        doc.add_value(schema::kTypeSlot, record.type);
    }
    auto add_facet = [&](Facet facet, const std::set<std::string>& ids) {
        std::string packed;
        for (const std::string& id : ids) {
            doc.add_boolean_term(std::string(schema::facet_prefix(facet)) + id);
            if (!packed.empty())
                packed.push_back(schema::kListSeparator);
            packed += id;
        }
        if (!packed.empty())
            doc.add_value(schema::facet_slot(facet), packed);
    };
    add_facet(Facet::Theme, facets.themes);
    add_facet(Facet::Actor, facets.actors);
    add_facet(Facet::Country, facets.countries);
    add_facet(Facet::Region, facets.regions);
    if (!record.language.empty())
        doc.add_boolean_term(filter_term(schema::kLanguagePrefix, analyzer.fold(record.language)));
    if (!record.date.empty()) {
        doc.add_value(schema::kDateSlot, record.date);
        if (int year = year_of(record.date)) {
            doc.add_boolean_term(std::string(schema::kYearPrefix) + std::to_string(year));
            doc.add_value(schema::kYearSlot, Xapian::sortable_serialise(year));
            doc.add_value(schema::kYearTextSlot, std::to_string(year));
        }
    }
}

// Title, publisher and site: indexed on the record and on every passage, so a passage
// ranks with its document's title like the document does.
Xapian::termpos index_heading_fields(Xapian::Document& doc, const std::vector<Token>& title_tokens,
                                     const Analyzer& analyzer, std::vector<std::string>* spelling) {
    return index_tokens(doc, analyzer, title_tokens, 0, schema::kTitleWeight, true, spelling);
}

void index_source_fields(Xapian::Document& doc, const Record& record, const Analyzer& analyzer,
                         Xapian::termpos end) {
    // Who published it is searchable too ("Cités Unies France"); the site's own title (the
    // header of every page, og:site_name) describes the page like a title does.
    end = index_field(doc, analyzer, record.publisher, end + schema::kFieldPositionGap, 1, false,
                      nullptr);
    if (auto site = record.metadata.find("site"); site != record.metadata.end())
        index_field(doc, analyzer, site->second, end + schema::kFieldPositionGap,
                    schema::kTitleWeight, false, nullptr);
}

} // namespace

Xapian::Document index_text(const std::string& text, const Analyzer& analyzer) {
    Xapian::Document doc;
    index_field(doc, analyzer, text, 0, 1, false, nullptr);
    return doc;
}

std::string passage_term(const std::string& parent_id) {
    return std::string(schema::kParentPrefix) + parent_id;
}

IndexedRecord build_unclustered(const Record& record, const Analyzer& analyzer,
                                std::vector<std::string>* spelling) {
    IndexedRecord out;
    // The title and body are analysed once, for the terms and for facet extraction alike.
    std::vector<Token> title_tokens = analyzer.tokenize(record.title);
    std::vector<Token> body_tokens = analyzer.tokenize(record.text);
    analyzer.add_stems(title_tokens);
    analyzer.add_stems(body_tokens);
    const FacetValues facets = extract_facets(record, analyzer, FacetCatalog::builtin(),
                                              ThemeScoring(), {&title_tokens, &body_tokens});

    Xapian::Document& doc = out.record;
    doc.add_boolean_term(id_term(record.id));
    doc.add_boolean_term(std::string(schema::kRecordKindTerm));
    Xapian::termpos end = index_heading_fields(doc, title_tokens, analyzer, spelling);
    std::vector<std::string> body_terms;
    end = index_tokens(doc, analyzer, body_tokens, end + schema::kFieldPositionGap, 1, false,
                       spelling, &body_terms);
    index_source_fields(doc, record, analyzer, end);
    const MinHash signature = minhash(body_terms);
    doc.add_value(schema::kMinHashSlot, serialise(signature));
    for (const std::string& band : band_terms(signature))
        doc.add_boolean_term(band);
    add_shared_fields(doc, record, facets, analyzer);
    doc.add_value(schema::kContentHashSlot, content_hash(record));
    std::string browse = record.date;
    browse.push_back('\0');
    for (unsigned char c : record.id)
        browse.push_back(static_cast<char>(0xff - c));
    browse.push_back('\xff'); // a shorter id sorts before its extensions
    doc.add_value(schema::kBrowseSortSlot, browse);
    doc.set_data(encode_record(record));

    // Long documents are also indexed passage by passage, so a hit can point at the part of
    // the document that matches (and its page); results collapse on the parent id.
    const std::vector<Passage> passages = split_passages(record.text, record.sections);
    const bool paged = record.text.find('\f') != std::string::npos; // PDF text
    for (std::size_t n = 0; n < passages.size(); ++n) {
        const Passage& p = passages[n];
        Xapian::Document pd;
        pd.add_boolean_term(passage_term(record.id));
        pd.add_boolean_term(std::string(schema::kPassageKindTerm));
        Xapian::termpos pend = index_heading_fields(pd, title_tokens, analyzer, nullptr);
        // A passage's section heading describes it as a title does.
        if (!p.heading.empty())
            pend = index_field(pd, analyzer, p.heading, pend + schema::kFieldPositionGap,
                               schema::kTitleWeight, true, nullptr);
        pend =
            index_field(pd, analyzer, p.text, pend + schema::kFieldPositionGap, 1, false, nullptr);
        index_source_fields(pd, record, analyzer, pend);
        add_shared_fields(pd, record, facets, analyzer);
        Record stored;
        copy_listed_fields(record, stored);
        stored.text = p.text;
        stored.metadata["passage"] = std::to_string(n);
        if (paged)
            stored.metadata["page"] = std::to_string(p.page);
        stored.metadata["begin"] = std::to_string(p.begin);
        if (!p.heading.empty())
            stored.metadata["heading"] = p.heading;
        // A passage hit names its authors as the record's own hit does (the result list).
        if (auto author = record.metadata.find("author"); author != record.metadata.end())
            stored.metadata["author"] = author->second;
        pd.set_data(encode_record(stored));
        out.passages.push_back(std::move(pd));
    }
    return out;
}

void set_cluster(IndexedRecord& built, const std::string& cluster) {
    auto join = [&](Xapian::Document& doc) {
        doc.add_value(schema::kClusterSlot, cluster);
        doc.add_value(schema::kFacetKeySlot, facet_key(cluster, doc));
    };
    join(built.record);
    for (Xapian::Document& passage : built.passages)
        join(passage);
}

IndexedRecord build_documents(const Record& record, const Analyzer& analyzer,
                              std::vector<std::string>* spelling) {
    IndexedRecord out = build_unclustered(record, analyzer, spelling);
    set_cluster(out, record.id);
    return out;
}

Xapian::Document build_document(const Record& record, const Analyzer& analyzer,
                                std::vector<std::string>* spelling) {
    return build_documents(record, analyzer, spelling).record;
}

} // namespace kb
