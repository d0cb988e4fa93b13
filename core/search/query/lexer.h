#pragma once

// The query language's items: what the user typed, before any analysis. The grammar:
//   query  := item*
//   item   := ["-"] ( phrase | field ":" value | year ".." year | word "*" | word )
//           | "AND" | "ET" | "&&" | "OR" | "OU" | "||" | "NOT" | "SAUF"
//   phrase := '"' … '"' | '«' … '»' | '“' … '”'
// Malformed syntax never fails: an unbalanced quote or an unknown field reads as words.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::query {

enum class ItemKind { Text, Phrase, Prefix, Field, Range, And, Or, Not };

/// One item of a query.
struct Item {
    ItemKind kind;
    std::string text;  ///< Text/Phrase/Prefix/Field value
    std::string field; ///< Field name, lower-case
    bool negated = false;
    bool quoted = false;
    int from = 0, to = 0; ///< Range years
};

/// The items of a query string, in order; runs of plain words are one Text item.
std::vector<Item> lex(std::string_view s);

/// "2016..2020" or "2016" as {from, to}, or nothing.
std::optional<std::pair<int, int>> parse_year_range(std::string_view v);

} // namespace kb::query
