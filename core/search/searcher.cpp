#include "core/search/searcher.h"

#include "core/analysis/word_normalizer.h"
#include "core/indexing/document_builder.h"
#include "core/embedding/embedder.h"
#include "core/error.h"
#include "core/search/docid_sample.h"
#include "core/facets/facet_catalog.h"
#include "core/search/facet_counter.h"
#include "core/numbers.h"
#include "core/indexing/passages.h"
#include "core/search/query/query_builder.h"
#include "core/search/result_cache.h"
#include "core/schema/schema.h"
#include "core/search/snippet.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace kb {

Searcher::Searcher(const std::string& index_spec, SearcherOptions options)
    : path_(index_spec), options_(options) {
    const std::vector<ShardSpec> specs = parse_index_spec(index_spec);
    if (specs.size() == 1 && !specs[0].remote()) {
        try {
            db_ = Xapian::Database(specs[0].path);
        } catch (const Xapian::DatabaseOpeningError& e) {
            throw Error(ErrorKind::Unavailable, "index_unavailable",
                        "cannot open index " + index_spec + ": " + e.get_msg() +
                            " (run the indexer first: ./kb index)");
        } catch (const Xapian::Error& e) {
            throw Error(ErrorKind::Internal, "index_unavailable",
                        "cannot open index " + index_spec + ": " + e.get_description());
        }
        shards_.push_back({specs[0], db_, true, false, ""});
        return;
    }
    for (const ShardSpec& spec : specs) {
        Shard shard;
        shard.spec = spec;
        open_shard(shard);
        shards_.push_back(std::move(shard));
    }
    combine();
    last_retry_ = std::chrono::steady_clock::now();
    const ShardStatus status = shard_status();
    if (status.available == 0 && options_.require_a_shard) {
        std::string why;
        for (const Shard& s : shards_)
            if (!s.up)
                why += (why.empty() ? "" : "; ") + s.spec.name + ": " + s.error;
        throw Error(ErrorKind::Unavailable, "index_unavailable",
                    "cannot open any shard of " + index_spec + " (" + why + ")");
    }
}

bool Searcher::open_shard(Shard& shard) {
    try {
        const ShardSpec& spec = shard.spec;
        shard.db = spec.remote()
                       ? Xapian::Remote::open(spec.host, spec.port, options_.remote_timeout_ms,
                                              options_.remote_timeout_ms)
                       : Xapian::Database(spec.path);
        shard.aux = shard.db.get_doccount() == 0 &&
                    shard.db.get_metadata(std::string(schema::kRoleKey)) == schema::kAuxRole;
        shard.up = true;
        shard.error.clear();
    } catch (const Xapian::Error& e) {
        shard.db = Xapian::Database();
        shard.up = false;
        shard.error = e.get_description();
    }
    return shard.up;
}

void Searcher::combine() {
    Xapian::Database all;
    combined_.clear();
    // The aux database first: Xapian reads metadata (the last commit) from the first one.
    for (bool aux : {true, false})
        for (std::size_t i = 0; i < shards_.size(); ++i)
            if (shards_[i].up && shards_[i].aux == aux) {
                all.add_database(shards_[i].db);
                combined_.push_back(i);
            }
    db_ = all;
}

void Searcher::drop_failed_shards() {
    for (Shard& s : shards_) {
        if (!s.up || !s.spec.remote())
            continue;
        try {
            s.db.reopen();
            (void)s.db.get_doccount();
        } catch (const Xapian::Error&) {
            // The connection is gone (the shard stopped, or xapian-tcpsrv closed it after its
            // idle timeout): the shard is down only if a new connection fails too.
            open_shard(s);
        }
    }
    combine();
    last_retry_ = std::chrono::steady_clock::now();
}

void Searcher::retry_down_shards() {
    bool any_down = false;
    for (const Shard& s : shards_)
        any_down = any_down || !s.up;
    const auto now = std::chrono::steady_clock::now();
    if (!any_down || now - last_retry_ < options_.retry_interval)
        return;
    last_retry_ = now;
    bool changed = false;
    for (Shard& s : shards_)
        if (!s.up)
            changed = open_shard(s) || changed;
    if (changed)
        combine();
}

ShardStatus Searcher::shard_status() const {
    ShardStatus status;
    status.total = status.available = 0;
    for (const Shard& s : shards_) {
        if (s.aux)
            continue;
        ++status.total;
        if (s.up)
            ++status.available;
        else
            status.unavailable.push_back(s.spec.name);
    }
    if (shards_.empty())
        status.total = status.available = 1; // a database given directly
    return status;
}

void Searcher::refresh() {
    retry_down_shards();
    // A remote shard that stopped answering makes reopen() throw: leave it out and go on.
    for (std::size_t attempt = 0; attempt <= shards_.size(); ++attempt) {
        try {
            db_.reopen();
            return;
        } catch (const Xapian::NetworkError&) {
            drop_failed_shards();
        }
    }
}

Xapian::doccount Searcher::document_count() const {
    return db_.get_termfreq(std::string(schema::kRecordKindTerm));
}

bool Searcher::knows(Facet facet, const std::string& id) const {
    return db_.term_exists(std::string(schema::facet_prefix(facet)) + id);
}

std::string Searcher::last_commit() const {
    return db_.get_metadata(std::string(schema::kLastCommitKey));
}

// A writer committing while we read can invalidate our snapshot: reopen and retry once. A
// remote shard that stops answering is left out, and the request answered by the others.
template <typename F> auto Searcher::with_retry(F&& f) {
    retry_down_shards();
    if (!shards_.empty() && shard_status().available == 0)
        throw Error(ErrorKind::Unavailable, "shards_unavailable",
                    "no shard of the index answers (tried again every " +
                        std::to_string(options_.retry_interval.count()) + " ms)");
    try {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError&) {
            db_.reopen();
            return f();
        }
    } catch (const Xapian::NetworkError& e) {
        if (shards_.empty())
            throw;
        drop_failed_shards();
        if (shard_status().available == 0)
            throw Error(ErrorKind::Unavailable, "shards_unavailable",
                        "no shard of the index answers (" + e.get_description() + ")");
        try {
            return f();
        } catch (const Xapian::NetworkError& again) {
            drop_failed_shards();
            throw Error(ErrorKind::Unavailable, "shards_unavailable",
                        "the index's shards do not answer (" + again.get_description() + ")");
        }
    }
}

