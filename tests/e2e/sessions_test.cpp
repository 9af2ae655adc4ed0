// End-to-end: network meetings against the real server — a full consultation with an organiser,
// a case owner and three colleagues through every phase, phases enforced, a sealed advice phase,
// attendance and the summary; the server's own clock with a short method; and a methods file the
// server refuses to start with.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

using namespace vraagbaak::test;
using nlohmann::json;

namespace {

const std::string kPassword = "een-lang-wachtwoord";

long long now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class SessionsE2E : public ::testing::Test {
protected:
    void start(std::vector<std::string> args = {}) {
        admin(db, {"add-org", "--name", "Geheime Organisatie Vrager", "--code", "GOV"});
        admin(db, {"add-org", "--name", "Buurtteam Oost", "--code", "BTO"});
        for (auto [handle, name, org] :
             {std::tuple{"olga", "Olga Organisator", "BTO"}, std::tuple{"vrager", "Verborgen Vrager Naam", "GOV"},
              std::tuple{"bert", "Bert Collega", "BTO"}, std::tuple{"cora", "Cora Collega", "BTO"},
              std::tuple{"dirk", "Dirk Collega", "BTO"}, std::tuple{"laat", "Laat Komer", "BTO"}})
            admin(db, {"add-user", "--handle", handle, "--name", name, "--org", org, "--password-stdin"}, kPassword + "\n");
        server = std::make_unique<ServerProcess>(db, std::move(args));
        organiser = client("olga");
        auto created = organiser->call({{"type", "create_room"}, {"name", "netwerkoverleg"}, {"topic", "intervisie"}});
        ASSERT_EQ(reply_code(created), "ok") << created.dump();
        room = created["result"]["room"]["id"];
    }
    std::unique_ptr<TestClient> client(const std::string& handle) {
        auto c = std::make_unique<TestClient>(server->port());
        c->login(handle, kPassword);
        return c;
    }
    std::unique_ptr<TestClient> member(const std::string& handle) {
        auto c = client(handle);
        EXPECT_EQ(reply_code(c->call({{"type", "join"}, {"room_id", room}})), "ok");
        return c;
    }
    json post(TestClient& c, long long kase, const std::string& kind, const std::string& body,
              const std::string& level = "named") {
        return c.call({{"type", "post"}, {"room_id", room}, {"thread_id", kase}, {"kind", kind}, {"body", body},
                       {"level", level}});
    }
    json control(const std::string& action, long long session) {
        return organiser->call({{"type", "control_session"}, {"session_id", session}, {"action", action}});
    }
    // The session_updated event that puts `session` at `step` (or ends it when step < 0).
    static std::optional<json> moved_to(TestClient& c, long long step) {
        return c.next_event([step](const json& e) {
            if (e["event"] != "session_updated") return false;
            const auto& s = e["session"];
            return step < 0 ? s["status"] == "ended" : s.value("step", -1LL) == step;
        });
    }

    TempDir dir;
    std::string db = dir.file("sessions.db");
    std::unique_ptr<ServerProcess> server;
    std::unique_ptr<TestClient> organiser;
    long long room = 0;
};

TEST_F(SessionsE2E, AConsultationRunsThroughEveryPhaseWithItsRules) {
    start();
    auto owner = member("vrager");
    auto bert = member("bert");
    auto cora = member("cora");
    auto dirk = member("dirk");

    auto asked = owner->call({{"type", "ask"}, {"room_id", room}, {"title", "Schulden en een dreigende uithuiszetting"},
                              {"body", "Mijn cliënt kan de huur niet meer betalen; wat kan ik nog doen?"},
                              {"tags", {"wonen", "schulden"}}, {"level", "anonymous"}});
    ASSERT_EQ(reply_code(asked), "ok") << asked.dump();
    const long long kase = asked["result"]["case"]["id"];

    // Scheduling needs the organiser's rank; members list, see the agenda and sign up.
    json schedule = {{"type", "schedule_session"}, {"room_id", room}, {"title", "Netwerkoverleg november"},
                     {"starts_ms", now_ms() + 60'000}, {"planned_minutes", 90}, {"method", "consultation"},
                     {"case_ids", {kase}}};
    EXPECT_EQ(reply_code(bert->call(schedule)), "forbidden");
    json unknown = schedule;
    unknown["method"] = "brainstorm";
    EXPECT_EQ(reply_code(organiser->call(unknown)), "invalid_field");
    auto scheduled = organiser->call(schedule);
    ASSERT_EQ(reply_code(scheduled), "ok") << scheduled.dump();
    const long long session = scheduled["result"]["session"]["id"];
    EXPECT_EQ(scheduled["result"]["session"]["status"], "scheduled");
    EXPECT_EQ(scheduled["result"]["session"]["steps"].size(), 6u);
    auto listed = dirk->call({{"type", "list_sessions"}, {"room_id", room}});
    ASSERT_EQ(listed["result"]["sessions"].size(), 1u);
    EXPECT_EQ(listed["result"]["sessions"][0]["agenda"][0]["title"], "Schulden en een dreigende uithuiszetting");
    EXPECT_FALSE(listed["result"]["sessions"][0]["agenda"][0].contains("mine"));
    EXPECT_FALSE(listed["result"]["sessions"][0].dump().find("Verborgen") != std::string::npos)
        << "the anonymous case owner stays anonymous on the agenda";
    for (auto* c : {bert.get(), cora.get(), dirk.get()}) {
        auto signed_up = c->call({{"type", "sign_up"}, {"session_id", session}});
        ASSERT_EQ(reply_code(signed_up), "ok");
        EXPECT_TRUE(signed_up["result"]["session"]["me_signed_up"].get<bool>());
    }
    EXPECT_EQ(reply_code(bert->call({{"type", "control_session"}, {"session_id", session}, {"action", "start"}})),
              "forbidden");

    // 0: case presentation — only the case owner speaks.
    ASSERT_EQ(reply_code(control("start", session)), "ok");
    auto started = moved_to(*dirk, 0);
    ASSERT_TRUE(started);
    EXPECT_EQ((*started)["session"]["steps"][0]["phase"], "presentation");
    EXPECT_GT((*started)["session"]["time_left_ms"].get<long long>(), 500'000);
    auto early = post(*bert, kase, "comment", "Mag ik al iets zeggen?");
    EXPECT_EQ(reply_code(early), "phase_rule");
    EXPECT_NE(early["error"]["message"].get<std::string>().find("Case presentation"), std::string::npos) << early.dump();
    ASSERT_EQ(reply_code(post(*owner, kase, "comment", "De cliënt is alleenstaand en werkt parttime.", "anonymous")), "ok");
    auto presented = dirk->next_event([](const json& e) { return e["event"] == "message"; });
    ASSERT_TRUE(presented) << "allowed posts are delivered";
    EXPECT_EQ((*presented)["message"]["body"], "De cliënt is alleenstaand en werkt parttime.");

    // 1: clarifying questions — questions only, no advice yet; the owner answers.
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    ASSERT_TRUE(moved_to(*bert, 1));
    auto advice_too_soon = post(*bert, kase, "advice", "Schakel meteen schuldhulp in.");
    EXPECT_EQ(reply_code(advice_too_soon), "phase_rule");
    const std::string refusal = advice_too_soon["error"]["message"];
    EXPECT_NE(refusal.find("Clarifying questions"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("question (the others)"), std::string::npos) << refusal;
    EXPECT_EQ(advice_too_soon["error"]["field"], "kind");
    ASSERT_EQ(reply_code(post(*bert, kase, "question", "Is er al contact met de verhuurder?")), "ok");
    ASSERT_EQ(reply_code(post(*owner, kase, "comment", "Ja, er ligt een betalingsregeling klaar.", "anonymous")), "ok");
    EXPECT_EQ(reply_code(post(*owner, kase, "question", "Wie weet meer?", "anonymous")), "phase_rule")
        << "the owner answers here, does not ask";
    // The organiser lets one idea through: once.
    ASSERT_EQ(reply_code(organiser->call({{"type", "allow_post"}, {"session_id", session}, {"handle", "cora"}})), "ok");
    EXPECT_EQ(reply_code(post(*cora, kase, "idea", "Misschien helpt de voedselbank tijdelijk.")), "ok");
    EXPECT_EQ(reply_code(post(*cora, kase, "idea", "En nog een idee.")), "phase_rule");

    // Back one phase and forward again; more time for the analysis.
    ASSERT_EQ(reply_code(control("previous", session)), "ok");
    ASSERT_TRUE(moved_to(*cora, 0));
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    ASSERT_TRUE(moved_to(*cora, 1));
    EXPECT_EQ(reply_code(bert->call({{"type", "control_session"}, {"session_id", session}, {"action", "previous"}})),
              "forbidden");

    // 2: analysis — everyone.
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    ASSERT_TRUE(moved_to(*cora, 2));
    auto extended = organiser->call({{"type", "control_session"}, {"session_id", session}, {"action", "extend"},
                                     {"extend_s", 600}});
    ASSERT_EQ(reply_code(extended), "ok");
    EXPECT_GT(extended["result"]["session"]["time_left_ms"].get<long long>(), (900 + 600 - 5) * 1000LL)
        << "the phase's 15 minutes and 10 more";
    auto told = moved_to(*cora, 2);
    ASSERT_TRUE(told) << "the room hears of the extension";
    EXPECT_GT((*told)["session"]["time_left_ms"].get<long long>(), 1400 * 1000LL);
    EXPECT_EQ(reply_code(post(*cora, kase, "idea", "Kijk naar bijzondere bijstand.")), "ok");
    EXPECT_EQ(reply_code(post(*owner, kase, "experience", "Dat hebben we eerder geprobeerd.", "anonymous")), "ok");

    // 3: advice — sealed; the case owner listens.
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    auto advice_phase = moved_to(*dirk, 3);
    ASSERT_TRUE(advice_phase);
    EXPECT_TRUE((*advice_phase)["session"]["steps"][3]["sealed"].get<bool>());
    EXPECT_EQ(reply_code(post(*owner, kase, "advice", "Ik adviseer mezelf.", "anonymous")), "phase_rule");
    auto sealed1 = post(*bert, kase, "advice", "Vraag een moratorium aan bij de gemeente.");
    ASSERT_EQ(reply_code(sealed1), "ok") << sealed1.dump();
    EXPECT_TRUE(sealed1["result"]["sealed"].get<bool>());
    EXPECT_EQ(sealed1["result"]["seq"], 0);
    ASSERT_EQ(reply_code(post(*cora, kase, "advice", "Maak een afspraak met de woningcorporatie.")), "ok");
    EXPECT_FALSE(dirk->next_event([](const json& e) { return e["event"] == "message"; }, 300ms))
        << "sealed advice reaches nobody while the phase lasts";
    auto during = dirk->call({{"type", "get_session"}, {"session_id", session}});
    EXPECT_EQ(during["result"].dump().find("moratorium"), std::string::npos);

    // 4: reflection — the sealed advice is revealed all at once, before the phase change.
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    std::vector<long long> revealed_seqs;
    std::vector<long long> advice_ids;
    for (int i = 0; i < 2; ++i) {
        auto m = dirk->next_event([](const json& e) { return e["event"] == "message"; });
        ASSERT_TRUE(m) << "revealed advice " << i;
        EXPECT_EQ((*m)["message"]["kind"], "advice");
        revealed_seqs.push_back((*m)["message"]["seq"]);
        advice_ids.push_back((*m)["message"]["id"]);
    }
    EXPECT_EQ(revealed_seqs[1], revealed_seqs[0] + 1) << "revealed together";
    auto reflection_phase = moved_to(*dirk, 4);
    ASSERT_TRUE(reflection_phase);
    EXPECT_GT((*reflection_phase)["seq"].get<long long>(), revealed_seqs[1]);
    // The case owner marks advice helpful and reflects; the others listen.
    EXPECT_EQ(reply_code(owner->call({{"type", "mark_helpful"}, {"message_id", advice_ids[0]}})), "ok");
    EXPECT_EQ(reply_code(post(*bert, kase, "comment", "Succes!")), "phase_rule");
    ASSERT_EQ(reply_code(post(*owner, kase, "comment", "Ik neem het moratorium mee naar mijn team.", "anonymous")), "ok");

    // 5: closing; there is no phase after it.
    ASSERT_EQ(reply_code(control("next", session)), "ok");
    EXPECT_EQ(reply_code(control("next", session)), "session_state");
    EXPECT_EQ(reply_code(post(*dirk, kase, "comment", "Dank voor het delen.")), "ok");
    auto ended = control("end", session);
    ASSERT_EQ(reply_code(ended), "ok");
    EXPECT_EQ(ended["result"]["session"]["status"], "ended");
    EXPECT_EQ(ended["result"]["session"]["summaries"], json::array({kase}));
    ASSERT_TRUE(moved_to(*bert, -1));

    // Attendance: the three who signed up by name; the anonymous owner counted, not named.
    EXPECT_EQ(reply_code(bert->call({{"type", "session_attendance"}, {"session_id", session}})), "forbidden");
    auto attendance = organiser->call({{"type", "session_attendance"}, {"session_id", session}});
    ASSERT_EQ(reply_code(attendance), "ok");
    std::set<std::string> named;
    for (const auto& a : attendance["result"]["attendees"]) named.insert(a["member"]["handle"]);
    EXPECT_EQ(named, (std::set<std::string>{"bert", "cora", "dirk"}));
    EXPECT_EQ(attendance["result"]["anonymous"], 1);
    EXPECT_EQ(attendance.dump().find("Verborgen"), std::string::npos);

    // The summary: for the owner and the organiser, with every phase and the anonymity kept.
    EXPECT_EQ(reply_code(cora->call({{"type", "get_summary"}, {"session_id", session}, {"case_id", kase}})), "forbidden");
    auto summary = owner->call({{"type", "get_summary"}, {"session_id", session}, {"case_id", kase}});
    ASSERT_EQ(reply_code(summary), "ok") << summary.dump();
    const std::string md = summary["result"]["markdown"];
    for (const char* part : {"# Schulden en een dreigende uithuiszetting", "## Clarifying questions",
                             "Is er al contact met de verhuurder?", "**question** — Bert Collega (Buurtteam Oost)",
                             "## Advice", "Vraag een moratorium aan bij de gemeente.", "✓ _helpful_",
                             "## Reflection", "Ik neem het moratorium mee naar mijn team.", "Case owner: anonymous\n",
                             "- **comment** — case owner: De cliënt is alleenstaand"})
        EXPECT_NE(md.find(part), std::string::npos) << "missing '" << part << "' in\n" << md;
    EXPECT_EQ(md.find("Verborgen"), std::string::npos) << md;
    if (std::getenv("VB_SHOW_SUMMARY")) std::cout << md;
    EXPECT_EQ(md.find("Mag ik al iets zeggen"), std::string::npos) << "refused posts are nowhere";
    EXPECT_EQ(reply_code(organiser->call({{"type", "get_summary"}, {"session_id", session}, {"case_id", kase}})), "ok");
}

TEST_F(SessionsE2E, TheServerKeepsTheClockAndALateComerCatchesUp) {
    const std::string methods = dir.file("methods.json");
    std::ofstream(methods) << R"({"methods": [{"name": "flash", "title": "Flash consult", "warn_before_s": 1,
        "phases": [
          {"name": "ask", "title": "Ask", "duration_s": 3, "allow": [{"who": "everyone", "kinds": ["comment", "question"]}]},
          {"name": "advise", "title": "Advise", "duration_s": 2, "sealed": true, "allow": [{"who": "others", "kinds": ["advice"]}]}
        ]}]})";
    start({"--methods", methods});
    auto owner = member("vrager");
    auto bert = member("bert");
    auto asked = owner->call({{"type", "ask"}, {"room_id", room}, {"title", "Werk naast een uitkering"},
                              {"body", "Hoeveel mag mijn cliënt bijverdienen?"}, {"tags", {"werk en inkomen"}}});
    const long long kase = asked["result"]["case"]["id"];
    auto scheduled = organiser->call({{"type", "schedule_session"}, {"room_id", room}, {"title", "Flits"},
                                      {"starts_ms", now_ms()}, {"method", "flash"}, {"case_ids", {kase}},
                                      {"auto_advance", true}});
    ASSERT_EQ(reply_code(scheduled), "ok") << scheduled.dump();
    const long long session = scheduled["result"]["session"]["id"];
    auto started = control("start", session);
    ASSERT_EQ(reply_code(started), "ok");
    const long long first_deadline = started["result"]["session"]["phase_ends_ms"];
    ASSERT_EQ(reply_code(post(*bert, kase, "question", "Gaat het om loon of om een uitkering?")), "ok");

