#include "indexer/readers/markdown_text.h"

#include "core/error.h"

#include <algorithm>
#include <gumbo.h>
#include <md4c.h>

namespace kb {
namespace {

// An entity md4c recognised ("&eacute;", "&#233;"), decoded by the HTML5 parser we already
// use for web pages, so every named entity is known.
std::string decode_entity(std::string_view entity) {
    const std::string html(entity);
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
    std::string text;
    const GumboNode* body = nullptr;
    const GumboVector& roots = out->root->v.element.children;
    for (unsigned i = 0; i < roots.length; ++i) {
        const auto* n = static_cast<const GumboNode*>(roots.data[i]);
        if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_BODY)
            body = n;
    }
    if (body != nullptr)
        for (unsigned i = 0; i < body->v.element.children.length; ++i) {
            const auto* n = static_cast<const GumboNode*>(body->v.element.children.data[i]);
            if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE)
                text += n->v.text.text;
        }
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    return text.empty() ? html : text;
}

// Raw HTML keeps its text and loses its tags and comments.
std::string strip_tags(std::string_view html, bool& in_tag) {
    std::string out;
    for (char c : html) {
        if (in_tag) {
            in_tag = c != '>';
            continue;
        }
        if (c == '<')
            in_tag = true;
        else
            out.push_back(c);
    }
    return out;
}

class Reducer {
public:
    MarkdownText result;

    int enter_block(MD_BLOCKTYPE type, void* detail) {
        switch (type) {
        case MD_BLOCK_H:
            heading_level_ = static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level;
            heading_begin_ = std::string::npos;
            request(2);
            break;
        case MD_BLOCK_LI:
            ++list_items_;
            request(1);
            break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL:
            request(list_items_ > 0 ? 1 : 2); // a list inside an item goes on its next line
            break;
        case MD_BLOCK_TR:
            request(1);
            cell_ = 0;
            break;
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            if (cell_++ > 0)
                separator_ = " ; ";
            break;
        case MD_BLOCK_HTML:
            in_html_block_ = true;
            html_.clear();
            request(2);
            break;
        case MD_BLOCK_DOC:
        case MD_BLOCK_THEAD:
        case MD_BLOCK_TBODY:
            break;
        default: // paragraphs, quotes, lists, code blocks, tables, rules
            request(2);
            break;
        }
        return 0;
    }

    int leave_block(MD_BLOCKTYPE type) {
        if (type == MD_BLOCK_H && heading_begin_ != std::string::npos) {
            std::string heading = result.text.substr(heading_begin_);
            std::replace_if(
                heading.begin(), heading.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
            if (heading.find_first_not_of(' ') != std::string::npos)
                result.sections.push_back({heading_begin_, heading_level_, std::move(heading)});
        }
        if (type == MD_BLOCK_H)
            heading_level_ = 0;
        if (type == MD_BLOCK_HTML)
            flush_html_block();
        if (type == MD_BLOCK_LI)
            --list_items_;
        if (type == MD_BLOCK_LI || type == MD_BLOCK_TR ||
            (list_items_ > 0 && (type == MD_BLOCK_UL || type == MD_BLOCK_OL)))
            request(1);
        else if (type != MD_BLOCK_TH && type != MD_BLOCK_TD && type != MD_BLOCK_THEAD &&
                 type != MD_BLOCK_TBODY)
            request(2);
        return 0;
    }

    int text(MD_TEXTTYPE type, std::string_view s) {
        switch (type) {
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
            emit("\n");
            break;
        case MD_TEXT_NULLCHAR:
            emit("\xEF\xBF\xBD");
            break;
        case MD_TEXT_ENTITY:
            emit(decode_entity(s));
            break;
        case MD_TEXT_HTML:
            if (in_html_block_)
                html_ += s;
            else
                emit(strip_tags(s, in_tag_));
            break;
        default: // normal text, code, LaTeX: verbatim
            emit(s);
            break;
        }
        return 0;
    }

private:
    // An HTML block's text: its lines without tags, blank ones dropped.
    void flush_html_block() {
        in_html_block_ = false;
        bool in_tag = false;
        const std::string text = strip_tags(html_, in_tag);
        std::string lines;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t nl = text.find('\n', start);
            if (nl == std::string::npos)
                nl = text.size();
            const std::string_view line(text.data() + start, nl - start);
            if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
                if (!lines.empty())
                    lines.push_back('\n');
                lines += line;
            }
            start = nl + 1;
        }
        emit(lines);
    }

    void request(int newlines) {
        if (!result.text.empty())
            pending_ = std::max(pending_, newlines);
        separator_.clear();
    }

    void emit(std::string_view s) {
        if (s.empty())
            return;
        if (pending_ > 0) {
            // Code and HTML blocks end with their own newline.
            while (!result.text.empty() &&
                   (result.text.back() == ' ' || result.text.back() == '\n'))
                result.text.pop_back();
            result.text.append(static_cast<std::size_t>(pending_), '\n');
            pending_ = 0;
        }
        result.text += separator_;
        separator_.clear();
        if (heading_level_ > 0 && heading_begin_ == std::string::npos)
            heading_begin_ = result.text.size();
        result.text += s;
    }

    int pending_ = 0;       // newlines owed before the next text: 1 within a block, 2 between
    std::string separator_; // " ; " owed between two table cells
    unsigned cell_ = 0;
    unsigned list_items_ = 0;    // list items open around the text
    unsigned heading_level_ = 0; // inside a heading when > 0
    std::size_t heading_begin_ = std::string::npos;
    bool in_tag_ = false; // inline HTML: inside "<…>" across text callbacks
    bool in_html_block_ = false;
    std::string html_; // the HTML block being read
};

} // namespace

std::vector<Section> relocate_sections(const std::vector<Section>& sections,
                                       const std::string& text) {
    std::vector<Section> out;
    std::size_t from = 0;
    for (const Section& s : sections) {
        std::size_t at = text.find(s.heading, from);
        while (at != std::string::npos && at > 0 && text[at - 1] != '\n')
            at = text.find(s.heading, at + 1);
        if (at == std::string::npos)
            continue;
        out.push_back({at, s.level, s.heading});
        from = at + s.heading.size();
    }
    return out;
}

MarkdownText reduce_markdown(std::string_view body) {
    Reducer reducer;
    MD_PARSER parser{};
    parser.flags = MD_DIALECT_GITHUB;
    parser.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) {
        return static_cast<Reducer*>(u)->enter_block(t, d);
    };
    parser.leave_block = [](MD_BLOCKTYPE t, void*, void* u) {
        return static_cast<Reducer*>(u)->leave_block(t);
    };
    parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
    parser.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) {
        return static_cast<Reducer*>(u)->text(t, std::string_view(s, n));
    };
    if (md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser, &reducer) != 0)
        throw Error(ErrorKind::Internal, "markdown_failed", "the Markdown parser gave up");
    return std::move(reducer.result);
}

} // namespace kb
