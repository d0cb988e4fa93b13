#pragma once

#include "core/analysis/analyzer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kb {

/// MinHash over word 3-shingles of the analysed text: near-duplicate documents (the same text
/// republished with other chrome, lightly edited) have close signatures.
constexpr std::size_t kMinHashes = 64;
constexpr std::size_t kBands = 16; ///< locality-sensitive hashing: kMinHashes / kBands rows each
/// Estimated Jaccard similarity from which two records from different sources are duplicates.
constexpr double kDuplicateThreshold = 0.7;

using MinHash = std::array<std::uint32_t, kMinHashes>;

/// The signature of a sequence of analysed terms (empty texts give all-max values).
MinHash minhash(const std::vector<std::string>& terms);
/// The share of equal positions: an estimate of the shingle sets' Jaccard similarity.
double similarity(const MinHash& a, const MinHash& b);
/// One boolean term per band; records sharing a band term are candidate duplicates.
std::vector<std::string> band_terms(const MinHash& signature);
/// Binary serialisation for a value slot, and back (empty optional-like: all-max on error).
std::string serialise(const MinHash& signature);
MinHash unserialise(const std::string& value);

} // namespace kb
