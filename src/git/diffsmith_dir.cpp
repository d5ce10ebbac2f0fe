// diffsmith_dir and diffsmith_file: where diffsmith keeps its per-work-tree
// files inside the repository's own git dir.
#include "git/diffsmith_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace ds::git {

Result<std::string> diffsmith_dir(Repository& repo) {
  std::string dir = repo.git_dir() + "/diffsmith";
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return make_error("cannot create " + dir + ": " + std::strerror(errno) + "; check that .git is writable",
                      ErrorKind::IoError);
  return dir;
}

Result<std::string> diffsmith_file(Repository& repo, const std::string& folder, const std::string& name) {
  auto dir = diffsmith_dir(repo);
  if (!dir) return dir.error();
  std::string path = *dir + "/" + folder;
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
    return make_error("cannot create " + path + ": " + std::strerror(errno), ErrorKind::IoError);
  path += '/';
  for (char c : name) path += c == '%' ? "%25" : c == '/' ? "%2F" : std::string(1, c);
  return path;
}

}  // namespace ds::git
