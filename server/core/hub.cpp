#include "core/hub.hpp"

#include <chrono>
#include <climits>

#include "core/accountability.hpp"
#include "core/permissions.hpp"
#include "core/privacy_guard.hpp"
#include "core/hub_connection.hpp"
#include "core/password.hpp"
#include "core/secrets.hpp"
#include "core/visibility.hpp"
#include "storage/store.hpp"
#include "support/log.hpp"
#include "support/metrics.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using p::ErrorCode;
using p::make_error;


namespace {

bool allowed(const std::vector<p::Anonymity>& levels, p::Anonymity level) {
    return std::find(levels.begin(), levels.end(), level) != levels.end();
}

}  // namespace

std::int64_t system_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Hub::Hub(storage::Store& store, Offloader& offloader, HubConfig config, Clock clock)
    : store_(store),
      offloader_(offloader),
      config_(std::move(config)),
      clock_(std::move(clock)),
      handle_limiter_(config_.login_failures_per_handle, config_.login_window_ms),
      address_limiter_(config_.login_failures_per_address, config_.login_window_ms) {
    if (config_.methods.empty()) {
        auto shipped = parse_methods(shipped_methods_json());
        if (!shipped) throw std::runtime_error("the shipped methods are broken: " + shipped.error());
        config_.methods = std::move(*shipped);
    }
    // Sessions that were running when the server stopped go on, on their own deadlines.
    for (const auto& s : store_.running_sessions()) track_running(s);
}

Hub::~Hub() { settle(); }

