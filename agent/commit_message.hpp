// The message of the commit a solved run makes (--commit, --branch): the
// run's own words, never prose cut mid-turn or an edit block.
#pragma once

#include <string>

namespace ds::agent {

// Subject: the task's first non-blank line, at most 72 characters (cut at a
// word, "…" added). Body, after a blank line: the model's finish summary
// with any edit block removed; none when the model gave no summary.
std::string commit_message(const std::string& task, const std::string& finish_summary);

// The subject alone (the first line of commit_message).
std::string commit_subject(const std::string& task);

}  // namespace ds::agent
