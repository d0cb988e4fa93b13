#include "core/indexing/near_duplicates.h"

#include "core/schema/schema.h"

#include <array>
#include <cstdio>
#include <limits>

namespace kb {
namespace {

std::uint64_t fnv1a(const std::string& a, const std::string& b, const std::string& c) {
    std::uint64_t h = 1469598103934665603ull;
    for (const std::string* s : {&a, &b, &c}) {
        for (unsigned char ch : *s) {
            h ^= ch;
            h *= 1099511628211ull;
        }
        h ^= 0x1f;
        h *= 1099511628211ull;
    }
    return h;
}

// Independent hash functions from one 64-bit hash: h_i(x) = (a_i * x + b_i) >> 32 (universal
// multiply-shift hashing), with fixed odd multipliers so signatures are stable across runs.
struct Permutations {
    std::array<std::uint64_t, kMinHashes> a, b;
    Permutations() {
        for (std::size_t i = 0; i < kMinHashes; ++i) {
            a[i] = 0x9E3779B97F4A7C15ull * (2 * i + 1) | 1;
            b[i] = 0xD1B54A32D192ED03ull * (i + 7);
        }
    }
};
// Computed once: minhash() runs them for every shingle of every record indexed.
const Permutations kPermutations;

} // namespace

MinHash minhash(const std::vector<std::string>& terms) {
    MinHash sig;
    sig.fill(std::numeric_limits<std::uint32_t>::max());
    for (std::size_t i = 0; i + 2 < terms.size(); ++i) {
        const std::uint64_t h = fnv1a(terms[i], terms[i + 1], terms[i + 2]);
        for (std::size_t k = 0; k < kMinHashes; ++k)
            sig[k] = std::min(sig[k], static_cast<std::uint32_t>(
                                          (kPermutations.a[k] * h + kPermutations.b[k]) >> 32));
    }
    return sig;
}

double similarity(const MinHash& a, const MinHash& b) {
    std::size_t same = 0;
    for (std::size_t k = 0; k < kMinHashes; ++k)
        same += a[k] == b[k];
    return double(same) / kMinHashes;
}

std::vector<std::string> band_terms(const MinHash& sig) {
    std::vector<std::string> terms;
    constexpr std::size_t rows = kMinHashes / kBands;
    if (sig[0] == std::numeric_limits<std::uint32_t>::max())
        return terms; // fewer than 3 words
    for (std::size_t b = 0; b < kBands; ++b) {
        std::uint64_t h = 1469598103934665603ull;
        for (std::size_t r = 0; r < rows; ++r) {
            h ^= sig[b * rows + r];
            h *= 1099511628211ull;
        }
        char buf[40];
        std::snprintf(buf, sizeof buf, "%zu:%016llx", b, static_cast<unsigned long long>(h));
        terms.push_back(std::string(schema::kMinHashBandPrefix) + buf);
    }
    return terms;
}

std::string serialise(const MinHash& sig) {
    std::string out;
    for (std::uint32_t v : sig)
        for (int s = 0; s < 32; s += 8)
            out.push_back(static_cast<char>((v >> s) & 0xff));
    return out;
}

MinHash unserialise(const std::string& value) {
    MinHash sig;
    sig.fill(std::numeric_limits<std::uint32_t>::max());
    if (value.size() != kMinHashes * 4)
        return sig;
    for (std::size_t k = 0; k < kMinHashes; ++k) {
        std::uint32_t v = 0;
        for (int s = 0; s < 4; ++s)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(value[k * 4 + s]))
                 << (8 * s);
        sig[k] = v;
    }
    return sig;
}

} // namespace kb
