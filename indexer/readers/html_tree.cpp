#include "indexer/readers/html_tree.h"

#include <algorithm>
#include <cctype>

namespace kb::html {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

const char* attribute(const GumboNode* node, const char* name) {
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
        return nullptr;
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? a->value : nullptr;
}

GumboTag tag_of(const GumboNode* node) {
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE
               ? node->v.element.tag
               : GUMBO_TAG_UNKNOWN;
}

const GumboVector* children_of(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT)
        return &node->v.document.children;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
        return &node->v.element.children;
    return nullptr;
}

bool is_text_node(const GumboNode* node) {
    return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
           node->type == GUMBO_NODE_CDATA;
}

void text_content(const GumboNode* root, std::string& out) {
    walk_tree(root, [&](const GumboNode* node) {
        if (is_text_node(node)) {
            out += node->v.text.text;
            out += ' ';
            return false;
        }
        return tag_of(node) != GUMBO_TAG_SCRIPT && tag_of(node) != GUMBO_TAG_STYLE;
    });
}

} // namespace kb::html
