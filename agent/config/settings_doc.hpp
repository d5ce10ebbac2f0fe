// docs/settings.md, generated from the settings table (agent/cli/options.cpp)
// so that it cannot drift: `diffsmith settings-doc > docs/settings.md`
// writes it, and tests/unit/agent_settings_test.cpp fails when the file
// differs from what the binary prints.
#pragma once

#include <string>

namespace ds::agent {

std::string settings_markdown();

}  // namespace ds::agent