std::string Searcher::spelling_correction(const std::string& query) {
    // Replaces, in the raw query, each word the index does not know by Xapian's suggestion
    // (built from the corpus' accented words), leaving operators and syntax untouched.
    std::string corrected;
    std::size_t cursor = 0;
    bool changed = false;
    for (const Token& t : analyzer_.tokenize(query)) {
        if (t.compound || t.implied || t.stopword || t.kind != TokenKind::Word || t.term.size() < 3)
            continue;
        if (db_.get_termfreq(std::string(schema::kStemPrefix) + analyzer_.stem(t.term)) > 0)
            continue;
        const std::string suggestion =
            db_.get_spelling_suggestion(t.accented.empty() ? t.term : t.accented, 2);
        if (suggestion.empty())
            continue;
        corrected.append(query, cursor, t.begin - cursor);
        corrected += suggestion;
        cursor = t.end;
        changed = true;
    }
    if (!changed)
        return {};
    corrected.append(query, cursor, std::string::npos);
    return corrected;
}

namespace {

// Length of a snippet, in bytes of the original text.
constexpr std::size_t kSnippetBytes = 320;
/// Passage numbers and pages beyond this are not believed (a page of a million-page PDF).
constexpr std::uint64_t kMaxStoredCount = 1000000;

// An index term as a user can read it in `explain`.
std::string readable_term(const std::string& term) {
    auto starts = [&](std::string_view p) { return term.compare(0, p.size(), p) == 0; };
    if (starts(schema::kTitleStemPrefix))
        return "titre-racine:" + term.substr(schema::kTitleStemPrefix.size());
    if (starts(schema::kStemPrefix))
        return "racine:" + term.substr(schema::kStemPrefix.size());
    if (starts(schema::kAccentedPrefix))
        return "accent:" + term.substr(schema::kAccentedPrefix.size());
    if (starts(schema::kTitlePrefix))
        return "titre:" + term.substr(schema::kTitlePrefix.size());
    if (starts("X"))
        return "filtre:" + term;
    return "mot:" + term;
}

// Most values a facet lists in a response.
constexpr std::size_t kMaxFacetValues = 100;

// The filters as one boolean query, leaving out `skip`'s own inclusion filter (disjunctive
// facets: a facet's counts ignore its own selection). Empty when nothing restricts.
Xapian::Query filter_query(const FacetFilters& filters, std::optional<Facet> skip) {
    std::vector<Xapian::Query> required;
    for (const auto& [facet, ids] : filters.include) {
        if (skip && *skip == facet)
            continue;
        std::vector<Xapian::Query> any;
        for (const std::string& id : ids)
            any.emplace_back(std::string(schema::facet_prefix(facet)) + id);
        required.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
    }
    if ((filters.year_from || filters.year_to) && !(skip && *skip == Facet::Year))
        required.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kYearSlot,
                              Xapian::sortable_serialise(filters.year_from ? filters.year_from : 0),
                              Xapian::sortable_serialise(filters.year_to ? filters.year_to : 9999));
    Xapian::Query q = required.empty()
                          ? Xapian::Query()
                          : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    std::vector<Xapian::Query> excluded;
    for (const auto& [facet, ids] : filters.exclude)
        for (const std::string& id : ids)
            excluded.emplace_back(std::string(schema::facet_prefix(facet)) + id);
    if (!excluded.empty())
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, q.empty() ? Xapian::Query::MatchAll : q,
                          Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
    return q;
}

Xapian::Query filtered(const Xapian::Query& query, const Xapian::Query& filter) {
    return filter.empty() ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

// A hit from a matched record or passage document.
Hit make_hit(const Xapian::Document& doc, double weight, const HighlightTerms& highlight,
             const Analyzer& analyzer, const std::string& pre, const std::string& post,
             bool with_snippet = true) {
    Record r = decode_record(doc.get_data());
    Hit hit;
    hit.id = r.id;
    hit.title = r.title;
    hit.date = r.date;
    hit.type = r.type;
    hit.publisher = r.publisher;
    hit.url = r.url;
    hit.score = weight;
    hit.docid = doc.get_docid();
    std::size_t window = 0;
    if (with_snippet)
        hit.snippet = make_snippet(r.text, highlight, analyzer, kSnippetBytes, pre, post, &window);
    // Stored values are never trusted to parse: a bad one is ignored, not a 500.
    const auto passage = r.metadata.find("passage");
    const auto number = passage == r.metadata.end() ? std::nullopt : parse_count(passage->second);
    if (number && *number <= kMaxStoredCount) {
        hit.passage = static_cast<int>(*number);
        if (auto page = r.metadata.find("page"); page != r.metadata.end())
            if (auto first = parse_count(page->second); first && *first <= kMaxStoredCount)
                hit.page = static_cast<unsigned>(*first) + page_at(r.text, window) - 1;
    } else if (r.text.find('\f') != std::string::npos) {
        hit.page = page_at(r.text, window);
    }
    return hit;
}

// The query with passage matches weighted `passage_weight` times a whole record's match.
Xapian::Query weigh_passages(const Xapian::Query& query, double passage_weight) {
    if (passage_weight == 1.0 || query.empty())
        return query;
    const Xapian::Query records(Xapian::Query::OP_FILTER, query,
                                Xapian::Query(std::string(schema::kRecordKindTerm)));
    const Xapian::Query passages(Xapian::Query::OP_FILTER, query,
                                 Xapian::Query(std::string(schema::kPassageKindTerm)));
    return Xapian::Query(Xapian::Query::OP_OR, records,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, passages, passage_weight));
}

// The request may turn synonyms on or off (on without a configured weight: a low default);
// expand=false turns every expansion off, synonyms included.
double synonym_weight(const SearchRequest& request, const RankingParams& scoring) {
    if (!request.expand || (request.synonyms && !*request.synonyms))
        return 0;
    if (request.synonyms && scoring.synonym_weight <= 0)
        return kDefaultSynonymWeight;
    return scoring.synonym_weight;
}

bool is_selected(const FacetFilters& filters, Facet facet) {
    return filters.include.count(facet) ||
           (facet == Facet::Year && (filters.year_from || filters.year_to));
}

} // namespace

