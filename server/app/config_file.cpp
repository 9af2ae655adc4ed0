#include "app/config_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace vraagbaak::app {

Result<std::vector<std::string>, std::string> config_file_args(const std::string& path,
                                                               const std::set<std::string>& known_keys,
                                                               const std::set<std::string>& flags) {
    std::ifstream in(path);
    if (!in) return fail("cannot read the configuration file '" + path + "'");
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
    } catch (const nlohmann::json::parse_error& e) {
        return fail("'" + path + "' is not valid JSON: " + e.what());
    }
    if (!config.is_object()) return fail("'" + path + "' must hold one JSON object of settings");
    std::vector<std::string> args;
    for (const auto& [key, value] : config.items()) {
        if (key.rfind("//", 0) == 0) continue;  // a comment
        const std::string where = "'" + path + "': key '" + key + "'";
        if (!known_keys.count(key)) {
            std::string known;
            for (const auto& k : known_keys) known += (known.empty() ? "" : ", ") + k;
            return fail(where + " is unknown; the keys are: " + known);
        }
        if (flags.count(key)) {
            if (!value.is_boolean()) return fail(where + " must be true or false");
            if (value.get<bool>()) args.push_back("--" + key);
            continue;
        }
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_number_integer() || value.is_number_float() || value.is_boolean()) {
            text = value.dump();
        } else if (value.is_array()) {
            // A list of words, e.g. the case tags.
            for (const auto& item : value) {
                if (!item.is_string()) return fail(where + " must be a list of strings");
                text += (text.empty() ? "" : ",") + item.get<std::string>();
            }
        } else {
            return fail(where + " must be a string, a number or true/false, not " + std::string(value.type_name()));
        }
        args.push_back("--" + key);
        args.push_back(text);
    }
    return args;
}

}  // namespace vraagbaak::app
