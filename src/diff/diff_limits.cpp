// omission_by_size / omission_by_content and the note lines.
#include "diff/diff_limits.hpp"

#include "diff/unified_diff.hpp"
#include "text/byte_size.hpp"
#include "text/utf8.hpp"

namespace ds::diff {

Omission omission_by_size(const SideSizes& sizes, uint64_t limit) {
  bool over = (sizes.before && *sizes.before > limit) || (sizes.after && *sizes.after > limit);
  return over ? Omission::OverLimit : Omission::None;
}

Omission omission_by_content(std::string_view before, std::string_view after) {
  return text::looks_binary(before) || text::looks_binary(after) ? Omission::Binary : Omission::None;
}

std::string omitted_note(const OmittedFile& f, std::string_view action) {
  std::string what = f.why == Omission::Binary
                         ? std::string("binary")
                         : "over the " + text::size_text(f.limit) + " size limit for diffs";
  std::string sizes;
  if (!f.sizes.before && f.sizes.after)
    sizes = "new file, " + text::bytes_text(*f.sizes.after);
  else if (f.sizes.before && !f.sizes.after)
    sizes = "deleted, was " + text::bytes_text(*f.sizes.before);
  else if (f.sizes.before && f.sizes.after)
    sizes = std::to_string(*f.sizes.before) + " -> " + text::bytes_text(*f.sizes.after);
  std::string line = "# diffsmith: " + header_path("", f.path) + ": " + what;
  if (!sizes.empty()) line += ", " + sizes;
  return line + "; " + std::string(action) + "\n";
}

std::string omitted_notes(const std::vector<OmittedFile>& files, std::string_view action) {
  std::string out;
  for (const auto& f : files) out += omitted_note(f, action);
  return out;
}

}  // namespace ds::diff