void Hub::open(ConnectionId id, std::weak_ptr<Peer> peer, std::string address) {
    auto& conn = connections_[id];
    conn.peer = std::move(peer);
    conn.address = std::move(address);
    conn.requests = TokenBucket(config_.requests_per_second, config_.requests_per_second * 5);
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

void Hub::send_to_account(std::int64_t account, const Frame& frame) {
    for (auto& [id, conn] : connections_)
        if (conn.account && conn.account->id == account) send(conn, frame);
}

void Hub::broadcast(std::int64_t room, const Frame& frame) {
    for (ConnectionId id : subscriptions_.subscribers(room)) {
        auto it = connections_.find(id);
        if (it != connections_.end()) send(it->second, frame);
    }
}

void Hub::broadcast_message(const storage::Message& message) {
    // Each version is encoded once, and only if someone is to get it (often the author is the
    // only one online, or not online at all).
    Frame own, others;
    for (ConnectionId id : subscriptions_.subscribers(message.room_id)) {
        auto it = connections_.find(id);
        if (it == connections_.end()) continue;
        const bool mine = it->second.account && it->second.account->id == message.author.id;
        Frame& frame = mine ? own : others;
        if (!frame)
            frame = make_frame(p::encode_event(p::MessagePosted{view_of(message, mine ? std::optional(message.author.id) : std::nullopt)}));
        send(it->second, frame);
    }
}

std::vector<ConnectionId> Hub::connections_of(std::int64_t account) const {
    std::vector<ConnectionId> out;
    for (const auto& [id, conn] : connections_)
        if (conn.account && conn.account->id == account) out.push_back(id);
    return out;
}

std::optional<storage::Account> Hub::current_account(const Connection& conn) {
    return store_.find_account(conn.account->id);
}

void Hub::send_outcome(Connection& conn, const std::string& request_id, std::string_view type,
                       const Outcome& outcome) {
    if (!outcome)
        if (auto* counter = metrics::get().errors) counter->add(static_cast<std::size_t>(outcome.error().code));
    auto encoded = std::exchange(encoded_result_, std::nullopt);
    if (outcome && encoded) return send(conn, make_frame(p::encode_reply_with(request_id, type, *encoded)));
    send(conn, make_frame(outcome ? p::encode_reply(request_id, outcome.value())
                                  : p::encode_error(request_id, type, outcome.error())));
}

std::optional<Hub::Outcome> Hub::guarded(const std::function<std::optional<Outcome>()>& fn) {
    try {
        return fn();
    } catch (const storage::StorageError& e) {
        after_reply_.clear();  // nothing happened, so nothing to announce
        encoded_result_.reset();
        log::error("core", "storage failure", {{"error", e.what()}});
        return Outcome(fail(make_error(ErrorCode::storage_unavailable)));
    } catch (const std::exception& e) {
        after_reply_.clear();
        encoded_result_.reset();
        log::error("core", "request failed", {{"error", e.what()}});
        return Outcome(fail(make_error(ErrorCode::internal_error)));
    }
}

void Hub::on_frame(ConnectionId id, std::string_view frame) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;
    Connection& conn = it->second;

    auto decoded = p::decode_request(frame);
    const bool groupable = config_.group_commit_max > 0 && decoded && conn.account &&
                           std::holds_alternative<p::PostRequest>(decoded.value().body);
    // Everything but a post waits for the open group: its reply must not overtake the posts'
    // acknowledgements, and its writes must not ride on their COMMIT.
    if (!groupable) settle();
    // Only these leave what was said as it was (a post or join adds a seq, which is part of the
    // shared copies' keys).
    if (!decoded || !std::visit([](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            return std::is_same_v<T, p::HelloRequest> || std::is_same_v<T, p::LoginRequest> ||
                   std::is_same_v<T, p::ResumeRequest> || std::is_same_v<T, p::PostRequest> ||
                   std::is_same_v<T, p::HistoryRequest> || std::is_same_v<T, p::JoinRequest>;
        }, decoded.value().body))
        forget_shared_reads();
    if (!decoded) {
        const auto& f = decoded.error();
        if (auto* counter = metrics::get().errors) counter->add(static_cast<std::size_t>(f.error.code));
        send(conn, make_frame(p::encode_error(f.id, f.type, f.error)));
        return;
    }
    const p::Request& req = decoded.value();
    if (auto* counter = metrics::get().requests) counter->add(req.body.index());
    if (auto wait = request_rate_wait(conn)) {
        settle();
        auto error = make_error(ErrorCode::rate_limited, "too many requests; try again in " + std::to_string(wait) + " ms");
        error.retry_after_ms = wait;
        send_outcome(conn, req.id, p::type_name(req.body), Outcome(fail(error)));
        return;
    }
    if (groupable && !group_open_) {
        try {
            store_.begin_group();
            group_open_ = true;
            // A delayed close is for this group only: one closed meanwhile (by a full group or
            // a request that must not overtake it) has no window left to wait for.
            auto close = [this, number = ++group_number_] {
                if (number == group_number_) settle();
            };
            // Alone, a post commits after the frames already queued at the core (those join
            // it). While posts keep coming (the last group had company) the group stays open a
            // moment longer: a COMMIT writes one page per room it touches and syncs once, so a
            // group of 30 costs the store two thirds of what a group of 10 does per post. How
            // long follows the group before, which grows with the load: at 5,000 posts/s groups
            // hold about 5 and wait 0.2 ms, at 20,000/s they reach the limit, where the core has
            // least time to spare and a post's share of the COMMIT counts most.
            const auto wait_us = std::min<std::int64_t>(
                config_.group_commit_wait_us,
                static_cast<std::int64_t>(last_group_size_) * config_.group_commit_wait_per_post_us);
            if (wait_us > 0 && last_group_size_ >= 2)
                offloader_.after(std::chrono::microseconds(wait_us), std::move(close));
            else
                offloader_.later(std::move(close));
        } catch (const storage::StorageError& e) {
            log::warn("core", "cannot begin a commit group", {{"error", e.what()}});
        }
    }
    std::optional<Outcome> outcome = guarded([&] { return dispatch(id, conn, req); });
    if (group_open_ && outcome) {
        const bool storage_failed = !*outcome && outcome->error().code == ErrorCode::storage_unavailable;
        group_.push_back({id, req.id, std::string(p::type_name(req.body)), std::move(*outcome), std::move(after_reply_)});
        after_reply_.clear();
        // After a failed write SQLite may have rolled back the whole group: find out now.
        if (storage_failed || group_.size() >= static_cast<std::size_t>(config_.group_commit_max)) settle();
        return;
    }
    if (outcome) send_outcome(conn, req.id, p::type_name(req.body), *outcome);
    run_after_reply_actions();
}

void Hub::settle() {
    if (!group_open_) return;
    group_open_ = false;
    auto group = std::move(group_);
    group_.clear();
    last_group_size_ = group.size();
    bool committed = true;
    try {
        store_.commit_group();
    } catch (const storage::StorageError& e) {
        committed = false;
        log::error("core", "storage failure", {{"error", e.what()}, {"posts", group.size()}});
    }
    metrics::get().commit_groups.fetch_add(1, std::memory_order_relaxed);
    for (auto& g : group) {
        // What was not committed did not happen: its success becomes the error it would have got.
        if (!committed && g.outcome) g.outcome = fail(make_error(ErrorCode::storage_unavailable));
        if (auto it = connections_.find(g.id); it != connections_.end())
            send_outcome(it->second, g.request_id, g.type, g.outcome);
        if (committed) {
            after_reply_ = std::move(g.actions);
            run_after_reply_actions();
        }
    }
}

