#include "core/tsv.h"

namespace kb {

std::vector<std::vector<std::string>> parse_tsv(std::string_view text, std::size_t min_columns) {
    std::vector<std::vector<std::string>> rows;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == text.npos ? text.npos : nl - start);
        start = nl == text.npos ? text.size() : nl + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        std::vector<std::string> cols;
        std::size_t col = 0;
        for (std::size_t tab; (tab = line.find('\t', col)) != line.npos; col = tab + 1)
            cols.emplace_back(line.substr(col, tab - col));
        cols.emplace_back(line.substr(col));
        if (cols.size() < min_columns)
            cols.resize(min_columns);
        rows.push_back(std::move(cols));
    }
    return rows;
}

std::vector<std::string> split_list(const std::string& list, char separator) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t sep = list.find(separator, start);
        std::string item =
            list.substr(start, sep == std::string::npos ? std::string::npos : sep - start);
        while (!item.empty() && item.front() == ' ')
            item.erase(item.begin());
        while (!item.empty() && item.back() == ' ')
            item.pop_back();
        if (!item.empty())
            items.push_back(std::move(item));
        if (sep == std::string::npos)
            break;
        start = sep + 1;
    }
    return items;
}

} // namespace kb
