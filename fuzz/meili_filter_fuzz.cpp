// The Meilisearch filter grammar (search-server/meili/filter_parser.h) and its builder on
// arbitrary input:
// - the input as one filter expression goes to parse_filter_expression, then the tree to
//   build_filters;
// - the input as a JSON `filter` value (a string, or arrays of strings) goes to parse_filter
//   and build_filters, as a search body's filter does.
// Input must never produce anything but kb::Error(InvalidRequest); an accepted tree stays
// within the caps (kMaxFilterClauses conditions, kMaxFilterDepth levels), and an accepted
// filter names at most kMaxFilterValues distinct values per selection.

#include "core/error.h"
#include "fuzz/fuzz_support.h"
#include "search-server/api/search_params.h"
#include "search-server/json/json_input.h"
#include "search-server/meili/filter_builder.h"
#include "search-server/meili/filter_parser.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

using kb::http::meili::FilterNode;

// Conditions and depth of a tree, walked with an explicit stack (the tree is what is checked).
std::pair<std::size_t, std::size_t> measure(const FilterNode& root) {
    std::size_t conditions = 0, deepest = 0;
    std::vector<std::pair<const FilterNode*, std::size_t>> todo{{&root, 0}};
    while (!todo.empty()) {
        const auto [n, depth] = todo.back();
        todo.pop_back();
        deepest = std::max(deepest, depth);
        conditions += n->kind == FilterNode::Cond;
        for (const FilterNode& k : n->kids)
            todo.emplace_back(&k, depth + 1);
    }
    return {conditions, deepest};
}

void check_tree(const FilterNode& tree, const char* what) {
    const auto [conditions, depth] = measure(tree);
    if (conditions > kb::http::kMaxFilterClauses)
        kb::fuzz::fail(std::string(what) + ": a tree of " + std::to_string(conditions) +
                       " conditions was accepted");
    // Each level of parentheses or NOT is at most an Or, an And and a Not; an array adds two.
    if (depth > 3 * kb::http::kMaxFilterDepth + 2)
        kb::fuzz::fail(std::string(what) + ": a tree " + std::to_string(depth) +
                       " levels deep was accepted");
}

void check_filters(const kb::FacetFilters& f, const char* what) {
    for (const auto* selection : {&f.include, &f.exclude}) {
        std::size_t values = 0;
        for (const auto& [facet, ids] : *selection)
            values += ids.size();
        if (values > kb::http::kMaxFilterValues)
            kb::fuzz::fail(std::string(what) + ": a filter of " + std::to_string(values) +
                           " values was accepted");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto budget = kb::http::meili::Budget::of(2000);

    kb::fuzz::only_invalid_request("parse_filter_expression", [&] {
        kb::http::meili::FilterTally tally;
        tally.budget = budget;
        const FilterNode tree = kb::http::meili::parse_filter_expression(input, tally);
        check_tree(tree, "parse_filter_expression");
        bool nothing = false;
        check_filters(kb::http::meili::build_filters(tree, nothing, budget), "build_filters");
    });

    kb::fuzz::only_invalid_request("parse_filter (JSON value)", [&] {
        rapidjson::Document doc;
        kb::http::parse_client_json(doc, input,
                                    {"bad_request", "not JSON", "invalid_search_filter"});
        kb::http::meili::FilterTally tally;
        tally.budget = budget;
        check_tree(kb::http::meili::parse_filter(doc, tally), "parse_filter");
        bool nothing = false;
        check_filters(kb::http::meili::build_filters(doc, nothing, budget),
                      "build_filters (JSON value)");
    });
    return 0;
}
