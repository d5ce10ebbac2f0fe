// TagTable: interning, lookup by blob key, appending parsed blobs.
#include "repomap/tag_table.hpp"

#include <algorithm>

#include "repomap/lexical.hpp"

namespace ds::repomap {

ParsedBlob make_parsed_blob(const Oid& oid, Extractor source, Language lang, const FileSymbols& syms,
                            std::string_view content) {
  ParsedBlob p;
  p.oid = oid;
  p.source = source;
  p.lang = lang;
  p.defs.reserve(syms.defs.size());
  for (const Definition& d : syms.defs)
    p.defs.push_back(ParsedBlob::Def{std::string(d.name), d.line, d.kind, d.depth, std::string(d.signature)});
  p.refs.reserve(syms.refs.size());
  for (const Reference& r : syms.refs) p.refs.emplace_back(std::string(r.name), r.count);
  if (!content.empty()) p.lex_len = lexical_terms(content, p.lex);
  return p;
}

uint32_t TagTable::intern(std::string_view s) {
  if (index_.empty() && !names_.empty()) {
    index_.reserve(names_.size() * 2);
    for (uint32_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], i);
  }
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  arena_.emplace_back(s);
  std::string_view stored = arena_.back();
  uint32_t id = static_cast<uint32_t>(names_.size());
  names_.push_back(stored);
  index_.emplace(stored, id);
  return id;
}

int64_t TagTable::find(const Oid& oid, Extractor source) const {
  const BlobRec* begin = blobs_.data();
  const BlobRec* end = begin + sorted_blobs_;
  // Ids are uniformly distributed: the first 8 bytes (as a big-endian
  // number) almost always decide, without a memcmp call.
  auto prefix = [](const Oid& o) {
    uint64_t v;
    std::memcpy(&v, o.bytes.data(), sizeof v);
    return __builtin_bswap64(v);
  };
  const uint64_t key_prefix = prefix(oid);
  auto less = [&](const BlobRec& b, const std::pair<const Oid*, Extractor>& key) {
    uint64_t p = prefix(b.oid);
    if (p != key_prefix) return p < key_prefix;
    int c = std::memcmp(b.oid.bytes.data(), key.first->bytes.data(), 20);
    return c != 0 ? c < 0 : b.source < key.second;
  };
  const BlobRec* it = std::lower_bound(begin, end, std::make_pair(&oid, source), less);
  if (it == end || it->oid != oid || it->source != source) return -1;
  return it - begin;
}

uint32_t TagTable::add(const ParsedBlob& parsed) {
  generation_ = 0;
  BlobRec b{};
  b.oid = parsed.oid;
  b.source = parsed.source;
  b.lang = parsed.lang;
  b.flags = parsed.flags;
  b.def_begin = static_cast<uint32_t>(defs_.size());
  b.def_count = static_cast<uint32_t>(parsed.defs.size());
  b.ref_begin = static_cast<uint32_t>(ref_names_.size());
  b.ref_count = static_cast<uint32_t>(parsed.refs.size());
  for (const ParsedBlob::Def& d : parsed.defs) {
    DefRec r{};
    r.name = intern(d.name);
    r.line = d.line;
    r.sig_off = static_cast<uint32_t>(sigs_.size());
    r.sig_len = static_cast<uint16_t>(std::min<size_t>(d.signature.size(), kMaxSignatureBytes));
    sigs_.append(d.signature.data(), r.sig_len);
    r.kind = d.kind;
    r.depth = d.depth;
    defs_.push_back(r);
  }
  for (const auto& [name, count] : parsed.refs) {
    ref_names_.push_back(intern(name));
    ref_counts_.push_back(static_cast<uint16_t>(std::min<uint32_t>(count, 0xFFFF)));
  }
  b.lex_begin = static_cast<uint32_t>(lex_terms_.size());
  b.lex_count = static_cast<uint32_t>(parsed.lex.size());
  b.lex_len = parsed.lex_len;
  for (const auto& [term, count] : parsed.lex) {
    lex_terms_.push_back(term);
    lex_counts_.push_back(static_cast<uint16_t>(std::min<uint32_t>(count, 0xFFFF)));
  }
  blobs_.push_back(b);
  return static_cast<uint32_t>(blobs_.size() - 1);
}

}  // namespace ds::repomap
