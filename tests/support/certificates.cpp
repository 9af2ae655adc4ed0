#include "support/certificates.hpp"

#include <arpa/inet.h>

#include <stdexcept>

#include "support/child_process.hpp"

namespace vraagbaak::test {

Certificate make_self_signed(const std::string& dir, const std::string& name, const std::vector<std::string>& names) {
    Certificate made{dir + "/" + name + ".pem", dir + "/" + name + ".key"};
    std::string alt_names;
    for (const auto& n : names) {
        in_addr v4{};
        const bool address = inet_pton(AF_INET, n.c_str(), &v4) == 1;
        alt_names += (alt_names.empty() ? "" : ",") + std::string(address ? "IP:" : "DNS:") + n;
    }
    ChildProcess openssl({"/usr/bin/env", "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=" + names.front(),
                          "-addext", "subjectAltName=" + alt_names, "-keyout", made.key_file, "-out",
                          made.certificate_file});
    openssl.close_stdin();
    if (openssl.wait(30s) != 0)
        throw std::runtime_error("openssl could not make a test certificate: " + openssl.drain_stderr());
    return made;
}

}  // namespace vraagbaak::test
