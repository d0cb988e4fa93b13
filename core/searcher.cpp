#include "searcher.h"

#include "document_builder.h"
#include "error.h"
#include "query_builder.h"
#include "schema.h"
#include "snippet.h"

#include <chrono>

namespace kb {

const char* to_string(MatchMode mode) {
    switch (mode) {
    case MatchMode::AllTerms: return "all_terms";
    case MatchMode::AnyTerms: return "any_terms";
    case MatchMode::RelaxedAnyTerms: return "relaxed_any_terms";
    case MatchMode::Browse: return "browse";
    }
    return "unknown";
}

Searcher::Searcher(const std::string& index_path) : path_(index_path) {
    try {
        db_ = Xapian::Database(index_path);
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw Error(ErrorKind::Unavailable, "index_unavailable",
                    "cannot open index " + index_path + ": " + e.get_msg() +
                        " (run the indexer first: ./kb index)");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::Internal, "index_unavailable",
                    "cannot open index " + index_path + ": " + e.get_description());
    }
}

void Searcher::refresh() { db_.reopen(); }

std::string Searcher::last_commit() const {
    return db_.get_metadata(std::string(schema::kLastCommitKey));
}

// A writer committing while we read can invalidate our snapshot: reopen and retry once.
template <typename F> auto Searcher::with_retry(F&& f) {
    try {
        return f();
    } catch (const Xapian::DatabaseModifiedError&) {
        db_.reopen();
        return f();
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
        if (suggestion.empty()) continue;
        corrected.append(query, cursor, t.begin - cursor);
        corrected += suggestion;
        cursor = t.end;
        changed = true;
    }
    if (!changed) return {};
    corrected.append(query, cursor, std::string::npos);
    return corrected;
}

void Searcher::run(const std::string& query, const SearchRequest& request, SearchResult& result) {
    const ParsedQuery parsed = parse_query(query, analyzer_, &db_);
    const Xapian::doccount offset = (request.page - 1) * request.size;
    // Count exactly up to this many matches; beyond it the total is an estimate.
    const Xapian::doccount check_at_least = std::max<Xapian::doccount>(offset + request.size, 1000);

    Xapian::Enquire enquire(db_);
    enquire.set_query(parsed.query);
    if (parsed.browse) enquire.set_sort_by_value(schema::kDateSlot, true);
    Xapian::MSet mset = enquire.get_mset(offset, request.size, check_at_least);
    result.mode = parsed.browse         ? MatchMode::Browse
                  : parsed.requires_all ? MatchMode::AllTerms
                                        : MatchMode::AnyTerms;
    if (mset.get_matches_estimated() == 0 && !parsed.relaxed.empty()) {
        enquire.set_query(parsed.relaxed);
        mset = enquire.get_mset(offset, request.size, check_at_least);
        result.mode = MatchMode::RelaxedAnyTerms;
    }
    result.expansions = parsed.expansions;
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.hits.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Record r = decode_record(it.get_document().get_data());
        Hit hit;
        hit.id = r.id;
        hit.title = r.title;
        hit.date = r.date;
        hit.type = r.type;
        hit.publisher = r.publisher;
        hit.url = r.url;
        hit.score = it.get_weight();
        hit.snippet = make_snippet(r.text, parsed.highlight, analyzer_);
        result.hits.push_back(std::move(hit));
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    SearchResult result;
    result.query = request.q;
    result.page = request.page;
    result.size = request.size;

    with_retry([&] {
        run(request.q, request, result);
        if (result.total == 0 || result.mode == MatchMode::RelaxedAnyTerms) {
            result.did_you_mean = spelling_correction(request.q);
            if (result.total == 0 && !result.did_you_mean.empty()) {
                run(result.did_you_mean, request, result);
                result.corrected = true;
            }
        }
        return 0;
    });

    result.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               started)
                         .count();
    return result;
}

std::optional<Record> Searcher::document(const std::string& id) {
    return with_retry([&]() -> std::optional<Record> {
        const std::string term = id_term(id);
        auto it = db_.postlist_begin(term);
        if (it == db_.postlist_end(term)) return std::nullopt;
        return decode_record(db_.get_document(*it).get_data());
    });
}

} // namespace kb
