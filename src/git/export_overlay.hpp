// A commit's tree shown over the work tree instead of written out: the
// layer of the files the work tree lacks or holds differently, and the
// work-tree paths the tree does not have. Stacked over the work tree (an
// overlay, exec/sandbox.hpp's OverlayTree) with those paths removed, it is
// the commit's tree, at the cost of the files that differ instead of all
// (the reproduction's base check: a run changes a few files of thousands).
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

struct BaseLayer {
  std::vector<std::string> remove;  // relative paths (files or folders) to delete over the work tree
  size_t written = 0;               // files written to the layer
};

// Writes into `layer_dir` (created) every file of `commit`'s tree that the
// work tree lacks or holds with other bytes or mode, and lists the work
// tree's paths that are not in the tree (untracked and ignored ones
// included; `.git` always; not empty folders, which git does not see: they
// stay visible, empty). Paths in `keep` (files the caller writes into
// the layer afterwards) and the folders holding them are not listed.
// Unchanged files are told by the index's stat data, as `git status` tells
// them (files whose index entry differs from the tree, or whose stat data
// does not match, count as changed: written). Only reads the work tree and
// the index (nothing written to either). An error when the result could
// not be exact: submodules, attributes or core.autocrlf (filters between
// the disk and the blobs), an ignored folder holding files of the tree or a
// path of `keep`; the caller then writes the whole tree out (export_tree).
Result<BaseLayer> base_layer(Repository& repo, const std::string& commit, const std::string& layer_dir,
                             const std::vector<std::string>& keep);

}  // namespace ds::git
