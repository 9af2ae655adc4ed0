#include "core/methods.hpp"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace vraagbaak::core {

namespace p = vraagbaak::protocol;
using nlohmann::json;

namespace {

// A problem in the file, with where it is.
struct Invalid : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void invalid(const std::string& path, const std::string& problem) { throw Invalid(path + ": " + problem); }

constexpr std::int64_t kMaxPhaseSeconds = 24 * 3600;
constexpr std::size_t kMaxPhases = 20;

// Keys starting with "//" are comments; any other unknown key is most likely a typo.
void only_keys(const json& j, const std::string& path, std::initializer_list<std::string_view> keys) {
    for (const auto& [key, value] : j.items()) {
        if (key.rfind("//", 0) == 0) continue;
        bool known = false;
        for (auto k : keys) known = known || key == k;
        if (!known) invalid(path, "unknown key '" + key + "'");
    }
}

const json& member(const json& j, const std::string& path, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) invalid(path, "'" + std::string(key) + "' is missing");
    return *it;
}

std::string text(const json& j, const std::string& path, const char* key, bool identifier) {
    const json& v = member(j, path, key);
    const std::string where = path + "." + key;
    if (!v.is_string() || v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().size() > 200)
        invalid(where, "must be a text of 1 to 200 bytes");
    const auto& s = v.get_ref<const std::string&>();
    if (identifier)
        for (char c : s)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                invalid(where, "must use only a-z, 0-9 and _ ('" + s + "')");
    return s;
}

std::int64_t seconds(const json& j, const std::string& path, const char* key, std::int64_t min) {
    const json& v = member(j, path, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > kMaxPhaseSeconds)
        invalid(path + "." + key, "must be a whole number of seconds from " + std::to_string(min) + " to " +
                                      std::to_string(kMaxPhaseSeconds));
    return v.get<std::int64_t>();
}

p::PhaseRule read_rule(const json& j, const std::string& path) {
    if (!j.is_object()) invalid(path, "must be an object with 'who' and 'kinds'");
    only_keys(j, path, {"who", "kinds"});
    p::PhaseRule rule;
    rule.who = text(j, path, "who", true);
    if (rule.who != "owner" && rule.who != "others" && rule.who != "everyone")
        invalid(path + ".who", "must be owner, others or everyone ('" + rule.who + "')");
    const json& kinds = member(j, path, "kinds");
    if (!kinds.is_array() || kinds.empty()) invalid(path + ".kinds", "must be a non-empty list of reply kinds");
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const std::string where = path + ".kinds[" + std::to_string(i) + "]";
        if (!kinds[i].is_string() || !p::is_reply_kind(kinds[i].get_ref<const std::string&>()))
            invalid(where, "must be question, idea, advice, experience or comment");
        rule.kinds.push_back(kinds[i].get<std::string>());
    }
    return rule;
}

Phase read_phase(const json& j, const std::string& path) {
    if (!j.is_object()) invalid(path, "must be an object");
    only_keys(j, path, {"name", "title", "duration_s", "sealed", "allow"});
    Phase phase;
    phase.name = text(j, path, "name", true);
    phase.title = text(j, path, "title", false);
    phase.duration_s = seconds(j, path, "duration_s", 1);
    if (auto it = j.find("sealed"); it != j.end()) {
        if (!it->is_boolean()) invalid(path + ".sealed", "must be true or false");
        phase.sealed = it->get<bool>();
    }
    const json& allow = member(j, path, "allow");
    if (!allow.is_array()) invalid(path + ".allow", "must be a list of rules (it may be empty)");
    for (std::size_t i = 0; i < allow.size(); ++i)
        phase.allow.push_back(read_rule(allow[i], path + ".allow[" + std::to_string(i) + "]"));
    return phase;
}

Method read_method(const json& j, const std::string& path) {
    if (!j.is_object()) invalid(path, "must be an object");
    only_keys(j, path, {"name", "title", "warn_before_s", "phases", "follow_up"});
    Method method;
    method.name = text(j, path, "name", true);
    method.title = text(j, path, "title", false);
    if (j.contains("warn_before_s")) method.warn_before_s = seconds(j, path, "warn_before_s", 0);
    const json& phases = member(j, path, "phases");
    if (!phases.is_array() || phases.empty() || phases.size() > kMaxPhases)
        invalid(path + ".phases", "must be a list of 1 to " + std::to_string(kMaxPhases) + " phases");
    std::set<std::string> names;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        const std::string where = path + ".phases[" + std::to_string(i) + "]";
        method.phases.push_back(read_phase(phases[i], where));
        if (!names.insert(method.phases.back().name).second)
            invalid(where + ".name", "'" + method.phases.back().name + "' is used twice in this method");
    }
    if (auto it = j.find("follow_up"); it != j.end()) method.follow_up = read_phase(*it, path + ".follow_up");
    return method;
}

