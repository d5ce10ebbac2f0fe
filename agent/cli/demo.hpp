// `diffsmith demo`: the offline demo, the whole `run` path on an embedded
// example project and recorded model session.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct DemoCommandOptions {
  std::string keep_dir;  // create the demo repository here (must not exist)
  bool json = false;
};

// Writes the embedded demo repository to a temporary directory (or keep_dir),
// commits it, and runs the agent on it with the embedded recorded session.
int run_demo_command(const DemoCommandOptions& o, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