void Searcher::run(const std::string& query, const SearchRequest& request, SearchResult& result,
                   bool snippets) {
    QueryOptions options;
    options.expand = request.expand;
    options.title_boost = scoring_.title_boost;
    options.exact_boost = scoring_.exact_boost;
    options.concept_weight = scoring_.concept_weight;
    options.max_all_terms_words = scoring_.max_all_terms_words;
    options.synonym_weight = synonym_weight(request, scoring_);
    const ParsedQuery parsed = parse_query(query, analyzer_, &db_, options);
    const Xapian::doccount offset = (request.page - 1) * request.size;
    // The page alone: Xapian may skip documents that cannot reach it (its max-weight
    // optimisations), and the total is then an estimate, flagged as such (total_exact: false).
    // Facets are counted by a pass of their own (count_facets).
    const Xapian::doccount check_at_least = offset + request.size;
    const Xapian::Query filter = filter_query(request.filters, std::nullopt);

    Xapian::Enquire enquire(db_);
    // min_normlen 0.5 is Xapian's default; k2 = 0 and k3 = 1 likewise (k3 is unused by
    // Xapian for queries without repeated terms).
    enquire.set_weighting_scheme(Xapian::BM25Weight(scoring_.k1, 0, 1, scoring_.b, 0.5));
    // One hit per record (the best of the record and its passages), and by default one per
    // near-duplicate cluster (the same study published on two sites).
    const Xapian::valueno collapse_slot =
        request.collapse_duplicates ? schema::kClusterSlot : schema::kParentSlot;
    enquire.set_collapse_key(collapse_slot);
    // Equal scores are ordered by record id, not by document id: the order of document ids
    // depends on how the index is split in shards (Xapian interleaves them), the id does not.
    switch (request.sort) {
    case SortOrder::Relevance:
        if (parsed.browse)
            enquire.set_sort_by_value(schema::kBrowseSortSlot, true);
        else
            enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
        break;
    case SortOrder::DateNewest:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true);
        break;
    case SortOrder::DateOldest:
        enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false);
        break;
    }
    std::vector<Facet> unselected;
    for (Facet f : kAllFacets)
        if (!is_selected(request.filters, f))
            unselected.push_back(f);

    Xapian::Query matched = parsed.browse ? Xapian::Query(std::string(schema::kRecordKindTerm))
                                          : weigh_passages(parsed.query, scoring_.passage_weight);
    enquire.set_query(filtered(matched, filter));
    Xapian::MSet mset = timed_mset(enquire, offset, request.size, check_at_least);
    result.mode = parsed.browse         ? MatchMode::Browse
                  : parsed.requires_all ? MatchMode::AllTerms
                                        : MatchMode::AnyTerms;
    if (mset.get_matches_estimated() == 0 && !parsed.relaxed.empty()) {
        matched = weigh_passages(parsed.relaxed, scoring_.passage_weight);
        enquire.set_query(filtered(matched, filter));
        mset = timed_mset(enquire, offset, request.size, check_at_least);
        result.mode = MatchMode::RelaxedAnyTerms;
    }
    result.expansions = parsed.expansions;
    result.query_language = parsed.english ? "en" : "fr";
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.hits.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit =
            make_hit(it.get_document(), it.get_weight(), parsed.highlight, analyzer_,
                     request.highlight_pre, request.highlight_post, snippets && request.snippets);
        // Document::get_docid() of a document of a database made of several (shards) is its id
        // in its own shard in Xapian 1.4; fusion and the vectors need the combined one.
        hit.docid = *it;
        hit.group = it.get_collapse_key();
        if (request.explain)
            for (auto t = enquire.get_matching_terms_begin(it);
                 t != enquire.get_matching_terms_end(it); ++t)
                hit.matched_terms.push_back(readable_term(*t));
        result.hits.push_back(std::move(hit));
    }
    result.facets.clear();
    result.facets_exact = true;
    if (!request.facets)
        return;
    // Facets without a selection are counted on the query itself, by one counter. When it saw
    // every match, the number of distinct records it found is the exact total; otherwise the
    // total is scaled from the sample like the counts.
    FacetCounter counter(unselected, collapse_slot);
    if (const std::optional<double> scale = count_facets(filtered(matched, filter), counter)) {
        counter.scale_by(*scale);
        const auto scaled =
            static_cast<unsigned long long>(double(counter.documents()) * *scale + 0.5);
        // Cut short by the time budget, the count is a lower bound: Xapian's estimate may be
        // closer.
        result.total = timed_out_ ? std::max(result.total, scaled) : scaled;
        result.total_exact = false;
        result.facets_exact = false;
    } else {
        result.total = counter.documents();
        result.total_exact = true;
    }
    for (Facet f : unselected)
        result.facets[f] = counter.result(f, kMaxFacetValues);
    // A selected facet is counted on the query with every other filter but its own, so
    // ticking Sénégal still shows how many documents Liban would add.
    for (Facet f : kAllFacets) {
        if (!is_selected(request.filters, f))
            continue;
        FacetCounter own({f}, collapse_slot);
        if (const auto scale =
                count_facets(filtered(matched, filter_query(request.filters, f)), own)) {
            own.scale_by(*scale);
            result.facets_exact = false;
        }
        result.facets[f] = own.result(f, kMaxFacetValues);
    }
}

std::optional<double> Searcher::count_facets(const Xapian::Query& query, FacetCounter& counter) {
    // Only the counts are wanted: no weights, no collapsing (the counter groups records and
    // clusters itself), no page.
    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    counter.attach(enquire);
    enquire.set_query(query);
    const Xapian::doccount all = db_.get_doccount();
    const Xapian::doccount sample = ranking_.facet_sample;
    // A pass cut short by the time budget saw only some matches: its counts are lower bounds,
    // flagged as estimates (scale 1).
    if (sample == 0 || sample >= all) {
        timed_mset(enquire, 0, 0, all);
        return timed_out_ ? std::optional<double>(1.0) : std::nullopt;
    }
    // Xapian's estimate from the terms' frequencies, before matching anything (check_at_least
    // 0). It can be far off (words that go together), so unless the matches are clearly more
    // than the sample, count the first sample + 1 of them: without weights Xapian stops there
    // on one database (each remote shard stops at its own), and a counter shown at most the
    // sample saw every match.
    Xapian::doccount estimate = enquire.get_mset(0, 0, Xapian::doccount(0)).get_matches_estimated();
    bool remote = false;
    for (const Shard& s : shards_)
        remote = remote || s.spec.remote();
    // Xapian 1.4 stops a weightless match early on one database only: over several local
    // ones (shards, or a shard and the aux database) this pass saw every match.
    const bool one_database = shards_.size() <= 1;
    if (remote || estimate < 2 * sample) {
        timed_mset(enquire, 0, 0, sample + 1);
        if (timed_out_)
            return std::max(1.0, double(estimate) /
                                     double(std::max<Xapian::doccount>(counter.seen(), 1)));
        if (counter.seen() <= sample || (!remote && !one_database))
            return std::nullopt;
        // xapian-tcpsrv cannot rebuild DocidWindows: remote shards keep their first matches,
        // scaled by the estimate.
        if (remote)
            return std::max(1.0, double(estimate) / double(counter.seen()));
        counter.reset();
        enquire.clear_matchspies();
        counter.attach(enquire);
        estimate = std::max(estimate, 2 * sample); // more than the sample, by how much unknown
    }
    // Windows of ids spread over the index, covering about sample / estimate of it (at least
    // 32 of them: small indexes get narrow windows); each count is then divided by the share
    // of ids covered. Local shards each get the same windows over their own ids.
    Xapian::docid databases = 0;
    for (const Shard& s : shards_)
        databases += s.up && !s.aux ? 1 : 0;
    const Xapian::docid last = db_.get_lastdocid() / std::max<Xapian::docid>(databases, 1);
    const double share = double(sample) / double(estimate);
    const auto width = static_cast<Xapian::docid>(std::clamp(last * share / 32, 1.0, 64.0));
    const auto stride = static_cast<Xapian::docid>(width / share + 0.5);
    auto* windows = new DocidWindows(width, stride);
    const double fraction = windows->fraction(last);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(windows->release())));
    timed_mset(enquire, 0, 0, all);
    return 1.0 / fraction;
}

