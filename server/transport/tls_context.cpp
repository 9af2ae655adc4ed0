#include "transport/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>

namespace vraagbaak::transport {

namespace ssl = boost::asio::ssl;

TlsContextResult make_server_tls_context(const std::string& certificate_file, const std::string& key_file) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                         ssl::context::single_dh_use);
    boost::system::error_code ec;
    context->use_certificate_chain_file(certificate_file, ec);
    if (ec) return {nullptr, "--tls-cert " + certificate_file + ": " + ec.message()};
    context->use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec) return {nullptr, "--tls-key " + key_file + ": " + ec.message()};
    // A key that belongs to another certificate would fail every handshake; say so at start-up.
    if (SSL_CTX_check_private_key(context->native_handle()) != 1)
        return {nullptr, "--tls-key " + key_file + " does not belong to the certificate in " + certificate_file};
    return {context, {}};
}

}  // namespace vraagbaak::transport
