#include "core/search/cache_key.h"

#include "core/analysis/vocabulary.h"

#include <cstdio>
#include <map>
#include <string_view>
#include <vector>

namespace kb {
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

// The index as the searcher sees it: a commit anywhere changes some revision. False when
// there is nothing to key on (a remote or down shard, a backend without revisions).
bool write_revisions(KeyWriter& w, const IndexHandle& index) {
    try {
        if (index.shards().empty()) {
            w << std::string_view(index.db().get_uuid())
              << static_cast<unsigned long long>(index.db().get_revision());
        }
        for (const IndexHandle::Shard& s : index.shards()) {
            if (!s.up || s.spec.remote())
                return false;
            w << std::string_view(s.db.get_uuid())
              << static_cast<unsigned long long>(s.db.get_revision());
        }
    } catch (const Xapian::Error&) {
        return false; // a backend without revisions (in-memory): nothing to key on
    }
    return true;
}

} // namespace

std::optional<std::string> result_cache_key(const IndexHandle& index,
                                            const RankingSettings& ranking,
                                            const RankingParams& scoring,
                                            const SearchRequest& request) {
    if (request.mode.value_or(ranking.default_mode) != SearchMode::Lexical)
        return std::nullopt;
    KeyWriter w;
    if (!write_revisions(w, index))
        return std::nullopt;
    // How this searcher ranks: every searcher of a server shares its settings, but the key
    // must not depend on that.
    w << ranking.default_mode << ranking.fusion << ranking.rrf_k << ranking.vector_weight
      << ranking.depth << ranking.facet_sample;
    w << scoring.k1 << scoring.b << scoring.title_boost << scoring.exact_boost
      << scoring.concept_weight << scoring.passage_weight << scoring.max_all_terms_words
      << scoring.synonym_weight << scoring.translation_weight << '/' << scoring.all_terms_bonus
      << '/' << scoring.few_all_terms << '/' << scoring.tag_weight;
    // Every field of the request (a field added to SearchRequest must be added here).
    w << std::string_view(request.q) << request.page << request.size;
    write_selection(w, request.filters.include);
    write_selection(w, request.filters.exclude);
    w << request.filters.year_from << request.filters.year_to;
    // A tenant token's scope: two partners' answers to the same request differ.
    w << static_cast<bool>(request.filters.scope);
    if (const auto& scope = request.filters.scope) {
        write_selection(w, scope->include);
        write_selection(w, scope->exclude);
        w << scope->year_from << scope->year_to;
    }
    w << static_cast<int>(request.sort) << request.facets << request.explain
      << request.collapse_duplicates << request.expand << request.mode << request.fusion
      << request.vector_weight << request.synonyms << request.translate << request.snippets
      << std::string_view(request.highlight_pre) << std::string_view(request.highlight_post)
      << static_cast<int>(request.matching)
      << static_cast<unsigned long long>(request.facet_values)
      // A vocabulary is immutable and its generation unique to it in the process.
      << static_cast<unsigned long long>(request.vocabulary ? request.vocabulary->generation() : 0);
    return w.take();
}

} // namespace kb
