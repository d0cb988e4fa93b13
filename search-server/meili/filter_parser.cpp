#include "search-server/meili/filter_parser.h"

#include "search-server/api/search_params.h"
#include "search-server/meili/body_access.h"

#include <cctype>
#include <string>
#include <unordered_set>

namespace kb::http::meili {

Budget Budget::of(double ms) {
    Budget b;
    if (ms > 0) {
        b.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double, std::milli>(ms));
        b.ms = ms;
    }
    return b;
}

std::string Budget::shown() const {
    const auto whole = static_cast<long long>(ms);
    return static_cast<double>(whole) == ms ? std::to_string(whole) : std::to_string(ms);
}

void Budget::check() const {
    if (Clock::now() > deadline)
        bad("invalid_search_filter", "the filter took longer than the time budget of " + shown() +
                                         " ms (search.time_limit_ms) to read; simplify it");
}

namespace {

using Node = FilterNode;
using Value = rapidjson::Value;

class FilterParser {
public:
    FilterParser(const std::string& text, FilterTally& tally) : s_(text), tally_(tally) {}

    /// An empty (or blank) expression is no condition: an AND of nothing.
    Node parse() {
        skip_space();
        if (pos_ == s_.size())
            return Node{Node::And, {}, {}, {}, {}};
        Node n = parse_or();
        skip_space();
        if (pos_ < s_.size())
            fail("unexpected '" + s_.substr(pos_, 20) + "'");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) {
        bad("invalid_search_filter", "Invalid filter at character " + std::to_string(pos_) + ": " +
                                         what + " in `" + s_.substr(0, 200) + "`");
    }
    void skip_space() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    static bool word_char(char c) {
        return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '=' && c != '!' &&
               c != '<' && c != '>' && c != '(' && c != ')' && c != '[' && c != ']' && c != ',' &&
               c != '"' && c != '\'';
    }
    // A keyword (case-insensitive) followed by a non-word character.
    bool keyword(const char* k) {
        skip_space();
        const std::size_t n = std::char_traits<char>::length(k);
        if (pos_ + n > s_.size())
            return false;
        for (std::size_t i = 0; i < n; ++i)
            if (std::toupper(static_cast<unsigned char>(s_[pos_ + i])) != k[i])
                return false;
        if (pos_ + n < s_.size() && word_char(s_[pos_ + n]))
            return false;
        pos_ += n;
        return true;
    }
    bool peek_keyword(const char* k) {
        const std::size_t saved = pos_;
        const bool found = keyword(k);
        pos_ = saved;
        return found;
    }
    std::string token() {
        skip_space();
        if (pos_ >= s_.size())
            fail("missing a name or value");
        const char quote = s_[pos_];
        std::string out;
        if (quote == '"' || quote == '\'') {
            ++pos_;
            while (pos_ < s_.size() && s_[pos_] != quote) {
                if (s_[pos_] == '\\' && pos_ + 1 < s_.size())
                    ++pos_;
                out += s_[pos_++];
            }
            if (pos_ >= s_.size())
                fail("unclosed quote");
            ++pos_;
            return out;
        }
        while (pos_ < s_.size() && word_char(s_[pos_]))
            out += s_[pos_++];
        if (out.empty())
            fail("missing a name or value");
        return out;
    }
    Node parse_or() { return parse_joined("OR", Node::Or, &FilterParser::parse_and); }
    Node parse_and() { return parse_joined("AND", Node::And, &FilterParser::parse_not); }
    // `part (word part)*`: one part alone stays itself, several become a `kind` node.
    Node parse_joined(const char* word, Node::Kind kind, Node (FilterParser::*part)()) {
        Node first = (this->*part)();
        if (!peek_keyword(word))
            return first;
        Node n{kind, {std::move(first)}, {}, {}, {}};
        while (keyword(word))
            n.kids.push_back((this->*part)());
        return n;
    }
    Node parse_not() {
        if (++depth_ > static_cast<int>(kMaxFilterDepth))
            fail("parentheses and NOT nest deeper than " + std::to_string(kMaxFilterDepth) +
                 " levels");
        Node n;
        if (keyword("NOT")) {
            n = Node{Node::Not, {parse_not()}, {}, {}, {}};
        } else {
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == '(') {
                ++pos_;
                n = parse_or();
                skip_space();
                if (pos_ >= s_.size() || s_[pos_] != ')')
                    fail("missing ')'");
                ++pos_;
            } else {
                n = parse_condition();
            }
        }
        --depth_;
        return n;
    }
    Node parse_condition() {
        if (++tally_.clauses > kMaxFilterClauses)
            fail("more than " + std::to_string(kMaxFilterClauses) + " conditions");
        if (tally_.clauses % 64 == 0)
            tally_.budget.check();
        Node n;
        n.attr = token();
        skip_space();
        if (keyword("IN"))
            return parse_in(std::move(n));
        if (keyword("NOT")) {
            if (keyword("IN"))
                return Node{Node::Not, {parse_in(std::move(n))}, {}, {}, {}};
            if (keyword("EXISTS"))
                fail("EXISTS is not supported");
            fail("expected IN after NOT");
        }
        if (keyword("EXISTS") || keyword("IS"))
            fail("EXISTS, IS NULL and IS EMPTY are not supported");
        for (const char* op : {"!=", ">=", "<=", "=", ">", "<"}) {
            if (s_.compare(pos_, std::char_traits<char>::length(op), op) == 0) {
                pos_ += std::char_traits<char>::length(op);
                n.op = op;
                n.values.push_back(token());
                return n;
            }
        }
        if (pos_ < s_.size() && s_[pos_] == ':')
            fail("':' is not an operator; use '='");
        // `attr low TO high`
        if (pos_ < s_.size()) {
            const std::string low = token();
            if (keyword("TO")) {
                n.op = "TO";
                n.values = {low, token()};
                return n;
            }
        }
        fail("expected an operator (=, !=, >, >=, <, <=, TO, IN) after `" + n.attr.substr(0, 60) +
             "`");
    }
    Node parse_in(Node n) {
        n.op = "IN";
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '[')
            fail("expected '[' after IN");
        ++pos_;
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return n;
        }
        // Repeated values are dropped here, each in O(1): `IN [SN, SN, …]` 20,000 times is
        // `IN [SN]`, not an OR of 20,000 terms. Distinct values are capped by the builder.
        std::unordered_set<std::string> seen;
        for (std::size_t read = 1;; ++read) {
            if (read % 1024 == 0)
                tally_.budget.check();
            std::string value = token();
            if (seen.insert(value).second)
                n.values.push_back(std::move(value));
            skip_space();
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                skip_space();
                if (pos_ < s_.size() && s_[pos_] == ']') { // trailing comma
                    ++pos_;
                    return n;
                }
                continue;
            }
            if (pos_ < s_.size() && s_[pos_] == ']') {
                ++pos_;
                return n;
            }
            fail("expected ',' or ']'");
        }
    }

    const std::string& s_;
    FilterTally& tally_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};
