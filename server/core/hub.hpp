#pragma once
// The hub: the domain core of the server. It decodes requests, enforces the protocol's rules,
// talks to the store and fans events out to subscribed connections.
//
// Threading model
// - Every member function runs on one thread, the core thread (in the server: a single-threaded
//   io_context). All core state is owned by that thread, so it needs no locks.
// - Transport threads reach the hub only by handing work to the core thread (in bulk, through
//   the transport's inbox); the hub reaches them only through Peer, whose deliver/close are
//   thread-safe (and also handed over in bulk, per network thread).
// - Slow self-contained work (password hashing) goes to the Offloader and comes back to the
//   core thread.
// - The store is called synchronously. Posts are the exception to "a call that returns has
//   committed": with group commit (HubConfig::group_commit_max) the posts that arrive together
//   share one transaction, and their replies and broadcasts wait until settle() commits it.
//   Every other request settles the open group first.
//
// Guarantees
// - Every decoded or undecodable request frame gets exactly one reply frame.
// - A post is replied to only after it is committed; the broadcast follows the reply and carries
//   the same sequence number. Events of one room reach every subscriber in sequence order.
// - A storage failure yields `storage_unavailable` and leaves no partial effect behind.
// - Messages and room events (joins, leaves, hides, helpful marks, case updates) share the
//   room's sequence; each is stored with its seq before it is announced.
// - After `resume`, everything a client missed follows the reply and precedes any live event:
//   the replay runs on the core thread before it handles anything else.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/login_limiter.hpp"
#include "core/recent_reads.hpp"
#include "core/methods.hpp"
#include "core/offloader.hpp"
#include "core/peer.hpp"
#include "core/privacy_guard.hpp"
#include "core/subscriptions.hpp"
#include "core/token_bucket.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace vraagbaak::storage {
class Store;
struct Account;
struct Message;
struct Case;
struct RoomEvent;
struct StoredReport;
struct Room;
struct StoredSession;
}

namespace vraagbaak::core {

struct HubConfig {
    std::string server_name = "vraagbaak";
    std::int64_t max_frame_bytes = 64 * 1024;  // announced in `hello`; enforced by the transport
    std::int64_t max_body_chars = static_cast<std::int64_t>(protocol::kMaxBodyChars);
    std::int64_t session_ttl_ms = 14LL * 24 * 3600 * 1000;  // a token's life after login
    int login_failures_per_handle = 5;    // within login_window_ms, then rate_limited
    int login_failures_per_address = 20;  // higher: many colleagues may share one office NAT
    std::int64_t login_window_ms = 15 * 60 * 1000;
    // After `resume`, at most this many missed messages per room are replayed; beyond it the
    // client is told to page history (a catch_up_gap event).
    int catch_up_limit = 500;
    // Requests a second per connection on average (bursts of 5 seconds' worth); an account's
    // connections together may make twice as many. 0: no limit.
    double requests_per_second = 0;
    // Group commit: posts that arrive while earlier ones wait for their COMMIT share one
    // transaction (at most this many), and are acknowledged and broadcast after it. 0: every
    // post commits alone.
    int group_commit_max = 0;
    // While posts keep coming (the last group held more than one), a group waits for more
    // before its COMMIT: group_commit_wait_per_post_us for each post of the group before, at
    // most group_commit_wait_us. 0: it commits as soon as the core has taken what was queued.
    int group_commit_wait_us = 0;
    int group_commit_wait_per_post_us = 40;
    // The life domains a case may be tagged with.
    std::vector<std::string> tags{"wonen",         "werk en inkomen", "schulden",     "zorg en gezondheid",
                                  "jeugd en gezin", "veiligheid",      "participatie", "regels en beleid"};
    // The intervision methods sessions may follow; empty: the shipped ones.
    std::vector<Method> methods;
};

using Clock = std::function<std::int64_t()>;  // milliseconds since the Unix epoch
std::int64_t system_clock_ms();

class Hub {
public:
    Hub(storage::Store& store, Offloader& offloader, HubConfig config, Clock clock = system_clock_ms);
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // A new connection from `address` (for rate limits). `id` is unique for the lifetime of the
    // process.
    void open(ConnectionId id, std::weak_ptr<Peer> peer, std::string address = {});
    // One complete text frame from the connection.
    void on_frame(ConnectionId id, std::string_view frame);
    // The connection is gone; forget it.
    void close(ConnectionId id);
    // Closes every connection with `code`, e.g. going_away on shutdown.
    void close_all(CloseCode code, const std::string& reason);

