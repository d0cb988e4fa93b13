#pragma once

#include "core/record.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// The authors a publication's first lines name: "France urbaine et l'INET publient une
/// étude…", "Une étude réalisée par X", "Auteurs : X, Y". Organisations keep their own words;
/// leading articles and elisions ("l'", "la") are dropped. Empty when no such statement is
/// found in the first kTitlePageBytes.
std::vector<std::string> authors_on_title_page(std::string_view text);

/// The publication date the first lines state: "Publié le 3 octobre 2017", "publiée en juin
/// 2021", "© 2019", "Édition 2021", or a line that is only a (month and) year, as title pages
/// print it. A year range ("mandat 2020-2026") or a year inside a sentence is not a date of
/// publication: "" then.
std::string date_on_title_page(std::string_view text);

/// Fills what a publication (type étude, vade-mecum or none) leaves empty from its title
/// page: metadata "author" (names joined by "; ", as kAuthorSeparator) and the date. What the
/// source states in its own fields always wins.
void complete_from_title_page(Record& record);

/// How several authors are joined in metadata "author".
constexpr std::string_view kAuthorSeparator = "; ";
/// How much of a text counts as its title page.
constexpr std::size_t kTitlePageBytes = 1500;

} // namespace kb
