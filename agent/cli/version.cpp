// `diffsmith --version`. libgit2 and libcurl report the versions of the
// shared libraries actually loaded (they may differ from the headers built
// against); simdjson has no run-time query, so its header's version is shown.
#include "agent/cli/version.hpp"

#include <curl/curl.h>
#include <git2/common.h>
#include <simdjson.h>

#ifndef DIFFSMITH_VERSION
#error "DIFFSMITH_VERSION must be defined (CMake does it)"
#endif

#define DS_STRINGIFY2(x) #x
#define DS_STRINGIFY(x) DS_STRINGIFY2(x)

namespace ds::agent {

std::string version_report() {
  std::string s = "diffsmith " DIFFSMITH_VERSION " (commit " + std::string(build_commit()) + ")\n";
  int major = 0, minor = 0, rev = 0;
  git_libgit2_version(&major, &minor, &rev);
  s += "libgit2 " + std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(rev) + "\n";
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  s += "libcurl " + std::string(curl && curl->version ? curl->version : "unknown");
  if (curl && curl->ssl_version) s += " (" + std::string(curl->ssl_version) + ")";
  s += "\nsimdjson " DS_STRINGIFY(SIMDJSON_VERSION) " (compiled in)\n";
  s += "licence: Apache-2.0 (https://www.apache.org/licenses/LICENSE-2.0)\n";
  return s;
}

}  // namespace ds::agent
