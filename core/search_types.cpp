#include "core/search_types.h"

#include <array>
#include <utility>

namespace kb {
namespace {

// One table per enum: its API names, both ways.
template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<MatchMode, 5> kMatchModes = {{{MatchMode::AllTerms, "all_terms"},
                                                  {MatchMode::AnyTerms, "any_terms"},
                                                  {MatchMode::RelaxedAnyTerms, "relaxed_any_terms"},
                                                  {MatchMode::FewAllTerms, "few_all_terms"},
                                                  {MatchMode::Browse, "browse"}}};
constexpr NameTable<SearchMode, 3> kSearchModes = {{{SearchMode::Lexical, "lexical"},
                                                    {SearchMode::Semantic, "semantic"},
                                                    {SearchMode::Hybrid, "hybrid"}}};
constexpr NameTable<Fusion, 2> kFusions = {{{Fusion::Rrf, "rrf"}, {Fusion::Convex, "convex"}}};
constexpr NameTable<SimilarMethod, 3> kSimilarMethods = {{{SimilarMethod::Terms, "terms"},
                                                          {SimilarMethod::Vectors, "vectors"},
                                                          {SimilarMethod::Hybrid, "hybrid"}}};

template <typename E, std::size_t N> const char* name_of(const NameTable<E, N>& table, E value) {
    for (const auto& [v, name] : table)
        if (v == value)
            return name.data(); // string literals: NUL-terminated
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [v, n] : table)
        if (n == name)
            return v;
    return std::nullopt;
}

} // namespace

const char* to_string(MatchMode mode) { return name_of(kMatchModes, mode); }
const char* to_string(SearchMode mode) { return name_of(kSearchModes, mode); }
const char* to_string(Fusion fusion) { return name_of(kFusions, fusion); }

std::optional<SearchMode> search_mode_from_name(std::string_view name) {
    return value_of(kSearchModes, name);
}
std::optional<Fusion> fusion_from_name(std::string_view name) { return value_of(kFusions, name); }
std::optional<SimilarMethod> similar_method_from_name(std::string_view name) {
    return value_of(kSimilarMethods, name);
}

} // namespace kb
