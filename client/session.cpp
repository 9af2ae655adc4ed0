#include "session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <unistd.h>

#include <algorithm>
#include <random>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "commands.hpp"
#include "vraagbaak/protocol/text.hpp"
#include "render.hpp"
#include "terminal.hpp"
#include "ws_client.hpp"

namespace vraagbaak::client {

namespace asio = boost::asio;
namespace p = vraagbaak::protocol;

// Scripted input: a thread reads stdin one line at a time, only when asked, and posts each line
// to the session's io_context. A thread (not an asio descriptor) because stdin may be a regular
// file, which epoll refuses.
struct Session::LineReader {
    std::mutex mutex;
    std::condition_variable wanted_cv;
    bool wanted = false;
    bool stopped = false;

    void want() {
        std::lock_guard lock(mutex);
        wanted = true;
        wanted_cv.notify_one();
    }
    void stop() {
        std::lock_guard lock(mutex);
        stopped = true;
        wanted_cv.notify_one();
    }
};

struct Session::Timers {
    explicit Timers(asio::io_context& ioc) : watchdog(ioc), reconnect(ioc), countdown(ioc), stdin_fd(ioc) {}
    asio::steady_timer watchdog;
    asio::steady_timer reconnect;
    asio::steady_timer countdown;  // the prompt's phase clock, interactive only
    asio::posix::stream_descriptor stdin_fd;
};

namespace {
constexpr int kMaxReconnectAttempts = 10;
constexpr auto kFirstBackoff = std::chrono::milliseconds(250);
constexpr auto kMaxBackoff = std::chrono::seconds(15);
}  // namespace

Session::Session(SessionOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)),
      out_(out),
      err_(err),
      ioc_(std::make_shared<asio::io_context>(1)),
      timers_(std::make_unique<Timers>(*ioc_)) {}

Session::~Session() {
    if (reader_) reader_->stop();
    if (timers_->stdin_fd.is_open()) timers_->stdin_fd.release();  // stdin is not ours to close
}

int Session::run() {
    std::random_device random;
    client_id_prefix_ = std::to_string(random()) + "-" + std::to_string(random()) + "-";
    if (!options_.json && options_.interactive) err_ << tr(options_.lang, "connecting", {options_.url_text}) << "\n";
    connect_now();
    ioc_->run();
    editor_.reset();
    return exit_code_;
}

std::string Session::next_client_msg_id() { return client_id_prefix_ + std::to_string(++next_client_msg_); }

void Session::connect_now() {
    ws_ = WsClient::create(
        *ioc_, options_.url, {options_.ca_file}, WsClient::Handlers{
                   [this](std::string frame) { on_frame(std::move(frame)); },
                   [this](boost::system::error_code ec, const std::string& reason, int code) {
                       on_closed(ec, reason, code);
                   }});
    ws_->connect(options_.timeout,
                 [this](boost::system::error_code ec) { on_connected(ec); });
}

void Session::on_connected(boost::system::error_code ec) {
    if (ec) {
        if (!token_.empty() && !quitting_) return schedule_reconnect();
        err_ << tr(options_.lang, "connect_failed", {options_.url_text, ec.message()}) << "\n";
        exit_code_ = exit_connection;
        ioc_->stop();
        return;
    }
    request(p::HelloRequest{{p::kProtocolVersion}, "vraagbaak-cli/" VRAAGBAAK_CLIENT_VERSION, true},
            [this](const p::ReplyFrame& reply) {
                if (const auto* error = std::get_if<p::Error>(&reply.outcome)) {
                    err_ << tr(options_.lang, "error", {p::to_string(error->code), error->message}) << "\n";
                    exit_code_ = exit_connection;
                    return quit();
                }
                if (const auto* body = std::get_if<p::ReplyBody>(&reply.outcome))
                    if (const auto* hello = std::get_if<p::HelloReply>(body)) known_tags_ = hello->limits.tags;
                if (token_.empty()) sign_in_first_time();
                else resume_session();
            });
}

void Session::resume_session() {
    p::ResumeRequest resume{token_, {}};
    for (const auto& [id, room] : rooms_)
        if (room.joined) resume.last_seen.push_back({id, room.last_seq});
    request(std::move(resume), [this](const p::ReplyFrame& reply) {
        if (std::get_if<p::Error>(&reply.outcome)) {
            // The token expired or was revoked while we were away: sign in again.
            token_.clear();
            return sign_in_first_time();
        }
        connected_ = true;
        reconnect_attempts_ = 0;
        err_ << tr(options_.lang, "reconnected") << "\n";
        resend_posts();
    });
}

