#include "search-server/meili/meili_compat.h"

#include "core/schema/schema.h"
#include "core/error.h"
#include "core/facets/facet_catalog.h"
#include "search-server/json/json_input.h"
#include "core/search/query/query_builder.h"
#include "search-server/api/search_params.h"
#include "core/search/snippet.h"
#include "core/utf8.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

namespace kb::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;

const char* const kJson = "application/json; charset=utf-8";
const char* const kIndexUid = "documents";
/// Most hits one request returns (Meilisearch's default maxTotalHits is 1000 too).
constexpr unsigned kMaxLimit = 1000;
/// Most queries in one multi-search.
constexpr rapidjson::SizeType kMaxMultiSearchQueries = 100;
/// Private highlight markers asked of the engine, replaced by the client's tags afterwards.
const std::string kPre = "\x02", kPost = "\x03";
/// The error codes of client JSON in this layer (Meilisearch's for a malformed payload).
constexpr JsonErrorCodes kJsonCodes{"malformed_payload", "The json payload provided is malformed",
                                    "bad_request"};

using Clock = std::chrono::steady_clock;

/// When building a filter must be over: the request's time budget (search.time_limit_ms).
/// With the caps a filter takes microseconds; the deadline is the guard for what they miss.
struct Budget {
    Clock::time_point deadline = Clock::time_point::max();
    double ms = 0; ///< for the message; 0: no budget

    static Budget of(double ms) {
        Budget b;
        if (ms > 0) {
            b.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double, std::milli>(ms));
            b.ms = ms;
        }
        return b;
    }
    std::string shown() const {
        const auto whole = static_cast<long long>(ms);
        return static_cast<double>(whole) == ms ? std::to_string(whole) : std::to_string(ms);
    }
    void check() const;
};

[[noreturn]] void bad(const std::string& code, const std::string& message) {
    throw Error(ErrorKind::InvalidRequest, code, message);
}

std::string str(const Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

void Budget::check() const {
    if (Clock::now() > deadline)
        bad("invalid_search_filter", "the filter took longer than the time budget of " + shown() +
                                         " ms (search.time_limit_ms) to read; simplify it");
}

const Value* member(const Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || it->value.IsNull())
        return nullptr;
    return &it->value;
}

/* ------------------------------------------------------------------ filter expressions */

// Meilisearch filter syntax: conditions `attr = v`, `!=`, `>`, `>=`, `<`, `<=`, `attr a TO b`,
// `attr IN [a, b]`, combined with NOT, AND, OR and parentheses; names and values quoted with
// '…' or "…" (backslash escapes) or bare.
struct Node {
    enum Kind { And, Or, Not, Cond } kind = Cond;
    std::vector<Node> kids;
    std::string attr, op; ///< op: = != > >= < <= TO IN
    std::vector<std::string> values;
};

// What the parts of one filter (the strings of an array filter) have used of its caps.
struct FilterTally {
    std::size_t clauses = 0;
    Budget budget;
};

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
    Node parse_or() {
        Node first = parse_and();
        if (!peek_keyword("OR"))
            return first;
        Node n{Node::Or, {std::move(first)}, {}, {}, {}};
        while (keyword("OR"))
            n.kids.push_back(parse_and());
        return n;
    }
    Node parse_and() {
        Node first = parse_not();
        if (!peek_keyword("AND"))
            return first;
        Node n{Node::And, {std::move(first)}, {}, {}, {}};
        while (keyword("AND"))
            n.kids.push_back(parse_not());
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

// Labels as the facet distribution shows them → ids, for the facets of the catalog; a label
// two entries share is left out (resolve() decides then).
const std::map<std::string, std::string>& label_ids(Facet facet) {
    static const std::map<Facet, std::map<std::string, std::string>> all = [] {
        std::map<Facet, std::map<std::string, std::string>> m;
        const FacetCatalog& catalog = FacetCatalog::builtin();
        for (const schema::FacetSpec& spec : schema::kFacetTable) {
            if (spec.values_from != schema::FacetValuesFrom::Catalog)
                continue;
            const Facet f = spec.facet;
            std::map<std::string, int> seen;
            for (const auto& [id, e] : catalog.entries(f))
                ++seen[e.label];
            for (const auto& [id, e] : catalog.entries(f))
                if (seen[e.label] == 1)
                    m[f][e.label] = id;
        }
        return m;
    }();
    static const std::map<std::string, std::string> none;
    auto it = all.find(facet);
    return it == all.end() ? none : it->second;
}

std::string facet_list() { return "theme, actor, country, region, type, year"; }

Facet filter_facet(const std::string& attr) {
    auto facet = facet_from_name(attr);
    if (!facet)
        bad("invalid_search_filter", "Attribute `" + attr.substr(0, 80) +
                                         "` is not filterable. Available filterable attributes "
                                         "are: " +
                                         facet_list() + ".");
    return *facet;
}

int year_value(const std::string& v) {
    std::string digits = v;
    if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, ".0") == 0)
        digits.resize(digits.size() - 2);
    if (digits.size() != 4 || digits.find_first_not_of("0123456789") != std::string::npos)
        bad("invalid_search_filter",
            "year must be a year (4 digits), got `" + v.substr(0, 40) + "`");
    return std::stoi(digits);
}