void Hub::tick() {
    settle();
    const auto now = clock_();
    if (now >= next_expiry_check_ms_) {
        // A session token that runs out while its socket is open ends the connection too.
        next_expiry_check_ms_ = now + 1000;
        for (auto& [id, conn] : connections_)
            if (conn.account && conn.session_expires_ms != 0 && conn.session_expires_ms <= now)
                if (auto peer = conn.peer.lock()) peer->close(CloseCode::policy_violation, "session expired");
    }
    tick_sessions(now);
}

std::int64_t Hub::request_rate_wait(Connection& conn) {
    const auto now = clock_();
    if (auto wait = conn.requests.take(now)) return wait;
    if (!conn.account || config_.requests_per_second <= 0) return 0;
    auto [it, added] = account_requests_.try_emplace(
        conn.account->id, config_.requests_per_second * 2, config_.requests_per_second * 10);
    return it->second.take(now);
}

void Hub::run_after_reply_actions() {
    auto actions = std::move(after_reply_);
    after_reply_.clear();
    try {
        for (auto& action : actions) action();
    } catch (const std::exception& e) {
        // The request succeeded and was answered; only a follow-up event could not be sent.
        log::error("core", "event after reply failed", {{"error", e.what()}});
    }
}

std::optional<Hub::Outcome> Hub::dispatch(ConnectionId id, Connection& conn, const p::Request& req) {
    if (const auto* hello = std::get_if<p::HelloRequest>(&req.body)) return handle(conn, *hello);
    if (!conn.said_hello) return Outcome(fail(make_error(ErrorCode::hello_required)));
    if (conn.auth_pending) return Outcome(fail(make_error(ErrorCode::login_in_progress)));
    const bool signs_in = std::holds_alternative<p::LoginRequest>(req.body) ||
                          std::holds_alternative<p::ResumeRequest>(req.body) ||
                          std::holds_alternative<p::RegisterRequest>(req.body);
    if (signs_in && conn.account) return Outcome(fail(make_error(ErrorCode::already_logged_in)));
    if (const auto* login = std::get_if<p::LoginRequest>(&req.body))
        return handle_login(id, conn, req.id, *login);
    if (const auto* reg = std::get_if<p::RegisterRequest>(&req.body))
        return handle_register(id, conn, req.id, *reg);
    if (const auto* resume = std::get_if<p::ResumeRequest>(&req.body)) return handle(id, conn, *resume);
    if (!conn.account) return Outcome(fail(make_error(ErrorCode::auth_required)));

    return std::visit(
        [&](const auto& body) -> std::optional<Outcome> {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, p::HelloRequest> || std::is_same_v<T, p::LoginRequest> ||
                          std::is_same_v<T, p::RegisterRequest> || std::is_same_v<T, p::ResumeRequest>)
                return std::nullopt;  // handled above
            else
                return handle(id, conn, body);
        },
        req.body);
}

Hub::Outcome Hub::handle(Connection& conn, const p::HelloRequest& r) {
    if (conn.said_hello) return fail(make_error(ErrorCode::already_said_hello));
    bool speaks_ours = false;
    for (int v : r.versions) speaks_ours = speaks_ours || v == p::kProtocolVersion;
    if (!speaks_ours)
        return fail(make_error(ErrorCode::unsupported_version,
                              "this server speaks protocol version " +
                                  std::to_string(p::kProtocolVersion)));
    conn.said_hello = true;
    if (r.batch)
        if (auto peer = conn.peer.lock()) peer->allow_batching();
    return p::ReplyBody{p::HelloReply{
        p::kProtocolVersion, config_.server_name,
        {config_.max_frame_bytes, config_.max_body_chars, p::kMaxHistoryLimit, config_.tags}}};
}

std::optional<p::Error> Hub::rate_limit(const std::string& key, LoginLimiter& limiter) {
    auto wait = limiter.retry_after(key, clock_());
    if (!wait) return std::nullopt;
    auto error = make_error(ErrorCode::rate_limited,
                           "too many failed attempts; try again in " +
                               std::to_string((*wait + 999) / 1000) + " s");
    error.retry_after_ms = *wait;
    return error;
}