    std::size_t connection_count() const { return connections_.size(); }

    // Runs the server's clocks: connections whose session token ran out are closed, and
    // running sessions get their warnings and automatic phase changes. Called often (a few
    // times a second) on the core thread.
    void tick();

    // Commits the open commit group, if any, then sends its replies and events. The hub does
    // this by itself (through Offloader::later); call it before touching the store from outside
    // the hub on the core thread (retention).
    void settle();
    // Drops the catch-ups and history pages shared between viewers (they live 2 s at most). The
    // hub does this itself before any request that may change what was said (a hidden message, a
    // helpful mark); call it after changing the store from outside the hub (retention).
    void forget_shared_reads() {
        catch_ups_.clear();
        pages_.clear();
    }

private:
    struct Connection;
    using Outcome = Result<protocol::ReplyBody, protocol::Error>;

    // nullopt: the reply is sent later (after a password check on the offload pool).
    std::optional<Outcome> dispatch(ConnectionId id, Connection& conn, const protocol::Request& req);
    Outcome handle(Connection& conn, const protocol::HelloRequest& r);
    std::optional<Outcome> handle_login(ConnectionId id, Connection& conn, std::string request_id,
                                        const protocol::LoginRequest& r);
    std::optional<Outcome> handle_register(ConnectionId id, Connection& conn, std::string request_id,
                                           const protocol::RegisterRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ResumeRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::LogoutRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ListRoomsRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::CreateRoomRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::JoinRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::LeaveRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::PostRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::HistoryRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::CreateInviteRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::MuteAuthorRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::HideMessageRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::BanAuthorRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::RequestRevealRequest& r);
    // Cases and search: hub_cases.cpp.
    Outcome handle(ConnectionId id, Connection& conn, const protocol::AskRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::MarkHelpfulRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::CloseCaseRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ReopenCaseRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ListCasesRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::GetCaseRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::SearchRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::SimilarCasesRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::MarkReadRequest& r);
    // Mentions in the message and a reply in someone's case notify those people: an event when
    // they are online, a notice for their next sign-in otherwise.
    void notify_about(const storage::Message& message, const std::optional<storage::Case>& kase);
    // Room events (hub_room_events.cpp). A case event reads differently for the case's asker
    // (`mine`), so it has a second frame for them.
    // A session event has viewer-specific parts (`mine`, `me_signed_up`): it is encoded per
    // viewer by `per_viewer`.
    struct RoomEventFrames {
        Frame everyone;
        std::optional<std::int64_t> asker;
        Frame for_asker;
        std::function<Frame(std::optional<std::int64_t>)> per_viewer;
        Frame for_viewer(std::optional<std::int64_t> viewer) const {
            if (per_viewer) return per_viewer(viewer);
            return viewer && asker && *viewer == *asker ? for_asker : everyone;
        }
    };
    std::optional<RoomEventFrames> encode_room_event(const storage::RoomEvent& event);
    void broadcast_event(const storage::RoomEvent& event);
    // Posting rules shared by post and ask: membership, mutes, lock, archive, slow mode, allowed
    // levels, body length. Returns the room's privacy mode, for the guard (privacy_guard.hpp).
    Result<protocol::PrivacyMode, protocol::Error> check_may_post(ConnectionId id, Connection& conn, std::int64_t room,
                                                                  protocol::Anonymity level, const std::string& body);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ApproveRevealRequest& r);
    // Moderation: hub_moderation.cpp.
    Outcome handle(ConnectionId id, Connection& conn, const protocol::UpdateRoomRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::PinMessageRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::SetRoomRoleRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::CreateRoomInviteRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::KickAuthorRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::BanAccountRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::UnhideMessageRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::DeleteMessageRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ReportRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ListReportsRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ClaimReportRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ResolveReportRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::DismissReportRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::AuditRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ExportMyDataRequest& r);
    // Network meetings: hub_sessions.cpp.
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ScheduleSessionRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ListSessionsRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::GetSessionRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::SignUpRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::ControlSessionRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::AllowPostRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::SessionAttendanceRequest& r);
    Outcome handle(ConnectionId id, Connection& conn, const protocol::GetSummaryRequest& r);
    // The session, if it is in a room of the connection's account.
    std::optional<storage::StoredSession> visible_session(ConnectionId id, std::int64_t session_id);
    // The session and the acting account, when the account may run it (session_not_found or
    // forbidden with `refusal` otherwise).
    Result<std::pair<storage::StoredSession, storage::Account>, protocol::Error> session_to_run(
        ConnectionId id, Connection& conn, std::int64_t session_id, const std::string& refusal);
    // Where a post in a case stands in the room's running session, if it is part of it.
    struct SessionPlace {
        std::int64_t session_id = 0;
        std::int64_t step = 0;
        bool sealed = false;
    };
    // Checks a post in case `thread` against the running session's current phase: refused with
    // phase_rule when the phase does not allow it (an organiser's allowance is used up here).
    Result<std::optional<SessionPlace>, protocol::Error> check_session_post(std::int64_t account, std::int64_t room,
                                                                            const storage::Case& kase,
                                                                            const std::string& kind);
    // The session as `viewer` sees it, and the same for per-viewer encoding of its event.
    std::function<protocol::Session(std::optional<std::int64_t>)> session_views(const storage::StoredSession& s);
    protocol::SessionWithMessages session_with_messages(const storage::StoredSession& s, std::int64_t viewer);
    std::vector<protocol::SessionStep> session_steps(const storage::StoredSession& s);
    // Moves a session (start, next, previous, extend, end); announces what changed after the
    // reply. `by` is nullopt for the clock's own moves.
    Result<storage::StoredSession, protocol::Error> control_session(const storage::StoredSession& s,
                                                                    const std::string& action, std::int64_t extend_s);
    // Ends the current step: its sealed posts become messages, announced at once.
    void close_step(const storage::StoredSession& s, const std::vector<protocol::SessionStep>& steps);
    void write_summaries(const storage::StoredSession& s, const std::vector<protocol::SessionStep>& steps);
    // A connection that arrives while sessions run in its rooms learns where they stand.
    void send_running_sessions(ConnectionId id, std::optional<std::int64_t> only_room = std::nullopt);
    void tick_sessions(std::int64_t now);
    // Puts a running session's clock (deadline, warning) in running_.
    void track_running(const storage::StoredSession& s);
    void run_after_reply_actions();
    // 0 when the connection (and its account) may make a request now; else ms to wait.
    std::int64_t request_rate_wait(Connection& conn);
    // Tells the removed author (kick or ban) and stops their connections' subscription.
    void remove_from_room(std::int64_t room, std::int64_t account, protocol::RemovedFromRoom event);
    protocol::Report report_view(const storage::StoredReport& report, std::int64_t viewer);
    // Whether the account may see (list, join) the room at all.
    bool may_see_room(const storage::Account& account, const storage::Room& room);

    void finish_login(ConnectionId id, const std::string& request_id, const std::string& handle,
                      bool verified, std::optional<std::int64_t> account_id);
    // Logs the connection in: a session token (new unless `token` is given), subscriptions to
    // the account's rooms, and the notices waiting for it.
    protocol::AccountSession start_session(ConnectionId id, Connection& conn,
                                           const storage::Account& account, std::string token,
                                           std::int64_t expires_ms);
    // Sends the messages and room events after each cursor, in seq order (or a catch_up_gap),
    // to one connection.
    void replay_missed(ConnectionId id, const std::vector<protocol::RoomCursor>& cursors);
    // A catch-up read and encoded once for everyone who resumes a room from the same cursor (a
    // reconnect storm): the frames after `after` up to `last`, in seq order. Only a viewer's own
    // messages and viewer-specific events are encoded per viewer.
    struct CatchUp {
        std::int64_t room = 0, after = 0, last = 0;
        struct Item {
            Frame others;                          // a message as everyone but its author sees it
            std::shared_ptr<const storage::Message> message;  // ... kept to encode it for its author
            std::optional<RoomEventFrames> event;
        };
        std::vector<Item> items;
    };
    const CatchUp& catch_up(std::int64_t room, std::int64_t after, std::int64_t last);
    RecentReads<CatchUp> catch_ups_;
    // The same for history: a page asked for by many (everyone who opens a busy room wants its
    // newest messages) is read and encoded once. Kept for viewers who wrote none of it; the
    // authors get their own encoding. A page of the newest messages takes later posts as they
    // come (read and encoded alone) instead of being read again after each: in a busy room
    // that was every twentieth history request, a millisecond of the core's time each.
    struct EncodedPage {
        protocol::HistoryRequest request;
        std::int64_t last_seq = 0;
        std::vector<std::int64_t> authors;  // sorted, no repeats; may name some no longer in it
        std::vector<std::string> messages;  // encoded one by one, ascending by seq
        bool has_more = false;
        std::int64_t read_ms = 0;  // when its oldest part was read: it expires from then
        std::string result_json;
    };
    // The page `r` asks for as the newest posts extend a kept one, or nullptr.
    const EncodedPage* extend_page(const protocol::HistoryRequest& r, std::int64_t last_seq, std::int64_t viewer,
                                   std::int64_t now);
    RecentReads<EncodedPage> pages_;
    // Set by a handler whose result is already encoded; send_outcome() uses it instead of the body.
    std::optional<std::string> encoded_result_;
    // The account as stored now: roles may have changed since login.
    std::optional<storage::Account> current_account(const Connection& conn);
    std::optional<protocol::Error> rate_limit(const std::string& key, LoginLimiter& limiter);
    // Runs `fn`, turning storage and other failures into error outcomes.
    std::optional<Outcome> guarded(const std::function<std::optional<Outcome>()>& fn);
    void send_outcome(Connection& conn, const std::string& request_id, std::string_view type,
                      const Outcome& outcome);
    // Checks that the connection's account is a member of `room`; the error tells a missing
    // room from a missing membership.
    std::optional<protocol::Error> require_member(ConnectionId id, std::int64_t room);

    void send(Connection& conn, Frame frame);
    void send_to_account(std::int64_t account, const Frame& frame);
    void broadcast(std::int64_t room, const Frame& frame);
    // A message event: the author's connections get the author's view, everyone else the
    // anonymised one. Two encodings, each shared by its recipients.
    void broadcast_message(const storage::Message& message);
    // Actions queued by a handler to run once its reply has been sent (events that must follow
    // the reply).
    void after_reply(std::function<void()> action) { after_reply_.push_back(std::move(action)); }
    std::vector<ConnectionId> connections_of(std::int64_t account) const;

    storage::Store& store_;
    Offloader& offloader_;
    HubConfig config_;
    Clock clock_;
    std::unordered_map<ConnectionId, Connection> connections_;
    Subscriptions subscriptions_;
    std::vector<std::function<void()>> after_reply_;
    // Posts of the open commit group: their outcome and after-reply actions wait for COMMIT.
    struct Grouped {
        ConnectionId id;
        std::string request_id;
        std::string type;
        Outcome outcome;
        std::vector<std::function<void()>> actions;
    };
    std::vector<Grouped> group_;
    bool group_open_ = false;
    std::uint64_t group_number_ = 0;  // counts groups, so a delayed close finds its own
    std::size_t last_group_size_ = 0;
    // Requests per account, over all its connections (the per-connection bucket is in Connection).
    std::unordered_map<std::int64_t, TokenBucket> account_requests_;
    std::int64_t next_expiry_check_ms_ = 0;
    LoginLimiter handle_limiter_;
    LoginLimiter address_limiter_;
    // Slow mode: when each (room, account) last posted. In memory: a restart forgets it, which
    // at worst allows one early post.
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> last_post_ms_;
    // The running session of each room (at most one), with its clock. Rebuilt from the store
    // at start-up, so a restart keeps the sessions and their deadlines.
    struct RunningSession {
        std::int64_t session_id = 0;
        std::int64_t step = 0;
        std::int64_t ends_ms = 0;
        std::int64_t warn_ms = 0;  // warn this long before ends_ms
        bool warned = false;
        bool auto_advance = false;
    };
    std::map<std::int64_t, RunningSession> running_;
    // One post a phase would refuse, allowed by the organiser: (session, account). In memory.
    std::map<std::pair<std::int64_t, std::int64_t>, int> post_allowances_;
};

}  // namespace vraagbaak::core