std::string resolve_value(Facet facet, const std::string& value) {
    if (value.empty())
        bad("invalid_search_filter", std::string("empty ") + facet_name(facet) + " value");
    if (facet == Facet::Year)
        return std::to_string(year_value(value));
    if (facet == Facet::Type) {
        thread_local Analyzer analyzer;
        return analyzer.fold_phrase(value);
    }
    const auto& labels = label_ids(facet);
    if (auto it = labels.find(value); it != labels.end())
        return it->second;
    if (auto id = FacetCatalog::builtin().resolve(facet, value))
        return *id;
    bad("unknown_facet_value", std::string("unknown ") + facet_name(facet) + " '" +
                                   value.substr(0, 80) + "' (see GET /facets for known values)");
}

// The filter as a conjunction Passerelle can run: per facet an OR-group of ids (several groups
// on one facet are intersected when that is exact), exclusions, a year range.
class FilterBuilder {
public:
    explicit FilterBuilder(const Budget& budget) : budget_(budget) {}

    void add(const Node& n, bool negated) {
        budget_.check();
        switch (n.kind) {
        case Node::And:
            if (negated && n.kids.size() > 1)
                unsupported("NOT over an AND of several conditions");
            for (const Node& k : n.kids)
                add(k, negated);
            return;
        case Node::Not:
            add(n.kids.front(), !negated);
            return;
        case Node::Or:
            if (negated) { // NOT (a OR b) = NOT a AND NOT b
                for (const Node& k : n.kids)
                    add(k, true);
                return;
            }
            {
                std::optional<Facet> facet;
                std::vector<std::string> ids;
                or_seen_.clear();
                collect_or(n, facet, ids);
                include(*facet, std::move(ids));
            }
            return;
        case Node::Cond:
            condition(n, negated);
            return;
        }
    }

    FacetFilters finish(bool* nothing) {
        FacetFilters f;
        for (auto& [facet, ids] : include_)
            f.include[facet] = ids;
        for (auto& [facet, ids] : exclude_) {
            std::set<std::string> seen;
            for (const std::string& id : ids)
                if (seen.insert(id).second)
                    f.exclude[facet].push_back(id);
        }
        f.year_from = year_from_;
        f.year_to = year_to_;
        if (year_from_ && year_to_ && year_from_ > year_to_)
            nothing_ = true;
        if (nothing)
            *nothing = nothing_;
        return f;
    }

private:
    [[noreturn]] static void unsupported(const std::string& what) {
        bad("invalid_search_filter",
            "Unsupported filter: " + what +
                ". Passerelle runs an AND of conditions, each one "
                "facet's values ORed (`country = SN OR country = LB`), `!=`/NOT on values and year "
                "comparisons.");
    }

    void collect_or(const Node& n, std::optional<Facet>& facet, std::vector<std::string>& ids) {
        if (n.kind == Node::Or) {
            for (const Node& k : n.kids)
                collect_or(k, facet, ids);
            return;
        }
        if (n.kind == Node::And && n.kids.size() == 1)
            return collect_or(n.kids.front(), facet, ids);
        if (n.kind != Node::Cond || (n.op != "=" && n.op != "IN"))
            unsupported("OR of anything but `attribute = value` conditions");
        const Facet f = filter_facet(n.attr);
        if (facet && *facet != f)
            unsupported(std::string("OR across facets (") + facet_name(*facet) + ", " +
                        facet_name(f) + ")");
        facet = f;
        for (const std::string& v : n.values) {
            std::string id = resolve(f, v);
            if (or_seen_.insert(id).second)
                ids.push_back(std::move(id));
        }
    }

    // A value as its id, counted against kMaxFilterValues: an OR of one term per distinct
    // value is what the filter costs the engine.
    std::string resolve(Facet facet, const std::string& value) {
        std::string id = resolve_value(facet, value);
        if (distinct_.emplace(facet, id).second && distinct_.size() > kMaxFilterValues)
            bad("invalid_search_filter", "the filter names more than " +
                                             std::to_string(kMaxFilterValues) +
                                             " distinct values; narrow it instead");
        return id;
    }