Xapian::MSet Searcher::timed_mset(Xapian::Enquire& enquire, Xapian::doccount first,
                                  Xapian::doccount max_items, Xapian::doccount check_at_least) {
    if (deadline_) {
        const double left =
            std::chrono::duration<double>(*deadline_ - std::chrono::steady_clock::now()).count();
        // 0 would mean no limit to Xapian: a spent budget is a microsecond.
        enquire.set_time_limit(std::max(left, 1e-6));
    }
    Xapian::MSet mset = enquire.get_mset(first, max_items, check_at_least);
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_)
        timed_out_ = true;
    return mset;
}

namespace {

// Appends fields to a cache key without ambiguity: each value is length-prefixed.
class KeyWriter {
public:
    KeyWriter& operator<<(std::string_view s) {
        key_ += std::to_string(s.size());
        key_.push_back(':');
        key_ += s;
        return *this;
    }
    KeyWriter& operator<<(double v) {
        char buf[32]; // %.17g: two different doubles never print alike
        std::snprintf(buf, sizeof buf, "%.17g", v);
        return *this << std::string_view(buf);
    }
    KeyWriter& operator<<(unsigned long long v) {
        return *this << std::string_view(std::to_string(v));
    }
    KeyWriter& operator<<(unsigned v) { return *this << static_cast<unsigned long long>(v); }
    KeyWriter& operator<<(int v) { return *this << std::string_view(std::to_string(v)); }
    KeyWriter& operator<<(bool v) { return *this << std::string_view(v ? "1" : "0"); }
    template <typename T> KeyWriter& operator<<(const std::optional<T>& v) {
        if (!v)
            return *this << std::string_view("-");
        return *this << std::string_view("+") << *v;
    }
    std::string take() { return std::move(key_); }

private:
    std::string key_;
};

KeyWriter& operator<<(KeyWriter& w, SearchMode m) { return w << static_cast<int>(m); }
KeyWriter& operator<<(KeyWriter& w, Fusion f) { return w << static_cast<int>(f); }

void write_selection(KeyWriter& w, const std::map<Facet, std::vector<std::string>>& selection) {
    w << static_cast<unsigned>(selection.size());
    for (const auto& [facet, ids] : selection) {
        w << static_cast<int>(facet) << static_cast<unsigned>(ids.size());
        for (const std::string& id : ids)
            w << std::string_view(id);
    }
}

} // namespace

std::optional<std::string> Searcher::cache_key(const SearchRequest& request) {
    if (request.mode.value_or(ranking_.default_mode) != SearchMode::Lexical)
        return std::nullopt;
    KeyWriter w;
    // The index as this searcher sees it: a commit anywhere changes some revision.
    try {
        if (shards_.empty()) {
            w << std::string_view(db_.get_uuid())
              << static_cast<unsigned long long>(db_.get_revision());
        }
        for (const Shard& s : shards_) {
            if (!s.up || s.spec.remote())
                return std::nullopt;
            w << std::string_view(s.db.get_uuid())
              << static_cast<unsigned long long>(s.db.get_revision());
        }
    } catch (const Xapian::Error&) {
        return std::nullopt; // a backend without revisions (in-memory): nothing to key on
    }
    // How this searcher ranks: every searcher of a server shares its settings, but the key
    // must not depend on that.
    w << ranking_.default_mode << ranking_.fusion << ranking_.rrf_k << ranking_.vector_weight
      << ranking_.depth << ranking_.facet_sample;
    w << scoring_.k1 << scoring_.b << scoring_.title_boost << scoring_.exact_boost
      << scoring_.concept_weight << scoring_.passage_weight << scoring_.max_all_terms_words
      << scoring_.synonym_weight;
    // Every field of the request (a field added to SearchRequest must be added here).
    w << std::string_view(request.q) << request.page << request.size;
    write_selection(w, request.filters.include);
    write_selection(w, request.filters.exclude);
    w << request.filters.year_from << request.filters.year_to << static_cast<int>(request.sort)
      << request.facets << request.explain << request.collapse_duplicates << request.expand
      << request.mode << request.fusion << request.vector_weight << request.synonyms
      << request.snippets << std::string_view(request.highlight_pre)
      << std::string_view(request.highlight_post);
    return w.take();
}

SearchResult Searcher::search(const SearchRequest& request) {
    if (!cache_)
        return compute(request);
    const auto started = std::chrono::steady_clock::now();
    const std::optional<std::string> key = cache_key(request);
    if (key)
        if (std::optional<SearchResult> page = cache_->find(*key)) {
            page->cached = true;
            page->took_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            return std::move(*page);
        }
    SearchResult result = compute(request);
    // A commit seen while computing (with_retry reopened the database) makes the page belong
    // to a newer revision than the key says: then it is not stored.
    // Nor is a page cut short by the time budget: the same search may finish another time.
    if (key && !result.shards.partial() && !result.timed_out && cache_key(request) == key)
        cache_->insert(*key, result);
    return result;
}

