#include "i18n.hpp"

#include <array>
#include <cstdlib>

namespace vraagbaak::client {
namespace {

struct Text {
    std::string_view key;
    std::string_view en;
    std::string_view nl;
};

constexpr std::array kTexts{
    Text{"help",
         "Commands:\n"
         "  /rooms                      list rooms\n"
         "  /create NAME [TOPIC]        create a room (you join it)\n"
         "  /join ROOM                  join a room and make it current\n"
         "  /room ROOM                  make a joined room current\n"
         "  /leave [ROOM]               leave a room\n"
         "  TEXT  or  /say TEXT         post to the current room\n"
         "  /post ROOM TEXT             post to a room\n"
         "  /history [ROOM] [N] [before=SEQ|after=SEQ]   show messages\n"
         "  /quit                       leave the client",
         "Opdrachten:\n"
         "  /rooms                      kamers tonen\n"
         "  /create NAAM [ONDERWERP]    een kamer maken (u wordt lid)\n"
         "  /join KAMER                 lid worden van een kamer en die kiezen\n"
         "  /room KAMER                 een kamer kiezen waarvan u lid bent\n"
         "  /leave [KAMER]              een kamer verlaten\n"
         "  TEKST  of  /say TEKST       plaatsen in de gekozen kamer\n"
         "  /post KAMER TEKST           plaatsen in een kamer\n"
         "  /history [KAMER] [N] [before=NR|after=NR]   berichten tonen\n"
         "  /quit                       de client afsluiten"},
    Text{"usage.create", "usage: /create NAME [TOPIC]", "gebruik: /create NAAM [ONDERWERP]"},
    Text{"usage.join", "usage: /join ROOM", "gebruik: /join KAMER"},
    Text{"usage.room", "usage: /room ROOM", "gebruik: /room KAMER"},
    Text{"usage.say", "usage: /say TEXT", "gebruik: /say TEKST"},
    Text{"usage.post", "usage: /post ROOM TEXT", "gebruik: /post KAMER TEKST"},
    Text{"usage.history", "usage: /history [ROOM] [N] [before=SEQ|after=SEQ] (at '{}')",
         "gebruik: /history [KAMER] [N] [before=NR|after=NR] (bij '{}')"},
    Text{"unknown_command", "unknown command '/{}'; /help lists them",
         "onbekende opdracht '/{}'; /help toont ze"},
    Text{"connecting", "connecting to {} …", "verbinden met {} …"},
    Text{"connect_failed", "cannot connect to {}: {}", "kan geen verbinding maken met {}: {}"},
    Text{"bad_url", "not a ws:// URL: {}", "geen ws://-adres: {}"},
    Text{"login_failed", "login failed: {}", "inloggen mislukt: {}"},
    Text{"logged_in", "logged in as {} (@{})", "ingelogd als {} (@{})"},
    Text{"no_user", "no user given: use --user HANDLE", "geen gebruiker opgegeven: gebruik --user HANDLE"},
    Text{"no_password",
         "no password: set VRAAGBAAK_PASSWORD or use --password-file",
         "geen wachtwoord: zet VRAAGBAAK_PASSWORD of gebruik --password-file"},
    Text{"password_prompt", "password for {}: ", "wachtwoord voor {}: "},
    Text{"rooms_header", "rooms:", "kamers:"},
    Text{"room_line", "  {} {}  {} members, {} messages{}", "  {} {}  {} leden, {} berichten{}"},
    Text{"room_joined_mark", "  [member]", "  [lid]"},
    Text{"no_rooms", "no rooms yet; /create NAME makes one", "nog geen kamers; /create NAAM maakt er een"},
    Text{"joined", "joined {} ({} messages); it is now your current room",
         "lid van {} ({} berichten); dit is nu uw gekozen kamer"},
    Text{"created", "created room {} and joined it", "kamer {} gemaakt, u bent lid"},
    Text{"left", "left {}", "{} verlaten"},
    Text{"current_room", "current room: {}", "gekozen kamer: {}"},
    Text{"posted", "posted to {} as #{}", "geplaatst in {} als #{}"},
    Text{"no_current_room", "no current room: /join ROOM first",
         "geen kamer gekozen: eerst /join KAMER"},
    Text{"unknown_room", "unknown room '{}'; /rooms lists them", "onbekende kamer '{}'; /rooms toont ze"},
    Text{"not_joined", "you are not a member of {}; /join {} first",
         "u bent geen lid van {}; eerst /join {}"},
    Text{"history_header", "history of {} ({} messages{}):", "geschiedenis van {} ({} berichten{}):"},
    Text{"history_more", ", more before", ", er is meer"},
    Text{"member_joined", "{} (@{}) joined", "{} (@{}) is lid geworden"},
    Text{"member_left", "{} (@{}) left", "{} (@{}) is vertrokken"},
    Text{"error", "error {}: {}", "fout {}: {}"},
    Text{"closed", "connection closed by the server: {} {}", "verbinding verbroken door de server: {} {}"},
    Text{"lost", "connection lost: {}", "verbinding verloren: {}"},
    Text{"bye", "bye", "tot ziens"},
    Text{"timeout", "no reply from the server in time", "geen antwoord van de server op tijd"},
    // Error codes as the user reads them; the server's English text is the fallback.
    Text{"err.not_member", "you are not a member of that room", "u bent geen lid van die kamer"},
    Text{"err.room_not_found", "no such room", "die kamer bestaat niet"},
    Text{"err.room_exists", "a room with that name exists", "er is al een kamer met die naam"},
    Text{"err.bad_credentials", "unknown handle or wrong password",
         "onbekende gebruikersnaam of verkeerd wachtwoord"},
    Text{"err.too_long", "the text is too long", "de tekst is te lang"},
    Text{"err.storage_unavailable", "the server could not save this; try again later",
         "de server kon dit niet opslaan; probeer het later opnieuw"},
};

}  // namespace

Lang lang_from_locale(std::string_view value) {
    return value.substr(0, 2) == "nl" ? Lang::nl : Lang::en;
}

Lang lang_from_environment() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* v = std::getenv(name);
        if (v && *v) return lang_from_locale(v);
    }
    return Lang::en;
}

std::optional<Lang> parse_lang(std::string_view value) {
    if (value == "nl") return Lang::nl;
    if (value == "en") return Lang::en;
    return std::nullopt;
}

std::string tr(Lang lang, std::string_view key, std::initializer_list<std::string_view> args) {
    std::string_view pattern = key;
    for (const auto& t : kTexts)
        if (t.key == key) pattern = lang == Lang::nl && !t.nl.empty() ? t.nl : t.en;
    std::string out;
    auto arg = args.begin();
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
            if (arg != args.end()) out.append(*arg++);
            ++i;
        } else {
            out.push_back(pattern[i]);
        }
    }
    return out;
}

}  // namespace vraagbaak::client
