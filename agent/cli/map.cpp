// The `map` subcommand: options -> ds::repomap::build_map -> stdout.
#include "agent/cli/map.hpp"

#include <filesystem>

#include "agent/exit_code.hpp"
#include "repomap/map.hpp"

namespace ds::agent {

int run_map_command(const MapCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec))
    return fail(err, "map", "no such directory: " + options.dir + " (pass an existing directory with -C)",
                ExitCode::Usage);
  repomap::MapOptions opt;
  opt.max_tokens = options.tokens;
  opt.terms = options.terms;
  opt.focus_files = options.focus;
  opt.use_ctags = options.ctags;
  opt.use_cache = !options.no_cache;
  repomap::MapStats stats;
  auto map = repomap::build_map(options.dir, opt, &stats);
  if (!map) return fail(err, "map", map.error().message, ExitCode::Repository);
  out << *map;
  if (map->empty() && options.tokens > 0)
    err << "diffsmith map: no definitions found in tracked files of " << options.dir << "\n";
  if (options.stats) err << repomap::format_stats(stats);
  return to_int(ExitCode::Ok);
}

}  // namespace ds::agent
