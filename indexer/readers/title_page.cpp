#include "indexer/readers/title_page.h"

#include "indexer/readers/text_cleanup.h"

#include <regex>

namespace kb {
namespace {

// The first kTitlePageBytes of a text, cut at a character boundary, with typographic
// apostrophes and no-break spaces made plain so that one pattern reads every spelling.
std::string title_page(std::string_view text) {
    std::size_t end = std::min(text.size(), kTitlePageBytes);
    while (end > 0 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    std::string out(text.substr(0, end));
    auto replace_all = [&out](std::string_view from, std::string_view to) {
        for (std::size_t at = out.find(from); at != std::string::npos;
             at = out.find(from, at + to.size()))
            out.replace(at, from.size(), to);
    };
    replace_all("\u2019", "'");
    replace_all("\u00a0", " ");
    replace_all("\u202f", " ");
    return out;
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n,;:-");
    if (first == std::string::npos)
        return "";
    const auto last = s.find_last_not_of(" \t\r\n,;:-");
    return s.substr(first, last - first + 1);
}

// "l'Institut", "la Ville de Dijon", "les Amis" → without the article.
std::string without_article(const std::string& name) {
    static const std::regex article(R"(^(?:[Ll]'|(?:[Ll]e|[Ll]a|[Ll]es)\s+))");
    return std::regex_replace(name, article, "", std::regex_constants::format_first_only);
}

// A name starts with a capital (ASCII or a Latin-1 capital in UTF-8: À…Þ) and is not a
// pronoun or a determiner.
bool looks_like_name(const std::string& name) {
    if (name.size() < 2 || name.size() > 120)
        return false;
    const auto c0 = static_cast<unsigned char>(name[0]);
    const auto c1 = name.size() > 1 ? static_cast<unsigned char>(name[1]) : 0;
    const bool capital = (c0 >= 'A' && c0 <= 'Z') || (c0 == 0xC3 && c1 >= 0x80 && c1 <= 0x9E);
    if (!capital)
        return false;
    static const std::regex pronoun(
        R"(^(?:Elle|Elles|Il|Ils|Nous|On|Ce|Cet|Cette|Ces|Une?|Notre|Nos|Leur|Leurs)(?:\s|$))");
    return !std::regex_search(name, pronoun);
}

// "France urbaine et l'Institut (INET)" → both; " et " splits only before a name, so that
// "ministère de l'Europe et des Affaires étrangères" stays one.
std::vector<std::string> split_names(const std::string& subject) {
    static const std::regex separator(R"(\s*,\s*|\s+et\s+(?=(?:l'|la |le |les )?[A-Z\xC3]))");
    std::vector<std::string> names;
    for (std::sregex_token_iterator it(subject.begin(), subject.end(), separator, -1), end;
         it != end; ++it) {
        std::string name = without_article(trim(it->str()));
        if (!looks_like_name(name))
            return {};
        names.push_back(std::move(name));
    }
    return names.size() <= 6 ? names : std::vector<std::string>{};
}

} // namespace

std::vector<std::string> authors_on_title_page(std::string_view text) {
    const std::string page = title_page(text);
    std::smatch m;
    // "Auteurs : X, Y et Z" on a line of its own.
    static const std::regex byline(
        R"((?:^|\n)\s*(?:[Aa]uteur(?:e|s|es|\.e\.s|·e·s)?|[Rr]édaction)\s*:\s*([^\n]+))");
    if (std::regex_search(page, m, byline))
        if (auto names = split_names(trim(m[1].str())); !names.empty())
            return names;
    // "X et Y publient une étude", after an optional "Le 24 juin, " or "En 2021, ".
    static const std::regex announces(
        R"((?:^|[\n.!?]\s*)(?:(?:Le|En|Depuis)\s[^,\n]{1,30},\s*)?([^\n.!?]{2,300}?),?\s+(?:publient|publie|présentent|présente|dévoilent|dévoile|lancent|lance|ont publié|a publié|ont réalisé|a réalisé|signent|signe)\s+(?:aujourd'hui\s+)?(?:une|un|leur|son|sa|la|le)\s+(?:nouvelle\s+|nouveau\s+|première\s+|premier\s+)?(?:étude|rapport|guide|note|enquête|vade-mecum|publication))");
    if (std::regex_search(page, m, announces))
        if (auto names = split_names(trim(m[1].str())); !names.empty())
            return names;
    // "Une étude réalisée par X." / "Un rapport de X pour …".
    static const std::regex by(
        R"((?:étude|rapport|guide|enquête)\s+(?:réalisée?|conduite?|menée?|rédigée?|coordonnée?)\s+par\s+([^\n.;:]{2,200}?)(?=\s+(?:pour|sur|avec|auprès|en|à)\s|[\n.;:]|$))");
    if (std::regex_search(page, m, by))
        if (auto names = split_names(trim(m[1].str())); !names.empty())
            return names;
    return {};
}

std::string date_on_title_page(std::string_view text) {
    const std::string page = title_page(text);
    std::smatch m;
    auto plausible = [](const std::string& iso) {
        const int year = year_of(iso);
        return year >= 1900 && year <= 2100 ? iso : std::string();
    };
    // "Publié le 3 octobre 2017", "publiée le 03/10/2017".
    static const std::regex published_on(
        R"([Pp]ublié(?:e|s|es)?\s+le\s+((?:\d{1,2}(?:er)?\s+[a-zéû]+\s+\d{4})|(?:\d{1,2}/\d{1,2}/\d{4})))");
    if (std::regex_search(page, m, published_on))
        if (auto iso = plausible(normalize_date(m[1].str())); !iso.empty())
            return iso;
    // "publiée en juin 2021", "parue en 2019".
    static const std::regex published_in(
        R"((?:[Pp]ublié|[Pp]aru)(?:e|s|es)?\s+en\s+((?:[a-zéû]+\s+)?\d{4})(?![\d-]))");
    if (std::regex_search(page, m, published_in)) {
        std::string iso = normalize_date(m[1].str());
        if (iso.empty())
            iso = m[1].str().substr(m[1].length() - 4);
        if (iso = plausible(iso); !iso.empty())
            return iso;
    }
    // "© 2019", "© France urbaine 2021", "Copyright 2020".
    static const std::regex copyright(
        R"((?:©|\([cC]\)|Copyright)\s*(?:[^\n\d]{0,60}?)(\d{4})(?![\d-]))");
    if (std::regex_search(page, m, copyright))
        if (auto iso = plausible(m[1].str()); !iso.empty())
            return iso;
    // A title-page line that is only "Juin 2021", "2021" or "Édition 2021".
    static const std::regex year_line(
        R"((?:^|\n)[ \t]*(?:(?:É|é|E|e)dition\s+)?((?:(?:[Jj]anvier|[Ff]évrier|[Mm]ars|[Aa]vril|[Mm]ai|[Jj]uin|[Jj]uillet|[Aa]oût|[Ss]eptembre|[Oo]ctobre|[Nn]ovembre|[Dd]écembre)\s+)?\d{4})[ \t]*(?=\n|$))");
    if (std::regex_search(page, m, year_line)) {
        std::string value = m[1].str();
        std::string iso = normalize_date(value);
        if (iso.empty())
            iso = value.substr(value.size() - 4);
        if (iso = plausible(iso); !iso.empty())
            return iso;
    }
    return "";
}

void complete_from_title_page(Record& record) {
    const bool publication =
        record.type.empty() || record.type == "étude" || record.type == "vade-mecum";
    if (!publication)
        return;
    if (record.metadata.find("author") == record.metadata.end()) {
        std::string joined;
        for (const std::string& name : authors_on_title_page(record.text))
            joined += (joined.empty() ? "" : std::string(kAuthorSeparator)) + name;
        if (!joined.empty())
            record.metadata["author"] = joined;
    }
    if (record.date.empty())
        record.date = date_on_title_page(record.text);
}

} // namespace kb