SearchResult Searcher::compute(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    deadline_.reset();
    if (ranking_.time_limit_ms > 0)
        deadline_ =
            started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double, std::milli>(ranking_.time_limit_ms));
    timed_out_ = false;
    SearchResult result;
    result.query = request.q;
    result.page = request.page;
    result.size = request.size;
    // Vectors rank by relevance to a text: browsing (no words) and date sorts stay lexical.
    SearchMode mode = request.mode.value_or(ranking_.default_mode);
    if (!request.mode && mode == SearchMode::Hybrid) {
        // Hybrid by default is lexical ranking refined by vectors: without usable vectors (an
        // index built without them, or a write not embedded yet) it is still lexical ranking,
        // so answer that and say so rather than fail. An explicit mode=hybrid still gets 409.
        const std::string status = with_retry([&] { return vector_status(); });
        if (status != "ready") {
            mode = SearchMode::Lexical;
            result.mode_fallback = status == "none" ? "no_vectors" : "vectors_stale";
        }
    }
    if (mode != SearchMode::Lexical)
        with_retry([&] {
            require_vectors();
            return 0;
        });
    if (request.q.find_first_not_of(" \t\r\n") == std::string::npos ||
        request.sort != SortOrder::Relevance)
        mode = SearchMode::Lexical;
    result.search_mode = mode;

    with_retry([&] {
        if (mode == SearchMode::Semantic) {
            run_semantic(request, result);
            return 0;
        }
        // Hybrid: the lexical ranking's first `depth` records are candidates for fusion.
        SearchRequest lexical = request;
        if (mode == SearchMode::Hybrid) {
            lexical.page = 1;
            lexical.size = std::max(ranking_.depth, request.page * request.size);
        }
        const bool snippets = mode == SearchMode::Lexical;
        run(request.q, lexical, result, snippets);
        if (result.total == 0 || result.mode == MatchMode::RelaxedAnyTerms) {
            result.did_you_mean = spelling_correction(request.q);
            if (result.total == 0 && !result.did_you_mean.empty()) {
                run(result.did_you_mean, lexical, result, snippets);
                result.corrected = true;
            }
        }
        if (mode == SearchMode::Hybrid)
            fuse(request, result);
        return 0;
    });
    result.shards = shard_status();
    result.timed_out = timed_out_;
    deadline_.reset();

    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

std::string Searcher::vector_status() {
    vector_parts_.clear();
    vector_stride_ = 1;
    vector_problem_.clear();
    if (fixed_vectors_ || combined_.empty()) {
        // One database: the index's own vectors (or those the caller set).
        if (!fixed_vectors_)
            vectors_ = path_.empty() ? nullptr : shared_vector_store(path_);
        if (!vectors_)
            return "none";
        vector_parts_.push_back({vectors_, 0});
        if (vectors_->matches(db_))
            return "ready";
        vector_problem_ =
            "the index's vectors were built from revision " + std::to_string(vectors_->revision()) +
            " but the documents are at revision " + std::to_string(db_.get_revision());
        return "stale";
    }
    // Several databases: each local shard has its own vectors, matched against that shard
    // (shard.db shares its state with db_, so both see the same revision).
    for (const Shard& s : shards_)
        if (s.spec.remote()) {
            vector_problem_ = s.spec.name;
            return "none";
        }
    vector_stride_ = static_cast<unsigned>(combined_.size());
    bool any = false;
    for (unsigned position = 0; position < combined_.size(); ++position) {
        const Shard& s = shards_[combined_[position]];
        if (s.aux)
            continue;
        std::shared_ptr<const VectorStore> store = shared_vector_store(s.spec.path);
        if (!store) {
            if (vector_problem_.empty())
                vector_problem_ = "the shard " + s.spec.name + " has no vectors";
            continue;
        }
        any = true;
        if (!store->matches(s.db) && vector_problem_.empty())
            vector_problem_ = "the vectors of the shard " + s.spec.name +
                              " were built from revision " + std::to_string(store->revision()) +
                              " but its documents are at revision " +
                              std::to_string(s.db.get_revision());
        vector_parts_.push_back({std::move(store), position});
    }
    if (!any) {
        vector_parts_.clear();
        return "none";
    }
    return vector_problem_.empty() ? "ready" : "stale";
}

void Searcher::require_vectors() {
    const std::string status = vector_status();
    if (status == "none" && !vector_problem_.empty())
        throw Error(ErrorKind::Conflict, "no_vectors",
                    "this index has a remote shard (" + vector_problem_ +
                        "), and remote shards have no vectors, so semantic and hybrid search and "
                        "vector similarity are unavailable: only an index whose shards are all "
                        "local directories has vectors");
    if (status == "none")
        throw Error(ErrorKind::Conflict, "no_vectors",
                    "this index has no vectors, so semantic and hybrid search and vector "
                    "similarity are unavailable: build them with kb-indexer (vectors are trained "
                    "when the index has enough text, or given with --vector-model FILE)");
    if (status == "stale")
        throw Error(ErrorKind::Conflict, "vectors_stale",
                    vector_problem_ +
                        " (written since, or an indexing run stopped before its vectors): they are "
                        "ignored until kb-indexer runs again and rebuilds them");
}

const Embedder& Searcher::vector_embedder() const {
    return vector_parts_.front().store->embedder();
}

unsigned Searcher::vector_dimension() const {
    return vector_parts_.front().store->index().dimension();
}

const float* Searcher::vector_of(Xapian::docid docid) const {
    const unsigned position = (docid - 1) % vector_stride_;
    for (const VectorPart& part : vector_parts_)
        if (part.position == position)
            return part.store->index().vector_of((docid - 1) / vector_stride_ + 1);
    return nullptr;
}

namespace {

// A filter that keeps fewer documents than this is searched exactly, by a scan of its vectors;
// above, the HNSW graph is asked for more neighbours until enough pass the filter.
constexpr std::size_t kExactScanMax = 5000;

} // namespace

