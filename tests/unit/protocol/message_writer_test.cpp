// The direct writer of message events, history pages and post replies must write exactly what the JSON
// library writes from the tree (keys, order, escaping): clients, the page cache and the
// PROTOCOL.md examples all see one form.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "vraagbaak/protocol/codec.hpp"
#include "message_writer.hpp"
#include "wire_json.hpp"

namespace p = vraagbaak::protocol;
namespace d = vraagbaak::protocol::detail;
using nlohmann::json;

namespace {

const std::vector<std::string> kTexts = {
    "",  "plain text", "quote \" and backslash \\", "line\nbreak\ttab\rreturn\bback\fform",
    std::string("nul \0 and \x01 \x1f", 14), "del \x7f", "geïnformeerd € 𝄞", "not UTF-8: \xff\xfe end",
    "cut \xc3", "<script>&amp;</script>"};

std::vector<p::Message> variants() {
    std::vector<p::Message> out;
    for (std::size_t i = 0; i < kTexts.size() * 4; ++i) {
        p::Message m;
        m.room_id = static_cast<std::int64_t>(i) + 1;
        m.seq = i % 3 == 0 ? 9223372036854775807LL : static_cast<std::int64_t>(i * 7);
        m.id = static_cast<std::int64_t>(i) * 1000 + 3;
        m.thread_id = i % 2 ? m.id : 5;
        m.ts_ms = i % 4 == 0 ? -1 : 1796120284293;
        m.body = kTexts[i % kTexts.size()];
        m.own = i % 2 == 0;
        m.hidden = i % 5 == 1;
        if (m.hidden) m.hidden_reason = kTexts[(i + 1) % kTexts.size()];
        m.kind = i % 3 == 1 ? "advice" : i % 3 == 2 ? kTexts[(i + 2) % kTexts.size()] : "";
        m.helpful = i % 7 == 3;
        p::Author& a = m.author;
        a.level = i % 3 == 0 ? p::Anonymity::named : i % 3 == 1 ? p::Anonymity::organisation : p::Anonymity::anonymous;
        if (i % 4 != 1) a.account_id = static_cast<std::int64_t>(i) * 11;
        if (i % 4 != 2) a.handle = kTexts[(i + 3) % kTexts.size()];
        if (i % 4 != 3) a.display_name = kTexts[(i + 4) % kTexts.size()];
        if (i % 2 == 1) a.organisation = p::Organisation{static_cast<std::int64_t>(i), kTexts[(i + 5) % kTexts.size()],
                                                         kTexts[(i + 6) % kTexts.size()]};
        if (i % 3 != 0) a.pseudonym = i % 2 ? "asker" : "colleague 3";
        out.push_back(m);
    }
    return out;
}

}  // namespace

TEST(MessageWriterTest, AMessageEventHasTheJsonLibrarysBytes) {
    for (const auto& m : variants()) {
        json tree = json::object();
        tree["event"] = "message";
        tree["room_id"] = m.room_id;
        tree["message"] = d::to_json(m);
        EXPECT_EQ(d::message_event_json(p::MessagePosted{m}), d::dump(tree)) << d::dump(tree);
    }
}

TEST(MessageWriterTest, AHistoryPageHasTheJsonLibrarysBytes) {
    const auto all = variants();
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, all.size()}) {
        p::HistoryReply reply{42, std::vector<p::Message>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)),
                              n % 2 == 1};
        json messages = json::array();
        for (const auto& m : reply.messages) messages.push_back(d::to_json(m));
        json tree = {{"room_id", reply.room_id}, {"messages", messages}, {"has_more", reply.has_more}};
        EXPECT_EQ(d::history_result_json(reply), d::dump(tree));
    }
}

TEST(MessageWriterTest, AHistoryPageFromMessagesEncodedOneByOneIsTheSamePage) {
    const auto all = variants();
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{2}, all.size()}) {
        p::HistoryReply reply{42, std::vector<p::Message>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)),
                              n % 2 == 0};
        std::vector<std::string> encoded;
        for (const auto& m : reply.messages) encoded.push_back(p::encode_message(m));
        EXPECT_EQ(p::encode_history_result(reply.room_id, reply.has_more, encoded), p::encode_result(p::ReplyBody{reply}));
    }
}

TEST(MessageWriterTest, TheEncodedEventDecodesToTheSameMessage) {
    for (const std::string body : {"plain text", "quote \" and backslash \\", "two\nlines", "geïnformeerd € 𝄞"}) {
        p::Message m{7, 12, 99, 99, p::Author{p::Anonymity::named, 4, "anna", "Anna de Vries", std::nullopt, ""}, body, 1796120284293};
        m.own = true;
        auto frame = p::decode_server_frame(p::encode_event(p::MessagePosted{m}));
        ASSERT_TRUE(frame) << frame.error().message;
        const auto* event = std::get_if<p::Event>(&*frame);
        ASSERT_NE(event, nullptr);
        const auto* posted = std::get_if<p::MessagePosted>(event);
        ASSERT_NE(posted, nullptr);
        EXPECT_EQ(posted->message, m);
    }
}

TEST(MessageWriterTest, APostReplyHasTheJsonLibrarysBytesAndDecodesBack) {
    for (int flags = 0; flags < 8; ++flags) {
        for (std::int64_t n : {std::int64_t{1}, std::int64_t{4096}, std::int64_t{9223372036854775807LL}}) {
            p::PostReply reply{n, n + (n < 100 ? 1 : -1), n == 1 ? 2 : n - 7, n == 1 ? 0 : 1796120284293};
            reply.duplicate = flags & 1;
            reply.redacted = flags & 2;
            reply.sealed = flags & 4;
            json tree = {{"room_id", reply.room_id}, {"seq", reply.seq}, {"message_id", reply.message_id}, {"ts_ms", reply.ts_ms}};
            if (reply.duplicate) tree["duplicate"] = true;
            if (reply.redacted) tree["redacted"] = true;
            if (reply.sealed) tree["sealed"] = true;
            EXPECT_EQ(p::encode_result(p::ReplyBody{reply}), d::dump(tree));

            auto frame = p::decode_server_frame(p::encode_reply("r-1", p::ReplyBody{reply}));
            ASSERT_TRUE(frame) << frame.error().message;
            const auto* decoded = std::get_if<p::ReplyFrame>(&*frame);
            ASSERT_NE(decoded, nullptr);
            const auto* body = std::get_if<p::ReplyBody>(&decoded->outcome);
            ASSERT_NE(body, nullptr);
            const auto* post = std::get_if<p::PostReply>(body);
            ASSERT_NE(post, nullptr);
            EXPECT_EQ(post->room_id, reply.room_id);
            EXPECT_EQ(post->seq, reply.seq);
            EXPECT_EQ(post->message_id, reply.message_id);
            EXPECT_EQ(post->ts_ms, reply.ts_ms);
            EXPECT_EQ(post->duplicate, reply.duplicate);
            EXPECT_EQ(post->redacted, reply.redacted);
            EXPECT_EQ(post->sealed, reply.sealed);
        }
    }
}