    // A late comer joins the room: where the session stands and what was said so far.
    auto late = client("laat");
    ASSERT_EQ(reply_code(late->call({{"type", "join"}, {"room_id", room}})), "ok");
    auto state = late->next_event([](const json& e) { return e["event"] == "session_state"; }, 2s);
    ASSERT_TRUE(state);
    EXPECT_EQ((*state)["session"]["step"], 0);
    EXPECT_GT((*state)["session"]["time_left_ms"].get<long long>(), 0);
    EXPECT_LE((*state)["session"]["time_left_ms"].get<long long>(), 3000);
    ASSERT_EQ((*state)["messages"].size(), 1u);
    EXPECT_EQ((*state)["messages"][0]["body"], "Gaat het om loon of om een uitkering?");

    // The warning before time is up, then the move the server makes by itself.
    auto warning = bert->next_event([](const json& e) { return e["event"] == "phase_ending"; }, 4s);
    ASSERT_TRUE(warning);
    EXPECT_EQ((*warning)["phase"], "ask");
    EXPECT_LE((*warning)["time_left_ms"].get<long long>(), 1000);
    auto advanced = moved_to(*bert, 1);
    ASSERT_TRUE(advanced) << "advanced without the organiser";
    // The move happened when the next phase's clock started: its deadline less its 2 s.
    const long long late_ms = (*advanced)["session"]["phase_ends_ms"].get<long long>() - 2000 - first_deadline;
    std::cout << "auto-advance: moved " << late_ms << " ms after the phase's deadline\n";
    EXPECT_GE(late_ms, 0);
    EXPECT_LT(late_ms, 1000);
    ASSERT_EQ(reply_code(post(*bert, kase, "advice", "Meld het inkomen vooraf.")), "ok");
    auto ended = late->next_event([](const json& e) { return e["event"] == "session_updated" && e["session"]["status"] == "ended"; }, 5s);
    ASSERT_TRUE(ended) << "the last phase's end ends the session";
    auto summary = owner->call({{"type", "get_summary"}, {"session_id", session}, {"case_id", kase}});
    ASSERT_EQ(reply_code(summary), "ok") << summary.dump();
    const std::string md = summary["result"]["markdown"];
    for (const char* part : {"# Werk naast een uitkering", "Flash consult", "## Ask", "Gaat het om loon of om een uitkering?",
                             "## Advise", "**advice** — Bert Collega (Buurtteam Oost): Meld het inkomen vooraf."})
        EXPECT_NE(md.find(part), std::string::npos) << "missing '" << part << "' in\n" << md;
}

