#pragma once
// Intervision methods for network meetings, as data: a method is a named list of phases, each
// with a planned duration and the reply kinds it allows from whom. The shipped methods are
// deploy/methods.json, built into the binary; an operator's file replaces them (--methods).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vraagbaak/protocol/result.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

namespace vraagbaak::core {

struct Phase {
    std::string name;
    std::string title;
    std::int64_t duration_s = 0;
    bool sealed = false;
    std::vector<protocol::PhaseRule> allow;
};

struct Method {
    std::string name;
    std::string title;
    std::int64_t warn_before_s = 60;  // a warning this long before a phase's time is up
    std::vector<Phase> phases;
    std::optional<Phase> follow_up;  // how owners of earlier cases report back
};

// Parses and checks a methods file. The error names the place and the problem, e.g.
// "methods[1].phases[2].duration_s: must be a whole number of seconds from 1 to 86400".
Result<std::vector<Method>, std::string> parse_methods(std::string_view json_text);
// One method as JSON (the file's form), and back; sessions keep the method they were planned
// with, so a later change of the file does not change a session under way.
std::string method_to_json(const Method& method);
Result<Method, std::string> method_from_json(std::string_view json_text);

// The methods shipped with the server (deploy/methods.json at build time).
std::string_view shipped_methods_json();

const Method* find_method(const std::vector<Method>& methods, std::string_view name);

// The plan of a session: the follow-up of each earlier case, then every phase for each case.
std::vector<protocol::SessionStep> plan_steps(const Method& method, const std::vector<std::int64_t>& follow_up_cases,
                                              const std::vector<std::int64_t>& agenda_cases);

// Why a step refuses a post of `kind` by the case owner (or by someone else), or nullopt when
// it allows it. The text names the phase and what is allowed now.
std::optional<std::string> phase_refusal(const protocol::SessionStep& step, bool by_owner, std::string_view kind);

}  // namespace vraagbaak::core
