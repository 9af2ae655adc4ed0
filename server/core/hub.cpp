#include "core/hub.hpp"

#include <chrono>

#include "core/password.hpp"
#include "storage/store.hpp"
#include "support/log.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using p::ErrorCode;
using p::make_error;

struct Hub::Connection {
    std::weak_ptr<Peer> peer;
    bool said_hello = false;
    bool login_pending = false;
    std::optional<p::Member> account;  // set once logged in
};

namespace {

p::Member to_wire(const storage::Account& a) { return {a.id, a.handle, a.display_name}; }

p::Room to_wire(const storage::Room& r) {
    return {r.id, r.name, r.topic, r.member_count, r.last_seq, r.viewer_is_member};
}

p::Message to_wire(const storage::Message& m) {
    return {m.room_id, m.seq, m.id, {m.author.id, m.author.handle, m.author.display_name},
            m.body, m.created_ms};
}

p::Error fail_with(ErrorCode code, std::string message = {}, std::string field = {}) {
    return make_error(code, std::move(message), std::move(field));
}

}  // namespace

std::int64_t system_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Hub::Hub(storage::Store& store, Offloader& offloader, HubConfig config, Clock clock)
    : store_(store), offloader_(offloader), config_(std::move(config)), clock_(std::move(clock)) {}

Hub::~Hub() = default;

void Hub::open(ConnectionId id, std::weak_ptr<Peer> peer) {
    connections_[id].peer = std::move(peer);
}

void Hub::close(ConnectionId id) {
    subscriptions_.unsubscribe_all(id);
    connections_.erase(id);
}

void Hub::close_all(CloseCode code, const std::string& reason) {
    for (auto& [id, conn] : connections_)
        if (auto peer = conn.peer.lock()) peer->close(code, reason);
}

void Hub::send(Connection& conn, Frame frame) {
    if (auto peer = conn.peer.lock()) peer->deliver(std::move(frame));
}

void Hub::broadcast(std::int64_t room, const Frame& frame) {
    for (ConnectionId id : subscriptions_.subscribers(room)) {
        auto it = connections_.find(id);
        if (it != connections_.end()) send(it->second, frame);
    }
}

std::vector<ConnectionId> Hub::connections_of(std::int64_t account) const {
    std::vector<ConnectionId> out;
    for (const auto& [id, conn] : connections_)
        if (conn.account && conn.account->account_id == account) out.push_back(id);
    return out;
}

void Hub::send_outcome(Connection& conn, const std::string& request_id, std::string_view type,
                       const Outcome& outcome) {
    send(conn, make_frame(outcome ? p::encode_reply(request_id, outcome.value())
                                  : p::encode_error(request_id, type, outcome.error())));
}

std::optional<Hub::Outcome> Hub::guarded(const std::function<std::optional<Outcome>()>& fn) {
    try {
        return fn();
    } catch (const storage::StorageError& e) {
        after_reply_.clear();  // nothing happened, so nothing to announce
        log::error("core", "storage failure", {{"error", e.what()}});
        return Outcome(fail(fail_with(ErrorCode::storage_unavailable)));
    } catch (const std::exception& e) {
        after_reply_.clear();
        log::error("core", "request failed", {{"error", e.what()}});
        return Outcome(fail(fail_with(ErrorCode::internal_error)));
    }
}

void Hub::on_frame(ConnectionId id, std::string_view frame) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    Connection& conn = it->second;

    auto decoded = p::decode_request(frame);
    if (!decoded) {
        const auto& f = decoded.error();
        send(conn, make_frame(p::encode_error(f.id, f.type, f.error)));
        return;
    }
    const p::Request& req = decoded.value();
    std::optional<Outcome> outcome = guarded([&] { return dispatch(id, conn, req); });
    if (outcome) send_outcome(conn, req.id, p::type_name(req.body), *outcome);
    auto actions = std::move(after_reply_);
    after_reply_.clear();
    for (auto& action : actions) action();
}

std::optional<Hub::Outcome> Hub::dispatch(ConnectionId id, Connection& conn, const p::Request& req) {
    if (const auto* hello = std::get_if<p::HelloRequest>(&req.body)) return handle(conn, *hello);
    if (!conn.said_hello) return Outcome(fail(fail_with(ErrorCode::hello_required)));
    if (conn.login_pending) return Outcome(fail(fail_with(ErrorCode::login_in_progress)));
    if (const auto* login = std::get_if<p::LoginRequest>(&req.body))
        return handle_login(id, conn, req.id, *login);
    if (!conn.account) return Outcome(fail(fail_with(ErrorCode::auth_required)));

    return std::visit(
        [&](const auto& body) -> std::optional<Outcome> {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, p::HelloRequest> || std::is_same_v<T, p::LoginRequest>)
                return std::nullopt;  // handled above
            else if constexpr (std::is_same_v<T, p::ListRoomsRequest>)
                return handle(conn, body);
            else
                return handle(id, conn, body);
        },
        req.body);
}

Hub::Outcome Hub::handle(Connection& conn, const p::HelloRequest& r) {
    if (conn.said_hello) return fail(fail_with(ErrorCode::already_said_hello));
    bool speaks_ours = false;
    for (int v : r.versions) speaks_ours = speaks_ours || v == p::kProtocolVersion;
    if (!speaks_ours)
        return fail(fail_with(ErrorCode::unsupported_version,
                              "this server speaks protocol version " +
                                  std::to_string(p::kProtocolVersion)));
    conn.said_hello = true;
    return p::ReplyBody{p::HelloReply{
        p::kProtocolVersion, config_.server_name,
        {config_.max_frame_bytes, config_.max_body_chars, p::kMaxHistoryLimit}}};
}

