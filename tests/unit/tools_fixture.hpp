// Moved to tests/support/tool_repo.hpp; this name keeps existing includes working.
#pragma once

#include "support/tool_repo.hpp"