    void include(Facet facet, std::vector<std::string> ids) {
        auto it = include_.find(facet);
        if (it == include_.end()) {
            if (ids.empty())
                nothing_ = true; // `x IN []`
            include_.emplace(facet, std::move(ids));
            return;
        }
        std::vector<std::string>& have = it->second;
        // Sets, so that many groups of many values cost n log n, not n × m.
        auto subset = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
            const std::set<std::string> in_b(b.begin(), b.end());
            for (const std::string& x : a)
                if (!in_b.count(x))
                    return false;
            return true;
        };
        if (facet == Facet::Type || facet == Facet::Year) { // one value per document: intersect
            const std::set<std::string> in_ids(ids.begin(), ids.end());
            std::vector<std::string> both;
            for (const std::string& x : have)
                if (in_ids.count(x))
                    both.push_back(x);
            if (both.empty())
                nothing_ = true;
            else
                have = std::move(both);
        } else if (subset(ids, have)) {
            have = std::move(ids);
        } else if (!subset(have, ids)) {
            unsupported(std::string("AND of different values of the multi-valued facet '") +
                        facet_name(facet) + "'");
        }
    }

    void year_bound(const std::string& op, int y) {
        if (op == ">=" || op == ">") {
            const int from = op == ">" ? y + 1 : y;
            year_from_ = std::max(year_from_, from);
        } else {
            const int to = op == "<" ? y - 1 : y;
            year_to_ = year_to_ ? std::min(year_to_, to) : to;
        }
    }

    void condition(const Node& n, bool negated) {
        const Facet facet = filter_facet(n.attr);
        std::string op = n.op;
        if (op == "!=") {
            op = "=";
            negated = !negated;
        }
        if (op == "=" || op == "IN") {
            // The parser dropped repeated values; a label and its id still name one value.
            std::vector<std::string> ids;
            std::set<std::string> seen;
            for (const std::string& v : n.values) {
                std::string id = resolve(facet, v);
                if (seen.insert(id).second)
                    ids.push_back(std::move(id));
            }
            if (negated) {
                for (std::string& id : ids)
                    exclude_[facet].push_back(std::move(id));
            } else {
                include(facet, std::move(ids));
            }
            return;
        }
        if (facet != Facet::Year)
            unsupported(std::string("comparison (") + op + ") on '" + facet_name(facet) +
                        "'; only year is numeric");
        if (op == "TO") {
            if (negated)
                unsupported("NOT over a TO range");
            year_bound(">=", year_value(n.values[0]));
            year_bound("<=", year_value(n.values[1]));
            return;
        }
        if (negated) { // NOT (year > y) = year <= y …
            op = op == ">" ? "<=" : op == ">=" ? "<" : op == "<" ? ">=" : ">";
        }
        year_bound(op, year_value(n.values[0]));
    }

    const Budget& budget_;
    std::map<Facet, std::vector<std::string>> include_, exclude_;
    std::set<std::pair<Facet, std::string>> distinct_; ///< every value of the filter, as ids
    std::set<std::string> or_seen_;                    ///< the ids of the OR group being read
    int year_from_ = 0, year_to_ = 0;
    bool nothing_ = false;
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

