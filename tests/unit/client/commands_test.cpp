#include "commands.hpp"

#include <gtest/gtest.h>

namespace cl = vraagbaak::client;

namespace {

template <typename T>
T parsed(const std::string& line) {
    auto result = cl::parse_command(line);
    EXPECT_TRUE(result.has_value()) << line;
    auto* command = std::get_if<cl::Command>(&*result);
    EXPECT_NE(command, nullptr) << line;
    auto* typed = std::get_if<T>(command);
    EXPECT_NE(typed, nullptr) << line;
    return typed ? *typed : T{};
}

std::string error_key(const std::string& line) {
    auto result = cl::parse_command(line);
    auto* error = result ? std::get_if<cl::ParseError>(&*result) : nullptr;
    return error ? error->message_key : "";
}

}  // namespace

TEST(Commands, PlainLinesPostToTheCurrentRoom) {
    auto say = parsed<cl::CmdSay>("  Hallo allemaal  ");
    EXPECT_EQ(say.text, "Hallo allemaal");
    EXPECT_TRUE(say.room.empty());
    EXPECT_EQ(parsed<cl::CmdSay>("//etc is een map").text, "/etc is een map");
    EXPECT_FALSE(cl::parse_command("   ").has_value());
}

TEST(Commands, RoomCommands) {
    EXPECT_EQ(parsed<cl::CmdJoin>("/join schulden").room, "schulden");
    auto create = parsed<cl::CmdCreate>("/create wonen Huisvesting en huur");
    EXPECT_EQ(create.name, "wonen");
    EXPECT_EQ(create.topic, "Huisvesting en huur");
    EXPECT_TRUE(parsed<cl::CmdLeave>("/leave").room.empty());
    auto post = parsed<cl::CmdSay>("/post wonen een  bericht");
    EXPECT_EQ(post.room, "wonen");
    EXPECT_EQ(post.text, "een  bericht");
    parsed<cl::CmdRooms>("/rooms");
    parsed<cl::CmdQuit>("/quit");
}

TEST(Commands, History) {
    auto h = parsed<cl::CmdHistory>("/history schulden 5 before=40");
    EXPECT_EQ(h.room, "schulden");
    EXPECT_EQ(h.limit, 5);
    EXPECT_EQ(h.before, 40);
    EXPECT_EQ(parsed<cl::CmdHistory>("/history").limit, 20);
    EXPECT_EQ(error_key("/history 0"), "usage.history");
    EXPECT_EQ(error_key("/history a b"), "usage.history");
}

TEST(Commands, MistakesAreNamed) {
    EXPECT_EQ(error_key("/join"), "usage.join");
    EXPECT_EQ(error_key("/post wonen"), "usage.post");
    EXPECT_EQ(error_key("/frobnicate"), "unknown_command");
}

TEST(Commands, AccountabilityCommands) {
    EXPECT_EQ(parsed<cl::CmdLevel>("/level anonymous").level, "anonymous");
    EXPECT_EQ(error_key("/level secret"), "usage.level");
    auto reply = parsed<cl::CmdReply>("/reply 12 Goed idee");
    EXPECT_EQ(reply.message_id, 12);
    EXPECT_EQ(reply.text, "Goed idee");
    auto mute = parsed<cl::CmdMute>("/mute 12 2h deelde een BSN");
    EXPECT_EQ(mute.duration_s, 7200);
    EXPECT_EQ(mute.reason, "deelde een BSN");
    EXPECT_EQ(error_key("/mute 12 soon reden"), "usage.mute");
    EXPECT_EQ(parsed<cl::CmdReveal>("/reveal 12 dreiging").reason, "dreiging");
    EXPECT_EQ(parsed<cl::CmdHide>("/hide 12 bevat een adres").reason, "bevat een adres");
    auto timed = parsed<cl::CmdBan>("/ban 12 7d herhaald gedrag");
    EXPECT_EQ(timed.duration_s, 7 * 86400);
    EXPECT_EQ(timed.reason, "herhaald gedrag");
    auto forever = parsed<cl::CmdBan>("/ban 12 forever bedreiging");
    EXPECT_FALSE(forever.duration_s);
    EXPECT_EQ(forever.reason, "bedreiging");
    EXPECT_EQ(error_key("/ban 12"), "usage.ban");
    EXPECT_EQ(parsed<cl::CmdApprove>("/approve 3").reveal_id, 3);
    auto invite = parsed<cl::CmdInvite>("/invite 5 48");
    EXPECT_EQ(invite.uses, 5);
    EXPECT_EQ(invite.hours, 48);
}

TEST(Commands, Durations) {
    EXPECT_EQ(cl::parse_duration("45s"), 45);
    EXPECT_EQ(cl::parse_duration("30m"), 1800);
    EXPECT_EQ(cl::parse_duration("30"), 1800);
    EXPECT_EQ(cl::parse_duration("7d"), 7 * 86400);
    EXPECT_FALSE(cl::parse_duration("0m"));
    EXPECT_FALSE(cl::parse_duration("x"));
    EXPECT_FALSE(cl::parse_duration("400d"));
}

