// Moved to tests/support/git_repo.hpp; this name keeps existing includes working.
#pragma once

#include "support/git_repo.hpp"
