// A frame is parsed by simdjson when it is a flat object and by the JSON library otherwise; the
// decoders see one tree either way. Whenever the fast half answers, its tree must be the JSON
// library's, value for value and type for type (the fuzzer checks the same on random bytes).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace p = vraagbaak::protocol;
namespace d = vraagbaak::protocol::detail;
using nlohmann::json;

namespace {

// Equal values are not enough: 17 as unsigned and 17 as signed compare equal.
bool same_tree(const json& a, const json& b) {
    if (a.type() != b.type() || a.dump() != b.dump()) return false;
    if (a.is_object())
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!same_tree(it.value(), b.at(it.key()))) return false;
    return true;
}

const std::vector<std::string> kFrames = {
    R"({"id":"p1","type":"post","room_id":17,"body":"Een vraagstuk","client_msg_id":"c-1"})",
    R"(  {"id" : "h1" , "type":"history","room_id":3,"limit":100}  )",
    R"({"a":0,"b":-1,"c":9223372036854775807,"d":-9223372036854775808,"e":18446744073709551615})",
    R"({"big":18446744073709551616})",  // past uint64: the library makes it a float
    R"({"z":-0})",
    R"({"f":1.5,"g":1e3})",
    R"({"t":true,"f":false,"n":null})",
    R"({"dup":1,"dup":"two"})",
    R"({"esc":"quote \" slash \/ backslash \\ \b\f\n\r\t \u0000 \u00e9 \ud834\udd1e"})",
    R"({"lone":"\ud800"})",
    R"({"lone":"\udc00 x"})",
    "{\"raw\":\"ge\xc3\xafnformeerd \xe2\x82\xac\"}",
    "{\"bad\":\"\xff\xfe\"}",
    "{\"cut\":\"\xc3\"}",
    "{\"ctl\":\"a\x01z\"}",
    "\xef\xbb\xbf{\"bom\":1}",
    R"({"nested":{"a":1}})",
    R"({"list":[1,2,3]})",
    R"({})",
    R"([])",
    R"("text")",
    R"(17)",
    R"({"a":1} {"b":2})",
    R"({"a":1,})",
    R"({"a":01})",
    R"({'a':1})",
    R"({"a":NaN})",
    R"({"a":tru})",
    "",
    "   ",
    R"({"a":"x"})" + std::string(70 * 1024, ' '),
};

}  // namespace

TEST(FrameParserTest, TheFastParserAgreesWithTheJsonLibraryWheneverItAnswers) {
    int fast = 0;
    for (const auto& frame : kFrames) {
        const auto library = d::parse_frame_with_json_library(frame);
        const auto flat = d::parse_flat_frame(frame);
        if (flat) {
            ++fast;
            ASSERT_TRUE(library) << "only the fast parser accepts: " << frame;
            EXPECT_TRUE(same_tree(*flat, *library)) << frame << "\n fast: " << flat->dump() << "\n library: " << library->dump();
        }
        const auto chosen = d::parse_frame(frame);
        ASSERT_EQ(chosen.has_value(), library.has_value()) << frame;
        if (chosen) {
            EXPECT_TRUE(same_tree(*chosen, *library)) << frame;
        }
    }
    // The requests themselves and the plain flat objects went the fast way.
    EXPECT_GE(fast, 6);
    EXPECT_TRUE(d::parse_flat_frame(kFrames[0]));
    EXPECT_TRUE(d::parse_flat_frame(kFrames[1]));
    EXPECT_FALSE(d::parse_flat_frame(R"({"nested":{"a":1}})"));
    EXPECT_FALSE(d::parse_flat_frame(R"({"f":1.5})"));
}

TEST(FrameParserTest, ARequestDecodesAlikeWhicheverParserReadIt) {
    // Through the fast parser: the same request and the same errors as before it existed.
    auto post = p::decode_request(R"({"id":"p1","type":"post","room_id":17,"body":"Een vraagstuk","client_msg_id":"c-1"})");
    ASSERT_TRUE(post);
    const auto* body = std::get_if<p::PostRequest>(&post->body);
    ASSERT_NE(body, nullptr);
    EXPECT_EQ(body->room_id, 17);
    EXPECT_EQ(body->body, "Een vraagstuk");
    EXPECT_EQ(body->client_msg_id, std::optional<std::string>("c-1"));

    auto negative = p::decode_request(R"({"id":"p2","type":"post","room_id":-3,"body":"x"})");
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().error.code, p::ErrorCode::invalid_field);
    EXPECT_EQ(negative.error().error.field, "room_id");

    auto text_id = p::decode_request(R"({"id":"p3","type":"post","room_id":"17","body":"x"})");
    ASSERT_FALSE(text_id);
    EXPECT_EQ(text_id.error().error.message, "'room_id' must be an integer");

    auto duplicate = p::decode_request(R"({"id":"p4","type":"post","room_id":1,"room_id":2,"body":"x"})");
    ASSERT_TRUE(duplicate);
    EXPECT_EQ(std::get<p::PostRequest>(duplicate->body).room_id, 2);

    auto invalid = p::decode_request("{\"id\":\"p5\",\"type\":\"post\",\"room_id\":1,\"body\":\"\xff\"}");
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().error.code, p::ErrorCode::malformed_json);
}
