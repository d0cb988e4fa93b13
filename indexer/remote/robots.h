#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb {

/// The rules of one robots.txt (RFC 9309) that apply to one crawler: the groups naming its
/// product token (case-insensitive), else the "*" groups, merged. A path is allowed unless its
/// longest matching rule is a Disallow (an Allow of the same length wins); patterns take the
/// `*` wildcard and a final `$` anchor, and /robots.txt itself is always allowed.
class RobotsRules {
public:
    /// Parses robots.txt text for the crawler whose product token is `agent` ("Passerelle").
    static RobotsRules parse(std::string_view text, std::string_view agent);
    /// No rules: everything allowed (no robots.txt, or a 4xx answer for it).
    static RobotsRules allow_all() { return {}; }
    /// Everything disallowed (robots.txt answered 5xx: the site may be down, do not crawl).
    static RobotsRules disallow_all();

    /// Whether `path_and_query` ("/a/b?x=1") may be fetched.
    bool allowed(std::string_view path_and_query) const;

private:
    struct Rule {
        std::string pattern;
        bool allow = false;
    };
    std::vector<Rule> rules_;
};

} // namespace kb