std::optional<Hub::Outcome> Hub::handle_login(ConnectionId id, Connection& conn,
                                              std::string request_id, const p::LoginRequest& r) {
    if (conn.account) return Outcome(fail(fail_with(ErrorCode::already_logged_in)));
    auto account = store_.find_account_by_handle(r.handle);
    // An unknown or disabled handle is checked against a dummy hash, so that it costs as much
    // as a wrong password and the timing tells nothing.
    bool usable = account && !account->disabled;
    auto hash = std::make_shared<std::string>(usable ? account->password_hash
                                                     : dummy_password_hash());
    auto password = std::make_shared<std::string>(r.password);
    auto verified = std::make_shared<bool>(false);
    std::optional<std::int64_t> account_id;
    if (usable) account_id = account->id;
    conn.login_pending = true;
    offloader_.run([hash, password, verified] { *verified = verify_password(*hash, *password); },
                   [this, id, request_id = std::move(request_id), verified, usable, account_id] {
                       finish_login(id, request_id, usable && *verified, account_id);
                   });
    return std::nullopt;
}

void Hub::finish_login(ConnectionId id, const std::string& request_id, bool verified,
                       std::optional<std::int64_t> account_id) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;  // the connection went away meanwhile
    Connection& conn = it->second;
    conn.login_pending = false;
    auto outcome = guarded([&]() -> std::optional<Outcome> {
        if (!verified || !account_id) {
            log::info("core", "login failed", {{"conn", id}});
            return Outcome(fail(fail_with(ErrorCode::bad_credentials)));
        }
        auto account = store_.find_account(*account_id);
        if (!account || account->disabled) return Outcome(fail(fail_with(ErrorCode::bad_credentials)));
        for (auto room : store_.rooms_of(account->id)) subscriptions_.subscribe(room, id);
        conn.account = to_wire(*account);
        log::info("core", "login", {{"conn", id}, {"account", account->id}});
        return Outcome(p::ReplyBody{p::LoginReply{*conn.account}});
    });
    send_outcome(conn, request_id, "login", *outcome);
}

Hub::Outcome Hub::handle(Connection& conn, const p::ListRoomsRequest&) {
    p::ListRoomsReply reply;
    for (const auto& room : store_.list_rooms(conn.account->account_id))
        reply.rooms.push_back(to_wire(room));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::CreateRoomRequest& r) {
    const auto me = conn.account->account_id;
    auto room = store_.create_room({r.name, r.topic, me, clock_()});
    if (!room) return fail(fail_with(ErrorCode::room_exists, {}, "name"));
    store_.add_member(room->id, me, clock_());
    for (ConnectionId c : connections_of(me)) subscriptions_.subscribe(room->id, c);
    auto fresh = store_.find_room(room->id, me);
    return p::ReplyBody{p::CreateRoomReply{to_wire(fresh ? *fresh : *room)}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::JoinRequest& r) {
    const auto me = conn.account->account_id;
    if (!store_.find_room(r.room_id, me)) return fail(fail_with(ErrorCode::room_not_found, {}, "room_id"));
    bool joined_now = store_.add_member(r.room_id, me, clock_());
    for (ConnectionId c : connections_of(me)) subscriptions_.subscribe(r.room_id, c);
    auto room = store_.find_room(r.room_id, me);
    if (joined_now) {
        auto frame = make_frame(p::encode_event(p::MemberJoined{r.room_id, *conn.account}));
        after_reply([this, room_id = r.room_id, frame] { broadcast(room_id, frame); });
    }
    return p::ReplyBody{p::JoinReply{to_wire(*room)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::LeaveRequest& r) {
    const auto me = conn.account->account_id;
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    store_.remove_member(r.room_id, me);
    // Everyone subscribed before the leave hears of it, the leaver's other connections included.
    std::vector<ConnectionId> audience = subscriptions_.subscribers(r.room_id);
    for (ConnectionId c : connections_of(me)) subscriptions_.unsubscribe(r.room_id, c);
    auto frame = make_frame(p::encode_event(p::MemberLeft{r.room_id, *conn.account}));
    after_reply([this, audience = std::move(audience), frame] {
        for (ConnectionId c : audience)
            if (auto it = connections_.find(c); it != connections_.end()) send(it->second, frame);
    });
    return p::ReplyBody{p::LeaveReply{r.room_id}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::PostRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    if (static_cast<std::int64_t>(p::utf8_length(r.body)) > config_.max_body_chars)
        return fail(fail_with(ErrorCode::too_long,
                              "'body' is longer than " + std::to_string(config_.max_body_chars) +
                                  " characters",
                              "body"));
    auto stored = store_.append_message({r.room_id, conn.account->account_id, r.body, clock_()});
    auto frame = make_frame(p::encode_event(p::MessagePosted{to_wire(stored)}));
    after_reply([this, room_id = r.room_id, frame] { broadcast(room_id, frame); });
    return p::ReplyBody{p::PostReply{stored.room_id, stored.seq, stored.id, stored.created_ms}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection&, const p::HistoryRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    auto page = store_.history(r.room_id, {r.before, r.after, r.limit});
    p::HistoryReply reply{r.room_id, {}, page.has_more};
    reply.messages.reserve(page.messages.size());
    for (const auto& m : page.messages) reply.messages.push_back(to_wire(m));
    return p::ReplyBody{std::move(reply)};
}

std::optional<p::Error> Hub::require_member(ConnectionId id, std::int64_t room) {
    // The subscription registry mirrors membership for logged-in connections, so the common
    // case needs no query.
    if (subscriptions_.subscribed(room, id)) return std::nullopt;
    if (!store_.find_room(room, std::nullopt)) return fail_with(ErrorCode::room_not_found, {}, "room_id");
    return fail_with(ErrorCode::not_member, {}, "room_id");
}

}  // namespace vraagbaak::core
