// Build-time tool: turns the Debian FreeDict dictionaries (dict-freedict-eng-fra,
// dict-freedict-fra-eng; dictd .index + .dict.dz, GPL-2+) into the compact tables the query
// translation compiles in (core/analysis/translation.h):
//   english<TAB>french|french|french   (a few senses: cognates, then those fra-eng confirms)
// and the French headwords of fra-eng (one a line, what tells a French word from an English
// one). Writes a C++ source defining kb::builtin_data::kFreedictEnFr and kFreedictFrWords, and
// the table as TSV beside it (for reading).
// Usage: kb-freedict-table ENG_FRA_INDEX ENG_FRA_DICT_DZ FRA_ENG_INDEX FRA_ENG_DICT_DZ OUT.cpp
// OUT.tsv

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

namespace {

// Senses kept per English word or phrase; longer keys and values are not query material.
constexpr std::size_t kMaxSenses = 3;
constexpr std::size_t kMaxKeyWords = 3;
constexpr std::size_t kMaxValueWords = 4;

[[noreturn]] void fail(const std::string& what) {
    std::cerr << "kb-freedict-table: " << what << "\n";
    std::exit(1);
}

std::string inflate_all(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
        fail("cannot open " + path);
    std::string out;
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    const bool bad = n < 0;
    gzclose(f);
    if (bad || out.empty())
        fail("cannot decompress " + path);
    return out;
}

// dictd's index numbers: base64 digits, most significant first.
std::size_t b64(const std::string& s) {
    static const std::string digits =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t v = 0;
    for (char c : s) {
        const auto d = digits.find(c);
        if (d == std::string::npos)
            fail("bad index number '" + s + "'");
        v = v * 64 + d;
    }
    return v;
}

std::string lower_ascii(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::size_t words(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

struct Entry {
    std::string headword;
    std::vector<std::string> values; // in the dictionary's order, senses first to last
};

// One dictionary: headword → its translations (entries of one headword merged).
std::vector<Entry> read_dictionary(const std::string& index_path, const std::string& dict_path) {
    const std::string dict = inflate_all(dict_path);
    std::ifstream index(index_path);
    if (!index)
        fail("cannot open " + index_path);
    std::vector<Entry> out;
    std::string line;
    while (std::getline(index, line)) {
        std::istringstream fields(line);
        std::string head, off, len;
        if (!std::getline(fields, head, '\t') || !std::getline(fields, off, '\t') ||
            !std::getline(fields, len, '\t'))
            fail("bad index line in " + index_path + ": " + line);
        if (head.rfind("00database", 0) == 0 || head.rfind("00-database", 0) == 0)
            continue;
        const std::size_t o = b64(off), n = b64(len);
        if (o + n > dict.size())
            fail("index points past the end of " + dict_path);
        std::istringstream body(dict.substr(o, n));
        Entry e{lower_ascii(trim(head)), {}};
        std::string sense;
        std::getline(body, sense); // the headword, its pronunciation and part of speech
        while (std::getline(body, sense)) {
            std::size_t digits = 0;
            while (digits < sense.size() && std::isdigit(static_cast<unsigned char>(sense[digits])))
                ++digits;
            if (digits > 0 && sense.compare(digits, 2, ". ") == 0)
                sense = sense.substr(digits + 2);
            std::istringstream values(sense);
            std::string v;
            while (std::getline(values, v, ',')) {
                v = trim(v);
                if (!v.empty() && v.find_first_of("()<>[]/;:\"") == std::string::npos &&
                    v.find("...") == std::string::npos && words(v) <= kMaxValueWords)
                    e.values.push_back(v);
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

bool usable_key(const std::string& k) {
    if (k.empty() || k.find("...") != std::string::npos || words(k) > kMaxKeyWords)
        return false;
    return std::all_of(k.begin(), k.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == ' ' || c == '-' || c == '\'';
    });
}

// Lower case without the French accents, for comparing an English and a French word.
std::string fold(const std::string& s) {
    static const std::vector<std::pair<std::string, char>> accents{
        {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"ç", 'c'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'},
        {"ë", 'e'}, {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'},
        {"ü", 'u'}, {"ÿ", 'y'}, {"É", 'e'}, {"È", 'e'}, {"À", 'a'}, {"Ç", 'c'}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool replaced = false;
        for (const auto& [from, to] : accents)
            if (s.compare(i, from.size(), from) == 0) {
                out += to;
                i += from.size();
                replaced = true;
                break;
            }
        if (!replaced)
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++])));
    }
    return out;
}

// One-word English and French forms that share their first letters: "member" / « membre »,
// "commission", "regional" / « régional », "course" / « cours ».
bool cognate(const std::string& english, const std::string& french) {
    if (words(english) != 1 || words(french) != 1)
        return false;
    const std::string e = fold(english), f = fold(french);
    std::size_t common = 0;
    while (common < e.size() && common < f.size() && e[common] == f[common])
        ++common;
    const std::size_t shorter = std::min(e.size(), f.size());
    return common >= std::min<std::size_t>(4, shorter) && 2 * common >= shorter + 1;
}

// A raw string literal cannot hold its own delimiter.
void check_literal(const std::string& s) {
    if (s.find(")KBDATA\"") != std::string::npos)
        fail("the data holds the raw string delimiter");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 7)
        fail("usage: kb-freedict-table ENG_FRA_INDEX ENG_FRA_DICT_DZ FRA_ENG_INDEX "
             "FRA_ENG_DICT_DZ OUT.cpp OUT.tsv");
    const std::vector<Entry> en_fr = read_dictionary(argv[1], argv[2]);
    const std::vector<Entry> fr_en = read_dictionary(argv[3], argv[4]);

    // fra-eng reversed: (french, english) pairs it states, to confirm eng-fra's senses.
    std::set<std::pair<std::string, std::string>> confirmed;
    std::set<std::string> french_words;
    for (const Entry& e : fr_en) {
        french_words.insert(e.headword);
        for (const std::string& v : e.values)
            confirmed.emplace(e.headword, lower_ascii(v));
    }

    std::map<std::string, std::vector<std::string>> table;
    for (const Entry& e : en_fr) {
        if (!usable_key(e.headword))
            continue;
        std::vector<std::string>& values = table[e.headword];
        for (const std::string& v : e.values)
            if (std::find(values.begin(), values.end(), v) == values.end())
                values.push_back(v);
    }
    std::string tsv;
    for (auto& entry : table) {
        // A named reference, not a structured binding: clang 14 cannot capture those.
        const std::string& key = entry.first;
        std::vector<std::string>& values = entry.second;
        // Cognates first ("member" → « membre » before « adhérent »: the administrative
        // vocabulary is mostly Latin on both sides), then the senses fra-eng confirms, then
        // the dictionary's order (its first senses are its main). Confirmation alone does not
        // choose: fra-eng maps « adhérent », « affilié » and « partisan » to "member" too.
        std::stable_partition(values.begin(), values.end(), [&](const std::string& v) {
            return confirmed.contains({lower_ascii(v), key});
        });
        std::stable_partition(values.begin(), values.end(),
                              [&](const std::string& v) { return cognate(key, v); });
        if (values.size() > kMaxSenses)
            values.resize(kMaxSenses);
        if (values.empty())
            continue;
        tsv += key + "\t";
        for (std::size_t i = 0; i < values.size(); ++i)
            tsv += (i ? "|" : "") + values[i];
        tsv += "\n";
    }
    std::string fr;
    for (const std::string& w : french_words)
        if (w.find_first_of("\t\n") == std::string::npos)
            fr += w + "\n";
    check_literal(tsv);
    check_literal(fr);

    std::ofstream cpp(argv[5]);
    cpp << "// Generated by kb-freedict-table from dict-freedict-eng-fra and "
           "dict-freedict-fra-eng\n"
           "// (FreeDict, GPL-2+; core/data/FREEDICT.md): do not edit.\n"
           "#include \"core/builtin_data.h\"\n\n"
           "namespace kb::builtin_data {\n\n"
           "const char* const kFreedictEnFr = R\"KBDATA("
        << tsv << ")KBDATA\";\nconst char* const kFreedictFrWords = R\"KBDATA(" << fr
        << ")KBDATA\";\n\n} // namespace kb::builtin_data\n";
    std::ofstream out_tsv(argv[6]);
    out_tsv << "# english<TAB>french|french… from FreeDict eng-fra (GPL-2+), cognates and "
               "fra-eng-confirmed "
               "senses first\n"
            << tsv;
    if (!cpp || !out_tsv)
        fail("cannot write the output files");
    return 0;
}
