// quote_line: one line of the model's text, quoted for an issue message.
#include "edit/quote.hpp"

#include "text/lines.hpp"

namespace ds::edit {

std::string quote_line(std::string_view line) {
  constexpr size_t kMax = 160;
  line = text::rtrim(line);
  if (line.empty()) return "'' (an empty line)";
  if (line.size() <= kMax) return "'" + std::string(line) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(line.substr(0, cut)) + "...' (" + std::to_string(line.size()) + " bytes)";
}

}  // namespace ds::edit