std::optional<Hub::Outcome> Hub::handle_login(ConnectionId id, Connection& conn,
                                              std::string request_id, const p::LoginRequest& r) {
    // Checked before the password, and keyed by the handle as typed, so that a blocked handle
    // is blocked whether or not it exists.
    if (auto err = rate_limit("h:" + r.handle, handle_limiter_)) return Outcome(fail(*err));
    if (auto err = rate_limit("a:" + conn.address, address_limiter_)) return Outcome(fail(*err));
    auto account = store_.find_account_by_handle(r.handle);
    // An unknown or disabled handle is checked against a dummy hash, so that it costs as much
    // as a wrong password and the timing tells nothing.
    bool usable = account && !account->disabled;
    auto hash = std::make_shared<std::string>(usable ? account->password_hash : dummy_password_hash());
    auto password = std::make_shared<std::string>(r.password);
    auto verified = std::make_shared<bool>(false);
    std::optional<std::int64_t> account_id;
    if (usable) account_id = account->id;
    conn.auth_pending = true;
    offloader_.run([hash, password, verified] { *verified = verify_password(*hash, *password); },
                   [this, id, request_id = std::move(request_id), handle = r.handle, verified,
                    usable, account_id] {
                       settle();
                       finish_login(id, request_id, handle, usable && *verified, account_id);
                   });
    return std::nullopt;
}

void Hub::finish_login(ConnectionId id, const std::string& request_id, const std::string& handle,
                       bool verified, std::optional<std::int64_t> account_id) {
    auto it = connections_.find(id);
    if (it == connections_.end()) return;  // the connection went away meanwhile
    Connection& conn = it->second;
    conn.auth_pending = false;
    auto outcome = guarded([&]() -> std::optional<Outcome> {
        auto account = verified && account_id ? store_.find_account(*account_id) : std::nullopt;
        if (!account || account->disabled) {
            handle_limiter_.record_failure("h:" + handle, clock_());
            address_limiter_.record_failure("a:" + conn.address, clock_());
            log::info("core", "login failed", {{"conn", id}});
            metrics::get().logins_failed.fetch_add(1, std::memory_order_relaxed);
            return Outcome(fail(make_error(ErrorCode::bad_credentials)));
        }
        // Told only after the right password: a ban is not for strangers to learn.
        if (account->banned_until_ms && *account->banned_until_ms > clock_()) {
            auto error = make_error(ErrorCode::banned, "this account is banned from the service");
            if (*account->banned_until_ms != INT64_MAX) error.retry_after_ms = *account->banned_until_ms - clock_();
            return Outcome(fail(error));
        }
        handle_limiter_.reset("h:" + handle);
        auto session = start_session(id, conn, *account, {}, 0);
        log::info("core", "login", {{"conn", id}, {"account", account->id}});
        metrics::get().logins_ok.fetch_add(1, std::memory_order_relaxed);
        return Outcome(p::ReplyBody{p::LoginReply{std::move(session)}});
    });
    send_outcome(conn, request_id, "login", *outcome);
    if (*outcome) guarded([&]() -> std::optional<Outcome> { send_running_sessions(id); return std::nullopt; });
}

p::AccountSession Hub::start_session(ConnectionId id, Connection& conn,
                                     const storage::Account& account, std::string token,
                                     std::int64_t expires_ms) {
    if (token.empty()) {
        token = new_secret();
        expires_ms = clock_() + config_.session_ttl_ms;
        store_.create_session(account.id, secret_hash(token), clock_(), expires_ms);
    }
    p::AccountSession session{member_of(account), account.role, token, expires_ms, {}};
    for (const auto& n : store_.take_notices(account.id))
        session.notices.push_back({n.kind, n.message_id, n.reason, n.created_ms});
    for (auto room : store_.rooms_of(account.id)) subscriptions_.subscribe(room, id);
    conn.account = account;
    conn.token_hash = secret_hash(token);
    conn.session_expires_ms = expires_ms;
    return session;
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::ResumeRequest& r) {
    auto session = store_.find_session(secret_hash(r.token));
    if (!session || session->revoked || session->expires_ms <= clock_())
        return fail(make_error(ErrorCode::invalid_token));
    auto account = store_.find_account(session->account_id);
    if (!account || account->disabled || (account->banned_until_ms && *account->banned_until_ms > clock_()))
        return fail(make_error(ErrorCode::invalid_token));
    log::info("core", "resume", {{"conn", id}, {"account", account->id}});
    auto reply = p::ReplyBody{p::ResumeReply{start_session(id, conn, *account, r.token, session->expires_ms)}};
    if (!r.last_seen.empty())
        after_reply([this, id, cursors = r.last_seen] { replay_missed(id, cursors); });
    after_reply([this, id] { send_running_sessions(id); });
    return reply;
}

