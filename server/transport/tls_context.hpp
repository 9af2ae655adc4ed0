#pragma once
// The server's TLS settings: a certificate chain and its private key, both PEM files, as made by
// any CA (or `openssl req -x509` for a test). TLS 1.2 is the oldest version offered.

#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace vraagbaak::transport {

struct TlsContextResult {
    std::shared_ptr<boost::asio::ssl::context> context;  // empty on error
    std::string error;  // which file and what is wrong with it
};

TlsContextResult make_server_tls_context(const std::string& certificate_file, const std::string& key_file);

}  // namespace vraagbaak::transport
