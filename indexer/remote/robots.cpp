#include "indexer/remote/robots.h"

#include "core/ascii.h"
#include "core/trim.h"

#include <algorithm>
#include <cctype>

namespace kb {

namespace {

// `*` matches any run of characters, a final `$` anchors the end; otherwise a prefix match.
bool matches(std::string_view pattern, std::string_view path) {
    bool anchored = false;
    if (!pattern.empty() && pattern.back() == '$') {
        anchored = true;
        pattern.remove_suffix(1);
    }
    // Iterative wildcard matching with backtracking to the last star.
    std::size_t p = 0, s = 0, star = std::string_view::npos, star_s = 0;
    while (s < path.size()) {
        if (p == pattern.size() && !anchored)
            return true;
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_s = s;
        } else if (p < pattern.size() && pattern[p] == path[s]) {
            ++p;
            ++s;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            s = ++star_s;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace

RobotsRules RobotsRules::parse(std::string_view text, std::string_view agent) {
    const std::string own = ascii_lower(agent);
    std::vector<Rule> own_rules, any_rules;
    bool own_found = false;
    // The user agents of the group being read; a group ends at the first user-agent line that
    // follows a rule.
    bool group_is_own = false, group_is_any = false, in_rules = false;
    while (!text.empty()) {
        const std::size_t eol = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
        if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
            line = line.substr(0, hash);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string key = ascii_lower(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (key == "user-agent") {
            if (in_rules) {
                group_is_own = group_is_any = in_rules = false;
            }
            // The product token is the value up to the first "/" or space ("Passerelle/0.1").
            const std::string token = ascii_lower(value.substr(0, value.find_first_of("/ \t")));
            if (token == "*")
                group_is_any = true;
            if (token == own)
                group_is_own = own_found = true;
        } else if (key == "allow" || key == "disallow") {
            in_rules = true;
            if (value.empty())
                continue; // "Disallow:" with nothing allows everything
            const Rule rule{std::string(value), key == "allow"};
            if (group_is_own)
                own_rules.push_back(rule);
            if (group_is_any)
                any_rules.push_back(rule);
        }
    }
    RobotsRules rules;
    rules.rules_ = own_found ? std::move(own_rules) : std::move(any_rules);
    return rules;
}

RobotsRules RobotsRules::disallow_all() {
    RobotsRules rules;
    rules.rules_.push_back({"/", false});
    return rules;
}

bool RobotsRules::allowed(std::string_view path_and_query) const {
    if (path_and_query == "/robots.txt")
        return true;
    std::size_t best_length = 0;
    bool best_allow = true, found = false;
    for (const Rule& rule : rules_) {
        if (!matches(rule.pattern, path_and_query))
            continue;
        const std::size_t length = rule.pattern.size();
        if (!found || length > best_length || (length == best_length && rule.allow)) {
            best_length = length;
            best_allow = rule.allow;
            found = true;
        }
    }
    return best_allow;
}

} // namespace kb
