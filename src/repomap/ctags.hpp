// Definitions from universal-ctags (`ctags --output-format=json`), for
// languages the built-in extractor does not know, or all files on request.
// The map still scans references itself and takes signatures from the file.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "repomap/symbols.hpp"

namespace ds::repomap {

struct CtagsDef {
  std::string name;
  uint32_t line = 0;
  DefKind kind = DefKind::kOther;
  uint8_t depth = 0;
};

using CtagsDefs = std::unordered_map<std::string, std::vector<CtagsDef>>;  // by path

// Whether an executable `ctags` is on PATH (no process is started).
bool ctags_on_path();

// Whether `ctags` on PATH is Universal Ctags with JSON output (runs
// `ctags --version` once per process).
bool ctags_available();

// Runs ctags in `workdir` over `paths` (relative), split across `processes`
// concurrent ctags processes. Files ctags does not know simply yield nothing.
Result<CtagsDefs> run_ctags(const std::string& workdir, const std::vector<std::string>& paths,
                            unsigned processes);

// One line of ctags JSON output to a definition; false for kinds the map
// does not show (locals, parameters, fields, headings, ...). Exposed for tests.
bool parse_ctags_line(std::string_view line, std::string* path, CtagsDef* def);

}  // namespace ds::repomap
