// End-to-end with npm's `ws` (v8) as the client: it rejects any server frame that breaks
// RFC 6455. The package is installed from the npm registry into the build tree on first use.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "support/certificates.hpp"
#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace vraagbaak::test;

namespace {

// The ws package under the build tree, installed when missing; "" when that is impossible.
// Tests run in parallel: the first to get the lock installs, the others wait for it and then
// find the package (two npm installs into one directory at once make one of them fail).
std::string node_peers() {
    const std::string dir = VRAAGBAAK_NODE_PEERS_DIR;
    if (std::filesystem::exists(dir + "/node_modules/ws/package.json")) return dir;
    std::filesystem::create_directories(dir);
    ChildProcess npm({"/bin/sh", "-c",
                      "cd '" + dir + "' && flock .install-lock sh -c '[ -f node_modules/ws/package.json ] || "
                      "{ cp \"$0\" package.json && npm install --no-audit --no-fund --loglevel=error; }' '" +
                          VRAAGBAAK_NODE_SOURCE_DIR "/package.json'"});
    if (npm.wait(std::chrono::seconds(180)) != 0) return "";
    return std::filesystem::exists(dir + "/node_modules/ws/package.json") ? dir : "";
}

// Runs the check script against a fresh server started with `server_args`; `env` goes to Node.
void check_with_ws(const std::vector<std::string>& server_args = {}, const std::vector<std::string>& env = {}) {
    const std::string peers = node_peers();
    ASSERT_FALSE(peers.empty()) << "could not install ws@8 from the npm registry";
    TempDir dir;
    const std::string db = dir.file("node.db");
    admin(db, {"add-user", "--handle", "knooppunt", "--name", "Knoop Punt", "--password-stdin"}, "een-lang-wachtwoord\n");
    admin(db, {"add-room", "--name", "kamer"});
    ServerProcess server(db, server_args);
    // The script lives in the source tree; Node finds `ws` through NODE_PATH.
    std::vector<std::string> node_env{"NODE_PATH=" + peers + "/node_modules"};
    node_env.insert(node_env.end(), env.begin(), env.end());
    ChildProcess node({"/usr/bin/env", "node", VRAAGBAAK_NODE_SOURCE_DIR "/ws_client_check.cjs", server.url(), "knooppunt",
                       "een-lang-wachtwoord"},
                      node_env);
    auto status = node.wait(std::chrono::seconds(30));
    std::string out;
    while (auto line = node.read_line(std::chrono::milliseconds(500))) out += *line + "\n";
    EXPECT_EQ(status, 0) << out << node.drain_stderr();
    std::cout << out;
    EXPECT_NE(out.find("well formed"), std::string::npos);
}

TEST(NodePeerE2E, TheWsClientAcceptsEveryFrameTheServerSends) { check_with_ws(); }

// Node's own TLS stack, trusting the test certificate and checking its name, on wss://.
TEST(NodePeerE2E, TheWsClientSpeaksWssWithTheServer) {
    TempDir certificates;
    auto certificate = make_self_signed(certificates.path().string(), "server", {"127.0.0.1"});
    check_with_ws({"--tls-cert", certificate.certificate_file, "--tls-key", certificate.key_file},
                  {"NODE_EXTRA_CA_CERTS=" + certificate.certificate_file});
}

}  // namespace
