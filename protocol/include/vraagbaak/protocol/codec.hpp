#pragma once
// JSON codec for protocol version 1. Decoding validates every field (type, range, length,
// presence) and never throws: it returns a value or a typed error. Encoding never throws either:
// text that is not valid UTF-8 is replaced rather than rejected, so a server bug cannot turn
// into an exception on the write path.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "vraagbaak/protocol/error_code.hpp"
#include "vraagbaak/protocol/messages.hpp"
#include "vraagbaak/protocol/result.hpp"

namespace vraagbaak::protocol {

// Why a request could not be decoded, with as much of the envelope as could be read so that the
// error reply can still be correlated with the request.
struct DecodeFailure {
    std::optional<std::string> id;
    std::string type;  // empty when unknown
    Error error;
};

// ---- client to server ----
Result<Request, DecodeFailure> decode_request(std::string_view frame);
std::string encode_request(const Request& request);

// ---- server to client ----
std::string encode_reply(std::string_view request_id, const ReplyBody& body);
// The same reply in two steps, so that a server can encode one result for many requests (the
// same page of history for everyone who opens a room) and only wrap it per request:
// encode_reply(id, body) == encode_reply_with(id, type_name(body), encode_result(body)).
std::string encode_result(const ReplyBody& body);
std::string encode_reply_with(std::string_view request_id, std::string_view type, std::string_view result_json);
// A history result from messages encoded one by one, so that a page kept for many viewers can
// take the newest messages without encoding the others again:
// encode_history_result(room, more, {encode_message(m)...}) == encode_result(HistoryReply{room, {m...}, more}).
std::string encode_message(const Message& message);
std::string encode_history_result(RoomId room_id, bool has_more, const std::vector<std::string>& messages);
std::string encode_error(const std::optional<std::string>& request_id, std::string_view type,
                         const Error& error);
std::string encode_event(const Event& event);

struct ReplyFrame {
    std::optional<std::string> reply_to;  // absent only for errors on frames without a readable id
    std::string type;                     // the request type answered, empty if unknown
    std::variant<ReplyBody, Error> outcome;
};
using ServerFrame = std::variant<ReplyFrame, Event>;

Result<ServerFrame, Error> decode_server_frame(std::string_view frame);

}  // namespace vraagbaak::protocol