std::vector<Searcher::Neighbour> Searcher::neighbours(const std::vector<float>& query_vector,
                                                      const Xapian::Query& filter,
                                                      Xapian::valueno collapse_slot,
                                                      std::size_t groups,
                                                      const std::vector<Xapian::docid>& exclude) {
    require_vectors();
    std::vector<Neighbour> out;
    std::size_t total = 0;
    for (const VectorPart& part : vector_parts_)
        total += part.store->index().size();
    if (groups == 0 || total == 0)
        return out;
    const unsigned n = vector_stride_;
    auto combined = [n](Xapian::docid local, unsigned position) {
        return (local - 1) * n + position + 1;
    };
    std::vector<Xapian::docid> skip = exclude;
    std::sort(skip.begin(), skip.end());
    // The filter's documents (facets, years), sorted: a boolean match of the filter alone,
    // on db_, so in combined ids; each part also gets its own, in its local ids.
    std::vector<Xapian::docid> allowed;
    std::vector<std::vector<Xapian::docid>> allowed_local(vector_parts_.size());
    const bool restricted = !filter.empty();
    if (restricted) {
        Xapian::Enquire enquire(db_);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        enquire.set_query(filter);
        Xapian::MSet all = enquire.get_mset(0, db_.get_doccount());
        for (auto it = all.begin(); it != all.end(); ++it)
            if (!std::binary_search(skip.begin(), skip.end(), *it))
                allowed.push_back(*it);
        std::sort(allowed.begin(), allowed.end());
        if (allowed.empty())
            return out;
        for (std::size_t p = 0; p < vector_parts_.size(); ++p)
            for (Xapian::docid id : allowed)
                if ((id - 1) % n == vector_parts_[p].position)
                    allowed_local[p].push_back((id - 1) / n + 1); // ascending, as `allowed`
    }
    const bool exact = restricted && allowed.size() <= kExactScanMax;
    // A record has several passages: ask for more neighbours than records wanted, and more
    // again if collapsing leaves too few. Each part (shard) is asked for k; their hits are
    // merged by similarity, which compares across parts since they share one model.
    for (std::size_t k = groups * 4 + 16;; k *= 4) {
        k = std::min(k, total);
        std::vector<VectorHit> hits;
        bool exhausted = true;
        for (std::size_t p = 0; p < vector_parts_.size(); ++p) {
            const VectorIndex& index = vector_parts_[p].store->index();
            const unsigned position = vector_parts_[p].position;
            const std::size_t kp = std::min(k, index.size());
            if (kp == 0)
                continue;
            auto accept = [&](Xapian::docid local) {
                const Xapian::docid id = combined(local, position);
                return restricted ? std::binary_search(allowed.begin(), allowed.end(), id)
                                  : !std::binary_search(skip.begin(), skip.end(), id);
            };
            std::vector<VectorHit> part =
                exact ? index.exact(query_vector.data(), kp, &allowed_local[p])
                      : index.search(query_vector.data(), kp, accept);
            if (part.size() >= kp && kp < index.size())
                exhausted = false;
            for (VectorHit& h : part) {
                h.id = combined(h.id, position);
                hits.push_back(h);
            }
        }
        std::stable_sort(hits.begin(), hits.end(), [](const VectorHit& a, const VectorHit& b) {
            return a.similarity > b.similarity;
        });
        out.clear();
        std::set<std::string> seen;
        for (const VectorHit& h : hits) {
            std::string key;
            try {
                key = db_.get_document(h.id).get_value(collapse_slot);
            } catch (const Xapian::DocNotFoundError&) {
                continue; // cannot happen with matching revisions; never serve a missing id
            }
            if (seen.insert(key).second)
                out.push_back({h.id, std::move(key), h.similarity});
            if (out.size() >= groups)
                return out;
        }
        if (exhausted || k >= total)
            return out;
    }
}

void Searcher::run_semantic(const SearchRequest& request, SearchResult& result) {
    require_vectors();
    const ParsedQuery parsed = parse_query(request.q, analyzer_, &db_, request.expand);
    result.expansions = parsed.expansions;
    result.query_language = parsed.english ? "en" : "fr";
    result.mode = MatchMode::AnyTerms;
    const Xapian::valueno collapse_slot =
        request.collapse_duplicates ? schema::kClusterSlot : schema::kParentSlot;
    const std::size_t offset = std::size_t(request.page - 1) * request.size;
    // The candidates: the `depth` nearest records (or as many as the page needs); the total
    // and the facet counts are over them, so total_exact is false.
    const std::size_t pool = std::max<std::size_t>(ranking_.depth, offset + request.size);
    const std::vector<float> query_vector = vector_embedder().embed(request.q);
    std::vector<Neighbour> found;
    bool any = false;
    for (float x : query_vector)
        any = any || x != 0;
    if (any)
        found = neighbours(query_vector, filter_query(request.filters, std::nullopt), collapse_slot,
                           pool);
    result.total = found.size();
    result.total_exact = found.empty();
    result.hits.clear();
    for (std::size_t i = offset; i < found.size() && i < offset + request.size; ++i) {
        Hit hit = make_hit(db_.get_document(found[i].docid), found[i].similarity, parsed.highlight,
                           analyzer_, request.highlight_pre, request.highlight_post);
        hit.group = found[i].group;
        if (request.explain) {
            Hit::Ranking r;
            r.vector_rank = static_cast<unsigned>(i + 1);
            r.vector_similarity = found[i].similarity;
            r.fused_score = found[i].similarity;
            hit.ranking = r;
        }
        result.hits.push_back(std::move(hit));
    }
    result.facets.clear();
    if (!request.facets)
        return;
    std::vector<Facet> all(std::begin(kAllFacets), std::end(kAllFacets));
    FacetCounter counter(all, collapse_slot);
    for (const Neighbour& n : found)
        counter.add(db_.get_document(n.docid));
    for (Facet f : all)
        result.facets[f] = counter.result(f, kMaxFacetValues);
}