TEST_F(SessionsE2E, AFollowUpOpensTheNextSessionAndARestartKeepsItRunning) {
    start();
    auto owner = member("vrager");
    auto bert = member("bert");
    auto ask = [&](TestClient& c, const std::string& title) {
        auto r = c.call({{"type", "ask"}, {"room_id", room}, {"title", title}, {"body", "Wat zouden jullie doen?"},
                         {"tags", {"schulden"}}, {"level", "anonymous"}});
        EXPECT_EQ(reply_code(r), "ok") << r.dump();
        return r["result"]["case"]["id"].get<long long>();
    };
    const long long earlier = ask(*owner, "Beslag op toeslagen");
    auto first = organiser->call({{"type", "schedule_session"}, {"room_id", room}, {"title", "Oktober"},
                                  {"starts_ms", now_ms()}, {"method", "quick_consult"}, {"case_ids", {earlier}}});
    const long long first_id = first["result"]["session"]["id"];
    ASSERT_EQ(reply_code(control("start", first_id)), "ok");
    ASSERT_EQ(reply_code(control("end", first_id)), "ok");

    const long long next_case = ask(*bert, "Schuldhulp wil niet");
    json schedule = {{"type", "schedule_session"}, {"room_id", room}, {"title", "November"}, {"starts_ms", now_ms()},
                     {"method", "quick_consult"}, {"case_ids", {next_case}}, {"follow_up", true}};
    auto second = organiser->call(schedule);
    ASSERT_EQ(reply_code(second), "ok") << second.dump();
    const long long session = second["result"]["session"]["id"];
    ASSERT_EQ(second["result"]["session"]["follow_ups"].size(), 1u);
    EXPECT_EQ(second["result"]["session"]["follow_ups"][0]["id"], earlier);
    EXPECT_TRUE(second["result"]["session"]["steps"][0]["follow_up"].get<bool>());
    EXPECT_EQ(second["result"]["session"]["steps"].size(), 1u + 3u);

    // The earlier case's owner is asked what they did with the advice, and answers first.
    ASSERT_EQ(reply_code(control("start", session)), "ok");
    auto asked_back = owner->next_event([](const json& e) { return e["event"] == "notification"; });
    ASSERT_TRUE(asked_back);
    EXPECT_EQ((*asked_back)["kind"], "follow_up");
    EXPECT_EQ((*asked_back)["case_id"], earlier);
    EXPECT_EQ(reply_code(post(*bert, next_case, "comment", "Mijn casus?")), "phase_rule") << "not its turn yet";
    EXPECT_EQ(reply_code(post(*bert, earlier, "advice", "Nog een advies")), "phase_rule");
    EXPECT_EQ(reply_code(post(*bert, earlier, "question", "Is het gelukt?")), "ok");
    EXPECT_EQ(reply_code(post(*owner, earlier, "experience", "De regeling loopt nu.", "anonymous")), "ok");

    // A restart: the session goes on where it was, on its own clock.
    owner.reset();
    bert.reset();
    organiser.reset();
    ASSERT_EQ(server->stop(), 0);
    server = std::make_unique<ServerProcess>(db);
    organiser = client("olga");
    auto state = organiser->call({{"type", "get_session"}, {"session_id", session}});
    ASSERT_EQ(reply_code(state), "ok");
    EXPECT_EQ(state["result"]["session"]["status"], "running");
    EXPECT_EQ(state["result"]["session"]["step"], 0);
    EXPECT_GT(state["result"]["session"]["time_left_ms"].get<long long>(), 0);
    EXPECT_EQ(state["result"]["messages"].size(), 2u) << "what was said before the restart";
    auto moved = control("next", session);
    ASSERT_EQ(reply_code(moved), "ok") << moved.dump();
    EXPECT_EQ(moved["result"]["session"]["steps"][1]["case_id"], next_case);
    bert = client("bert");
    EXPECT_EQ(reply_code(post(*bert, next_case, "comment", "Het gaat om een lopende regeling.")), "ok")
        << "the case owner presents their question";
}

