// The `map` subcommand: options -> ds::repomap::build_map -> stdout.
#include "agent/cli/map.hpp"

#include <filesystem>

#include "repomap/map.hpp"

namespace ds::agent {

int run_map_command(const MapCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec)) {
    err << "diffsmith map: no such directory: " << options.dir << " (pass an existing directory with -C)\n";
    return 2;
  }
  repomap::MapOptions opt;
  opt.max_tokens = options.tokens;
  opt.terms = options.terms;
  opt.focus_files = options.focus;
  opt.use_ctags = options.ctags;
  opt.use_cache = !options.no_cache;
  repomap::MapStats stats;
  auto map = repomap::build_map(options.dir, opt, &stats);
  if (!map) {
    err << "diffsmith map: " << map.error().message << "\n";
    return 4;
  }
  out << *map;
  if (map->empty() && options.tokens > 0)
    err << "diffsmith map: no definitions found in tracked files of " << options.dir << "\n";
  if (options.stats) err << repomap::format_stats(stats);
  return 0;
}

}  // namespace ds::agent