void Searcher::fuse(const SearchRequest& request, SearchResult& result) {
    require_vectors();
    const Fusion fusion = request.fusion.value_or(ranking_.fusion);
    const double wv = std::clamp(request.vector_weight.value_or(ranking_.vector_weight), 0.0, 1.0);
    const double wl = 1.0 - wv;
    const Xapian::valueno collapse_slot =
        request.collapse_duplicates ? schema::kClusterSlot : schema::kParentSlot;
    const std::size_t depth =
        std::max<std::size_t>(ranking_.depth, std::size_t(request.page) * request.size);
    const std::vector<float> query_vector = vector_embedder().embed(request.q);
    bool any = false;
    for (float x : query_vector)
        any = any || x != 0;
    const std::vector<Neighbour> found =
        any ? neighbours(query_vector, filter_query(request.filters, std::nullopt), collapse_slot,
                         depth)
            : std::vector<Neighbour>{};

    struct Candidate {
        std::optional<Hit> lexical;
        Xapian::docid docid = 0;
        Hit::Ranking ranking;
    };
    std::vector<Candidate> candidates;
    std::map<std::string, std::size_t> by_group;
    for (std::size_t i = 0; i < result.hits.size(); ++i) {
        Candidate c;
        c.docid = result.hits[i].docid;
        c.ranking.lexical_rank = static_cast<unsigned>(i + 1);
        c.ranking.lexical_score = result.hits[i].score;
        by_group.emplace(result.hits[i].group, candidates.size());
        c.lexical = std::move(result.hits[i]);
        candidates.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < found.size(); ++i) {
        auto [it, added] = by_group.emplace(found[i].group, candidates.size());
        if (added) {
            candidates.emplace_back();
            candidates.back().docid = found[i].docid;
        }
        Candidate& c = candidates[it->second];
        c.ranking.vector_rank = static_cast<unsigned>(i + 1);
        c.ranking.vector_similarity = found[i].similarity;
    }
    // Convex fusion needs a similarity for lexical candidates the neighbours missed: the best of
    // the matched document's vector and its record's passages.
    if (fusion == Fusion::Convex && any)
        for (Candidate& c : candidates) {
            if (c.ranking.vector_similarity || !c.lexical)
                continue;
            float best = -2;
            if (const float* v = vector_of(c.docid))
                best = dot(query_vector.data(), v, vector_dimension());
            const std::string term = passage_term(c.lexical->id);
            for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p)
                if (const float* v = vector_of(*p))
                    best = std::max(best, dot(query_vector.data(), v, vector_dimension()));
            if (best > -2)
                c.ranking.vector_similarity = best;
        }
    double max_lexical = 0, min_sim = 1, max_sim = -1;
    for (const Candidate& c : candidates) {
        max_lexical = std::max(max_lexical, c.ranking.lexical_score);
        if (c.ranking.vector_similarity) {
            min_sim = std::min(min_sim, *c.ranking.vector_similarity);
            max_sim = std::max(max_sim, *c.ranking.vector_similarity);
        }
    }
    for (Candidate& c : candidates) {
        Hit::Ranking& r = c.ranking;
        if (fusion == Fusion::Rrf) {
            r.fused_score = (r.lexical_rank ? wl / (ranking_.rrf_k + r.lexical_rank) : 0) +
                            (r.vector_rank ? wv / (ranking_.rrf_k + r.vector_rank) : 0);
        } else {
            const double lex = max_lexical > 0 ? r.lexical_score / max_lexical : 0;
            const double sim = r.vector_similarity && max_sim > min_sim
                                   ? (*r.vector_similarity - min_sim) / (max_sim - min_sim)
                                   : 0;
            r.fused_score = wl * lex + wv * sim;
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                         return a.ranking.fused_score > b.ranking.fused_score;
                     });

    const ParsedQuery parsed = parse_query(result.corrected ? result.did_you_mean : request.q,
                                           analyzer_, &db_, request.expand);
    const std::size_t offset = std::size_t(request.page - 1) * request.size;
    std::size_t vector_only = 0;
    for (const Candidate& c : candidates)
        vector_only += c.lexical ? 0 : 1;
    result.total += vector_only;
    if (vector_only)
        result.total_exact = false;
    result.page = request.page;
    result.size = request.size;
    result.hits.clear();
    for (std::size_t i = offset; i < candidates.size() && i < offset + request.size; ++i) {
        Candidate& c = candidates[i];
        Hit hit = make_hit(db_.get_document(c.docid), c.ranking.fused_score, parsed.highlight,
                           analyzer_, request.highlight_pre, request.highlight_post);
        if (c.lexical)
            hit.matched_terms = std::move(c.lexical->matched_terms);
        if (request.explain)
            hit.ranking = c.ranking;
        result.hits.push_back(std::move(hit));
    }
}

namespace {

// Only stemmed body terms describe what a document is about (no ids, filters or positions).
class StemTermsOnly : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string& term) const override {
        return term.size() > schema::kStemPrefix.size() + 2 &&
               term.compare(0, schema::kStemPrefix.size(), schema::kStemPrefix) == 0 &&
               term.compare(0, schema::kTitleStemPrefix.size(), schema::kTitleStemPrefix) != 0;
    }
};

constexpr Xapian::termcount kSimilarTerms = 25;

} // namespace