void Session::schedule_reconnect() {
    if (++reconnect_attempts_ > kMaxReconnectAttempts) {
        err_ << tr(options_.lang, "gave_up") << "\n";
        exit_code_ = exit_connection;
        if (reader_) reader_->stop();
        ioc_->stop();
        return;
    }
    auto delay = std::min<std::chrono::milliseconds>(kFirstBackoff * (1 << (reconnect_attempts_ - 1)), kMaxBackoff);
    err_ << tr(options_.lang, "reconnecting", {std::to_string(delay.count())}) << "\n";
    timers_->reconnect.expires_after(delay);
    timers_->reconnect.async_wait([this](boost::system::error_code ec) {
        if (!ec && !quitting_) connect_now();
    });
}

void Session::resend_posts() {
    auto posts = std::move(resend_);
    resend_.clear();
    for (auto& post : posts) request(std::move(post.request), std::move(post.handler));
    maybe_continue();
}

void Session::sign_in_first_time() {
    auto on_session = [this](const p::ReplyFrame& session_reply) {
        if (const auto* error = std::get_if<p::Error>(&session_reply.outcome)) {
            std::string text = tr(options_.lang, "err." + std::string(p::to_string(error->code)));
            if (text.rfind("err.", 0) == 0) text = error->message;
            err_ << tr(options_.lang, "login_failed", {text}) << "\n";
            exit_code_ = exit_auth;
            return quit();
        }
        const auto& body = std::get<p::ReplyBody>(session_reply.outcome);
        if (const auto* login = std::get_if<p::LoginReply>(&body))
            after_login(login->session, "logged_in");
        else if (const auto* reg = std::get_if<p::RegisterReply>(&body))
            after_login(reg->session, "registered");
    };
    if (options_.register_account && !connected_once_)
        request(p::RegisterRequest{options_.invite, options_.user, options_.display_name,
                                   options_.password},
                on_session);
    else
        request(p::LoginRequest{options_.user, options_.password}, on_session);
}

void Session::after_login(const p::AccountSession& session, const char* greeting) {
    token_ = session.token;
    connected_ = true;
    reconnect_attempts_ = 0;
    if (connected_once_) {
        // Signed in again after the old token stopped working: rooms and posts carry on.
        err_ << tr(options_.lang, "reconnected") << "\n";
        return resend_posts();
    }
    connected_once_ = true;
    if (!options_.json) {
        emit(tr(options_.lang, greeting,
                {sanitize(session.account.display_name, true), session.account.handle}));
        int replies = 0, mentions = 0;
        for (const auto& n : session.notices) {
            if (n.kind == "identity_revealed")
                emit(tr(options_.lang, "identity_revealed", {std::to_string(n.message_id), sanitize(n.reason, true)}));
            replies += n.kind == "case_reply";
            mentions += n.kind == "mention";
        }
        if (replies + mentions > 0)
            emit(tr(options_.lang, "notice.summary", {std::to_string(replies), std::to_string(mentions)}));
    }
    request(p::ListRoomsRequest{}, [this](const p::ReplyFrame& reply) {
        const auto* body = std::get_if<p::ReplyBody>(&reply.outcome);
        if (const auto* list = body ? std::get_if<p::ListRoomsReply>(body) : nullptr)
            for (const auto& room : list->rooms) rooms_[room.id] = room;
        start_input();
    });
}


void Session::request(p::RequestBody body, ReplyHandler handler) {
    if (auto* post = std::get_if<p::PostRequest>(&body)) {
        if (!post->client_msg_id) post->client_msg_id = next_client_msg_id();
        if (!connected_ && connected_once_) {  // reconnecting: sent once we are back
            resend_.push_back({*post, std::move(handler)});
            return;
        }
    }
    std::string id = std::to_string(++next_id_);
    if (const auto* post = std::get_if<p::PostRequest>(&body)) posts_in_flight_[id] = {*post, handler};
    pending_[id] = std::move(handler);
    ws_->send(p::encode_request({id, std::move(body)}));
    arm_watchdog();
}

void Session::arm_watchdog() {
    timers_->watchdog.expires_after(options_.timeout);
    timers_->watchdog.async_wait([this](boost::system::error_code ec) {
        if (ec || pending_.empty()) return;
        err_ << tr(options_.lang, "timeout") << "\n";
        exit_code_ = exit_connection;
        pending_.clear();
        quit();
    });
}

