#pragma once
// Certificates made at test time with the openssl command: nothing secret is checked in, and
// nothing expires in the repository.

#include <string>
#include <vector>

namespace vraagbaak::test {

struct Certificate {
    std::string certificate_file;  // PEM; also the CA file a client trusts it with
    std::string key_file;
};

// A self-signed certificate (P-256) for `names` (DNS names and IP addresses, e.g. "localhost",
// "127.0.0.1"), valid for a day, written into `dir` as NAME.pem and NAME.key. Throws when the
// openssl command fails.
Certificate make_self_signed(const std::string& dir, const std::string& name, const std::vector<std::string>& names);

}  // namespace vraagbaak::test
