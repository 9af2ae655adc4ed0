#pragma once
// Every request, reply and event of protocol version 1 as a C++ type. The JSON shape of each
// is documented in protocol/PROTOCOL.md; codec.hpp converts between the two.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::protocol {

// ---- requests (client to server) ----

struct HelloRequest {
    std::vector<int> versions;  // protocol versions the client speaks
    std::string client;         // free text, e.g. "vraagbaak-cli/0.1.0"
    bool operator==(const HelloRequest&) const = default;
};
struct LoginRequest {
    std::string handle;
    std::string password;
    bool operator==(const LoginRequest&) const = default;
};
struct ListRoomsRequest {
    bool operator==(const ListRoomsRequest&) const = default;
};
struct CreateRoomRequest {
    std::string name;
    std::string topic;
    bool operator==(const CreateRoomRequest&) const = default;
};
struct JoinRequest {
    RoomId room_id = 0;
    bool operator==(const JoinRequest&) const = default;
};
struct LeaveRequest {
    RoomId room_id = 0;
    bool operator==(const LeaveRequest&) const = default;
};
struct PostRequest {
    RoomId room_id = 0;
    std::string body;
    bool operator==(const PostRequest&) const = default;
};
struct HistoryRequest {
    RoomId room_id = 0;
    std::optional<Seq> before;  // only messages with seq < before (newest page below it)
    std::optional<Seq> after;   // only messages with seq > after (oldest page above it)
    int limit = kDefaultHistoryLimit;
    bool operator==(const HistoryRequest&) const = default;
};

using RequestBody = std::variant<HelloRequest, LoginRequest, ListRoomsRequest, CreateRoomRequest,
                                 JoinRequest, LeaveRequest, PostRequest, HistoryRequest>;

struct Request {
    std::string id;  // chosen by the client, echoed as `reply_to`
    RequestBody body;
    bool operator==(const Request&) const = default;
};

// The wire name of a request type ("hello", "login", …).
std::string_view type_name(const RequestBody& body);

// ---- replies (server to client, one per request) ----

struct HelloReply {
    int version = kProtocolVersion;
    std::string server;
    ServerLimits limits;
    bool operator==(const HelloReply&) const = default;
};
struct LoginReply {
    Member account;
    bool operator==(const LoginReply&) const = default;
};
struct ListRoomsReply {
    std::vector<Room> rooms;
    bool operator==(const ListRoomsReply&) const = default;
};
struct CreateRoomReply {
    Room room;
    bool operator==(const CreateRoomReply&) const = default;
};
struct JoinReply {
    Room room;
    bool operator==(const JoinReply&) const = default;
};
struct LeaveReply {
    RoomId room_id = 0;
    bool operator==(const LeaveReply&) const = default;
};
struct PostReply {
    RoomId room_id = 0;
    Seq seq = 0;
    MessageId message_id = 0;
    TimestampMs ts_ms = 0;
    bool operator==(const PostReply&) const = default;
};
struct HistoryReply {
    RoomId room_id = 0;
    std::vector<Message> messages;  // ascending by seq
    bool has_more = false;          // more messages exist beyond this page in the paging direction
    bool operator==(const HistoryReply&) const = default;
};

using ReplyBody = std::variant<HelloReply, LoginReply, ListRoomsReply, CreateRoomReply, JoinReply,
                               LeaveReply, PostReply, HistoryReply>;

// The wire name of the request type a reply answers.
std::string_view type_name(const ReplyBody& body);

// ---- events (server to client, unsolicited) ----

struct MessagePosted {
    Message message;
    bool operator==(const MessagePosted&) const = default;
};
struct MemberJoined {
    RoomId room_id = 0;
    Member member;
    bool operator==(const MemberJoined&) const = default;
};
struct MemberLeft {
    RoomId room_id = 0;
    Member member;
    bool operator==(const MemberLeft&) const = default;
};

using Event = std::variant<MessagePosted, MemberJoined, MemberLeft>;

std::string_view event_name(const Event& event);

}  // namespace vraagbaak::protocol
