#pragma once
// The configuration file: JSON whose keys are the server's long options without "--". It becomes
// command-line arguments placed before the real ones, so one set of options with one set of
// checks serves both, and the command line wins. Keys that begin with "//" are comments, which
// is how deploy/vraagbaak.example.json documents each key in place.

#include <set>
#include <string>
#include <vector>

#include "vraagbaak/protocol/result.hpp"

namespace vraagbaak::app {

// `flags` are the keys that take no value (true: given; false: left out). Errors name the file
// and the key.
Result<std::vector<std::string>, std::string> config_file_args(const std::string& path,
                                                               const std::set<std::string>& known_keys,
                                                               const std::set<std::string>& flags);

}  // namespace vraagbaak::app