TEST(Commands, ModeratorCommands) {
    auto hide = parsed<cl::CmdHide>("/hide 12 privacy naam en adres");
    EXPECT_EQ(hide.category, "privacy");
    EXPECT_EQ(hide.reason, "naam en adres");
    EXPECT_EQ(parsed<cl::CmdHide>("/hide 12 ongepast").category, "other") << "no category word: other";
    auto report = parsed<cl::CmdReport>("/report 7 spam reclame");
    EXPECT_EQ(report.message_id, 7);
    EXPECT_EQ(report.category, "spam");
    EXPECT_EQ(report.reason, "reclame");
    auto kick = parsed<cl::CmdModerate>("/kick 9 even afkoelen");
    EXPECT_EQ(kick.action, "kick");
    EXPECT_EQ(kick.reason, "even afkoelen");
    EXPECT_EQ(parsed<cl::CmdModerate>("/unban 9 herzien").action, "unban");
    EXPECT_EQ(parsed<cl::CmdQueue>("/queue claimed").status, "claimed");
    EXPECT_EQ(parsed<cl::CmdWorkReport>("/claim 3").action, "claim");
    auto resolve = parsed<cl::CmdWorkReport>("/resolve 3 verborgen en gesproken");
    EXPECT_EQ(resolve.report_id, 3);
    EXPECT_EQ(resolve.outcome, "verborgen en gesproken");
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/lock").locked, true);
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/unlock").locked, false);
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/slow 30s").slow_mode_s, 30);
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/slow 2m").slow_mode_s, 120);
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/slow off").slow_mode_s, 0);
    EXPECT_EQ(parsed<cl::CmdRoomSetting>("/archive").archived, true);
    EXPECT_FALSE(parsed<cl::CmdPin>("/unpin 4").pinned);
    auto audit = parsed<cl::CmdAudit>("/audit 50 all");
    EXPECT_EQ(audit.limit, 50);
    EXPECT_TRUE(audit.all);
    auto role = parsed<cl::CmdRole>("/role anna moderator");
    EXPECT_EQ(role.handle, "anna");
    EXPECT_EQ(role.role, "moderator");

    EXPECT_EQ(error_key("/report 7"), "usage.report");
    EXPECT_EQ(error_key("/resolve 3"), "usage.report_work") << "an outcome is needed";
    EXPECT_EQ(error_key("/slow 2h"), "usage.slow") << "at most an hour";
    EXPECT_EQ(error_key("/queue later"), "usage.queue");
    EXPECT_EQ(error_key("/role anna baas"), "usage.role");
    EXPECT_EQ(error_key("/delete x reden"), "usage.moderate");
}

TEST(Commands, SessionCommands) {
    auto s = parsed<cl::CmdSchedule>("/schedule consultation 14:30 90 41,42 Netwerkoverleg november --auto --follow-up");
    EXPECT_EQ(s.method, "consultation");
    EXPECT_EQ(s.when, "14:30");
    EXPECT_EQ(s.minutes, 90);
    EXPECT_EQ(s.case_ids, (std::vector<long long>{41, 42}));
    EXPECT_EQ(s.title, "Netwerkoverleg november");
    EXPECT_TRUE(s.auto_advance);
    EXPECT_TRUE(s.follow_up);
    EXPECT_EQ(error_key("/schedule consultation 25:00 90 41 Titel"), "usage.schedule");
    EXPECT_EQ(error_key("/schedule consultation now 90 41,x Titel"), "usage.schedule");
    EXPECT_EQ(error_key("/schedule consultation now 90 41"), "usage.schedule") << "a title is needed";
    EXPECT_EQ(error_key("/schedule consultation now 500 41 Te lang"), "usage.schedule");

    auto up = parsed<cl::CmdSignUp>("/signup 3");
    EXPECT_EQ(up.session_id, 3);
    EXPECT_FALSE(up.cancel);
    EXPECT_TRUE(parsed<cl::CmdSignUp>("/signup 3 off").cancel);
    EXPECT_EQ(parsed<cl::CmdControl>("/start 3").action, "start");
    EXPECT_EQ(error_key("/start"), "usage.control") << "start names the session";
    auto next = parsed<cl::CmdControl>("/next");
    EXPECT_EQ(next.action, "next");
    EXPECT_FALSE(next.session_id);
    EXPECT_EQ(parsed<cl::CmdControl>("/prev 3").action, "previous");
    auto extend = parsed<cl::CmdControl>("/extend 5m");
    EXPECT_EQ(extend.action, "extend");
    EXPECT_EQ(extend.extend_s, 300);
    EXPECT_EQ(error_key("/extend 2h"), "usage.extend") << "at most an hour";
    EXPECT_EQ(parsed<cl::CmdAllow>("/allow bert").handle, "bert");
    EXPECT_EQ(parsed<cl::CmdAllow>("/allow 40").message_id, 40);
    auto summary = parsed<cl::CmdSummary>("/summary 3 41 verslag.md");
    EXPECT_EQ(summary.session_id, 3);
    EXPECT_EQ(summary.case_id, 41);
    EXPECT_EQ(summary.file, "verslag.md");
    EXPECT_EQ(error_key("/summary 3"), "usage.summary");
    EXPECT_TRUE(parsed<cl::CmdSessions>("/sessions all").all);
    EXPECT_EQ(parsed<cl::CmdShowSession>("/session 3").session_id, 3);
    EXPECT_EQ(error_key("/attendance x"), "usage.attendance");
}

TEST(Commands, ASessionStartsNowLaterOrAtAClockTime) {
    const long long now = 1795346021990;
    EXPECT_EQ(cl::resolve_start("now", now), now);
    EXPECT_EQ(cl::resolve_start("+30m", now), now + 30 * 60 * 1000);
    auto at = cl::resolve_start("14:30", now);
    ASSERT_TRUE(at);
    EXPECT_GE(*at, now);
    EXPECT_LT(*at, now + 24LL * 3600 * 1000) << "today, or tomorrow when it has passed";
    EXPECT_EQ(*at % 60000, 0) << "on the minute";
    EXPECT_FALSE(cl::resolve_start("later", now));
    EXPECT_FALSE(cl::resolve_start("+soon", now));
}
