// Reusable scratch work trees (reset_scratch_worktree): numbered slots
// `<folder>/<k>` (with `<k>.index` and `<k>.lock` next to them), kept from
// run to run. A slot is held through an flock on `<k>.lock`, so neither two
// attempts of a run nor two diffsmith processes use the same slot at once.
#pragma once

#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

class ScratchSlot {
 public:
  // The lowest-numbered free slot under `folder` (created on demand).
  static Result<ScratchSlot> acquire(const std::string& folder);
  ScratchSlot(ScratchSlot&& o) noexcept : dir_(std::move(o.dir_)), fd_(o.fd_) { o.fd_ = -1; }
  ScratchSlot& operator=(ScratchSlot&&) = delete;
  ScratchSlot(const ScratchSlot&) = delete;
  ~ScratchSlot();
  const std::string& dir() const { return dir_; }  // the work tree's folder

 private:
  ScratchSlot(std::string dir, int fd) : dir_(std::move(dir)), fd_(fd) {}
  std::string dir_;
  int fd_ = -1;
};

}  // namespace ds::git