void Session::on_frame(std::string frame) {
    if (options_.json) {
        // Raw frames, one per line: the server's encoder never emits a raw newline.
        if (editor_) editor_->print_above(frame);
        else out_ << frame << "\n" << std::flush;
    }
    auto decoded = p::decode_server_frame(frame);
    if (!decoded) {
        err_ << "unreadable frame from the server: " << decoded.error().message << "\n";
        return;
    }
    if (auto* event = std::get_if<p::Event>(&decoded.value())) return on_event(*event);
    auto& reply = std::get<p::ReplyFrame>(decoded.value());
    auto it = reply.reply_to ? pending_.find(*reply.reply_to) : pending_.end();
    if (it == pending_.end()) {
        if (const auto* error = std::get_if<p::Error>(&reply.outcome)) report_error(*error);
        return;
    }
    auto handler = std::move(it->second);
    pending_.erase(it);
    posts_in_flight_.erase(*reply.reply_to);
    if (pending_.empty()) timers_->watchdog.cancel();
    handler(reply);
    maybe_continue();
}

void Session::on_event(const p::Event& event) {
    // The cursor per room that a resume hands back: every room event moves it, not only messages.
    if (auto position = p::room_position(event)) {
        auto& room = rooms_[position->room_id];
        room.last_seq = std::max(room.last_seq, position->seq);
    }
    if (on_meeting_event(event)) return;
    if (const auto* posted = std::get_if<p::MessagePosted>(&event)) {
        if (!options_.json)
            emit(render_message(options_.lang, posted->message, room_name(posted->message.room_id),
                                !options_.interactive));
    } else if (const auto* joined = std::get_if<p::MemberJoined>(&event)) {
        if (!options_.json)
            emit(render_member_event(options_.lang, "member_joined", room_name(joined->room_id), joined->member));
    } else if (const auto* left = std::get_if<p::MemberLeft>(&event)) {
        if (!options_.json)
            emit(render_member_event(options_.lang, "member_left", room_name(left->room_id), left->member));
    } else if (const auto* revealed = std::get_if<p::IdentityRevealed>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "identity_revealed",
                    {std::to_string(revealed->message_id), sanitize(revealed->reason, true)}));
    } else if (const auto* gap = std::get_if<p::CatchUpGap>(&event)) {
        page_missed(gap->room_id, gap->after_seq, gap->last_seq);
    } else if (const auto* note = std::get_if<p::Notification>(&event)) {
        if (!options_.json) {
            if (note->kind == "follow_up")
                emit(tr(options_.lang, "notify.follow_up", {std::to_string(note->case_id.value_or(0)), room_name(note->room_id)}));
            else if (note->kind == "case_reply")
                emit(tr(options_.lang, "notify.case_reply", {std::to_string(note->case_id.value_or(0)),
                                                             room_name(note->room_id), std::to_string(note->message_id)}));
            else
                emit(tr(options_.lang, "notify.mention", {room_name(note->room_id), std::to_string(note->message_id)}));
        }
    } else if (const auto* updated = std::get_if<p::CaseUpdated>(&event)) {
        const auto& c = updated->case_info;
        if (!options_.json)
            emit(tr(options_.lang, "case_updated",
                    {room_name(c.room_id), std::to_string(c.id), c.status, sanitize(c.title, true)}));
    } else if (const auto* marked = std::get_if<p::HelpfulMarked>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, marked->helpful ? "helpful_set" : "helpful_unset", {std::to_string(marked->message_id)}));
    } else if (const auto* hidden = std::get_if<p::MessageHidden>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "message_hidden", {room_name(hidden->room_id), std::to_string(hidden->message_id),
                                                      sanitize(hidden->reason, true)}));
    } else if (const auto* removed = std::get_if<p::RemovedFromRoom>(&event)) {
        rooms_[removed->room_id].joined = false;
        if (current_room_ == removed->room_id) current_room_.reset();
        if (editor_) editor_->set_prompt(prompt());
        if (!options_.json)
            emit(tr(options_.lang, removed->kind == "kick" ? "kicked_from_room" : "removed_from_room",
                    {room_name(removed->room_id), sanitize(removed->reason, true)}));
    } else if (const auto* updated_room = std::get_if<p::RoomUpdated>(&event)) {
        if (!options_.json) emit(render_room_settings(options_.lang, updated_room->room));
    } else if (const auto* unhidden = std::get_if<p::MessageUnhidden>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "message_unhidden", {room_name(unhidden->room_id), std::to_string(unhidden->message_id)}));
    } else if (const auto* deleted = std::get_if<p::MessageDeleted>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "message_deleted", {room_name(deleted->room_id), std::to_string(deleted->message_id)}));
    } else if (const auto* approved = std::get_if<p::RevealApproved>(&event)) {
        if (!options_.json)
            emit(tr(options_.lang, "reveal_result",
                    {std::to_string(approved->message_id),
                     render_author(options_.lang, {p::Anonymity::named, approved->identity.account_id,
                                                   approved->identity.handle, approved->identity.display_name,
                                                   approved->identity.organisation, {}},
                                   false)}));
    }
}

