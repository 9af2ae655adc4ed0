// libFuzzer target: the protocol decoders, both ways. Whatever the bytes, decoding never throws
// or crashes; a request that decodes encodes to a frame that decodes to the same request; every
// frame the encoder makes is valid JSON, also when the input held invalid UTF-8 (nlohmann's dump
// would throw on it); and whenever the fast parser of flat frames answers, its tree is the JSON
// library's, value for value and type for type.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace p = vraagbaak::protocol;
namespace d = vraagbaak::protocol::detail;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

void check_json(const std::string& frame) {
    check(nlohmann::json::accept(frame));
}

bool same_tree(const nlohmann::json& a, const nlohmann::json& b) {
    if (a.type() != b.type() || a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) !=
                                    b.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        return false;
    if (a.is_object())
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!b.contains(it.key()) || !same_tree(it.value(), b.at(it.key()))) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (auto flat = d::parse_flat_frame(input)) {
        auto library = d::parse_frame_with_json_library(input);
        check(library && same_tree(*flat, *library));
    }
    auto request = p::decode_request(input);
    if (request) {
        const std::string again = p::encode_request(request.value());
        check_json(again);
        auto round = p::decode_request(again);
        check(round.ok() && round.value() == request.value());
        // The server's reply paths for it.
        check_json(p::encode_error(request->id, p::type_name(request->body), p::make_error(p::ErrorCode::forbidden)));
    } else {
        const auto& failure = request.error();
        check_json(p::encode_error(failure.id, failure.type, failure.error));
    }
    // The client's side: server frames.
    auto frame = p::decode_server_frame(input);
    if (frame) {
        if (const auto* event = std::get_if<p::Event>(&frame.value())) check_json(p::encode_event(*event));
        if (const auto* reply = std::get_if<p::ReplyFrame>(&frame.value()))
            if (const auto* body = std::get_if<p::ReplyBody>(&reply->outcome)) check_json(p::encode_reply(reply->reply_to.value_or(""), *body));
    }
    return 0;
}
