// The command-line front end: one table of subcommands (ninja-style), each
// parsed with CLI11 here and dispatched to its agent/cli/<command>.cpp function.
// CLI11 stays in this translation unit (and settings.cpp) for compile time.
#include "agent/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include "agent/cli/apply.hpp"
#include "agent/cli/batch.hpp"
#include "agent/cli/demo.hpp"
#include "agent/cli/docs.hpp"
#include "agent/cli/doctor.hpp"
#include "agent/cli/log.hpp"
#include "agent/cli/map.hpp"
#include "agent/cli/parse.hpp"
#include "agent/cli/run.hpp"
#include "agent/cli/sandbox.hpp"
#include "agent/cli/show.hpp"
#include "agent/cli/undo.hpp"
#include "agent/cli/version.hpp"
#include "agent/config/options.hpp"
#include "agent/config/settings.hpp"
#include "agent/config/settings_doc.hpp"
#include "agent/exit_code.hpp"
#include "llm/config.hpp"
#include "text/edit_distance.hpp"

namespace ds::agent {
namespace {

using Runner = std::function<int()>;

// Options declared from an OptionSpec table, collected into Settings.flags.
struct BoundOptions {
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, bool> flags;
  std::vector<std::pair<const OptionSpec*, CLI::Option*>> options;

  // `for_batch`: the run options batch ignores are still accepted (batch says
  // it ignores them) but not listed in its --help.
  void add(CLI::App& app, const std::vector<OptionSpec>& specs, bool for_batch = false) {
    for (const auto& s : specs) {
      if (s.config_only) continue;  // the API key: never a flag
      std::string names = std::string(s.short_name).empty() ? "--" + std::string(s.name)
                                                            : std::string(s.short_name) + ",--" + s.name;
      if (s.negatable) names += ",!--no-" + std::string(s.name);  // CLI11: the flag's value false
      std::string help = s.help;
      if (*s.default_text) help += " [default: " + std::string(s.default_text) + "]";
      CLI::Option* opt;
      if (s.flag)
        opt = app.add_flag(names, flags[s.name], help);
      else if (s.multi)
        opt = app.add_option(names, lists[s.name], help);
      else
        opt = app.add_option(names, values[s.name], help);
      if (const char* value_name = option_value_name(s.name)) opt->type_name(value_name);
      if (for_batch && s.not_in_batch) opt->group("");  // hidden
      options.emplace_back(&s, opt);
    }
  }