SearchResult Searcher::similar_by_terms(const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = id;
    result.size = size;
    with_retry([&] {
        const std::string term = id_term(id);
        auto posting = db_.postlist_begin(term);
        if (posting == db_.postlist_end(term))
            throw Error(ErrorKind::NotFound, "document_not_found",
                        "no document with id '" + id + "'");
        Xapian::Enquire enquire(db_);
        Xapian::RSet rset;
        rset.add_document(*posting);
        StemTermsOnly decider;
        // Exact term frequencies: by default Xapian approximates them on a database made of
        // several (shards), which changes the terms' weights and so the results.
        Xapian::ESet eset =
            enquire.get_eset(kSimilarTerms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Xapian::Query> terms;
        HighlightTerms highlight;
        for (auto t = eset.begin(); t != eset.end(); ++t) {
            terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
            highlight.stems.insert((*t).substr(schema::kStemPrefix.size()));
        }
        result.hits.clear();
        result.mode = MatchMode::AnyTerms;
        if (terms.empty())
            return 0;
        enquire.set_collapse_key(schema::kParentSlot);
        enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
        enquire.set_query(
            Xapian::Query(Xapian::Query::OP_AND_NOT,
                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
                          Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(term),
                                        Xapian::Query(passage_term(id)))));
        Xapian::MSet mset = enquire.get_mset(0, size);
        result.total = mset.get_matches_estimated();
        result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        for (auto it = mset.begin(); it != mset.end(); ++it)
            result.hits.push_back(make_hit(it.get_document(), it.get_weight(), highlight, analyzer_,
                                           "<mark>", "</mark>"));
        return 0;
    });
    result.shards = shard_status();
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

SearchResult Searcher::similar(const std::string& id, unsigned size, SimilarMethod method) {
    if (method == SimilarMethod::Terms)
        return similar_by_terms(id, size);
    if (method == SimilarMethod::Vectors)
        return similar_by_vectors(id, size);
    // Hybrid: Reciprocal Rank Fusion (k = ranking_.rrf_k, equal weights) of both lists.
    const auto started = std::chrono::steady_clock::now();
    constexpr unsigned kDepth = 50;
    SearchResult by_vectors = similar_by_vectors(id, std::max(size, kDepth));
    SearchResult by_terms = similar_by_terms(id, std::max(size, kDepth));
    std::map<std::string, std::pair<double, Hit>> fused;
    for (SearchResult* list : {&by_terms, &by_vectors})
        for (std::size_t i = 0; i < list->hits.size(); ++i) {
            auto& entry = fused[list->hits[i].id];
            if (entry.second.id.empty())
                entry.second = list->hits[i];
            entry.first += 1.0 / (ranking_.rrf_k + double(i + 1));
        }
    std::vector<std::pair<double, Hit>> ranked;
    for (auto& [key, entry] : fused)
        ranked.push_back(std::move(entry));
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    SearchResult result = std::move(by_terms);
    result.total = ranked.size();
    result.total_exact = false;
    result.size = size;
    result.search_mode = SearchMode::Hybrid;
    result.hits.clear();
    for (std::size_t i = 0; i < ranked.size() && i < size; ++i) {
        ranked[i].second.score = ranked[i].first;
        result.hits.push_back(std::move(ranked[i].second));
    }
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

SearchResult Searcher::similar_by_vectors(const std::string& id, unsigned size) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = id;
    result.size = size;
    result.search_mode = SearchMode::Semantic;
    result.mode = MatchMode::AnyTerms;
    with_retry([&] {
        const std::string term = id_term(id);
        auto posting = db_.postlist_begin(term);
        if (posting == db_.postlist_end(term))
            throw Error(ErrorKind::NotFound, "document_not_found",
                        "no document with id '" + id + "'");
        require_vectors();
        // The record's vector: its own, or the mean of its passages' vectors.
        std::vector<Xapian::docid> own = {*posting};
        const std::string passages = passage_term(id);
        for (auto p = db_.postlist_begin(passages); p != db_.postlist_end(passages); ++p)
            own.push_back(*p);
        std::vector<float> v(vector_dimension(), 0.0f);
        for (Xapian::docid d : own)
            if (const float* row = vector_of(d))
                for (unsigned i = 0; i < vector_dimension(); ++i)
                    v[i] += row[i];
        l2_normalise(v);
        result.hits.clear();
        const std::vector<Neighbour> found =
            neighbours(v, Xapian::Query(), schema::kParentSlot, size, own);
        result.total = found.size();
        result.total_exact = false;
        for (const Neighbour& n : found)
            result.hits.push_back(make_hit(db_.get_document(n.docid), n.similarity, {}, analyzer_,
                                           "<mark>", "</mark>"));
        return 0;
    });
    result.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
}

std::vector<Suggestion> Searcher::suggest(std::string_view typed, unsigned limit) {
    std::vector<Suggestion> out;
    const std::string folded = analyzer_.fold_phrase(typed);
    if (folded.empty() || limit == 0)
        return out;
    std::set<std::string> seen;
    auto add = [&](Suggestion s) {
        std::string key = analyzer_.fold_phrase(s.text);
        if (out.size() < limit && seen.insert(key).second)
            out.push_back(std::move(s));
    };

    // Facet values whose label, then whose alias, starts with the text; after the corpus'
    // own words and titles, those with a later word that starts with it.
    const FacetCatalog& catalog = FacetCatalog::builtin();
    auto facet_values = [&](int pass) {
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            const Facet facet = spec.facet;
            for (const auto& [alias, id] : catalog.aliases(facet)) {
                const FacetEntry* e = catalog.find(facet, id);
                if (!e)
                    continue;
                const bool is_label = catalog.is_label(facet, alias);
                const bool starts = alias.compare(0, folded.size(), folded) == 0;
                const bool word_starts = alias.find(" " + folded) != std::string::npos;
                const bool wanted = pass == 0   ? starts && is_label
                                    : pass == 1 ? starts && !is_label
                                                : word_starts && !starts;
                if (!wanted)
                    continue;
                if (facet == Facet::Country &&
                    !db_.term_exists(std::string(schema::kCountryPrefix) + id))
                    continue; // only countries the corpus talks about
                add({e->label, facet_name(facet), id});
            }
        }
    };
    facet_values(0);

    with_retry([&] {
        // The words typed; the last one is a prefix.
        std::vector<Token> tokens = analyzer_.tokenize(typed);
        std::vector<Xapian::Query> parts;
        std::string last;
        for (const Token& t : tokens) {
            if (t.compound || t.implied)
                continue;
            if (!last.empty())
                parts.emplace_back(std::string(schema::kTitlePrefix) + last);
            last = t.term;
        }
        // Frequent words of the corpus starting with the last word, shown with their accents.
        if (last.size() >= 2 && out.size() < limit) {
            std::vector<std::pair<Xapian::doccount, std::string>> words;
            // Bounded: a two-letter prefix on a large index must stay fast.
            for (auto t = db_.allterms_begin(last);
                 t != db_.allterms_end(last) && words.size() < 5000; ++t)
                words.emplace_back(t.get_termfreq(), *t);
            std::sort(words.rbegin(), words.rend());
            std::map<std::string, std::string> accented;
            const std::string ascii = last.substr(0, std::min<std::size_t>(last.size(), 3));
            const std::string eprefix = std::string(schema::kAccentedPrefix) + ascii;
            for (auto t = db_.allterms_begin(eprefix);
                 t != db_.allterms_end(eprefix) && accented.size() < 5000; ++t) {
                std::string form = (*t).substr(schema::kAccentedPrefix.size());
                accented.emplace(normalize_word(form).folded, form);
            }
            const std::string head = folded.substr(0, folded.size() - last.size());
            for (const auto& [freq, word] : words) {
                if (analyzer_.stopwords().contains(word) || word.size() < 3)
                    continue;
                auto a = accented.find(word);
                add({head + (a == accented.end() ? word : a->second), "term", ""});
                if (out.size() >= limit - limit / 3)
                    break; // leave room for titles
            }
        }
        // Titles of the best documents whose title has the words.
        if (last.size() >= 2 && out.size() < limit) {
            parts.emplace_back(Xapian::Query::OP_WILDCARD, std::string(schema::kTitlePrefix) + last,
                               50, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
            Xapian::Enquire enquire(db_);
            enquire.set_collapse_key(schema::kParentSlot);
            enquire.set_sort_by_relevance_then_value(schema::kParentSlot, false);
            enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
            Xapian::MSet mset = enquire.get_mset(0, 5);
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                Record r = decode_record(it.get_document().get_data());
                if (!r.title.empty())
                    add({r.title, "title", r.id});
            }
        }
        return 0;
    });
    facet_values(1);
    facet_values(2);
    return out;
}

std::vector<std::string> Searcher::duplicates_of(const std::string& id) {
    return with_retry([&] {
        std::vector<std::string> out;
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term))
            return out;
        const std::string cluster = std::string(schema::kClusterPrefix) +
                                    db_.get_document(*it).get_value(schema::kClusterSlot);
        for (auto p = db_.postlist_begin(cluster); p != db_.postlist_end(cluster); ++p) {
            const std::string other = db_.get_document(*p).get_value(schema::kParentSlot);
            if (other != id)
                out.push_back(other);
        }
        return out;
    });
}

std::optional<Record> Searcher::document(const std::string& id) {
    return with_retry([&]() -> std::optional<Record> {
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term))
            return std::nullopt;
        return decode_record(db_.get_document(*it).get_data());
    });
}

std::vector<PassageInfo> Searcher::passages(const std::string& id) {
    return with_retry([&] {
        std::vector<PassageInfo> out;
        const std::string term = passage_term(id);
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
            Record r = decode_record(db_.get_document(*it).get_data());
            PassageInfo p;
            p.n = static_cast<unsigned>(std::min<std::uint64_t>(
                parse_count(r.metadata["passage"]).value_or(0), kMaxStoredCount));
            p.page = static_cast<unsigned>(std::min<std::uint64_t>(
                parse_count(r.metadata["page"]).value_or(0), kMaxStoredCount));
            p.begin = parse_count(r.metadata["begin"]).value_or(0);
            p.length = r.text.size();
            out.push_back(p);
        }
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.n < b.n; });
        return out;
    });
}

} // namespace kb