json phase_json(const Phase& phase) {
    json allow = json::array();
    for (const auto& rule : phase.allow) allow.push_back({{"who", rule.who}, {"kinds", rule.kinds}});
    return {{"name", phase.name},
            {"title", phase.title},
            {"duration_s", phase.duration_s},
            {"sealed", phase.sealed},
            {"allow", std::move(allow)}};
}

std::optional<json> parse(std::string_view text, std::string& error) {
    // nlohmann's parse error says where (byte offset, line and column).
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        error = std::string("not valid JSON: ") + e.what();
        return std::nullopt;
    }
}

std::string_view who_text(const std::string& who) {
    if (who == "owner") return "the case owner";
    if (who == "others") return "the others";
    return "everyone";
}

}  // namespace

Result<std::vector<Method>, std::string> parse_methods(std::string_view json_text) {
    std::string error;
    auto j = parse(json_text, error);
    if (!j) return fail(error);
    try {
        if (!j->is_object()) invalid("(top)", "must be an object with a 'methods' list");
        only_keys(*j, "(top)", {"methods"});
        const json& list = member(*j, "(top)", "methods");
        if (!list.is_array() || list.empty()) invalid("methods", "must be a non-empty list of methods");
        std::vector<Method> methods;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = "methods[" + std::to_string(i) + "]";
            methods.push_back(read_method(list[i], where));
            if (find_method(methods, methods.back().name) != &methods.back())
                invalid(where + ".name", "a method named '" + methods.back().name + "' exists already");
        }
        return methods;
    } catch (const Invalid& e) {
        return fail(std::string(e.what()));
    }
}

std::string method_to_json(const Method& method) {
    json phases = json::array();
    for (const auto& phase : method.phases) phases.push_back(phase_json(phase));
    json j = {{"name", method.name}, {"title", method.title}, {"warn_before_s", method.warn_before_s},
              {"phases", std::move(phases)}};
    if (method.follow_up) j["follow_up"] = phase_json(*method.follow_up);
    return j.dump();
}

Result<Method, std::string> method_from_json(std::string_view json_text) {
    std::string error;
    auto j = parse(json_text, error);
    if (!j) return fail(error);
    try {
        return read_method(*j, "method");
    } catch (const Invalid& e) {
        return fail(std::string(e.what()));
    }
}

const Method* find_method(const std::vector<Method>& methods, std::string_view name) {
    for (const auto& m : methods)
        if (m.name == name) return &m;
    return nullptr;
}

std::vector<p::SessionStep> plan_steps(const Method& method, const std::vector<std::int64_t>& follow_up_cases,
                                       const std::vector<std::int64_t>& agenda_cases) {
    std::vector<p::SessionStep> steps;
    auto add = [&](std::int64_t case_id, bool follow_up, const Phase& phase) {
        steps.push_back({case_id, follow_up, phase.name, phase.title, phase.duration_s, phase.sealed, phase.allow});
    };
    if (method.follow_up)
        for (auto c : follow_up_cases) add(c, true, *method.follow_up);
    for (auto c : agenda_cases)
        for (const auto& phase : method.phases) add(c, false, phase);
    return steps;
}

std::optional<std::string> phase_refusal(const p::SessionStep& step, bool by_owner, std::string_view kind) {
    std::string allowed;
    for (const auto& rule : step.allow) {
        const bool applies = rule.who == "everyone" || (rule.who == "owner") == by_owner;
        for (const auto& k : rule.kinds) {
            if (applies && k == kind) return std::nullopt;
            if (!allowed.empty()) allowed += ", ";
            allowed += k + " (" + std::string(who_text(rule.who)) + ")";
        }
    }
    return "the phase '" + step.title + "' allows " + (allowed.empty() ? std::string("no posts") : allowed) +
           "; you posted " + std::string(kind) + (by_owner ? " as the case owner" : "");
}

}  // namespace vraagbaak::core
