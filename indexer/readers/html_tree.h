#pragma once

// Reading gumbo's tree without recursion (a page may nest elements tens of thousands deep):
// the helpers the HTML reader's metadata scan and its text extraction share.

#include <gumbo.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::html {

/// ASCII lower case (tag, attribute and meta names).
std::string lower(std::string_view s);
/// The value of an element's attribute, nullptr when it has none.
const char* attribute(const GumboNode* node, const char* name);
/// An element's tag, GUMBO_TAG_UNKNOWN for other nodes.
GumboTag tag_of(const GumboNode* node);
/// A document's or element's children, nullptr for other nodes.
const GumboVector* children_of(const GumboNode* node);
/// Text, whitespace and CDATA nodes.
bool is_text_node(const GumboNode* node);
/// Appends the text under `root` (scripts and styles left out), a space after each text node.
void text_content(const GumboNode* root, std::string& out);

// Depth-first walk in document order with an explicit stack: a page can nest elements as deep
// as it likes (tens of thousands of <div>), which recursion would pay for with the call stack.
// enter(node) says whether to visit the node's children; leave(node) runs after them, for the
// nodes entered only.
template <typename Enter, typename Leave>
void walk_tree(const GumboNode* root, Enter&& enter, Leave&& leave) {
    struct Frame {
        const GumboNode* node;
        unsigned next; // index of the next child to visit
    };
    if (!enter(root))
        return;
    std::vector<Frame> stack{{root, 0}};
    while (!stack.empty()) {
        const GumboNode* node = stack.back().node;
        const GumboVector* c = children_of(node);
        if (c && stack.back().next < c->length) {
            const auto* child = static_cast<const GumboNode*>(c->data[stack.back().next++]);
            if (enter(child))
                stack.push_back({child, 0});
        } else {
            leave(node);
            stack.pop_back();
        }
    }
}

template <typename Enter> void walk_tree(const GumboNode* root, Enter&& enter) {
    walk_tree(root, std::forward<Enter>(enter), [](const GumboNode*) {});
}

} // namespace kb::html
