#pragma once
// A connection as the hub sees it, for unit tests: it keeps every frame delivered to it (parsed)
// and how it was closed.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/peer.hpp"

namespace vraagbaak::test {

class FakePeer final : public core::Peer {
public:
    void deliver(core::Frame frame) override { frames.push_back(nlohmann::json::parse(*frame)); }
    void close(core::CloseCode code, std::string reason) override {
        closed_with = code;
        close_reason = std::move(reason);
    }
    // Frames received since the last call.
    std::vector<nlohmann::json> take() { return std::exchange(frames, {}); }
    std::vector<nlohmann::json> frames;
    std::optional<core::CloseCode> closed_with;
    std::string close_reason;
};

}  // namespace vraagbaak::test