std::optional<Hub::Outcome> Hub::handle_register(ConnectionId id, Connection& conn,
                                                 std::string request_id,
                                                 const p::RegisterRequest& r) {
    if (auto err = check_password_policy(r.handle, r.password)) return Outcome(fail(*err));
    auto hash = std::make_shared<std::string>();
    auto password = std::make_shared<std::string>(r.password);
    conn.auth_pending = true;
    offloader_.run(
        [hash, password] { *hash = hash_password(*password, PasswordCost::interactive()); },
        [this, id, request_id = std::move(request_id), r, hash] {
            settle();
            auto it = connections_.find(id);
            if (it == connections_.end()) return;
            Connection& c = it->second;
            c.auth_pending = false;
            auto outcome = guarded([&]() -> std::optional<Outcome> {
                auto redeemed = store_.redeem_invite(
                    secret_hash(r.invite), {r.handle, r.display_name, std::nullopt, *hash, clock_()},
                    clock_());
                if (auto* problem = std::get_if<storage::InviteProblem>(&redeemed)) {
                    switch (*problem) {
                        case storage::InviteProblem::expired:
                            return Outcome(fail(make_error(ErrorCode::invite_expired, {}, "invite")));
                        case storage::InviteProblem::used_up:
                            return Outcome(fail(make_error(ErrorCode::invite_used_up, {}, "invite")));
                        case storage::InviteProblem::handle_taken:
                            return Outcome(fail(make_error(ErrorCode::handle_taken, {}, "handle")));
                        case storage::InviteProblem::invalid:
                            break;
                    }
                    return Outcome(fail(make_error(ErrorCode::invite_invalid, {}, "invite")));
                }
                const auto& account = std::get<storage::Account>(redeemed);
                log::info("core", "registered", {{"conn", id}, {"account", account.id}});
                return Outcome(p::ReplyBody{p::RegisterReply{start_session(id, c, account, {}, 0)}});
            });
            send_outcome(c, request_id, "register", *outcome);
            if (*outcome) guarded([&]() -> std::optional<Outcome> { send_running_sessions(id); return std::nullopt; });
        });
    return std::nullopt;
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::LogoutRequest&) {
    store_.revoke_session(conn.token_hash);
    subscriptions_.unsubscribe_all(id);
    conn.account.reset();
    conn.token_hash.clear();
    return p::ReplyBody{p::LogoutReply{}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ListRoomsRequest&) {
    p::ListRoomsReply reply;
    auto me = current_account(conn);
    for (const auto& room : store_.list_rooms(conn.account->id))
        if (me && may_see_room(*me, room)) reply.rooms.push_back(room_view(room));
    return p::ReplyBody{std::move(reply)};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::CreateRoomRequest& r) {
    const auto me = conn.account->id;
    storage::NewRoom spec{r.name, r.topic, me, clock_()};
    if (r.allowed_levels) spec.allowed_levels = *r.allowed_levels;
    auto room = store_.create_room(spec);
    if (!room) return fail(make_error(ErrorCode::room_exists, {}, "name"));
    auto joined = store_.add_member(room->id, me, clock_(), p::RoomRole::owner);
    for (ConnectionId c : connections_of(me)) subscriptions_.subscribe(room->id, c);
    if (joined) after_reply([this, event = *joined] { broadcast_event(event); });
    auto fresh = store_.find_room(room->id, me);
    return p::ReplyBody{p::CreateRoomReply{room_view(fresh ? *fresh : *room)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::JoinRequest& r) {
    const auto me = conn.account->id;
    auto target = store_.find_room(r.room_id, me);
    auto account = current_account(conn);
    if (!target || !account) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    if (target->viewer_is_member) return p::ReplyBody{p::JoinReply{room_view(*target)}};
    if (auto until = store_.ban_until(r.room_id, me); until && *until > clock_()) {
        auto error = make_error(ErrorCode::banned);
        if (*until != INT64_MAX) error.retry_after_ms = *until - clock_();
        return fail(error);
    }
    if (target->archived) return fail(make_error(ErrorCode::room_archived));
    if (!may_see_room(*account, *target)) {
        // An invite-only room is entered with a room invite; other hidden rooms not at all.
        if (target->visibility != p::Visibility::invite) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
        if (!r.invite) return fail(make_error(ErrorCode::invite_required, {}, "invite"));
        if (auto problem = store_.use_room_invite(r.room_id, secret_hash(*r.invite), clock_())) {
            if (*problem == storage::InviteProblem::expired) return fail(make_error(ErrorCode::invite_expired, {}, "invite"));
            if (*problem == storage::InviteProblem::used_up) return fail(make_error(ErrorCode::invite_used_up, {}, "invite"));
            return fail(make_error(ErrorCode::invite_invalid, {}, "invite"));
        }
    }
    auto joined = store_.add_member(r.room_id, me, clock_());
    for (ConnectionId c : connections_of(me)) subscriptions_.subscribe(r.room_id, c);
    auto room = store_.find_room(r.room_id, me);
    if (joined) after_reply([this, event = *joined] { broadcast_event(event); });
    // A late arrival in a running session gets where it stands and what was said so far.
    after_reply([this, id, room = r.room_id] { send_running_sessions(id, room); });
    return p::ReplyBody{p::JoinReply{room_view(*room)}};
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::LeaveRequest& r) {
    const auto me = conn.account->id;
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    auto left = store_.leave_room(r.room_id, me, clock_());
    // Everyone subscribed before the leave hears of it, the leaver's other connections included.
    std::vector<ConnectionId> audience = subscriptions_.subscribers(r.room_id);
    for (ConnectionId c : connections_of(me)) subscriptions_.unsubscribe(r.room_id, c);
    if (auto frames = left ? encode_room_event(*left) : std::nullopt) {
        after_reply([this, audience = std::move(audience), frame = frames->everyone] {
            for (ConnectionId c : audience)
                if (auto it = connections_.find(c); it != connections_.end()) send(it->second, frame);
        });
    }
    return p::ReplyBody{p::LeaveReply{r.room_id}};
}

Result<p::PrivacyMode, p::Error> Hub::check_may_post(ConnectionId id, Connection& conn, std::int64_t room_id,
                                                     p::Anonymity level, const std::string& body) {
    if (auto err = require_member(id, room_id)) return fail(*err);
    if (static_cast<std::int64_t>(p::utf8_length(body)) > config_.max_body_chars)
        return fail(make_error(ErrorCode::too_long,
                              "'body' is longer than " + std::to_string(config_.max_body_chars) + " characters",
                              "body"));
    auto room = store_.posting_rules(room_id, conn.account->id);
    if (!room) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    if (auto until = room->muted_until; until && *until > clock_()) {
        auto error = make_error(ErrorCode::muted, "you are muted in this room for another " +
                                                     std::to_string((*until - clock_() + 999) / 1000) + " s");
        error.retry_after_ms = *until - clock_();
        return fail(error);
    }
    if (room->archived) return fail(make_error(ErrorCode::room_archived));
    const auto rank = rank_in_room(conn.account->role, room->viewer_role);
    if (room->locked && !allows(rank, RoomPermission::post_when_locked)) return fail(make_error(ErrorCode::room_locked));
    if (!allowed(room->allowed_levels, level))
        return fail(make_error(ErrorCode::level_not_allowed,
                              "this room does not allow " + std::string(p::to_string(level)) + " posts", "level"));
    if (room->slow_mode_s > 0 && !allows(rank, RoomPermission::skip_slow_mode)) {
        auto last = last_post_ms_.find({room_id, conn.account->id});
        const std::int64_t wait = last == last_post_ms_.end() ? 0 : last->second + room->slow_mode_s * 1000 - clock_();
        if (wait > 0) {
            auto error = make_error(ErrorCode::slow_mode, "slow mode: you can post again in " +
                                                             std::to_string((wait + 999) / 1000) + " s");
            error.retry_after_ms = wait;
            return fail(error);
        }
    }
    return room->privacy_mode;
}

Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::PostRequest& r) {
    // A retry of a post that was stored gets its acknowledgement, even if the author was muted
    // or left since: what was acknowledged once stays acknowledged.
    if (r.client_msg_id)
        if (auto earlier = store_.find_by_client_msg_id(conn.account->id, *r.client_msg_id); earlier && earlier->room_id == r.room_id)
            return p::ReplyBody{p::PostReply{earlier->room_id, earlier->seq, earlier->id, earlier->created_ms, true}};
    if (r.client_msg_id && store_.has_sealed_post(conn.account->id, *r.client_msg_id)) {
        p::PostReply reply{r.room_id, 0, 0, clock_(), true};
        reply.sealed = true;
        return p::ReplyBody{reply};
    }
    auto privacy_mode = check_may_post(id, conn, r.room_id, r.level, r.body);
    if (!privacy_mode) return fail(privacy_mode.error());
    std::optional<storage::Case> kase;
    if (r.thread_id) kase = store_.find_case(*r.thread_id);
    if (kase && kase->status == "closed") return fail(make_error(ErrorCode::case_closed, {}, "thread_id"));
    if (!kase && r.kind)
        return fail(make_error(ErrorCode::invalid_field, "'kind' is only for replies in a case", "kind"));
    std::optional<std::string> kind = r.kind;
    if (kase && !kind) kind = "comment";
    auto guarded_texts = guard_texts(*privacy_mode, {{"body", r.body, kase.has_value()}}, clock_());
    if (!guarded_texts) return fail(guarded_texts.error());
    storage::NewMessage message{r.room_id, conn.account->id, guarded_texts->texts[0], clock_(), r.level,
                                r.thread_id, r.client_msg_id, kind};
    if (kase) {
        // In a running session the case's phase decides what may be said, and by whom.
        auto place = check_session_post(conn.account->id, r.room_id, *kase, *kind);
        if (!place) return fail(place.error());
        if (*place) {
            message.session_id = (*place)->session_id;
            message.session_step = (*place)->step;
        }
        if (*place && (*place)->sealed) {
            // Kept, durable, and shown to nobody until the phase ends.
            auto [sealed_id, duplicate] = store_.add_sealed_post(message);
            last_post_ms_[{r.room_id, conn.account->id}] = message.created_ms;
            p::PostReply reply{r.room_id, 0, 0, message.created_ms, duplicate, guarded_texts->findings,
                               guarded_texts->redacted};
            reply.sealed = true;
            return p::ReplyBody{reply};
        }
    }
    auto stored = store_.append_message(message);
    if (!stored)
        return fail(make_error(ErrorCode::message_not_found, "no such thread in this room", "thread_id"));
    // A retry after a lost reply: the room heard of the message the first time.
    if (!stored->duplicate) {
        last_post_ms_[{r.room_id, conn.account->id}] = stored->created_ms;
        metrics::get().posts_stored.fetch_add(1, std::memory_order_relaxed);
        after_reply([this, message = *stored, kase] {
            broadcast_message(message);
            for (const auto& event : message.events) broadcast_event(event);
            notify_about(message, kase);
        });
    }
    return p::ReplyBody{p::PostReply{stored->room_id, stored->seq, stored->id, stored->created_ms, stored->duplicate,
                                     guarded_texts->findings, guarded_texts->redacted}};
}


Hub::Outcome Hub::handle(ConnectionId id, Connection& conn, const p::HistoryRequest& r) {
    if (auto err = require_member(id, r.room_id)) return fail(*err);
    const auto viewer = conn.account->id;
    // The room's newest seq is part of the key: a page asked for again after a post is read afresh.
    auto room = store_.find_room_settings(r.room_id, viewer);
    if (!room) return fail(make_error(ErrorCode::room_not_found, {}, "room_id"));
    const auto now = clock_();
    if (const auto* kept = pages_.find(now, [&](const EncodedPage& e) {
            return e.request == r && e.last_seq == room->last_seq &&
                   std::find(e.authors.begin(), e.authors.end(), viewer) == e.authors.end();
        })) {
        encoded_result_ = kept->result_json;
        return p::ReplyBody{p::HistoryReply{r.room_id, {}, false}};  // stands in for the encoded one
    }
    if (const auto* extended = extend_page(r, room->last_seq, viewer, now)) {
        encoded_result_ = extended->result_json;
        return p::ReplyBody{p::HistoryReply{r.room_id, {}, false}};
    }
    auto page = store_.history(r.room_id, {r.before, r.after, r.limit});
    p::HistoryReply reply{r.room_id, {}, page.has_more};
    reply.messages.reserve(page.messages.size());
    std::vector<std::int64_t> authors;
    for (const auto& m : page.messages) {
        reply.messages.push_back(view_of(m, viewer));
        authors.push_back(m.author.id);
    }
    if (std::find(authors.begin(), authors.end(), viewer) != authors.end()) return p::ReplyBody{std::move(reply)};
    // Nothing of it is the viewer's own: everyone else who wrote none of it sees exactly this.
    std::sort(authors.begin(), authors.end());
    authors.erase(std::unique(authors.begin(), authors.end()), authors.end());
    EncodedPage kept{r, room->last_seq, std::move(authors), {}, reply.has_more, now, {}};
    kept.messages.reserve(reply.messages.size());
    for (const auto& m : reply.messages) kept.messages.push_back(p::encode_message(m));
    kept.result_json = p::encode_history_result(r.room_id, kept.has_more, kept.messages);
    encoded_result_ = pages_.add(now, std::move(kept)).result_json;
    return p::ReplyBody{p::HistoryReply{r.room_id, {}, false}};
}

const Hub::EncodedPage* Hub::extend_page(const p::HistoryRequest& r, std::int64_t last_seq, std::int64_t viewer,
                                         std::int64_t now) {
    if (r.before || r.after) return nullptr;  // only the newest messages grow at their end
    const auto* older = pages_.find(now, [&](const EncodedPage& e) {
        return e.request == r && e.last_seq < last_seq &&
               !std::binary_search(e.authors.begin(), e.authors.end(), viewer);
    });
    if (!older) return nullptr;
    // What came since. Anything else that changes a kept message (hiding, editing, a helpful
    // mark, retention) has cleared the kept pages (forget_shared_reads).
    auto fresh = store_.history(r.room_id, {std::nullopt, older->last_seq, r.limit});
    if (fresh.has_more) return nullptr;  // more new messages than the page holds: read it whole
    EncodedPage page{r, last_seq, older->authors, {}, older->has_more, older->read_ms, {}};
    const std::size_t limit = static_cast<std::size_t>(std::max<std::int64_t>(0, r.limit));
    const std::size_t total = older->messages.size() + fresh.messages.size();
    // The new ones are at most `limit` (has_more above), so only kept ones make room for them.
    const std::size_t dropped = std::min(older->messages.size(), total > limit ? total - limit : 0);
    if (dropped > 0) page.has_more = true;
    page.messages.reserve(total - dropped);
    page.messages.assign(older->messages.begin() + static_cast<std::ptrdiff_t>(dropped), older->messages.end());
    for (const auto& m : fresh.messages) {
        if (m.author.id == viewer) return nullptr;  // the viewer's own: encoded for them alone
        page.messages.push_back(p::encode_message(view_of(m, viewer)));
        page.authors.insert(std::upper_bound(page.authors.begin(), page.authors.end(), m.author.id), m.author.id);
    }
    page.authors.erase(std::unique(page.authors.begin(), page.authors.end()), page.authors.end());
    page.result_json = p::encode_history_result(r.room_id, page.has_more, page.messages);
    metrics::get().history_pages_extended.fetch_add(1, std::memory_order_relaxed);
    // Expires with the read it started from, so that nothing kept outlives that by more than
    // RecentReads allows however often it is extended.
    return &pages_.add(page.read_ms, std::move(page));
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::CreateInviteRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(make_error(ErrorCode::forbidden));
    auto issued = issue_invite(store_, &*actor, r.organisation_id, r.max_uses, r.valid_hours, clock_());
    if (!issued) return fail(issued.error());
    const auto& inv = issued->invite;
    return p::ReplyBody{p::CreateInviteReply{inv.id, issued->code, inv.organisation_id, inv.max_uses,
                                             inv.expires_ms}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::RequestRevealRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(make_error(ErrorCode::forbidden));
    auto reveal = request_reveal(store_, *actor, r.message_id, r.reason, clock_());
    if (!reveal) return fail(reveal.error());
    return p::ReplyBody{p::RequestRevealReply{reveal->id}};
}

Hub::Outcome Hub::handle(ConnectionId, Connection& conn, const p::ApproveRevealRequest& r) {
    auto actor = current_account(conn);
    if (!actor) return fail(make_error(ErrorCode::forbidden));
    auto result = approve_reveal(store_, *actor, r.reveal_id, clock_());
    if (!result) return fail(result.error());
    const auto& message = result->message;
    auto identity = member_of(message.author);
    log::info("core", "reveal approved", {{"reveal", r.reveal_id}, {"by", actor->id}});
    after_reply([this, reveal = result->reveal, identity, message] {
        // The admin who asked learns the answer; nobody else does.
        send_to_account(reveal.requested_by,
                        make_frame(p::encode_event(p::RevealApproved{reveal.id, message.id, identity})));
        // The author is told at once when online (the stored notice is then used up), else at
        // the next login.
        if (!connections_of(message.author.id).empty()) {
            for (const auto& n : store_.take_notices(message.author.id)) {
                auto revealed = store_.find_message(n.message_id);
                send_to_account(message.author.id,
                                make_frame(p::encode_event(p::IdentityRevealed{
                                    revealed ? revealed->room_id : 0, n.message_id, n.reason})));
            }
        }
    });
    return p::ReplyBody{p::ApproveRevealReply{r.reveal_id, message.id, identity}};
}

std::optional<p::Error> Hub::require_member(ConnectionId id, std::int64_t room) {
    // The subscription registry mirrors membership for logged-in connections, so the common
    // case needs no query.
    if (subscriptions_.subscribed(room, id)) return std::nullopt;
    if (!store_.find_room(room, std::nullopt)) return make_error(ErrorCode::room_not_found, {}, "room_id");
    return make_error(ErrorCode::not_member, {}, "room_id");
}

}  // namespace vraagbaak::core
