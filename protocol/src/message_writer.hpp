#pragma once
// Writes the JSON of the frames sent most (a message event; a page of history; a post's
// acknowledgement) straight into a string, without building the JSON library's tree first: for
// a message event the tree took ten times as long (5-7 against 0.5 µs, a twelfth of a durable
// post's CPU), for an acknowledgement three times (2.2-2.7 against 0.5-0.8 µs). The bytes are
// exactly the library's (keys sorted, the same escaping), as message_writer_test checks.

#include <string>
#include <string_view>
#include <vector>

#include "vraagbaak/protocol/messages.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::protocol::detail {

void write_json_string(std::string& out, std::string_view s);
void write_message_json(std::string& out, const Message& m);
// {"event":"message","message":{...},"room_id":N}
std::string message_event_json(const MessagePosted& e);
// The result object of a history reply: {"has_more":...,"messages":[...],"room_id":N}
std::string history_result_json(const HistoryReply& r);
// The same around messages already written (write_message_json), `size` bytes reserved.
std::string history_result_json_of(RoomId room_id, bool has_more, const std::vector<std::string>& messages,
                                   std::size_t size);
// The result object of a post reply without findings (those the tree writes):
// {"message_id":N,"room_id":N,"seq":N,"ts_ms":N} with duplicate, redacted and sealed when true.
std::string post_result_json(const PostReply& r);

}  // namespace vraagbaak::protocol::detail