  void collect(Settings& settings) {
    for (auto& [spec, opt] : options) {
      if (opt->count() == 0) continue;
      std::string v;
      if (spec->flag)
        v = flags[spec->name] ? "true" : "false";
      else if (spec->multi)
        for (const auto& item : lists[spec->name]) v += (v.empty() ? "" : "\n") + item;
      else
        v = values[spec->name];
      settings.flags[spec->name] = SettingValue{v, "--" + std::string(spec->name)};
    }
  }
};

Runner setup_apply(CLI::App& app) {
  auto o = std::make_shared<ApplyCommandOptions>();
  app.add_option("input", o->input, "File with the edit text, or - for stdin [default: -]");
  app.add_option("-C", o->dir, "Run in this directory (the repository or a subdirectory)");
  app.add_option("--format", o->format, "auto | search-replace | patch [default: auto]");
  app.add_flag("--dry-run", o->dry_run, "Resolve the edits and print the diff; write nothing");
  app.add_flag("--partial", o->partial, "Write the blocks that resolved even if others failed");
  app.add_flag("--json", o->json, "Print one JSON object with per-block results and the diff");
  return [o] { return run_apply_command(*o, std::cin, std::cout, std::cerr); };
}

Runner setup_parse(CLI::App& app) {
  auto o = std::make_shared<ParseCommandOptions>();
  app.add_option("input", o->input, "File with the model's reply, or - for stdin [default: -]");
  app.add_option("--format", o->format, "auto | search-replace | patch [default: auto]");
  app.add_flag("--json", o->json, "Print the blocks as one JSON object");
  return [o] { return run_parse_command(*o, std::cin, std::cout, std::cerr); };
}

Runner setup_run(CLI::App& app) {
  auto o = std::make_shared<RunCommandArgs>();
  auto bound = std::make_shared<BoundOptions>();
  app.add_option("task", o->task, "The task text, or - to read it from stdin");
  app.add_option("-C", o->dir, "Run in this directory (the repository or a subdirectory)");
  CLI::Option* cont =
      app.add_option("--continue", o->continue_run,
                     "Continue run RUN (default: the latest) with TASK as the next instruction: its "
                     "conversation, on the current tree (see `diffsmith log`)")
          ->expected(0, 1)
          ->type_name("[RUN]");
  app.add_flag("-i,--interactive", o->interactive,
               "After the verdict, read a follow-up from stdin (one per line; an empty line or Ctrl-D ends)");
  bound->add(app, run_command_options());
  return [o, bound, cont] {
    bound->collect(o->settings);
    o->continues = cont->count() > 0;
    return run_run_command(*o, std::cin, std::cout, std::cerr);
  };
}

Runner setup_batch(CLI::App& app) {
  auto o = std::make_shared<BatchCommandArgs>();
  auto bound = std::make_shared<BoundOptions>();
  app.add_option("tasks", o->tasks_file,
                 "SWE-bench instances or tasks: JSONL, a JSON list, or a JSON object by id")
      ->required();
  app.add_option("-C", o->dir,
                 "Read .diffsmith.toml from this repository [default: the current directory's]");
  bound->add(app, batch_command_options(),
             /*for_batch=*/true);  // batch, then run options, then the endpoint's
  return [o, bound] {
    bound->collect(o->settings);
    return run_batch_command(*o, std::cout, std::cerr);
  };
}

Runner setup_doctor(CLI::App& app) {
  auto o = std::make_shared<DoctorCommandArgs>();
  auto bound = std::make_shared<BoundOptions>();
  app.add_option("-C", o->dir, "Read .diffsmith.toml from this repository");
  bound->add(app, run_command_options());
  return [o, bound] {
    bound->collect(o->settings);
    return run_doctor_command(*o, std::cout, std::cerr);
  };
}

Runner setup_undo(CLI::App& app) {
  auto o = std::make_shared<UndoCommandOptions>();
  app.add_option("run", o->run,
                 "Run id (see `diffsmith log`) [default: the latest run not undone yet that changed "
                 "something]");
  app.add_option("--all-since", o->all_since, "Undo RUN and every run after it, newest first")
      ->type_name("RUN");
  app.add_option("-C", o->dir, "Run in this directory");
  app.add_flag("--force", o->force, "Undo even files changed again since the run ended");
  return [o] { return run_undo_command(*o, std::cout, std::cerr); };
}

Runner setup_log(CLI::App& app) {
  auto o = std::make_shared<LogCommandOptions>();
  app.add_option("-C", o->dir, "Run in this directory");
  app.add_flag("--json", o->json, "One JSON object per run");
  return [o] { return run_log_command(*o, std::cout, std::cerr); };
}

Runner setup_show(CLI::App& app) {
  auto o = std::make_shared<ShowCommandOptions>();
  app.add_option("run", o->run, "Run id (see `diffsmith log`) [default: the latest run]");
  app.add_option("-C", o->dir, "Run in this directory");
  app.add_flag("--json", o->json, "Print the trajectory as stored (JSON Lines)");
  return [o] { return run_show_command(*o, std::cout, std::cerr); };
}

Runner setup_map(CLI::App& app) {
  auto o = std::make_shared<MapCommandOptions>();
  app.add_option("terms", o->terms, "Words, identifiers or paths to rank the map for");
  app.add_option("-C", o->dir, "Run in this directory");
  app.add_option("--tokens", o->tokens, "Token budget [default: 4096]");
  app.add_option("--focus", o->focus, "Files to boost as if pinned (repeatable)");
  app.add_flag("--stats", o->stats, "Print timing and cache figures on stderr");
  app.add_flag("--ctags", o->ctags, "Take definitions from universal-ctags when installed");
  app.add_flag("--no-cache", o->no_cache, "Neither read nor write the tag cache");
  return [o] { return run_map_command(*o, std::cout, std::cerr); };
}

Runner setup_demo(CLI::App& app) {
  auto o = std::make_shared<DemoCommandOptions>();
  app.add_option("--keep", o->keep_dir, "Create the demo repository here and keep it");
  app.add_flag("--json", o->json, "Print JSON events");
  return [o] { return run_demo_command(*o, std::cout, std::cerr); };
}

Runner setup_sandbox(CLI::App& app) {
  auto o = std::make_shared<SandboxCommandOptions>();
  app.add_option("command", o->command, "The command: one shell command line, or a program and its arguments")
      ->required();
  app.add_option("-C", o->dir, "Run in this repository (or a subdirectory of it)");
  app.add_flag("--sandbox-network", o->network, "Let the command use the network");
  app.add_option("--timeout", o->timeout_s, "Seconds before the sandbox is killed [default: 120]");
  return [o] { return run_sandbox_command(*o, std::cout, std::cerr); };
}

// CLI11's names of value types (TEXT, INT …): they say the type, not what the value is.
bool is_generic_type_name(const std::string& n) {
  static const char* const kGeneric[] = {"TEXT", "INT", "UINT", "FLOAT", "NUMBER", "BOOLEAN", "SIZE", "ENUM"};
  for (const char* g : kGeneric)
    if (n == g) return true;
  return false;
}

// The command table as CliDoc: every visible subcommand of `root` (in table
// order) with its options, read back from CLI11, for the completions and the
// man page.
CliDoc describe_cli(CLI::App& root) {
  CliDoc doc;
  doc.version = DIFFSMITH_VERSION;
  doc.global_options = {{{"-h", "--help"}, "", {}, "Print the list of commands and exit"},
                        {{"--version"}, "", {}, "Print the version, the commit, and the library versions"}};
  auto is_positional = [](const CLI::Option* opt) {
    return opt->get_positional() && opt->get_lnames().empty() && opt->get_snames().empty();
  };
  auto describe_option = [&](const CLI::Option* opt) {
    OptionDoc o;
    o.help = opt->get_description();
    o.positional = is_positional(opt);
    if (o.positional) {
      o.names = {opt->get_name()};
      o.value_name = opt->get_name();
    } else {
      for (const auto& n : opt->get_snames()) o.names.push_back("-" + n);
      for (const auto& n : opt->get_lnames()) o.names.push_back("--" + n);
      if (opt->get_expected_max() != 0) {  // 0: a flag
        // The value's name: one the option was given (--continue [RUN]),
        // else the last word of the long name (--max-turns TURNS); -C, the
        // one value option without a long name, takes a DIR.
        std::string n = opt->get_type_name();
        if (n.empty() || is_generic_type_name(n)) {
          n = opt->get_lnames().empty() ? "DIR" : opt->get_lnames().back();
          n = n.substr(n.rfind('-') + 1);
          for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        o.value_name = n;
      }
    }
    o.choices = choices_from_help(o.help);
    o.repeatable = opt->get_expected_max() > 1;
    return o;
  };
  for (CLI::App* sub : root.get_subcommands([](CLI::App* a) { return !a->get_group().empty(); })) {
    CommandDoc c{sub->get_name(), sub->get_description(), {}};
    for (const CLI::Option* opt : sub->get_options())  // positionals first, in order
      if (is_positional(opt)) c.options.push_back(describe_option(opt));
    for (const CLI::Option* opt : sub->get_options())  // hidden ones (group "") are not documented
      if (!is_positional(opt) && !opt->get_group().empty()) c.options.push_back(describe_option(opt));
    doc.commands.push_back(std::move(c));
  }
  return doc;
}

Runner setup_completions(CLI::App& app) {
  auto shell = std::make_shared<std::string>();
  app.add_option("shell", *shell, "bash | zsh | fish")->required();
  CLI::App* root = app.get_parent();
  return [shell, root] {
    CliDoc doc = describe_cli(*root);
    if (*shell == "bash")
      std::cout << bash_completion(doc);
    else if (*shell == "zsh")
      std::cout << zsh_completion(doc);
    else if (*shell == "fish")
      std::cout << fish_completion(doc);
    else {
      return fail(std::cerr, "completions", "unknown shell \"" + *shell + "\" (bash, zsh or fish)",
                  ExitCode::Usage);
    }
    return to_int(ExitCode::Ok);
  };
}

// `diffsmith manpage`: hidden (not in the table); the build runs it to write
// diffsmith.1.
void add_manpage_command(CLI::App& app, std::map<CLI::App*, Runner>& runners) {
  CLI::App* sub = app.add_subcommand("manpage", "print the man page (roff)");
  sub->group("");
  CLI::App* root = &app;
  runners[sub] = [root] {
    std::cout << man_page(describe_cli(*root));
    return to_int(ExitCode::Ok);
  };
}

// `diffsmith settings-doc`: hidden; prints docs/settings.md from the settings
// table.
void add_settings_doc_command(CLI::App& app, std::map<CLI::App*, Runner>& runners) {
  CLI::App* sub = app.add_subcommand("settings-doc", "print docs/settings.md (Markdown)");
  sub->group("");
  runners[sub] = [] {
    std::cout << settings_markdown();
    return to_int(ExitCode::Ok);
  };
}

struct Command {
  const char* name;
  const char* description;
  Runner (*setup)(CLI::App&);
};

const Command kCommands[] = {
    {"run", "solve a task: ask the model, apply its edits, run the tests, repeat until they pass", setup_run},
    {"batch", "run the agent over many tasks or SWE-bench instances; write predictions", setup_batch},
    {"apply", "apply SEARCH/REPLACE blocks or a V4A patch to a git repository (like git apply)", setup_apply},
    {"parse", "list the edit blocks found in a model reply; touches no repository", setup_parse},
    {"undo", "take back a run: its files, and its commit when it made one", setup_undo},
    {"log", "list the runs recorded in this repository", setup_log},
    {"show", "print a run's transcript: task, turns, tool calls, diffs, tests, verdict", setup_show},
    {"map", "print the repo map: the most relevant definitions, within a token budget", setup_map},
    {"doctor", "show every setting and where it came from, the test command; send one tiny request",
     setup_doctor},
    {"demo", "solve the bundled example offline, from a recorded session", setup_demo},
    {"sandbox", "run a command in the sandbox the model's commands get: diffsmith sandbox -- CMD",
     setup_sandbox},
    {"completions", "print a shell completion script: completions bash | zsh | fish", setup_completions},
};

void print_help(std::FILE* f) {
  std::fprintf(f,
               "usage: diffsmith COMMAND [options]\n\n"
               "diffsmith is a coding agent: it asks a model for edits, applies them through libgit2,\n"
               "runs your tests, and loops until they pass.\n\ncommands:\n");
  int width = 0;  // the longest name: the descriptions line up in one column
  for (const auto& c : kCommands) width = std::max(width, static_cast<int>(std::string_view(c.name).size()));
  for (const auto& c : kCommands) std::fprintf(f, "  %-*s  %s\n", width, c.name, c.description);
  std::fprintf(f,
               "\noptions:\n  %-*s  print the version\n  %-*s  this text\n\n"
               "Run 'diffsmith COMMAND --help' for a command's options.\n"
               "Exit codes of run: 0 solved, 1 not solved, 2 usage, 3 model/API error, 4 repository error, "
               "130 interrupted.\n",
               width, "--version", width, "--help");
}

// `diffsmith rn`: the word in the command's place is no command. Says so, with
// the nearest command when one is close (a typo, a prefix); 0 when `word` is a
// command or an option.
int unknown_command(std::string_view word) {
  if (word.empty() || word[0] == '-') return 0;
  for (const auto& c : kCommands)
    if (word == c.name) return 0;
  if (word == "manpage" || word == "settings-doc") return 0;
  const char* best = nullptr;
  size_t best_d = SIZE_MAX;
  for (const auto& c : kCommands) {
    std::string_view name = c.name;
    size_t d = name.starts_with(word) ? 1 : text::edit_distance(word, name);
    if (d < best_d) best_d = d, best = c.name;
  }
  std::string message = "unknown command \"" + std::string(word) + "\"";
  if (best && best_d <= std::max<size_t>(1, word.size() / 3))
    message += "; did you mean " + std::string(best) + "?";
  else
    message += " (see diffsmith --help)";
  std::cerr << "diffsmith: " << text::terminal_safe(message) << "\n";
  return to_int(ExitCode::Usage);
}

}  // namespace

int main_cli(int argc, char** argv) {
  // The name is given, so that usage lines say "diffsmith", not argv[0].
  CLI::App app{"diffsmith", "diffsmith"};
  app.set_help_flag();  // top-level help is the command table below
  bool help = false, version = false;
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  app.require_subcommand(0, 1);
  std::map<CLI::App*, Runner> runners;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.description);
    sub->set_help_flag("-h,--help", "Print this help and exit");
    runners[sub] = c.setup(*sub);
  }
  add_manpage_command(app, runners);
  add_settings_doc_command(app, runners);
  if (argc > 1)
    if (int code = unknown_command(argv[1])) return code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return to_int(code == 0 ? ExitCode::Ok : ExitCode::Usage);
  }
  if (version) {
    std::fputs(version_report().c_str(), stdout);
    return to_int(ExitCode::Ok);
  }
  for (auto& [sub, runner] : runners)
    if (sub->parsed()) return runner();
  print_help(help ? stdout : stderr);
  return help ? 0 : 2;
}

}  // namespace ds::agent
