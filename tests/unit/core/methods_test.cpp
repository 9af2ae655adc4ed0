// Intervision methods as data: the shipped file, the plan a session follows, and what a phase
// allows.

#include <gtest/gtest.h>

#include "core/methods.hpp"

namespace c = vraagbaak::core;

namespace {

std::vector<c::Method> shipped() {
    auto methods = c::parse_methods(c::shipped_methods_json());
    EXPECT_TRUE(methods.ok()) << (methods.ok() ? "" : methods.error());
    return methods.ok() ? *methods : std::vector<c::Method>{};
}

TEST(Methods, TheShippedMethodsAreTheConsultationAndTheQuickConsult) {
    auto methods = shipped();
    const c::Method* consultation = c::find_method(methods, "consultation");
    ASSERT_NE(consultation, nullptr);
    std::vector<std::string> phases;
    for (const auto& phase : consultation->phases) phases.push_back(phase.name);
    EXPECT_EQ(phases, (std::vector<std::string>{"presentation", "clarifying_questions", "analysis", "advice",
                                                "reflection", "closing"}));
    EXPECT_TRUE(consultation->phases[3].sealed) << "advice is sealed by default";
    EXPECT_TRUE(consultation->follow_up.has_value());
    const c::Method* quick = c::find_method(methods, "quick_consult");
    ASSERT_NE(quick, nullptr);
    EXPECT_EQ(quick->phases.size(), 3u);
    EXPECT_EQ(c::find_method(methods, "brainstorm"), nullptr);
}

TEST(Methods, AMethodSurvivesItsOwnJson) {
    for (const auto& method : shipped()) {
        auto back = c::method_from_json(c::method_to_json(method));
        ASSERT_TRUE(back.ok()) << back.error();
        EXPECT_EQ(c::method_to_json(*back), c::method_to_json(method));
    }
}

TEST(Methods, APlanIsTheFollowUpsThenEveryPhaseForEachCase) {
    auto methods = shipped();
    const c::Method& quick = *c::find_method(methods, "quick_consult");
    auto steps = c::plan_steps(quick, {7}, {40, 41});
    ASSERT_EQ(steps.size(), 1u + 2 * 3);
    EXPECT_TRUE(steps[0].follow_up);
    EXPECT_EQ(steps[0].case_id, 7);
    EXPECT_EQ(steps[1].case_id, 40);
    EXPECT_EQ(steps[1].phase, "question");
    EXPECT_EQ(steps[3].phase, "reflection");
    EXPECT_EQ(steps[4].case_id, 41);
    EXPECT_FALSE(steps[4].follow_up);
}

TEST(Methods, APhaseAllowsByKindAndByPersonAndSaysWhatItAllows) {
    auto methods = shipped();
    auto steps = c::plan_steps(*c::find_method(methods, "consultation"), {}, {40});
    const auto& clarifying = steps[1];
    EXPECT_FALSE(c::phase_refusal(clarifying, false, "question"));
    EXPECT_FALSE(c::phase_refusal(clarifying, true, "comment"));
    auto advice = c::phase_refusal(clarifying, false, "advice");
    ASSERT_TRUE(advice);
    EXPECT_NE(advice->find("Clarifying questions"), std::string::npos) << *advice;
    EXPECT_NE(advice->find("question (the others), comment (the case owner)"), std::string::npos) << *advice;
    EXPECT_TRUE(c::phase_refusal(clarifying, true, "question")) << "the owner answers, does not ask";
    EXPECT_TRUE(c::phase_refusal(steps[3], true, "advice")) << "the owner listens to advice";
    EXPECT_FALSE(c::phase_refusal(steps[2], true, "idea")) << "analysis is for everyone";
    EXPECT_FALSE(c::phase_refusal(steps[2], false, "idea"));
}

TEST(Methods, AnEmptyRuleListAllowsNothingAndSaysSo) {
    auto methods = c::parse_methods(R"({"methods": [{"name": "m", "title": "M", "phases": [
        {"name": "pause", "title": "Pause", "duration_s": 60, "allow": []}]}]})");
    ASSERT_TRUE(methods.ok()) << methods.error();
    auto steps = c::plan_steps(methods->at(0), {}, {1});
    auto refusal = c::phase_refusal(steps[0], false, "comment");
    ASSERT_TRUE(refusal);
    EXPECT_NE(refusal->find("allows no posts"), std::string::npos) << *refusal;
}

TEST(Methods, CommentsAreAllowedAndTyposAreNot) {
    EXPECT_TRUE(c::parse_methods(R"({"//": "a note", "methods": [{"name": "m", "title": "M", "//x": 1, "phases": [
        {"name": "a", "title": "A", "duration_s": 60, "allow": []}]}]})").ok());
    auto typo = c::parse_methods(R"({"methods": [{"name": "m", "title": "M", "phases": [
        {"name": "a", "title": "A", "duraton_s": 60, "allow": []}]}]})");
    ASSERT_FALSE(typo.ok());
    EXPECT_EQ(typo.error(), "methods[0].phases[0]: unknown key 'duraton_s'");
    auto name = c::parse_methods(R"({"methods": [{"name": "Mijn methode", "title": "M", "phases": []}]})");
    ASSERT_FALSE(name.ok());
    EXPECT_NE(name.error().find("methods[0].name: must use only a-z, 0-9 and _"), std::string::npos) << name.error();
}

}  // namespace
