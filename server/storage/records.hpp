#pragma once
// Domain records as the store keeps them. They carry everything the core needs to decide what
// each viewer may see (author ids included); the core maps them to wire types.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vraagbaak::storage {

using AccountId = std::int64_t;
using OrganisationId = std::int64_t;
using RoomId = std::int64_t;
using MessageId = std::int64_t;
using Seq = std::int64_t;
using TimestampMs = std::int64_t;

struct Organisation {
    OrganisationId id = 0;
    std::string name;
    std::string code;
};

struct Account {
    AccountId id = 0;
    std::string handle;
    std::string display_name;
    std::optional<OrganisationId> organisation_id;
    std::string password_hash;  // libsodium crypto_pwhash_str format
    bool disabled = false;
    TimestampMs created_ms = 0;
};

struct NewAccount {
    std::string handle;
    std::string display_name;
    std::optional<OrganisationId> organisation_id;
    std::string password_hash;
    TimestampMs created_ms = 0;
};

struct Room {
    RoomId id = 0;
    std::string name;
    std::string topic;
    Seq last_seq = 0;
    std::int64_t member_count = 0;
    bool viewer_is_member = false;  // filled when a viewer is given
};

struct NewRoom {
    std::string name;
    std::string topic;
    std::optional<AccountId> created_by;
    TimestampMs created_ms = 0;
};

struct Author {
    AccountId id = 0;
    std::string handle;
    std::string display_name;
};

struct Message {
    MessageId id = 0;
    RoomId room_id = 0;
    Seq seq = 0;
    Author author;
    std::string body;
    TimestampMs created_ms = 0;
};

struct NewMessage {
    RoomId room_id = 0;
    AccountId author_id = 0;
    std::string body;
    TimestampMs created_ms = 0;
};

struct HistoryQuery {
    std::optional<Seq> before;
    std::optional<Seq> after;
    int limit = 50;
};

struct HistoryPage {
    std::vector<Message> messages;  // ascending by seq
    bool has_more = false;
};

}  // namespace vraagbaak::storage
