#pragma once
// A client session: connects, says hello, logs in, then runs commands from the user and shows
// what the server sends.
//
// Everything runs on one io_context thread. Scripted mode (stdin not a terminal) reads one line
// at a time and waits for the replies of a line before reading the next, so a script's effects
// happen in order; events are printed one line each, or as raw JSON frames with --json.
// Interactive mode edits lines with GNU readline and does not wait.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/system/error_code.hpp>

#include "commands.hpp"
#include "i18n.hpp"
#include "url.hpp"
#include "vraagbaak/protocol/codec.hpp"

namespace boost::asio {
class io_context;
}

namespace vraagbaak::client {

class WsClient;
class LineEditor;

struct SessionOptions {
    std::string url_text;
    Url url;
    std::string ca_file;  // trusted besides the system's authorities, for wss://
    std::string user;
    std::string password;
    bool json = false;
    bool interactive = false;
    // Register with an invite code instead of logging in.
    bool register_account = false;
    std::string invite;
    std::string display_name;
    Lang lang = Lang::en;
    std::chrono::seconds timeout{15};
};

// Exit codes of the client.
enum ExitCode { exit_ok = 0, exit_usage = 1, exit_connection = 2, exit_auth = 3 };

class Session {
public:
    Session(SessionOptions options, std::ostream& out, std::ostream& err);
    ~Session();
    // Runs until the user quits, input ends or the connection fails; returns an ExitCode.
    int run();

private:
    using ReplyHandler = std::function<void(const protocol::ReplyFrame&)>;
    struct LineReader;

    void connect_now();
    void on_connected(boost::system::error_code ec);
    void sign_in_first_time();
    void resume_session();
    void schedule_reconnect();
    void resend_posts();
    std::string next_client_msg_id();
    void on_frame(std::string frame);
    void on_closed(boost::system::error_code ec, const std::string& reason, int code);
    void on_event(const protocol::Event& event);
    void request(protocol::RequestBody body, ReplyHandler handler);
    // A handler that reports an error reply, and passes a success reply of type T to `fn`.
    template <typename T, typename Fn>
    ReplyHandler on_success(Fn fn);
    void after_login(const protocol::AccountSession& session, const char* greeting);
    void start_input();
    void next_line();
    void execute(const std::string& line);
    void maybe_continue();
    void quit();
    void emit(const std::string& line);
    void report_error(const protocol::Error& error);
    void arm_watchdog();
    std::optional<protocol::RoomId> resolve_room(const std::string& name) const;
    std::string room_name(protocol::RoomId id) const;
    std::string prompt() const;
    void watch_stdin();

    SessionOptions options_;
    std::ostream& out_;
    std::ostream& err_;
    std::shared_ptr<boost::asio::io_context> ioc_;
    std::shared_ptr<WsClient> ws_;
    std::unique_ptr<LineEditor> editor_;
    std::shared_ptr<LineReader> reader_;
    struct Timers;
    std::unique_ptr<Timers> timers_;
    std::map<std::string, ReplyHandler> pending_;
    std::map<protocol::RoomId, protocol::Room> rooms_;
    std::optional<protocol::RoomId> current_room_;
    protocol::Anonymity level_ = protocol::Anonymity::named;  // for the next posts
    std::string token_;  // of this login, for `resume`
    // Reconnecting: a lost connection after sign-in is re-opened with back-off and resumed.
    bool connected_ = false;
    bool connected_once_ = false;  // signed in at least once
    int reconnect_attempts_ = 0;
    // Posts not yet acknowledged, by request id; after a reconnect they are sent again with the
    // same client_msg_id, so none is lost and none is stored twice.
    struct UnackedPost {
        protocol::PostRequest request;
        ReplyHandler handler;
    };
    std::map<std::string, UnackedPost> posts_in_flight_;
    std::vector<UnackedPost> resend_;
    // A case being drafted with /ask: its lines arrive one by one (title, tags, body, confirm).
    struct Draft {
        enum class Stage { tags, body, confirm } stage = Stage::tags;
        std::string title;
        std::vector<std::string> tags;
        std::string body;
        protocol::RoomId room_id = 0;
    };
    std::optional<Draft> draft_;
    void continue_draft(const std::string& line);
    // After a catch_up_gap: pages history forward from `after` until nothing more is missing,
    // then moves the room's cursor to at least `up_to`.
    void page_missed(protocol::RoomId room, protocol::Seq after, protocol::Seq up_to);
    // Moderator commands: session_moderation.cpp.
    void moderate(const CmdHide& cmd);
    void moderate(const CmdModerate& cmd);
    void moderate(const CmdReport& cmd);
    void moderate(const CmdQueue& cmd);
    void moderate(const CmdWorkReport& cmd);
    void moderate(const CmdRoomSetting& cmd);
    void moderate(const CmdPin& cmd);
    void moderate(const CmdAudit& cmd);
    void moderate(const CmdRole& cmd);
    void moderate(const CmdExport& cmd);
    // Network meetings: session_meetings.cpp.
    void meet(const CmdSessions& cmd);
    void meet(const CmdSchedule& cmd);
    void meet(const CmdSignUp& cmd);
    void meet(const CmdControl& cmd);
    void meet(const CmdAllow& cmd);
    void meet(const CmdAttendance& cmd);
    void meet(const CmdSummary& cmd);
    void meet(const CmdShowSession& cmd);
    // Handles session_updated, session_state and phase_ending; false for other events.
    bool on_meeting_event(const protocol::Event& event);
    void remember(const protocol::Session& session);
    void show_session(const protocol::Session& session);
    void show_phase(const protocol::Session& session);
    // "[advice 4:05] " while the current room's session runs, for the prompt.
    std::string phase_status() const;
    // The given session, or the current room's; nullopt after telling the user there is none.
    std::optional<protocol::SessionId> session_or_complain(std::optional<long long> id);
    std::map<protocol::RoomId, protocol::Session> sessions_;  // the latest known per room
    std::map<protocol::SessionId, std::chrono::steady_clock::time_point> phase_deadline_;
    void tick_countdown();
    // A post's reply: on personal_data the text is shown with the findings marked (and put back
    // in the input line); on success, what was redacted or warned about.
    ReplyHandler post_reply_handler(std::string text);
    // The current room, or nullopt after telling the user there is none.
    std::optional<protocol::RoomId> current_or_complain();
    std::vector<std::string> known_tags_;  // from hello
    std::string client_id_prefix_;
    std::uint64_t next_client_msg_ = 0;
    std::uint64_t next_id_ = 0;
    bool input_started_ = false;
    bool input_waiting_ = false;  // scripted: a line is being processed
    bool eof_ = false;
    bool quitting_ = false;
    int exit_code_ = exit_ok;
};

// A handler for replies of type T that reports errors itself.
template <typename T, typename Fn>
Session::ReplyHandler Session::on_success(Fn fn) {
    return [this, fn = std::move(fn)](const protocol::ReplyFrame& reply) {
        if (const auto* error = std::get_if<protocol::Error>(&reply.outcome)) return report_error(*error);
        const auto* result = std::get_if<T>(&std::get<protocol::ReplyBody>(reply.outcome));
        if (!result) {  // a reply of another type than asked for: a broken server
            err_ << "unexpected reply type '" << reply.type << "' from the server\n";
            return;
        }
        fn(*result);
    };
}

}  // namespace vraagbaak::client