void Session::on_closed(boost::system::error_code ec, const std::string& reason, int code) {
    timers_->watchdog.cancel();
    connected_ = false;
    if (!quitting_ && connected_once_ && !token_.empty()) {
        if (ec) err_ << tr(options_.lang, "lost", {ec.message()}) << "\n";
        else err_ << tr(options_.lang, "closed", {std::to_string(code), reason}) << "\n";
        // Unacknowledged posts are sent again after the resume; other requests are lost.
        for (auto& [id, post] : posts_in_flight_) resend_.push_back(std::move(post));
        posts_in_flight_.clear();
        pending_.clear();
        return schedule_reconnect();
    }
    if (!quitting_) {
        if (ec) err_ << tr(options_.lang, "lost", {ec.message()}) << "\n";
        else err_ << tr(options_.lang, "closed", {std::to_string(code), reason}) << "\n";
        exit_code_ = exit_connection;
    }
    if (reader_) reader_->stop();
    if (timers_->stdin_fd.is_open()) timers_->stdin_fd.cancel();
    timers_->countdown.cancel();
    ioc_->stop();
}

void Session::quit() {
    if (quitting_) return;
    quitting_ = true;
    if (ws_->is_open()) ws_->close();
    else ioc_->stop();
}

void Session::emit(const std::string& line) {
    if (editor_) editor_->print_above(line);
    else out_ << line << "\n" << std::flush;
}

Session::ReplyHandler Session::post_reply_handler(std::string text) {
    return [this, text = std::move(text)](const p::ReplyFrame& reply) {
        const Lang lang = options_.lang;
        if (const auto* error = std::get_if<p::Error>(&reply.outcome)) {
            if (error->code != p::ErrorCode::personal_data || options_.json) return report_error(*error);
            emit(tr(lang, "pii.refused", {describe_findings(lang, error->findings)}));
            emit(tr(lang, "pii.where", {mark_findings(text, error->findings, "body")}));
            if (editor_) {
                emit(tr(lang, "pii.edit"));
                editor_->prefill(text);
            }
            return;
        }
        const auto* posted = std::get_if<p::PostReply>(&std::get<p::ReplyBody>(reply.outcome));
        if (!posted || options_.json) return;
        if (!posted->findings.empty())
            emit(tr(lang, posted->redacted ? "pii.redacted" : "pii.warned", {describe_findings(lang, posted->findings)}));
        if (posted->sealed) return emit(tr(lang, "post_sealed", {room_name(posted->room_id)}));
        // Interactive users see their message come back as an event; scripts get an ack.
        if (!options_.interactive) emit(tr(lang, "posted", {room_name(posted->room_id), std::to_string(posted->seq)}));
    };
}

void Session::report_error(const p::Error& error) {
    std::string code(p::to_string(error.code));
    std::string text = tr(options_.lang, "err." + code);
    if (text.rfind("err.", 0) == 0) text = sanitize(error.message, true);
    if (options_.json) return;  // the raw frame was printed already
    emit(tr(options_.lang, "error", {code, text}));
}

std::optional<p::RoomId> Session::resolve_room(const std::string& name) const {
    if (!name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        auto id = std::stoll(name);
        if (rooms_.count(id)) return id;
    }
    auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    for (const auto& [id, room] : rooms_)
        if (lower(room.name) == lower(name)) return id;
    return std::nullopt;
}

std::string Session::room_name(p::RoomId id) const {
    auto it = rooms_.find(id);
    return it != rooms_.end() && !it->second.name.empty() ? it->second.name : "#" + std::to_string(id);
}

std::string Session::prompt() const {
    std::string p = phase_status() + (current_room_ ? sanitize(room_name(*current_room_), true) : std::string());
    if (level_ != p::Anonymity::named) p += " (" + std::string(p::to_string(level_)) + ")";
    return p + "> ";
}

