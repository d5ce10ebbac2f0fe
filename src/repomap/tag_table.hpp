// TagTable: the definitions and references of many blobs in flat arrays
// with interned identifier names, keyed by (blob id, extractor). It is what
// the cache file stores, and it can be backed by the cache's memory mapping
// so a warm run copies nothing (columns are copied on first append).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "repomap/column.hpp"
#include "repomap/symbols.hpp"

namespace ds::repomap {

struct Oid {
  std::array<uint8_t, 20> bytes{};
  bool operator==(const Oid& o) const { return std::memcmp(bytes.data(), o.bytes.data(), 20) == 0; }
  bool operator<(const Oid& o) const { return std::memcmp(bytes.data(), o.bytes.data(), 20) < 0; }
};

// Which extractor produced a blob's tags; part of the cache key.
enum class Extractor : uint8_t { kBuiltin = 0, kCtags = 1 };

enum BlobFlags : uint8_t { kBlobBinary = 1 };

struct DefRec {
  uint32_t name;
  uint32_t line;
  uint32_t sig_off;
  uint16_t sig_len;
  DefKind kind;
  uint8_t depth;
};
static_assert(sizeof(DefRec) == 16);

struct BlobRec {
  Oid oid;
  Extractor source;
  Language lang;
  uint8_t flags;
  uint8_t reserved;
  uint32_t def_begin, def_count;
  uint32_t ref_begin, ref_count;
  // The lexical index (lexical.hpp): distinct terms with their counts, and
  // the number of term occurrences in the file (its length for BM25).
  uint32_t lex_begin, lex_count;
  uint32_t lex_len;
  uint32_t reserved2;
};
static_assert(sizeof(BlobRec) == 56);

// One blob's symbols with owned storage: what a worker thread produces.
struct ParsedBlob {
  Oid oid;
  Extractor source = Extractor::kBuiltin;
  Language lang = Language::kUnknown;
  uint8_t flags = 0;
  struct Def {
    std::string name;
    uint32_t line;
    DefKind kind;
    uint8_t depth;
    std::string signature;
  };
  std::vector<Def> defs;
  std::vector<std::pair<std::string, uint32_t>> refs;
  std::vector<std::pair<uint32_t, uint32_t>> lex;  // lexical term hashes and counts
  uint32_t lex_len = 0;
};

// Symbols plus the lexical terms of `content` (the text the symbols came from).
ParsedBlob make_parsed_blob(const Oid& oid, Extractor source, Language lang, const FileSymbols& syms,
                            std::string_view content = {});

class TagTable {
 public:
  TagTable() = default;
  TagTable(TagTable&&) = default;
  TagTable& operator=(TagTable&&) = default;

  size_t name_count() const { return names_.size(); }
  std::string_view name(uint32_t id) const { return names_[id]; }
  // Adds a name (or finds it); builds the lookup index on first use.
  uint32_t intern(std::string_view s);

  // Changes whenever the cache file is written; 0 for a table that differs
  // from every cache file. Derived data (the graph cache) is keyed by it.
  uint64_t generation() const { return generation_; }
  void set_generation(uint64_t g) { generation_ = g; }

  size_t blob_count() const { return blobs_.size(); }
  const BlobRec& blob(uint32_t i) const { return blobs_[i]; }
  // Index of the blob with this key among the sorted (loaded) blobs, or -1.
  int64_t find(const Oid& oid, Extractor source) const;
  uint32_t add(const ParsedBlob& parsed);

  const DefRec& def(size_t i) const { return defs_[i]; }
  size_t def_count() const { return defs_.size(); }
  uint32_t ref_name(size_t i) const { return ref_names_[i]; }
  uint16_t ref_count(size_t i) const { return ref_counts_[i]; }
  size_t ref_total() const { return ref_names_.size(); }
  uint32_t lex_term(size_t i) const { return lex_terms_[i]; }  // a term_hash
  uint16_t lex_tf(size_t i) const { return lex_counts_[i]; }
  size_t lex_total() const { return lex_terms_.size(); }
  std::string_view signature(const DefRec& d) const {
    return std::string_view(sigs_.data() + d.sig_off, d.sig_len);
  }

 private:
  friend class CacheCodec;
  std::shared_ptr<const void> backing_;  // keeps a mapped cache file alive
  uint64_t generation_ = 0;
  std::vector<std::string_view> names_;
  std::deque<std::string> arena_;  // storage of names added after loading
  std::unordered_map<std::string_view, uint32_t> index_;
  size_t sorted_blobs_ = 0;  // blobs_[0, sorted_blobs_) are sorted by key
  Column<BlobRec> blobs_;
  Column<DefRec> defs_;
  Column<uint32_t> ref_names_;
  Column<uint16_t> ref_counts_;
  Column<uint32_t> lex_terms_;
  Column<uint16_t> lex_counts_;
  Column<char> sigs_;
};

}  // namespace ds::repomap