// The filter's strings (one, or those of an array filter) checked against kMaxFilterBytes as a
// whole, before any is parsed: an array filter is no way around the cap of a string one.
void check_filter_bytes(const Value& filter) {
    std::size_t bytes = 0, items = 0;
    auto count = [&](const Value& v) {
        if (v.IsString())
            bytes += v.GetStringLength();
        ++items;
    };
    if (filter.IsArray()) {
        for (const Value& item : filter.GetArray()) {
            count(item);
            if (item.IsArray())
                for (const Value& inner : item.GetArray())
                    count(inner);
        }
    } else {
        count(filter);
    }
    if (bytes > kMaxFilterBytes)
        bad("invalid_search_filter", "the filter is longer than " +
                                         std::to_string(kMaxFilterBytes) + " bytes (" +
                                         std::to_string(bytes) + ")");
    if (items > kMaxFilterClauses)
        bad("invalid_search_filter",
            "the array filter has more than " + std::to_string(kMaxFilterClauses) + " items");
}

} // namespace

FilterNode parse_filter_expression(const std::string& text, FilterTally& tally) {
    return FilterParser(text, tally).parse();
}

FilterNode parse_filter(const rapidjson::Value& filter, FilterTally& tally) {
    check_filter_bytes(filter);
    if (filter.IsString())
        return FilterParser(str(filter), tally).parse();
    if (!filter.IsArray())
        bad("invalid_search_filter",
            "Invalid value type for `filter`: expected an array or a string");
    Node all{Node::And, {}, {}, {}, {}};
    for (const Value& item : filter.GetArray()) {
        if (item.IsString()) {
            all.kids.push_back(FilterParser(str(item), tally).parse());
        } else if (item.IsArray()) {
            Node any{Node::Or, {}, {}, {}, {}};
            for (const Value& inner : item.GetArray()) {
                if (!inner.IsString())
                    bad("invalid_search_filter",
                        "Invalid value type for `filter`: arrays may nest once, of strings");
                Node n = FilterParser(str(inner), tally).parse();
                if (n.kind == Node::And && n.kids.empty())
                    continue; // blank
                any.kids.push_back(std::move(n));
            }
            if (!any.kids.empty())
                all.kids.push_back(std::move(any));
        } else {
            bad("invalid_search_filter",
                "Invalid value type for `filter`: expected strings or arrays of strings");
        }
    }
    return all;
}

} // namespace kb::http::meili
