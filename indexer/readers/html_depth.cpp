#include "indexer/readers/html_depth.h"

#include "core/error.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

// The estimate must not be fooled cheaply: a plain "start tags minus end tags" count is brought
// back to zero by end tags that gumbo ignores (`<div></span>` repeated nests as deep as
// `<div>` alone), and over-counts sloppy pages whose unclosed <span>s are closed by the
// enclosing </div>. Hence a stack of open elements, with the few tree-construction rules of the
// HTML standard that decide which elements an end tag, or an implied one, closes. Where the
// model is unsure it keeps elements open: a page slightly over-estimated is still far below the
// limit, while an under-estimate is what a hostile page would look for.

namespace kb {
namespace {

using Names = std::unordered_set<std::string_view>;

const Names kVoid = {"area",  "base",  "basefont", "bgsound", "br",    "col",    "embed",
                     "frame", "hr",    "image",    "img",     "input", "keygen", "link",
                     "meta",  "param", "source",   "track",   "wbr"};

// Skipped whole: gumbo merges their attributes and never nests them, and their end tags
// close nothing.
const Names kDocument = {"html", "head", "body"};

// End tag optional: closed by the next sibling or by the parent's end, so left open they do not
// nest; they stay on the stack (for end tags to find) but do not count towards the depth.
const Names kOptionalEnd = {"p",        "li",      "dt", "dd",    "option", "optgroup",
                            "tr",       "td",      "th", "thead", "tbody",  "tfoot",
                            "colgroup", "caption", "rb", "rt",    "rp",     "rtc"};

// Their content is text up to their end tag (outside SVG and MathML).
const Names kRawText = {"script", "style",  "textarea", "title",
                        "xmp",    "iframe", "noembed",  "noframes"};

// The standard's "special" elements: an end tag for an ordinary element (span, custom
// elements...) does not close anything past one of them.
// Laid out by hand: clang-format would put one name per line.
// clang-format off
const Names kSpecial = {
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote",
    "body", "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div",
    "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img",
    "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed",
    "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "section",
    "select", "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot",
    "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp", "mi", "mo", "mn", "ms", "mtext",
    "annotation-xml", "foreignobject", "desc"};
// clang-format on

// Where an end tag's search for its element stops ("has an element in scope").
const Names kScope = {"applet", "caption",  "html",          "table", "td", "th", "marquee",
                      "object", "template", "foreignobject", "desc",  "mi", "mo", "mn",
                      "ms",     "mtext",    "annotation-xml"};
const Names kTableScope = {"html", "table", "template"};
const Names kTablePart = {"tr", "tbody", "thead",   "tfoot",   "table",
                          "td", "th",    "caption", "colgroup"};

// Closed by the adoption agency, which moves the special elements opened inside them out of
// the way rather than closing them.
const Names kFormatting = {"a",    "b", "big",   "code",   "em",     "font", "i",
                           "nobr", "s", "small", "strike", "strong", "tt",   "u"};

// What an unclosed <li>, <p>, <td>... can be closed through by its successor: phrasing
// elements, and the address/div/p the standard lets <li> and <dd> close past.
const Names kPhrasing = {"a",      "abbr",   "b",   "bdi", "bdo",     "big",   "cite",
                         "code",   "data",   "dfn", "em",  "font",    "i",     "kbd",
                         "mark",   "nobr",   "q",   "s",   "samp",    "small", "span",
                         "strike", "strong", "sub", "sup", "time",    "tt",    "u",
                         "var",    "label",  "ins", "del", "address", "div",   "p"};

// Start tags that close an open <p> ("close a p element" in the standard).
const Names kClosesP = {
    "address", "article", "aside",    "blockquote", "center",    "details", "dialog",  "dir",
    "div",     "dl",      "fieldset", "figcaption", "figure",    "footer",  "header",  "hgroup",
    "main",    "menu",    "nav",      "ol",         "p",         "section", "summary", "ul",
    "h1",      "h2",      "h3",       "h4",         "h5",        "h6",      "pre",     "listing",
    "form",    "table",   "hr",       "xmp",        "plaintext", "li",      "dd",      "dt"};

// In SVG or MathML, these start tags end the foreign content (<font> only with attributes,
// which the scan does not look at: keeping SVG open is the cautious side).
const Names kBreakout = {
    "b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
    "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
    "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
    "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
    "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var"};

// How an element's content is parsed. Either: HTML or MathML depending on an attribute
// (annotation-xml's encoding) or on namespace details the scan does not follow; there the scan
// takes the cautious reading of each rule (no raw text skipped, no "/>" honoured).
enum class Ctx { Html, Svg, Math, Either };

bool is_heading(std::string_view n) {
    return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The implied closings below look this far down the stack at most, so that the scan stays
// linear; past it an element is kept open, the cautious side.
constexpr std::size_t kMaxLookDown = 256;

class Scanner {
public:
    Scanner(std::string_view html, std::size_t limit_depth, std::size_t limit_elements)
        : s_(html), limit_depth_(limit_depth), limit_elements_(limit_elements) {}

    HtmlShape run() {
        while (i_ < s_.size() && shape_.depth <= limit_depth_ &&
               shape_.elements <= limit_elements_) {
            const std::size_t lt = s_.find('<', i_);
            if (lt == std::string_view::npos || lt + 1 >= s_.size())
                break;
            i_ = lt + 1;
            const char c = s_[i_];
            if (c == '!')
                markup_declaration();
            else if (c == '?')
                skip_past('>');
            else if (c == '/')
                end_tag_or_bogus();
            else if (is_alpha(c))
                start_tag();
            // else: a '<' in text
        }
        return shape_;
    }

private:
    struct Open {
        std::string name;
        bool counted; // towards the depth
        bool foreign; // an SVG or MathML element
        Ctx children;
    };

    Ctx ctx() const { return stack_.empty() ? Ctx::Html : stack_.back().children; }
    bool in_foreign() const { return ctx() == Ctx::Svg || ctx() == Ctx::Math; }

    // The context of the content of a new element `name` that is not parsed as HTML.
    Ctx foreign_children(const std::string& name) const {
        const Ctx here = ctx();
        if (name == "svg")
            return here == Ctx::Html || here == Ctx::Svg ? Ctx::Svg : Ctx::Either;
        if (name == "math")
            return here == Ctx::Html || here == Ctx::Math ? Ctx::Math : Ctx::Either;
        if (here == Ctx::Svg) // HTML integration points
            return name == "foreignobject" || name == "desc" || name == "title" ? Ctx::Html
                                                                                : Ctx::Svg;
        if (here == Ctx::Math) // text integration points, and annotation-xml by its encoding
            return name == "mi" || name == "mo" || name == "mn" || name == "ms" || name == "mtext"
                       ? Ctx::Html
                   : name == "annotation-xml" ? Ctx::Either
                                              : Ctx::Math;
        return Ctx::Either;
    }

    void skip_past(char c) {
        const std::size_t at = s_.find(c, i_);
        i_ = at == std::string_view::npos ? s_.size() : at + 1;
    }

    void markup_declaration() {
        if (s_.compare(i_, 3, "!--") != 0) { // doctype, CDATA, bogus comment
            skip_past('>');
            return;
        }
        i_ += 3;
        if (s_.compare(i_, 1, ">") == 0 || s_.compare(i_, 2, "->") == 0) { // <!--> and <!--->
            skip_past('>');
            return;
        }
        for (std::size_t at = s_.find("--", i_); at != std::string_view::npos;
             at = s_.find("--", at + 1)) {
            if (s_.compare(at + 2, 1, ">") == 0) {
                i_ = at + 3;
                return;
            }
            if (s_.compare(at + 2, 2, "!>") == 0) {
                i_ = at + 4;
                return;
            }
        }
        i_ = s_.size(); // unclosed: the rest is comment
    }

    std::string tag_name() {
        std::string name;
        while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '/' && s_[i_] != '>')
            name.push_back(to_lower(s_[i_++]));
        return name;
    }

    // From after the tag name to past its '>', as the tokenizer reads attributes; false at
    // the end of input (the tokenizer drops such a tag).
    bool attributes(bool& self_closing) {
        self_closing = false;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == '>') {
                ++i_;
                return true;
            }
            if (c == '/') {
                ++i_;
                self_closing = i_ < s_.size() && s_[i_] == '>';
                continue;
            }
            if (is_space(c)) {
                ++i_;
                continue;
            }
            // An attribute name: its first character may be anything, even '=' or a quote.
            ++i_;
            while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '/' && s_[i_] != '>' &&
                   s_[i_] != '=')
                ++i_;
            while (i_ < s_.size() && is_space(s_[i_]))
                ++i_;
            if (i_ >= s_.size() || s_[i_] != '=')
                continue;
            ++i_;
            while (i_ < s_.size() && is_space(s_[i_]))
                ++i_;
            if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
                const std::size_t close = s_.find(s_[i_], i_ + 1);
                if (close == std::string_view::npos)
                    return false;
                i_ = close + 1;
            } else {
                while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '>')
                    ++i_;
            }
        }
        return false;
    }

    void end_tag_or_bogus() {
        ++i_; // '/'
        if (i_ >= s_.size())
            return;
        if (!is_alpha(s_[i_])) { // "</>" is dropped, anything else is a bogus comment
            skip_past('>');
            return;
        }
        const std::string name = tag_name();
        bool self_closing;
        if (attributes(self_closing))
            end_tag(name);
    }

    void start_tag() {
        const std::string name = tag_name();
        bool self_closing;
        if (!attributes(self_closing))
            return;
        ++shape_.elements;
        if (in_foreign() && in(kBreakout, name))
            while (in_foreign())
                pop();
        if (in(kDocument, name))
            return;
        if (ctx() != Ctx::Html || name == "svg" || name == "math") {
            // Only SVG and MathML honour "/>"; elsewhere <div/> opens a <div>.
            const bool closed = self_closing && (in_foreign() || name == "svg" || name == "math");
            if (!closed)
                push(name, true, ctx() != Ctx::Either, foreign_children(name));
            return;
        }
        if (in(kVoid, name))
            return;
        implied_closings(name);
        push(name, !in(kOptionalEnd, name), false, Ctx::Html);
        if (in(kRawText, name))
            skip_raw_text(name);
    }

    // What a start tag closes before it is inserted.
    void implied_closings(const std::string& name) {
        if (name == "li")
            close_previous({"li"}, {});
        else if (name == "dd" || name == "dt")
            close_previous({"dd", "dt"}, {});
        else if (name == "td" || name == "th")
            close_previous({"td", "th"}, {});
        else if (name == "tr")
            close_previous({"tr"}, {"td", "th"});
        else if (name == "thead" || name == "tbody" || name == "tfoot")
            close_previous({"thead", "tbody", "tfoot"}, {"tr", "td", "th"});
        else if (name == "option")
            close_previous({"option"}, {});
        else if (name == "optgroup")
            close_previous({"optgroup"}, {"option"});
        else if (name == "rb" || name == "rt" || name == "rp" || name == "rtc")
            close_previous({"rb", "rt", "rp"}, {});
        else if (name == "a" || name == "nobr") // past a block, the adoption agency keeps it
            close_previous({name}, {}, false);
        else if (name == "button")
            close_previous({"button"}, {});
        else if (name == "table") // a table directly in a table closes it
            close_previous({"table"}, {"tr", "tbody", "thead", "tfoot"});
        if (in(kClosesP, name))
            close_previous({"p"}, {});
        if (is_heading(name) && !stack_.empty() && is_heading(stack_.back().name))
            pop();
    }

    // Pops down to and including the nearest element named in `targets`, looking only through
    // phrasing elements and `through`; keeps everything when another element comes first.
    using List = std::initializer_list<std::string_view>;
    static bool in(List list, std::string_view name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    }
    static bool in(const Names& set, std::string_view name) { return set.count(name) != 0; }

    void close_previous(List targets, List through, bool through_blocks = true) {
        for (std::size_t k = 0; k < stack_.size() && k < kMaxLookDown; ++k) {
            const std::string& n = stack_[stack_.size() - 1 - k].name;
            if (in(targets, n)) {
                pop_to(stack_.size() - 1 - k);
                return;
            }
            if ((!in(kPhrasing, n) || (!through_blocks && in(kSpecial, n))) && !in(through, n))
                return;
        }
    }

    void end_tag(const std::string& name) {
        if (in(kDocument, name) || name == "br")
            return;
        // Any heading's end tag closes the open heading, whatever its level.
        const bool heading = is_heading(name);
        if (heading ? !any_open({"h1", "h2", "h3", "h4", "h5", "h6"}) : !any_open({name}))
            return; // nothing to close: gumbo ignores it
        // In SVG/MathML an end tag closes the foreign element of that name, if any.
        for (std::size_t k = 0; k < stack_.size() && k < kMaxLookDown; ++k) {
            const Open& e = stack_[stack_.size() - 1 - k];
            if (!e.foreign)
                break;
            if (e.name == name) {
                pop_to(stack_.size() - 1 - k);
                return;
            }
        }
        const bool formatting = in(kFormatting, name);
        const bool ordinary = !formatting && !in(kSpecial, name);
        const Names& scope = in(kTablePart, name) ? kTableScope : kScope;
        bool passed_special = false;
        for (std::size_t k = 0; k < stack_.size() && k < kMaxLookDown; ++k) {
            const std::size_t at = stack_.size() - 1 - k;
            const Open& e = stack_[at];
            if (heading ? is_heading(e.name) : e.name == name) {
                if (formatting && passed_special)
                    erase(at); // the adoption agency keeps the blocks opened inside it
                else
                    pop_to(at);
                return;
            }
            if (in(scope, e.name) || (ordinary && in(kSpecial, e.name)) ||
                (name == "li" && (e.name == "ol" || e.name == "ul")) ||
                (name == "p" && e.name == "button"))
                return;
            passed_special = passed_special || in(kSpecial, e.name);
        }
    }

    bool any_open(List names) const {
        for (std::string_view n : names) {
            auto it = counts_.find(std::string(n));
            if (it != counts_.end() && it->second > 0)
                return true;
        }
        return false;
    }

    void skip_raw_text(const std::string& name) {
        for (std::size_t at = s_.find("</", i_); at != std::string_view::npos;
             at = s_.find("</", at + 2)) {
            const std::size_t after = at + 2 + name.size();
            if (after > s_.size())
                break;
            bool same = true;
            for (std::size_t k = 0; k < name.size() && same; ++k)
                same = to_lower(s_[at + 2 + k]) == name[k];
            if (same && (after == s_.size() || is_space(s_[after]) || s_[after] == '/' ||
                         s_[after] == '>')) {
                i_ = at; // the end tag itself is read as one
                return;
            }
        }
        i_ = s_.size();
    }

    void push(const std::string& name, bool counted, bool foreign, Ctx children) {
        stack_.push_back({name, counted, foreign, children});
        ++counts_[name];
        if (counted && ++depth_ > shape_.depth)
            shape_.depth = depth_;
    }

    void pop() { erase(stack_.size() - 1); }

    void pop_to(std::size_t at) {
        while (stack_.size() > at)
            pop();
    }

    void erase(std::size_t at) {
        --counts_[stack_[at].name];
        depth_ -= stack_[at].counted;
        stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(at));
    }

    std::string_view s_;
    std::size_t i_ = 0;
    std::size_t limit_depth_, limit_elements_;
    std::vector<Open> stack_;
    std::unordered_map<std::string, std::size_t> counts_; // open elements by name
    std::size_t depth_ = 0;                               // counted elements on stack_
    HtmlShape shape_;
};

} // namespace

HtmlShape scan_html_shape(std::string_view html, std::size_t limit_depth,
                          std::size_t limit_elements) {
    return Scanner(html, limit_depth, limit_elements).run();
}

void check_html_shape(std::string_view html) {
    const HtmlShape shape = scan_html_shape(html);
    if (shape.depth > html_limits::kMaxDepth)
        throw Error(ErrorKind::InvalidRequest, "html_too_deep",
                    "HTML nested deeper than " + std::to_string(html_limits::kMaxDepth) +
                        " elements; not indexed");
    if (shape.elements > html_limits::kMaxElements)
        throw Error(ErrorKind::InvalidRequest, "html_too_many_elements",
                    "HTML has more than " + std::to_string(html_limits::kMaxElements) +
                        " elements; not indexed");
}

} // namespace kb
