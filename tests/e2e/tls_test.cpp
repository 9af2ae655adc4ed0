// End-to-end over TLS: the real server with a certificate made at test time, driven by the
// test client and the terminal client over wss://, and everything that must fail failing
// clearly: an untrusted or misnamed certificate, plain ws:// or HTTP to a TLS port, a bad
// certificate or key at start-up.

#include <gtest/gtest.h>

#include "support/certificates.hpp"
#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

void add_two_users_and_a_room(const std::string& db) {
    for (const char* handle : {"anna", "bram"})
        admin(db, {"add-user", "--handle", handle, "--name", handle, "--password-stdin"}, kPassword + "\n");
    admin(db, {"add-room", "--name", "kamer"});
}

std::vector<std::string> tls_args(const Certificate& c) {
    return {"--tls-cert", c.certificate_file, "--tls-key", c.key_file};
}

// The terminal client in scripted mode: runs `commands`, returns {exit status, stdout, stderr}.
struct ClientRun {
    std::optional<int> status;
    std::string out;
    std::string err;
};

ClientRun run_client(const std::string& url, const std::vector<std::string>& extra, const std::string& commands) {
    std::vector<std::string> argv{VRAAGBAAK_CLIENT_BIN, "--url", url, "--user", "bram", "--lang", "en", "--timeout", "10"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ChildProcess client(argv, {"VRAAGBAAK_PASSWORD=" + kPassword});
    client.write(commands);
    client.close_stdin();
    ClientRun run;
    run.status = client.wait(20s);
    while (auto line = client.read_line(200ms)) run.out += *line + "\n";
    run.err = client.drain_stderr();
    return run;
}

class TlsE2E : public ::testing::Test {
protected:
    TempDir dir;
    std::string db = dir.file("tls.db");
};

TEST_F(TlsE2E, TheServerSpeaksWssAndClientsVerifyIt) {
    add_two_users_and_a_room(db);
    auto certificate = make_self_signed(dir.path().string(), "server", {"localhost", "127.0.0.1"});
    ServerProcess server(db, tls_args(certificate));
    ASSERT_EQ(server.url(), "wss://127.0.0.1:" + std::to_string(server.port()) + "/ws");

    TestClient anna(server.port(), "/ws", certificate.certificate_file);
    anna.login("anna", kPassword);
    ASSERT_EQ(reply_code(anna.call({{"type", "join"}, {"room_id", 1}})), "ok");

    // The terminal client over wss://, trusting the certificate through --ca-file, posts; anna
    // receives it over her own TLS connection.
    auto run = run_client(server.url(), {"--ca-file", certificate.certificate_file},
                          "/join kamer\n/post kamer over TLS verstuurd\n/history kamer 5\n");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("logged in as bram"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("over TLS verstuurd"), std::string::npos) << run.out;
    auto message = anna.next_event([](const json& f) { return f.value("event", "") == "message"; });
    ASSERT_TRUE(message);
    EXPECT_EQ((*message)["message"]["body"], "over TLS verstuurd");

    // By host name too: the certificate names localhost, and SNI carries it.
    auto by_name = run_client("wss://localhost:" + std::to_string(server.port()) + "/ws",
                              {"--ca-file", certificate.certificate_file}, "/rooms\n");
    EXPECT_EQ(by_name.status, 0) << by_name.err;

    // Plain HTTP to the TLS port gets no answer in clear text, and the server stays up.
    EXPECT_EQ(http_get(server.port(), "/healthz").find("200"), std::string::npos);
    TestClient again(server.port(), "/ws", certificate.certificate_file);
    again.login("bram", kPassword);
    EXPECT_EQ(server.stop(), 0);
}

TEST_F(TlsE2E, TheClientRefusesAnUntrustedOrMisnamedCertificateAndPlainWsToATlsPort) {
    add_two_users_and_a_room(db);
    auto certificate = make_self_signed(dir.path().string(), "server", {"localhost", "127.0.0.1"});
    auto stranger = make_self_signed(dir.path().string(), "stranger", {"localhost", "127.0.0.1"});
    ServerProcess server(db, tls_args(certificate));

    // Not trusted: the system's authorities do not know a self-signed certificate, and another
    // self-signed certificate with the same names is not this one.
    for (const std::vector<std::string>& extra : {std::vector<std::string>{},
                                                   std::vector<std::string>{"--ca-file", stranger.certificate_file}}) {
        auto run = run_client(server.url(), extra, "/rooms\n");
        EXPECT_EQ(run.status, 2);
        EXPECT_NE(run.err.find("certificate verify failed"), std::string::npos) << run.err;
        EXPECT_EQ(run.out.find("logged in"), std::string::npos);
    }
    EXPECT_THROW(TestClient(server.port(), "/ws", stranger.certificate_file), std::runtime_error);

    // Plain ws:// to the TLS port: no WebSocket.
    auto plain = run_client("ws://127.0.0.1:" + std::to_string(server.port()) + "/ws", {}, "/rooms\n");
    EXPECT_EQ(plain.status, 2);
    EXPECT_NE(plain.err.find("cannot connect"), std::string::npos) << plain.err;
    EXPECT_EQ(server.stop(), 0);

    // Trusted but for another name: the certificate names only vraagbaak.test, the client
    // dials 127.0.0.1.
    auto misnamed = make_self_signed(dir.path().string(), "misnamed", {"vraagbaak.test"});
    ServerProcess other(db, tls_args(misnamed));
    auto run = run_client(other.url(), {"--ca-file", misnamed.certificate_file}, "/rooms\n");
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("certificate verify failed"), std::string::npos) << run.err;
    EXPECT_EQ(other.stop(), 0);
}

TEST_F(TlsE2E, TheServerDoesNotStartWithABadCertificateOrKey) {
    auto certificate = make_self_signed(dir.path().string(), "server", {"127.0.0.1"});
    auto another = make_self_signed(dir.path().string(), "another", {"127.0.0.1"});
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases{
        {{"--tls-cert", dir.file("missing.pem"), "--tls-key", certificate.key_file}, "--tls-cert"},
        {{"--tls-cert", certificate.certificate_file, "--tls-key", another.key_file}, "--tls-key"},
        {{"--tls-cert", certificate.key_file, "--tls-key", certificate.key_file}, "--tls-cert"},
        {{"--tls-cert", certificate.certificate_file}, "--tls-key"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv{VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", db};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        ChildProcess server(argv);
        auto status = server.wait(10s);
        ASSERT_TRUE(status);
        EXPECT_NE(*status, 0);
        auto err = server.drain_stderr();
        EXPECT_NE(err.find(c.says), std::string::npos) << err;
        EXPECT_FALSE(server.read_line(100ms)) << "it must not listen";
    }
}

}  // namespace