void Session::tick_countdown() {
    timers_->countdown.expires_after(std::chrono::seconds(1));
    timers_->countdown.async_wait([this](boost::system::error_code ec) {
        if (ec || quitting_) return;
        if (editor_ && !phase_status().empty()) editor_->set_prompt(prompt());
        tick_countdown();
    });
}

void Session::start_input() {
    if (input_started_) return;
    input_started_ = true;
    if (options_.interactive) {
        editor_ = std::make_unique<LineEditor>(
            prompt(), [this](std::string line) { execute(line); }, [this] { quit(); });
        timers_->stdin_fd.assign(::dup(STDIN_FILENO));
        watch_stdin();
        tick_countdown();
        return;
    }
    reader_ = std::make_shared<LineReader>();
    std::thread([reader = reader_, ioc = ioc_, this] {
        std::string line;
        while (true) {
            {
                std::unique_lock lock(reader->mutex);
                reader->wanted_cv.wait(lock, [&] { return reader->wanted || reader->stopped; });
                if (reader->stopped) return;
                reader->wanted = false;
            }
            bool got = static_cast<bool>(std::getline(std::cin, line));
            // The session may be gone by now; it stops the reader before it goes, and a post to
            // a stopped io_context is harmless because the reader keeps it alive.
            std::lock_guard lock(reader->mutex);
            if (reader->stopped) return;
            if (!got) {
                asio::post(*ioc, [this] {
                    eof_ = true;
                    maybe_continue();
                });
                return;
            }
            asio::post(*ioc, [this, line] {
                input_waiting_ = true;
                execute(line);
                maybe_continue();
            });
        }
    }).detach();
    next_line();
}

void Session::watch_stdin() {
    timers_->stdin_fd.async_wait(asio::posix::stream_descriptor::wait_read,
                                 [this](boost::system::error_code ec) {
                                     if (ec || quitting_) return;
                                     editor_->read_available();
                                     if (!quitting_) watch_stdin();
                                 });
}

void Session::next_line() {
    input_waiting_ = false;
    reader_->want();
}

// Scripted mode: a line is done when all its replies are in; then read the next one, or end.
void Session::maybe_continue() {
    if (options_.interactive || !reader_ || !pending_.empty() || !resend_.empty() || !connected_ ||
        quitting_)
        return;
    if (eof_) return quit();
    if (input_waiting_) next_line();
}

void Session::page_missed(p::RoomId room, p::Seq after, p::Seq up_to) {
    request(p::HistoryRequest{room, std::nullopt, after, p::kMaxHistoryLimit},
            on_success<p::HistoryReply>([this, room, up_to](const auto& page) {
                for (const auto& m : page.messages) {
                    rooms_[room].last_seq = std::max(rooms_[room].last_seq, m.seq);
                    if (!options_.json)
                        emit(render_message(options_.lang, m, room_name(room), !options_.interactive));
                }
                if (page.has_more && !page.messages.empty())
                    return page_missed(room, page.messages.back().seq, up_to);
                // History shows messages as they are now (hidden, helpful), so the other events
                // of the gap are covered: the cursor moves past all of it.
                rooms_[room].last_seq = std::max(rooms_[room].last_seq, up_to);
            }));
}

void Session::continue_draft(const std::string& line) {
    const Lang lang = options_.lang;
    Draft& d = *draft_;
    switch (d.stage) {
        case Draft::Stage::tags: {
            d.tags = p::split_list(line);
            d.stage = Draft::Stage::body;
            if (!options_.json) emit(tr(lang, "ask.body"));
            return;
        }
        case Draft::Stage::body:
            if (line != ".") {
                if (!d.body.empty()) d.body += "\n";
                d.body += line;
                return;
            }
            d.stage = Draft::Stage::confirm;
            // Before sending: has a colleague asked this before?
            request(p::SimilarCasesRequest{d.room_id, d.title, d.body},
                    on_success<p::SimilarCasesReply>([this, lang](const auto& r) {
                        if (!options_.json) {
                            emit(r.cases.empty() ? tr(lang, "ask.none_similar") : tr(lang, "ask.similar"));
                            for (const auto& c : r.cases)
                                emit(tr(lang, "case_line", {std::to_string(c.id), c.status, sanitize(c.title, true),
                                                            "", std::to_string(c.replies), ""}));
                            emit(tr(lang, "ask.confirm"));
                        }
                    }));
            return;
        case Draft::Stage::confirm: {
            auto draft = std::move(*draft_);
            draft_.reset();
            if (line != "y" && line != "j" && line != "yes" && line != "ja") {
                if (!options_.json) emit(tr(lang, "ask.cancelled"));
                return;
            }
            request(p::AskRequest{draft.room_id, draft.title, draft.body, draft.tags, level_, next_client_msg_id()},
                    on_success<p::AskReply>([this, lang](const auto& r) {
                        if (!options_.json)
                            emit(tr(lang, "ask.sent", {std::to_string(r.case_info.id), room_name(r.case_info.room_id)}));
                    }));
            return;
        }
    }
}