// Everything the scripted client printed until it exited.
std::string output_of(ChildProcess& c) {
    std::string out;
    while (auto line = c.read_line(2s)) out += *line + "\n";
    return out;
}

TEST_F(SessionsE2E, TheTerminalClientSchedulesRunsAndSummarisesASession) {
    start();
    auto owner = member("vrager");
    auto asked = owner->call({{"type", "ask"}, {"room_id", room}, {"title", "Inkomen en toeslagen"},
                              {"body", "Moet de toeslag terug?"}, {"tags", {"werk en inkomen"}}, {"level", "anonymous"}});
    const std::string kase = std::to_string(asked["result"]["case"]["id"].get<long long>());
    auto run = [&](const std::string& user, const std::string& lang, const std::string& script) {
        ChildProcess c({VRAAGBAAK_CLIENT_BIN, "--url", server->url(), "--user", user, "--lang", lang},
                       {"VRAAGBAAK_PASSWORD=" + kPassword});
        c.write(script);
        c.close_stdin();
        EXPECT_EQ(c.wait(20s), 0) << c.drain_stderr();
        return output_of(c);
    };
    const std::string summary_file = dir.file("samenvatting.md");
    std::string organised = run("olga", "en",
                                "/join netwerkoverleg\n"
                                "/schedule quick_consult +1h 45 " + kase + " Kort overleg --auto\n"
                                "/sessions\n/start 1\n/next\n/attendance\n/end\n"
                                "/summary 1 " + kase + " " + summary_file + "\n/summary 1 " + kase + "\n");
    for (const std::string& part : std::vector<std::string>{"session 1 scheduled in netwerkoverleg", "session 1 \"Kort overleg\" — quick_consult", "45 min, scheduled",
          "case " + kase + ": Inkomen en toeslagen",
          "session 1: phase 1/3 \"The question\" on case " + kase + ", 3:00 left — allowed: comment (case owner), "
          "question (case owner), question (the others)",
          "session 1: phase 2/3 \"Ideas\"", "session 1: 0 took part by name, 0 without their name",
          "session 1 has ended; summaries: " + kase, "summary saved to " + summary_file, "# Inkomen en toeslagen",
          "Case owner: anonymous"})
        EXPECT_NE(organised.find(part), std::string::npos) << "missing '" << part << "' in\n" << organised;
    std::ifstream saved(summary_file);
    std::string markdown((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
    EXPECT_NE(markdown.find("## Ideas"), std::string::npos) << markdown;

    // A colleague in Dutch: a phase refusal names the phase.
    auto second = organiser->call({{"type", "schedule_session"}, {"room_id", room}, {"title", "Tweede"},
                                   {"starts_ms", now_ms()}, {"method", "quick_consult"},
                                   {"case_ids", {std::stoll(kase)}}});
    ASSERT_EQ(reply_code(second), "ok");
    ASSERT_EQ(reply_code(control("start", second["result"]["session"]["id"])), "ok");
    std::string colleague = run("bert", "nl", "/join netwerkoverleg\n/sessions\n/idea " + kase + " Een idee te vroeg\n"
                                              "/question " + kase + " Sinds wanneer?\n");
    for (const std::string& part : std::vector<std::string>{"overleg 2 \"Tweede\"", "bezig",
                                   "the phase 'The question' allows comment (the case owner), question (the case owner), "
                                   "question (the others); you posted idea",
                                   "geplaatst in netwerkoverleg"})
        EXPECT_NE(colleague.find(part), std::string::npos) << "missing '" << part << "' in\n" << colleague;
}

TEST(SessionsMethodsE2E, AMalformedMethodsFileStopsTheServerNamingTheProblem) {
    TempDir dir;
    auto refused = [&](const std::string& text) {
        const std::string path = dir.file("methods.json");
        std::ofstream(path) << text;
        ChildProcess p({VRAAGBAAK_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", dir.file("m.db"), "--methods", path});
        auto status = p.wait();
        std::string err = p.drain_stderr();
        EXPECT_TRUE(status && *status != 0) << "the server must not start";
        EXPECT_TRUE(p.lines().empty() || p.lines()[0].find("listening") == std::string::npos);
        return err;
    };
    EXPECT_NE(refused(R"({"methods": [)").find("not valid JSON"), std::string::npos);
    EXPECT_NE(refused(R"({"methods": []})").find("methods: must be a non-empty list of methods"), std::string::npos);
    std::string phase = refused(R"({"methods": [{"name": "m", "title": "M", "phases": [
        {"name": "a", "title": "A", "duration_s": 60, "allow": []},
        {"name": "b", "title": "B", "duration_s": 0, "allow": []}]}]})");
    EXPECT_NE(phase.find("methods[0].phases[1].duration_s: must be a whole number of seconds"), std::string::npos) << phase;
    std::string kind = refused(R"({"methods": [{"name": "m", "title": "M", "phases": [
        {"name": "a", "title": "A", "duration_s": 60, "allow": [{"who": "owner", "kinds": ["rant"]}]}]}]})");
    EXPECT_NE(kind.find("methods[0].phases[0].allow[0].kinds[0]: must be question, idea, advice, experience or comment"),
              std::string::npos) << kind;
    std::string who = refused(R"({"methods": [{"name": "m", "title": "M", "phases": [
        {"name": "a", "title": "A", "duration_s": 60, "allow": [{"who": "boss", "kinds": ["idea"]}]}]}]})");
    EXPECT_NE(who.find("must be owner, others or everyone ('boss')"), std::string::npos) << who;
    std::string typo = refused(R"({"methods": [{"name": "m", "title": "M", "phasse": []}]})");
    EXPECT_NE(typo.find("methods[0]: unknown key 'phasse'"), std::string::npos) << typo;
    std::string twice = refused(R"({"methods": [
        {"name": "m", "title": "M", "phases": [{"name": "a", "title": "A", "duration_s": 60, "allow": []}]},
        {"name": "m", "title": "M2", "phases": [{"name": "a", "title": "A", "duration_s": 60, "allow": []}]}]})");
    EXPECT_NE(twice.find("methods[1].name: a method named 'm' exists already"), std::string::npos) << twice;
    // And the shipped file is what the server uses without --methods.
    ChildProcess ok({VRAAGBAAK_SERVER_BIN, "--methods", VRAAGBAAK_DEPLOY_DIR "/methods.json", "--check-config"});
    EXPECT_EQ(ok.wait(), 0) << ok.drain_stderr();
}

}  // namespace