Node parse_filter_value(const Value& filter, FilterTally& tally) {
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

FacetFilters build_filters(const Value& filter, bool& nothing, const Budget& budget) {
    FilterTally tally;
    tally.budget = budget;
    const Node n = parse_filter_value(filter, tally);
    FilterBuilder builder(budget);
    builder.add(n, false);
    return builder.finish(&nothing);
}

/* ------------------------------------------------------------------ search parameters */

struct MeiliQuery {
    SearchRequest search;
    bool nothing = false;
    std::vector<Facet> facets; ///< asked for facetDistribution
    bool page_mode = false;
    unsigned page = 1, hits_per_page = 20, offset = 0, limit = 20;
    bool retrieve_all = true;
    std::set<std::string> retrieve;
    bool formatted = false, highlight_all = false;
    std::set<std::string> highlight;
    std::string pre = "<em>", post = "</em>";
};

unsigned whole(const Value& v, const char* field, const char* code) {
    if (!v.IsUint64() &&
        !(v.IsDouble() && v.GetDouble() >= 0 && std::floor(v.GetDouble()) == v.GetDouble()))
        bad(code,
            std::string("Invalid value type at `.") + field + "`: expected a positive integer");
    const double d = v.IsUint64() ? static_cast<double>(v.GetUint64()) : v.GetDouble();
    return d > 4e9 ? 4000000000u : static_cast<unsigned>(d);
}

std::vector<std::string> string_list(const Value& v, const char* field, const char* code) {
    std::vector<std::string> out;
    if (v.IsString()) {
        out.push_back(str(v));
        return out;
    }
    if (!v.IsArray())
        bad(code,
            std::string("Invalid value type at `.") + field + "`: expected an array of strings");
    for (const Value& item : v.GetArray()) {
        if (!item.IsString())
            bad(code, std::string("Invalid value type at `.") + field +
                          "`: expected an array of strings");
        out.push_back(str(item));
    }
    return out;
}

std::string tag(const Value& v, const char* field) {
    if (!v.IsString())
        bad(std::string("invalid_search_") + (std::string(field) == "highlightPreTag"
                                                  ? "highlight_pre_tag"
                                                  : "highlight_post_tag"),
            std::string("Invalid value type at `.") + field + "`: expected a string");
    if (v.GetStringLength() > kMaxHighlightTagBytes)
        bad("invalid_search_highlight_tag", std::string("`") + field + "` is longer than " +
                                                std::to_string(kMaxHighlightTagBytes) + " bytes");
    return str(v);
}

// Fields we read; every other field (attributesToCrop, cropLength, cropMarker,
// matchingStrategy, showMatchesPosition, showRankingScore, attributesToSearchOn, distinct,
// hybrid, vector, rankingScoreThreshold, locales, …) is accepted and ignored.
MeiliQuery parse_query_object(const Value& body, const Budget& budget) {
    if (!body.IsObject())
        bad("bad_request", "a search query must be a JSON object");
    MeiliQuery m;
    if (const Value* q = member(body, "q")) {
        if (!q->IsString())
            bad("invalid_search_q", "Invalid value type at `.q`: expected a string");
        m.search.q = str(*q);
        if (!is_valid_utf8(m.search.q))
            bad("invalid_search_q", "`q` is not valid UTF-8");
        std::size_t cps = 0;
        for (unsigned char c : m.search.q)
            cps += (c & 0xC0) != 0x80;
        if (cps > kMaxQueryChars)
            bad("invalid_search_q",
                "`q` is longer than " + std::to_string(kMaxQueryChars) + " characters");
    }
    if (const Value* f = member(body, "filter"))
        m.search.filters = build_filters(*f, m.nothing, budget);
    if (const Value* f = member(body, "facets")) {
        for (const std::string& name : string_list(*f, "facets", "invalid_search_facets")) {
            if (name == "*") {
                m.facets.assign(std::begin(kAllFacets), std::end(kAllFacets));
                continue;
            }
            auto facet = facet_from_name(name);
            if (!facet)
                bad("invalid_search_facets", "Invalid facet `" + name.substr(0, 80) +
                                                 "`: available facets are " + facet_list() + ".");
            if (std::find(m.facets.begin(), m.facets.end(), *facet) == m.facets.end())
                m.facets.push_back(*facet);
        }
    }
    if (const Value* v = member(body, "attributesToRetrieve")) {
        const auto list =
            string_list(*v, "attributesToRetrieve", "invalid_search_attributes_to_retrieve");
        m.retrieve_all = std::find(list.begin(), list.end(), "*") != list.end();
        m.retrieve.insert(list.begin(), list.end());
    }
    if (const Value* v = member(body, "attributesToHighlight")) {
        const auto list =
            string_list(*v, "attributesToHighlight", "invalid_search_attributes_to_highlight");
        m.highlight_all = std::find(list.begin(), list.end(), "*") != list.end();
        m.highlight.insert(list.begin(), list.end());
        m.formatted = m.formatted || !list.empty();
    }
    if (const Value* v = member(body, "attributesToCrop")) {
        m.formatted =
            m.formatted ||
            !string_list(*v, "attributesToCrop", "invalid_search_attributes_to_crop").empty();
    }
    if (const Value* v = member(body, "highlightPreTag"))
        m.pre = tag(*v, "highlightPreTag");
    if (const Value* v = member(body, "highlightPostTag"))
        m.post = tag(*v, "highlightPostTag");
    const Value* page = member(body, "page");
    const Value* hpp = member(body, "hitsPerPage");
    if (page || hpp) {
        m.page_mode = true;
        if (page)
            m.page = whole(*page, "page", "invalid_search_page");
        if (hpp)
            m.hits_per_page =
                std::min(whole(*hpp, "hitsPerPage", "invalid_search_hits_per_page"), kMaxLimit);
        m.offset = m.page == 0 ? 0
                               : static_cast<unsigned>(std::min<unsigned long long>(
                                     (m.page - 1ULL) * m.hits_per_page, kMaxResultDepth));
        m.limit = m.page == 0 ? 0 : m.hits_per_page;
    } else {
        if (const Value* v = member(body, "offset"))
            m.offset = whole(*v, "offset", "invalid_search_offset");
        if (const Value* v = member(body, "limit"))
            m.limit = std::min(whole(*v, "limit", "invalid_search_limit"), kMaxLimit);
    }
    if (const Value* v = member(body, "sort")) {
        const auto rules = string_list(*v, "sort", "invalid_search_sort");
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const std::string& rule = rules[i];
            const auto colon = rule.rfind(':');
            const std::string attr = colon == std::string::npos ? rule : rule.substr(0, colon);
            const std::string dir = colon == std::string::npos ? "" : rule.substr(colon + 1);
            if ((attr != "date" && attr != "year") || (dir != "asc" && dir != "desc"))
                bad("invalid_search_sort",
                    "Invalid sort rule `" + rule.substr(0, 80) +
                        "`: sortable attributes are date and year, as `date:desc` or `date:asc`");
            if (i == 0)
                m.search.sort = dir == "desc" ? SortOrder::DateNewest : SortOrder::DateOldest;
        }
    }
    // Counting facets makes the engine look at every match: the total is then exact, as
    // Meilisearch's totalHits is in page mode (offset/limit give estimatedTotalHits).
    m.search.facets = !m.facets.empty() || m.page_mode;
    m.search.highlight_pre = kPre;
    m.search.highlight_post = kPost;
    return m;
}