void Session::execute(const std::string& line) {
    if (draft_) return continue_draft(line);
    auto parsed = parse_command(line);
    if (!parsed) return;
    if (auto* error = std::get_if<ParseError>(&*parsed)) {
        err_ << tr(options_.lang, error->message_key, {error->detail}) << "\n";
        return;
    }
    const Lang lang = options_.lang;
    auto room_or_current = [this](const std::string& name) -> std::optional<p::RoomId> {
        if (name.empty()) {
            if (!current_room_) err_ << tr(options_.lang, "no_current_room") << "\n";
            return current_room_;
        }
        auto id = resolve_room(name);
        if (!id) err_ << tr(options_.lang, "unknown_room", {name}) << "\n";
        return id;
    };
    std::visit(
        [&](const auto& cmd) {
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, CmdHelp>) {
                emit(tr(lang, "help"));
            } else if constexpr (std::is_same_v<T, CmdQuit>) {
                quit();
            } else if constexpr (std::is_same_v<T, CmdRooms>) {
                request(p::ListRoomsRequest{}, on_success<p::ListRoomsReply>([this, lang](const auto& r) {
                    const auto& rooms = r.rooms;
                    if (options_.json) return;
                    emit(rooms.empty() ? tr(lang, "no_rooms") : tr(lang, "rooms_header"));
                    for (const auto& room : rooms) {
                        rooms_[room.id] = room;
                        emit(tr(lang, "room_line",
                                {std::to_string(room.id), sanitize(room.name, true),
                                 std::to_string(room.member_count), std::to_string(room.last_seq),
                                 room.joined ? tr(lang, "room_joined_mark") : std::string()}));
                    }
                }));
            } else if constexpr (std::is_same_v<T, CmdCreate>) {
                request(p::CreateRoomRequest{cmd.name, cmd.topic}, on_success<p::CreateRoomReply>([this, lang](const auto& r) {
                    const auto& room = r.room;
                    rooms_[room.id] = room;
                    current_room_ = room.id;
                    if (editor_) editor_->set_prompt(prompt());
                    if (!options_.json) emit(tr(lang, "created", {sanitize(room.name, true)}));
                }));
            } else if constexpr (std::is_same_v<T, CmdJoin>) {
                auto id = room_or_current(cmd.room);
                if (!id) return;
                request(p::JoinRequest{*id}, on_success<p::JoinReply>([this, lang](const auto& r) {
                    const auto& room = r.room;
                    rooms_[room.id] = room;
                    current_room_ = room.id;
                    if (editor_) editor_->set_prompt(prompt());
                    if (!options_.json)
                        emit(tr(lang, "joined", {sanitize(room.name, true), std::to_string(room.last_seq)}));
                }));
            } else if constexpr (std::is_same_v<T, CmdLeave>) {
                auto id = room_or_current(cmd.room);
                if (!id) return;
                request(p::LeaveRequest{*id}, on_success<p::LeaveReply>([this, lang](const auto& r) {
                    auto room_id = r.room_id;
                    rooms_[room_id].joined = false;
                    if (current_room_ == room_id) current_room_.reset();
                    if (editor_) editor_->set_prompt(prompt());
                    if (!options_.json) emit(tr(lang, "left", {room_name(room_id)}));
                }));
            } else if constexpr (std::is_same_v<T, CmdSwitch>) {
                auto id = room_or_current(cmd.room);
                if (!id) return;
                if (!rooms_[*id].joined) {
                    err_ << tr(lang, "not_joined", {room_name(*id), room_name(*id)}) << "\n";
                    return;
                }
                current_room_ = *id;
                if (editor_) editor_->set_prompt(prompt());
                else if (!options_.json) emit(tr(lang, "current_room", {room_name(*id)}));
            } else if constexpr (std::is_same_v<T, CmdSay>) {
                auto id = room_or_current(cmd.room);
                if (!id) return;
                request(p::PostRequest{*id, cmd.text, level_, std::nullopt}, post_reply_handler(cmd.text));
            } else if constexpr (std::is_same_v<T, CmdLevel>) {
                level_ = p::anonymity_from_string(cmd.level).value_or(p::Anonymity::named);
                if (editor_) editor_->set_prompt(prompt());
                if (!options_.json) emit(tr(lang, "level_set", {tr(lang, "level." + cmd.level)}));
            } else if constexpr (std::is_same_v<T, CmdReply>) {
                auto id = room_or_current({});
                if (!id) return;
                std::optional<std::string> kind;
                if (!cmd.kind.empty()) kind = cmd.kind;
                request(p::PostRequest{*id, cmd.text, level_, cmd.message_id, std::nullopt, kind},
                        post_reply_handler(cmd.text));
            } else if constexpr (std::is_same_v<T, CmdMute>) {
                request(p::MuteAuthorRequest{cmd.message_id, cmd.duration_s, cmd.reason},
                        on_success<p::MuteAuthorReply>([this, lang](const auto& m) {
                            if (!options_.json)
                                emit(tr(lang, "muted_author", {std::to_string(m.message_id), room_name(m.room_id),
                                                               format_time(m.until_ms)}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdHide> || std::is_same_v<T, CmdModerate> ||
                                 std::is_same_v<T, CmdReport> || std::is_same_v<T, CmdQueue> ||
                                 std::is_same_v<T, CmdWorkReport> || std::is_same_v<T, CmdRoomSetting> ||
                                 std::is_same_v<T, CmdPin> || std::is_same_v<T, CmdAudit> ||
                                 std::is_same_v<T, CmdRole> || std::is_same_v<T, CmdExport>) {
                moderate(cmd);
            } else if constexpr (std::is_same_v<T, CmdSessions> || std::is_same_v<T, CmdSchedule> ||
                                 std::is_same_v<T, CmdSignUp> || std::is_same_v<T, CmdControl> ||
                                 std::is_same_v<T, CmdAllow> || std::is_same_v<T, CmdAttendance> ||
                                 std::is_same_v<T, CmdSummary> || std::is_same_v<T, CmdShowSession>) {
                meet(cmd);
            } else if constexpr (std::is_same_v<T, CmdBan>) {
                request(p::BanAuthorRequest{cmd.message_id, cmd.duration_s, cmd.reason},
                        on_success<p::BanAuthorReply>([this, lang](const auto& r) {
                            if (!options_.json)
                                emit(tr(lang, "banned_author", {std::to_string(r.message_id), room_name(r.room_id)}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdReveal>) {
                request(p::RequestRevealRequest{cmd.message_id, cmd.reason},
                        on_success<p::RequestRevealReply>([this, lang](const auto& r) {
                            if (!options_.json) emit(tr(lang, "reveal_requested", {std::to_string(r.reveal_id)}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdApprove>) {
                request(p::ApproveRevealRequest{cmd.reveal_id},
                        on_success<p::ApproveRevealReply>([this, lang](const auto& r) {
                            if (options_.json) return;
                            const auto& who = r.identity;
                            emit(tr(lang, "reveal_result",
                                    {std::to_string(r.message_id),
                                     render_author(lang, {p::Anonymity::named, who.account_id, who.handle,
                                                          who.display_name, who.organisation, {}},
                                                   false)}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdInvite>) {
                request(p::CreateInviteRequest{std::nullopt, cmd.uses, cmd.hours},
                        on_success<p::CreateInviteReply>([this, lang](const auto& r) {
                            if (!options_.json)
                                emit(tr(lang, "invite_created",
                                        {std::to_string(r.max_uses), format_time(r.expires_ms), r.code}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdLogout>) {
                request(p::LogoutRequest{}, on_success<p::LogoutReply>([this, lang](const auto&) {
                    if (!options_.json) emit(tr(lang, "logged_out"));
                    quit();
                }));
            } else if constexpr (std::is_same_v<T, CmdCases>) {
                auto id = room_or_current({});
                if (!id) return;
                p::ListCasesRequest q{*id};
                if (!cmd.status.empty()) q.status = cmd.status;
                if (!cmd.tag.empty()) q.tag = cmd.tag;
                q.mine = cmd.mine;
                q.unanswered = cmd.unanswered;
                q.sort = cmd.by_activity ? "activity" : "newest";
                request(q, on_success<p::ListCasesReply>([this, lang](const auto& r) {
                    if (options_.json) return;
                    if (r.cases.empty()) emit(tr(lang, "no_cases"));
                    for (const auto& c : r.cases) {
                        std::string tags;
                        for (const auto& t : c.tags) tags += (tags.empty() ? "" : ", ") + sanitize(t, true);
                        emit(tr(lang, "case_line",
                                {std::to_string(c.id), c.status, sanitize(c.title, true), tags, std::to_string(c.replies),
                                 c.unread ? tr(lang, "case_unread", {std::to_string(c.unread)}) : std::string()}));
                    }
                }));
            } else if constexpr (std::is_same_v<T, CmdCase>) {
                request(p::GetCaseRequest{cmd.case_id}, on_success<p::GetCaseReply>([this, lang](const auto& r) {
                    if (options_.json) return;
                    const auto& c = r.case_info;
                    std::string tags;
                    for (const auto& t : c.tags) tags += (tags.empty() ? "" : ", ") + sanitize(t, true);
                    emit(tr(lang, "case_header", {std::to_string(c.id), c.status, sanitize(c.title, true), tags}));
                    if (c.status == "closed")
                        emit(tr(lang, "case_outcome", {sanitize(c.outcome, true), sanitize(c.reflection, true)}));
                    for (const auto& m : r.messages)
                        emit(render_message(lang, m, room_name(m.room_id), !options_.interactive));
                }));
            } else if constexpr (std::is_same_v<T, CmdAsk>) {
                auto id = room_or_current({});
                if (!id) return;
                draft_ = Draft{Draft::Stage::tags, cmd.title, {}, {}, *id};
                if (!options_.json) {
                    std::string tags;
                    for (const auto& t : known_tags_) tags += (tags.empty() ? "" : ", ") + t;
                    emit(tr(lang, "ask.tags", {tags}));
                }
            } else if constexpr (std::is_same_v<T, CmdHelpful>) {
                request(p::MarkHelpfulRequest{cmd.message_id, cmd.helpful},
                        on_success<p::MarkHelpfulReply>([](const auto&) {}));
            } else if constexpr (std::is_same_v<T, CmdClose>) {
                request(p::CloseCaseRequest{cmd.case_id, cmd.outcome, cmd.reflection},
                        on_success<p::CloseCaseReply>([](const auto&) {}));
            } else if constexpr (std::is_same_v<T, CmdReopen>) {
                request(p::ReopenCaseRequest{cmd.case_id}, on_success<p::ReopenCaseReply>([](const auto&) {}));
            } else if constexpr (std::is_same_v<T, CmdSearch>) {
                request(p::SearchRequest{cmd.query}, on_success<p::SearchReply>([this, lang](const auto& r) {
                    if (options_.json) return;
                    if (r.hits.empty()) emit(tr(lang, "no_hits"));
                    for (const auto& h : r.hits)
                        emit(tr(lang, "search_hit",
                                {room_name(h.message.room_id), std::to_string(h.message.seq),
                                 h.case_id ? "\"" + sanitize(h.case_title, true) + "\": " : std::string(),
                                 sanitize(h.snippet, true)}));
                }));
            } else if constexpr (std::is_same_v<T, CmdUnread>) {
                request(p::ListRoomsRequest{}, on_success<p::ListRoomsReply>([this, lang](const auto& r) {
                    if (options_.json) return;
                    bool any = false;
                    for (const auto& room : r.rooms) {
                        rooms_[room.id] = room;
                        if (room.unread == 0) continue;
                        any = true;
                        emit(tr(lang, "unread_line", {sanitize(room.name, true), std::to_string(room.unread)}));
                    }
                    if (!any) emit(tr(lang, "all_read"));
                }));
            } else if constexpr (std::is_same_v<T, CmdRead>) {
                auto id = room_or_current({});
                if (!id) return;
                request(p::MarkReadRequest{*id, rooms_[*id].last_seq},
                        on_success<p::MarkReadReply>([this, lang](const auto& r) {
                            if (!options_.json) emit(tr(lang, "marked_read", {room_name(r.room_id)}));
                        }));
            } else if constexpr (std::is_same_v<T, CmdHistory>) {
                auto id = room_or_current(cmd.room);
                if (!id) return;
                request(p::HistoryRequest{*id, cmd.before, cmd.after, cmd.limit},
                        on_success<p::HistoryReply>([this, lang](const auto& h) {
                            if (options_.json) return;
                            emit(tr(lang, "history_header",
                                    {room_name(h.room_id), std::to_string(h.messages.size()),
                                     h.has_more ? tr(lang, "history_more") : std::string()}));
                            for (const auto& m : h.messages)
                                emit(render_message(lang, m, room_name(h.room_id), !options_.interactive));
                        }));
            }
        },
        std::get<Command>(*parsed));
}

}  // namespace vraagbaak::client
