#pragma once

// Meilisearch filter expressions → a syntax tree (FilterNode), as Meilisearch's filter-parser
// crate reads them, less what Passerelle refuses (EXISTS, IS NULL, IS EMPTY, geo functions).
//
//   filter      = expression | array
//   array       = "[" (string | "[" string ("," string)* "]") ("," …)* "]"   (AND of ORs; JSON)
//   expression  = or
//   or          = and ("OR" and)*
//   and         = not ("AND" not)*
//   not         = "NOT" not | "(" or ")" | condition
//   condition   = name ( ("=" | "!=" | ">" | ">=" | "<" | "<=") value
//                      | value "TO" value
//                      | "NOT"? "IN" "[" (value ("," value)* ","?)? "]" )
//   name, value = quoted | bare
//   quoted      = '"' (char | "\" char)* '"' | "'" (char | "\" char)* "'"
//   bare        = a run of characters other than blanks = ! < > ( ) [ ] , " '
//
// Keywords (OR, AND, NOT, IN, TO) are case-insensitive and end at a non-bare character. An
// empty or blank expression is no condition (an AND of nothing). `NOT a IN [..]` and
// `a NOT IN [..]` are both a Not over an IN. Repeated values of one IN list are kept once.
// Errors are kb::Error(InvalidRequest, "invalid_search_filter") saying where and what.

#include <rapidjson/document.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace kb::http::meili {

using Clock = std::chrono::steady_clock;

/// When reading a filter must be over: the request's time budget (search.time_limit_ms).
/// With the caps a filter takes microseconds; the deadline is the guard for what they miss.
struct Budget {
    Clock::time_point deadline = Clock::time_point::max();
    double ms = 0; ///< for the message; 0: no budget

    static Budget of(double ms);
    /// The budget as the messages say it ("2000", or "2.500000").
    std::string shown() const;
    /// Throws invalid_search_filter once the deadline has passed.
    void check() const;
};

/// A filter's syntax tree. And/Or/Not have kids; a Cond has attr, op and values.
struct FilterNode {
    enum Kind { And, Or, Not, Cond } kind = Cond;
    std::vector<FilterNode> kids;
    std::string attr, op; ///< op: = != > >= < <= TO IN
    std::vector<std::string> values;

    bool operator==(const FilterNode&) const = default;
};

/// What the parts of one filter (the strings of an array filter) have used of its caps.
struct FilterTally {
    std::size_t clauses = 0;
    Budget budget;
};

/// One expression (the grammar above); counts its conditions against kMaxFilterClauses.
FilterNode parse_filter_expression(const std::string& text, FilterTally& tally);

/// A JSON `filter` value: a string expression, or an array meaning AND whose inner arrays
/// mean OR (blank strings dropped). Checks kMaxFilterBytes and the array's items first.
FilterNode parse_filter(const rapidjson::Value& filter, FilterTally& tally);

} // namespace kb::http::meili