/* ------------------------------------------------------------------ output */

std::string unescape_html(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            static const std::pair<const char*, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool done = false;
            for (const auto& [e, c] : entities) {
                const std::size_t n = std::char_traits<char>::length(e);
                if (s.compare(i, n, e) == 0) {
                    out += c;
                    i += n - 1;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        out += s[i];
    }
    return out;
}

// The engine's marked text (HTML-escaped, private markers) as Meilisearch gives it: raw text
// with the client's tags, or (plain) without any.
std::string with_tags(const std::string& marked, const std::string& pre, const std::string& post) {
    const std::string raw = unescape_html(marked);
    std::string out;
    out.reserve(raw.size() + 32);
    for (char c : raw) {
        if (c == kPre[0])
            out += pre;
        else if (c == kPost[0])
            out += post;
        else
            out += c;
    }
    return out;
}

void field(Writer& w, const char* name, const std::string& value) {
    w.Key(name);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

struct Answer {
    SearchResult result;
    double took_ms = 0;
};

// The hits of [offset, offset + limit) the engine can reach (kMaxResultDepth).
unsigned reachable_limit(const MeiliQuery& m) {
    return m.offset >= kMaxResultDepth ? 0 : std::min(m.limit, kMaxResultDepth - m.offset);
}

// Runs the query: the (page, size) window of the engine that covers [offset, offset + limit).
Answer run(MeiliQuery& m, Context& context) {
    const auto start = std::chrono::steady_clock::now();
    Answer a;
    context.searcher.refresh();
    for (const auto* selection : {&m.search.filters.include, &m.search.filters.exclude})
        if (auto it = selection->find(Facet::Type); it != selection->end())
            for (const std::string& id : it->second)
                if (!context.searcher.knows(Facet::Type, id))
                    bad("unknown_facet_value",
                        "unknown type '" + id + "' (see GET /facets for known values)");
    const unsigned offset = m.offset, limit = reachable_limit(m);
    if (!m.nothing) {
        unsigned page = 1, size = 0;
        if (limit > 0) {
            const unsigned last = offset + limit - 1;
            for (size = limit; size < last + 1; ++size)
                if (offset / size == last / size)
                    break;
            page = offset / size + 1;
        }
        m.search.page = page;
        m.search.size = size;
        a.result = context.searcher.search(m.search);
        const unsigned skip = offset - (page - 1) * size;
        auto& hits = a.result.hits;
        if (skip >= hits.size())
            hits.clear();
        else {
            hits.erase(hits.begin(), hits.begin() + skip);
            if (hits.size() > limit)
                hits.resize(limit);
        }
    } else {
        a.result.query = m.search.q;
        a.result.total = 0;
    }
    a.took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return a;
}

// Year values (the facet's labels) as numbers, for facetStats.
std::optional<std::pair<int, int>> year_range(const std::vector<FacetCount>& counts) {
    std::optional<std::pair<int, int>> range;
    for (const FacetCount& c : counts) {
        if (c.count == 0 || c.label.size() != 4 ||
            c.label.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const int y = std::stoi(c.label);
        if (!range)
            range = std::pair{y, y};
        range->first = std::min(range->first, y);
        range->second = std::max(range->second, y);
    }
    return range;
}

// One hit's attributes; `formatted`: with the client's highlight tags where asked.
void write_attributes(Writer& w, const MeiliQuery& m, const Hit& h, const std::string& text,
                      const std::string& title_marked, bool formatted) {
    auto wanted = [&](const char* name) { return m.retrieve_all || m.retrieve.count(name); };
    const bool mark_snippet =
        m.highlight_all || m.highlight.count("snippet") || m.highlight.count("text");
    if (wanted("id"))
        field(w, "id", h.id);
    if (wanted("title"))
        field(w, "title", formatted && !title_marked.empty() ? title_marked : h.title);
    if (wanted("date"))
        field(w, "date", h.date);
    if (wanted("type"))
        field(w, "type", h.type);
    if (wanted("publisher"))
        field(w, "publisher", h.publisher);
    if (wanted("url"))
        field(w, "url", h.url);
    if (wanted("snippet"))
        field(w, "snippet",
              with_tags(h.snippet, formatted && mark_snippet ? m.pre : "",
                        formatted && mark_snippet ? m.post : ""));
    if (m.retrieve.count("text"))
        field(w, "text", text);
}

// Past kMaxResponseBytes an answer is refused rather than built: its hits carry whole texts
// when asked (attributesToRetrieve text), and 1,000 of them can weigh hundreds of megabytes.
void check_size(const rapidjson::StringBuffer& buffer) {
    if (buffer.GetSize() > kMaxResponseBytes)
        bad("response_too_large",
            "the answer would be larger than " + std::to_string(kMaxResponseBytes) +
                " bytes: ask for fewer hits (limit, hitsPerPage) or leave `text` out of "
                "attributesToRetrieve");
}

void write_result(Writer& w, const rapidjson::StringBuffer& buffer, const MeiliQuery& m,
                  const Answer& a, Context& context, const std::string* index_uid) {
    const SearchResult& r = a.result;
    w.StartObject();
    if (index_uid)
        field(w, "indexUid", *index_uid);

    // The title is highlighted here with the terms of the query (or of its applied correction).
    thread_local Analyzer analyzer;
    const bool mark_title = m.formatted && (m.highlight_all || m.highlight.count("title"));
    HighlightTerms terms;
    if (mark_title && !m.search.q.empty())
        terms = parse_query(r.corrected ? r.did_you_mean : m.search.q, analyzer).highlight;

    w.Key("hits");
    w.StartArray();
    for (const Hit& h : r.hits) {
        std::string text;
        if (m.retrieve.count("text")) // the whole text only on request
            if (auto record = context.searcher.document(h.id))
                text = record->text;
        std::string title_marked;
        if (!terms.empty() && !h.title.empty()) {
            const std::string marked =
                make_snippet(h.title, terms, analyzer, h.title.size() + 64, kPre, kPost);
            // Only when the highlighter kept the title whole (it normalises white space).
            if (with_tags(marked, "", "") == h.title)
                title_marked = with_tags(marked, m.pre, m.post);
        }
        w.StartObject();
        write_attributes(w, m, h, text, title_marked, false);
        if (m.formatted) {
            w.Key("_formatted");
            w.StartObject();
            write_attributes(w, m, h, text, title_marked, true);
            w.EndObject();
        }
        w.EndObject();
        check_size(buffer);
    }
    w.EndArray();

    field(w, "query", m.search.q);
    w.Key("processingTimeMs");
    w.Uint64(static_cast<std::uint64_t>(std::llround(a.took_ms)));
    if (m.page_mode) {
        const unsigned long long reachable = std::min<unsigned long long>(r.total, kMaxResultDepth);
        w.Key("hitsPerPage");
        w.Uint(m.hits_per_page);
        w.Key("page");
        w.Uint(m.page);
        w.Key("totalPages");
        w.Uint64(m.hits_per_page ? (reachable + m.hits_per_page - 1) / m.hits_per_page : 0);
        w.Key("totalHits");
        w.Uint64(r.total);
    } else {
        w.Key("limit");
        w.Uint(m.limit);
        w.Key("offset");
        w.Uint(m.offset);
        w.Key("estimatedTotalHits");
        w.Uint64(r.total);
    }
    // Not Meilisearch's: said only when true, so its clients see the shape they know. The time
    // budget ran out (hits are the best found by then, totals estimates) or a shard was down.
    if (r.timed_out || r.shards.partial()) {
        w.Key("partial");
        w.Bool(true);
    }
    if (!m.facets.empty()) {
        std::optional<std::pair<int, int>> years;
        w.Key("facetDistribution");
        w.StartObject();
        for (Facet facet : m.facets) {
            w.Key(facet_name(facet));
            w.StartObject();
            if (auto it = r.facets.find(facet); it != r.facets.end()) {
                std::set<std::string> keys;
                for (const FacetCount& c : it->second) {
                    if (c.count == 0)
                        continue;
                    // The label, unless two values share one: then the id (which resolves too).
                    const std::string& key =
                        c.label.empty() || keys.count(c.label) ? c.id : c.label;
                    if (!keys.insert(key).second)
                        continue;
                    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
                    w.Uint64(c.count);
                }
                if (facet == Facet::Year)
                    years = year_range(it->second);
            }
            w.EndObject();
        }
        w.EndObject();
        w.Key("facetStats");
        w.StartObject();
        if (years) {
            const auto [min, max] = *years;
            w.Key("year");
            w.StartObject();
            w.Key("min");
            w.Int(min);
            w.Key("max");
            w.Int(max);
            w.EndObject();
        }
        w.EndObject();
    }
    w.EndObject();
}

/* ------------------------------------------------------------------ requests and errors */

rapidjson::Document parse_body(const Request& request) {
    rapidjson::Document doc;
    if (request.body.empty())
        bad("missing_payload", "A json payload is missing.");
    parse_client_json(doc, request.body, kJsonCodes);
    if (!doc.IsObject())
        bad("bad_request", "The json payload must be an object.");
    return doc;
}

void check_index(const std::string& uid) {
    if (uid != kIndexUid)
        throw Error(ErrorKind::NotFound, "index_not_found",
                    "Index `" + uid.substr(0, 100) + "` not found. The one index is `" +
                        std::string(kIndexUid) + "`.");
}

// Meilisearch's error shape ({message, code, type, link}) together with Passerelle's.
Response meili_error(const Error& e, const std::string& prefix = "") {
    const int status = e.kind() == ErrorKind::NotFound ? 404 : 400;
    const std::string message = prefix + e.message(); // whole, even past a NUL
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    field(w, "message", message);
    field(w, "code", e.code());
    field(w, "type", "invalid_request");
    field(w, "link", "https://docs.meilisearch.com/errors#" + e.code());
    w.Key("error");
    w.StartObject();
    field(w, "code", e.code());
    field(w, "message", message);
    w.EndObject();
    w.EndObject();
    return {status, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
}

template <typename F> Response meili(F&& f) {
    try {
        return f();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::InvalidRequest && e.kind() != ErrorKind::NotFound)
            throw;
        return meili_error(e);
    }
}

std::string folded_words_prefix(const std::string& text) {
    thread_local Analyzer analyzer;
    return analyzer.fold_phrase(text);
}

} // namespace

FacetFilters meili_filter_from_json(const std::string& filter_json, bool* matches_nothing,
                                    double time_limit_ms) {
    rapidjson::Document doc;
    parse_client_json(
        doc, filter_json,
        {"invalid_search_filter", "filter is not valid JSON", "invalid_search_filter"});
    bool nothing = false;
    FacetFilters f = build_filters(doc, nothing, Budget::of(time_limit_ms));
    if (matches_nothing)
        *matches_nothing = nothing;
    return f;
}

Response handle_meili_search(const Request& request, Context& context, const RouteMatch& match) {
    return meili([&] {
        check_index(match.id);
        const rapidjson::Document body = parse_body(request);
        MeiliQuery m = parse_query_object(body, Budget::of(context.settings.ranking.time_limit_ms));
        const Answer a = run(m, context);
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        write_result(w, buffer, m, a, context, nullptr);
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_multi_search(const Request& request, Context& context, const RouteMatch&) {
    return meili([&] {
        const rapidjson::Document body = parse_body(request);
        if (member(body, "federation"))
            bad("invalid_multi_search_federation",
                "federated multi-search is not supported: send `queries` only");
        const Value* queries = member(body, "queries");
        if (!queries || !queries->IsArray())
            bad("invalid_multi_search_queries",
                "Missing field `queries` (an array of search queries with `indexUid`)");
        if (queries->Size() > kMaxMultiSearchQueries)
            bad("invalid_multi_search_queries",
                "at most " + std::to_string(kMaxMultiSearchQueries) + " queries per multi-search");
        // One budget for the whole request: its filters, and its queries one after the other.
        const Budget budget = Budget::of(context.settings.ranking.time_limit_ms);
        // Every query is read (and refused) before any runs, so that the caps on the whole
        // request hold before the engine does any work.
        std::vector<std::tuple<std::string, MeiliQuery, Answer>> done;
        unsigned long long hits = 0, depth = 0;
        for (rapidjson::SizeType i = 0; i < queries->Size(); ++i) {
            try {
                const Value& q = (*queries)[i];
                if (!q.IsObject())
                    bad("bad_request", "a query must be a JSON object");
                const Value* uid = member(q, "indexUid");
                if (!uid || !uid->IsString())
                    bad("missing_index_uid", "Missing field `indexUid`");
                check_index(str(*uid));
                MeiliQuery m = parse_query_object(q, budget);
                const unsigned limit = reachable_limit(m);
                hits += limit;
                depth += limit > 0 ? m.offset + limit : 0;
                done.emplace_back(str(*uid), std::move(m), Answer{});
            } catch (const Error& e) {
                if (e.kind() != ErrorKind::InvalidRequest && e.kind() != ErrorKind::NotFound)
                    throw;
                return meili_error(e, "Inside `.queries[" + std::to_string(i) + "]`: ");
            }
        }
        // What one search may ask (kMaxLimit hits, ranked down to kMaxResultDepth), the whole
        // multi-search may ask: 100 queries of offset 999 and limit 1000 are refused, not run.
        if (hits > kMaxLimit)
            bad("invalid_multi_search_queries", "the queries ask for " + std::to_string(hits) +
                                                    " hits in all; a multi-search " +
                                                    "returns at most " + std::to_string(kMaxLimit) +
                                                    " (the sum of their limits, or hitsPerPage)");
        if (depth > kMaxResultDepth)
            bad("invalid_multi_search_queries",
                "the queries reach " + std::to_string(depth) + " results deep in all (the sum of " +
                    "offset + limit); a multi-search reaches at most " +
                    std::to_string(kMaxResultDepth));
        for (std::size_t i = 0; i < done.size(); ++i) {
            if (i > 0 && Clock::now() > budget.deadline)
                bad("invalid_multi_search_queries",
                    "the multi-search ran out of its time budget of " + budget.shown() +
                        " ms (search.time_limit_ms) after " + std::to_string(i) + " of " +
                        std::to_string(done.size()) + " queries; send fewer or simpler queries");
            auto& [uid, m, a] = done[i];
            a = run(m, context);
        }
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        w.StartObject();
        w.Key("results");
        w.StartArray();
        for (const auto& [uid, m, a] : done)
            write_result(w, buffer, m, a, context, &uid);
        w.EndArray();
        w.EndObject();
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_facet_search(const Request& request, Context& context,
                                   const RouteMatch& match) {
    return meili([&] {
        check_index(match.id);
        const rapidjson::Document body = parse_body(request);
        const Value* name = member(body, "facetName");
        if (!name)
            bad("missing_facet_search_facet_name", "Missing field `facetName`");
        if (!name->IsString())
            bad("invalid_facet_search_facet_name",
                "Invalid value type at `.facetName`: expected a string");
        auto facet = facet_from_name(str(*name));
        if (!facet)
            bad("invalid_facet_search_facet_name",
                "Attribute `" + str(*name).substr(0, 80) +
                    "` is not filterable. Available filterable attributes are: " + facet_list() +
                    ".");
        std::string facet_query;
        bool has_query = false;
        if (const Value* fq = member(body, "facetQuery")) {
            if (!fq->IsString())
                bad("invalid_facet_search_facet_query",
                    "Invalid value type at `.facetQuery`: expected a string");
            facet_query = str(*fq);
            has_query = true;
        }
        // The query's other fields as a search (facets, pagination and sort do not apply).
        rapidjson::Document copy;
        copy.CopyFrom(body, copy.GetAllocator());
        for (const char* drop : {"facets", "page", "hitsPerPage", "offset", "limit", "sort"})
            copy.RemoveMember(drop);
        MeiliQuery m = parse_query_object(copy, Budget::of(context.settings.ranking.time_limit_ms));
        m.facets = {*facet};
        m.search.facets = true;
        m.limit = 0;
        m.offset = 0;
        m.page_mode = false;
        const Answer a = run(m, context);
        const std::string wanted = folded_words_prefix(facet_query);
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        w.StartObject();
        w.Key("facetHits");
        w.StartArray();
        if (auto it = a.result.facets.find(*facet); it != a.result.facets.end()) {
            std::set<std::string> keys;
            for (const FacetCount& c : it->second) {
                if (c.count == 0)
                    continue;
                const std::string& key = c.label.empty() || keys.count(c.label) ? c.id : c.label;
                if (!keys.insert(key).second)
                    continue;
                // A word of the label (or id) starts with the query, accents and case aside.
                bool hit = wanted.empty();
                for (const std::string& candidate :
                     {folded_words_prefix(key), folded_words_prefix(c.id)}) {
                    for (std::size_t at = candidate.find(wanted); !hit && at != std::string::npos;
                         at = candidate.find(wanted, at + 1))
                        hit = at == 0 || candidate[at - 1] == ' ' || candidate[at - 1] == '-';
                }
                if (!hit)
                    continue;
                w.StartObject();
                field(w, "value", key);
                w.Key("count");
                w.Uint64(c.count);
                w.EndObject();
            }
        }
        w.EndArray();
        w.Key("facetQuery");
        if (has_query)
            w.String(facet_query.data(), static_cast<rapidjson::SizeType>(facet_query.size()));
        else
            w.Null();
        w.Key("processingTimeMs");
        w.Uint64(static_cast<std::uint64_t>(std::llround(a.took_ms)));
        w.EndObject();
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

Response handle_meili_index(const Request&, Context& context, const RouteMatch& match) {
    return meili([&] {
        check_index(match.id);
        context.searcher.refresh();
        std::string commit = context.searcher.last_commit();
        if (commit.empty())
            commit = "1970-01-01T00:00:00Z";
        rapidjson::StringBuffer buffer;
        Writer w(buffer);
        w.StartObject();
        field(w, "uid", kIndexUid);
        field(w, "primaryKey", "id");
        field(w, "createdAt", commit);
        field(w, "updatedAt", commit);
        w.EndObject();
        return Response{200, kJson, std::string(buffer.GetString(), buffer.GetSize()), {}};
    });
}

} // namespace kb::http
