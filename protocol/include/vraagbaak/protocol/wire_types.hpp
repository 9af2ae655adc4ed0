#pragma once
// Domain values as they appear on the wire. Plain structs, compared member-wise in tests.

#include <cstdint>
#include <string>

namespace vraagbaak::protocol {

using AccountId = std::int64_t;
using RoomId = std::int64_t;
using MessageId = std::int64_t;
using Seq = std::int64_t;        // per-room sequence number: 1, 2, 3, … with no gaps
using TimestampMs = std::int64_t;  // milliseconds since the Unix epoch, UTC

struct Member {
    AccountId account_id = 0;
    std::string handle;
    std::string display_name;
    bool operator==(const Member&) const = default;
};

struct Room {
    RoomId id = 0;
    std::string name;
    std::string topic;
    std::int64_t member_count = 0;
    Seq last_seq = 0;     // sequence number of the newest message, 0 for an empty room
    bool joined = false;  // whether the requesting account is a member
    bool operator==(const Room&) const = default;
};

struct Message {
    RoomId room_id = 0;
    Seq seq = 0;
    MessageId id = 0;
    Member author;
    std::string body;
    TimestampMs ts_ms = 0;
    bool operator==(const Message&) const = default;
};

struct ServerLimits {
    std::int64_t max_frame_bytes = 0;
    std::int64_t max_body_chars = 0;
    std::int64_t max_history_limit = 0;
    bool operator==(const ServerLimits&) const = default;
};

}  // namespace vraagbaak::protocol
