// exit_code_for: a library error's kind, or a run's status -> diffsmith's exit code.
#include "agent/exit_code.hpp"

#include "llm/error_kind.hpp"

namespace ds::agent {

ExitCode exit_code_for(const Error& e) {
  switch (e.kind.library()) {
    case ErrorLibrary::Llm:
      if (e.is(llm::ErrorKind::Config)) return ExitCode::Usage;
      if (e.is(llm::ErrorKind::Interrupted)) return ExitCode::Interrupted;
      return ExitCode::Model;
    case ErrorLibrary::Files:
    case ErrorLibrary::Git:
    case ErrorLibrary::Repomap:
      return ExitCode::Repository;
    case ErrorLibrary::None:
      return ExitCode::Model;
  }
  return ExitCode::Model;
}

ExitCode exit_code_for(RunStatus status, ExitCode error_code) {
  switch (status) {
    case RunStatus::Solved:
    case RunStatus::Done:
      return ExitCode::Ok;
    case RunStatus::Unsolved:
    case RunStatus::NoChange:
    case RunStatus::Unverified:
      return ExitCode::NotSolved;
    case RunStatus::Interrupted:
      return ExitCode::Interrupted;
    case RunStatus::Error:
      return error_code;
  }
  return error_code;
}

}  // namespace ds::agent
