// For the tools tests: a real repository (git CLI) and a ToolContext over
// it, and calling one tool by name with JSON arguments.
#pragma once

#include <catch2/catch.hpp>
#include <memory>

#include "git/repository.hpp"
#include "git/status.hpp"
#include "support/git_repo.hpp"
#include "tools/tool.hpp"

namespace ds::tools::testing {

struct ToolRepo {
  git::testing::TempRepo t;
  std::unique_ptr<git::Repository> repo;
  ToolContext ctx;
  std::vector<Tool> tools = make_tools(edit::Format::SearchReplace, false);

  // Opens the repository (after the files are written and committed).
  void open() {
    auto r = git::Repository::open(t.root);
    REQUIRE(r.ok());
    repo = std::make_unique<git::Repository>(std::move(*r));
    ctx.repo = repo.get();
    ctx.root = t.root;
    auto tracked = git::tracked_files(*repo);
    REQUIRE(tracked.ok());
    ctx.tracked = *tracked;
  }

  ToolOutcome call(const std::string& name, json::Value args) {
    llm::ToolCall c;
    c.id = "call_1";
    c.name = name;
    c.arguments = json::dump(args);
    c.args = std::move(args);
    ToolOutcome o = call_tool(tools, c, ctx);
    UNSCOPED_INFO(name << " -> " << o.content.substr(0, 2000));
    return o;
  }
};

inline bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

}  // namespace ds::tools::testing
