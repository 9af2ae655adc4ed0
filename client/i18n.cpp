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
         "  /level named|organisation|anonymous   what your posts show of you\n"
         "  /reply MSG TEXT             reply in the thread of message MSG\n"
         "  /cases [open|answered|closed] [tag=NAME] [mine] [unanswered] [activity]   list cases\n"
         "  /case ID                    open a case with its replies\n"
         "  /ask TITLE                  bring a vraagstuk (tags, text, '.', then confirm)\n"
         "  /question|/idea|/advice|/experience CASE TEXT   reply in a case with a kind\n"
         "  /helpful MSG, /close CASE OUTCOME | REFLECTION, /reopen CASE\n"
         "  /search WORDS, /unread, /read\n"
         "  /invite [USES] [HOURS]      invite colleagues of your organisation (organisers)\n"
         "  /mute MSG 2h REASON         mute the author of MSG in its room (moderators)\n"
         "  /hide MSG [CATEGORY] REASON, /unhide MSG REASON, /delete MSG REASON   (moderators)\n"
         "  /kick MSG REASON, /ban MSG [7d|forever] REASON, /unmute MSG REASON, /unban MSG REASON\n"
         "  /report MSG [privacy|offensive|off_topic|spam|other] REASON   report a post or case\n"
         "  /queue [open|claimed|resolved|dismissed], /claim ID, /resolve ID OUTCOME, /dismiss ID OUTCOME\n"
         "  /lock, /unlock, /slow 30s|off, /archive, /unarchive, /pin MSG, /unpin MSG   the current room\n"
         "  /role HANDLE member|organiser|moderator|owner, /audit [N] [all]   roles, the audit log\n"
         "  /export                     everything the server keeps of you, as JSON\n"
         "  /sessions [all], /session [ID], /signup ID [off]   network meetings of the current room\n"
         "  /schedule METHOD now|+30m|HH:MM MINUTES CASE,CASE TITLE [--auto] [--follow-up]   (organisers)\n"
         "  /start ID, /next, /prev, /extend 5m, /end, /allow HANDLE|MSG, /attendance   run a session\n"
         "  /summary SESSION CASE [FILE]   a case's summary after the session (owner, organiser)\n"
         "  /reveal MSG REASON, /approve ID   four-eyes reveal of an author (admins)\n"
         "  /logout, /quit              end the session, leave the client",
         "Opdrachten:\n"
         "  /rooms                      kamers tonen\n"
         "  /create NAAM [ONDERWERP]    een kamer maken (u wordt lid)\n"
         "  /join KAMER                 lid worden van een kamer en die kiezen\n"
         "  /room KAMER                 een kamer kiezen waarvan u lid bent\n"
         "  /leave [KAMER]              een kamer verlaten\n"
         "  TEKST  of  /say TEKST       plaatsen in de gekozen kamer\n"
         "  /post KAMER TEKST           plaatsen in een kamer\n"
         "  /history [KAMER] [N] [before=NR|after=NR]   berichten tonen\n"
         "  /level named|organisation|anonymous   wat uw berichten van u tonen\n"
         "  /reply BERICHT TEKST        reageren in de draad van een bericht\n"
         "  /cases [open|answered|closed] [tag=NAAM] [mine] [unanswered] [activity]   zaken tonen\n"
         "  /case ID                    een zaak met de reacties openen\n"
         "  /ask TITEL                  een vraagstuk inbrengen (tags, tekst, '.', dan bevestigen)\n"
         "  /question|/idea|/advice|/experience ZAAK TEKST   reageren met een soort\n"
         "  /helpful BERICHT, /close ZAAK UITKOMST | REFLECTIE, /reopen ZAAK\n"
         "  /search WOORDEN, /unread, /read\n"
         "  /invite [AANTAL] [UREN]     collega's van uw organisatie uitnodigen (organisatoren)\n"
         "  /mute BERICHT 2h REDEN      de schrijver van een bericht dempen (moderatoren)\n"
         "  /hide BERICHT [CATEGORIE] REDEN, /unhide BERICHT REDEN, /delete BERICHT REDEN   (moderatoren)\n"
         "  /kick BERICHT REDEN, /ban BERICHT [7d|forever] REDEN, /unmute BERICHT REDEN, /unban BERICHT REDEN\n"
         "  /report BERICHT [privacy|offensive|off_topic|spam|other] REDEN   een bericht of zaak melden\n"
         "  /queue [open|claimed|resolved|dismissed], /claim ID, /resolve ID UITKOMST, /dismiss ID UITKOMST\n"
         "  /lock, /unlock, /slow 30s|off, /archive, /unarchive, /pin BERICHT, /unpin BERICHT   de gekozen kamer\n"
         "  /role NAAM member|organiser|moderator|owner, /audit [N] [all]   rollen, het auditlog\n"
         "  /export                     alles wat de server van u bewaart, als JSON\n"
         "  /sessions [all], /session [ID], /signup ID [off]   netwerkoverleggen van de gekozen kamer\n"
         "  /schedule METHODE now|+30m|UU:MM MINUTEN ZAAK,ZAAK TITEL [--auto] [--follow-up]   (organisatoren)\n"
         "  /start ID, /next, /prev, /extend 5m, /end, /allow HANDLE|BERICHT, /attendance   een overleg leiden\n"
         "  /summary OVERLEG ZAAK [BESTAND]   de samenvatting van een zaak na het overleg (inbrenger, organisator)\n"
         "  /reveal BERICHT REDEN, /approve ID   onthulling met vier ogen (beheerders)\n"
         "  /logout, /quit              sessie beëindigen, de client afsluiten"},
    Text{"pseudonym.asker", "the asker", "de vraagsteller"},
    Text{"pseudonym.colleague", "colleague {}", "collega {}"},
    Text{"own_hidden_post", "{} [you, shown as {}]", "{} [u, getoond als {}]"},
    Text{"level_set", "your posts now show: {}", "uw berichten tonen nu: {}"},
    Text{"level.named", "your name and organisation", "uw naam en organisatie"},
    Text{"level.organisation", "only your organisation", "alleen uw organisatie"},
    Text{"level.anonymous", "nothing about you (anonymous)", "niets over u (anoniem)"},
    Text{"usage.level", "usage: /level named|organisation|anonymous", "gebruik: /level named|organisation|anonymous"},
    Text{"usage.reply", "usage: /reply MESSAGE-ID TEXT", "gebruik: /reply BERICHT-ID TEKST"},
    Text{"usage.mute", "usage: /mute MESSAGE-ID DURATION REASON (duration like 30m, 2h, 7d)",
         "gebruik: /mute BERICHT-ID DUUR REDEN (duur zoals 30m, 2h, 7d)"},
    Text{"usage.cases", "usage: /cases [open|answered|closed] [tag=NAME] [mine] [unanswered] [activity] (at '{}')",
         "gebruik: /cases [open|answered|closed] [tag=NAAM] [mine] [unanswered] [activity] (bij '{}')"},
    Text{"usage.case", "usage: /case CASE-ID", "gebruik: /case ZAAK-ID"},
    Text{"usage.ask", "usage: /ask TITLE, then tags, the text, and '.' alone on a line",
         "gebruik: /ask TITEL, dan tags, de tekst, en '.' alleen op een regel"},
    Text{"usage.helpful", "usage: /helpful MESSAGE-ID (or /unhelpful)", "gebruik: /helpful BERICHT-ID (of /unhelpful)"},
    Text{"usage.close", "usage: /close CASE-ID OUTCOME | REFLECTION", "gebruik: /close ZAAK-ID UITKOMST | REFLECTIE"},
    Text{"usage.reopen", "usage: /reopen CASE-ID", "gebruik: /reopen ZAAK-ID"},
    Text{"usage.search", "usage: /search WORDS", "gebruik: /search WOORDEN"},
    Text{"ask.tags", "tags, comma-separated (choose from: {}; empty for none):",
         "tags, gescheiden door komma's (kies uit: {}; leeg voor geen):"},
    Text{"ask.body", "your vraagstuk; end with a line with only '.':", "uw vraagstuk; sluit af met een regel met alleen '.':"},
    Text{"ask.similar", "asked before? similar cases:", "eerder gevraagd? vergelijkbare zaken:"},
    Text{"ask.none_similar", "no similar cases found", "geen vergelijkbare zaken gevonden"},
    Text{"ask.confirm", "send this case? (y/n)", "deze zaak versturen? (j/n)"},
    Text{"ask.cancelled", "not sent", "niet verstuurd"},
    Text{"ask.sent", "case {} opened in {}", "zaak {} geopend in {}"},
    Text{"case_line", "  case {} [{}] {} ({}) — {} replies{}", "  zaak {} [{}] {} ({}) — {} reacties{}"},
    Text{"case_unread", ", {} unread", ", {} ongelezen"},
    Text{"no_cases", "no cases", "geen zaken"},
    Text{"case_header", "case {} [{}]: {} ({})", "zaak {} [{}]: {} ({})"},
    Text{"case_outcome", "  outcome: {} — reflection: {}", "  uitkomst: {} — reflectie: {}"},
    Text{"case_updated", "[{}] case {} is now {}: {}", "[{}] zaak {} is nu {}: {}"},
    Text{"helpful_set", "message {} marked helpful", "bericht {} gemarkeerd als behulpzaam"},
    Text{"helpful_unset", "message {} no longer marked helpful", "bericht {} niet meer gemarkeerd als behulpzaam"},
    Text{"search_hit", "  [{} #{}] {}{}", "  [{} #{}] {}{}"},
    Text{"no_hits", "nothing found", "niets gevonden"},
    Text{"unread_line", "  {}: {} unread", "  {}: {} ongelezen"},
    Text{"all_read", "nothing unread", "niets ongelezen"},
    Text{"marked_read", "{} marked read", "{} gemarkeerd als gelezen"},
    Text{"notify.mention", "you were mentioned in {} (message {})", "u bent genoemd in {} (bericht {})"},
    Text{"notify.case_reply", "new reply in your case {} in {} (message {})", "nieuwe reactie in uw zaak {} in {} (bericht {})"},
    Text{"notice.summary", "while you were away: {} replies in your cases, {} mentions",
         "terwijl u weg was: {} reacties in uw zaken, {} keer genoemd"},
    Text{"kind.question", "question", "vraag"},
    Text{"kind.idea", "idea", "idee"},
    Text{"kind.advice", "advice", "advies"},
    Text{"kind.experience", "experience", "ervaring"},
    Text{"kind.comment", "comment", "reactie"},
    Text{"usage.hide", "usage: /hide MESSAGE-ID [CATEGORY] REASON", "gebruik: /hide BERICHT-ID [CATEGORIE] REDEN"},
    Text{"usage.moderate", "usage: /{} MESSAGE-ID REASON", "gebruik: /{} BERICHT-ID REDEN"},
    Text{"usage.report", "usage: /report MESSAGE-ID [privacy|offensive|off_topic|spam|other] REASON",
         "gebruik: /report BERICHT-ID [privacy|offensive|off_topic|spam|other] REDEN"},
    Text{"usage.queue", "usage: /queue [open|claimed|resolved|dismissed]", "gebruik: /queue [open|claimed|resolved|dismissed]"},
    Text{"usage.report_work", "usage: /{} REPORT-ID [OUTCOME]", "gebruik: /{} MELDING-ID [UITKOMST]"},
    Text{"usage.slow", "usage: /slow DURATION|off (at most 1h)", "gebruik: /slow DUUR|off (hoogstens 1h)"},
    Text{"usage.pin", "usage: /pin MESSAGE-ID (or /unpin)", "gebruik: /pin BERICHT-ID (of /unpin)"},
    Text{"usage.audit", "usage: /audit [N] [all]", "gebruik: /audit [N] [all]"},
    Text{"usage.session", "usage: /session [SESSION-ID]", "gebruik: /session [OVERLEG-ID]"},
    Text{"usage.attendance", "usage: /attendance [SESSION-ID]", "gebruik: /attendance [OVERLEG-ID]"},
    Text{"usage.schedule", "usage: /schedule METHOD now|+30m|HH:MM MINUTES CASE[,CASE…] TITLE [--auto] [--follow-up]",
         "gebruik: /schedule METHODE now|+30m|UU:MM MINUTEN ZAAK[,ZAAK…] TITEL [--auto] [--follow-up]"},
    Text{"usage.signup", "usage: /signup SESSION-ID [off]", "gebruik: /signup OVERLEG-ID [off]"},
    Text{"usage.control", "usage: /start SESSION-ID, /next, /prev or /end [SESSION-ID]",
         "gebruik: /start OVERLEG-ID, /next, /prev of /end [OVERLEG-ID]"},
    Text{"usage.extend", "usage: /extend 5m [SESSION-ID] (at most an hour)", "gebruik: /extend 5m [OVERLEG-ID] (hoogstens een uur)"},
    Text{"usage.allow", "usage: /allow HANDLE or /allow MESSAGE-ID (its author)", "gebruik: /allow HANDLE of /allow BERICHT-ID (de schrijver ervan)"},
    Text{"usage.summary", "usage: /summary SESSION-ID CASE-ID [FILE]", "gebruik: /summary OVERLEG-ID ZAAK-ID [BESTAND]"},
    Text{"no_session", "no session known in this room; see /sessions", "geen overleg bekend in deze kamer; zie /sessions"},
    Text{"no_sessions", "no sessions planned in this room", "geen overleggen gepland in deze kamer"},
    Text{"session_line", "  session {} \"{}\" — {}, {}, {} min, {}, {} signed up{}",
         "  overleg {} \"{}\" — {}, {}, {} min, {}, {} aangemeld{}"},
    Text{"session_you", " (you too)", " (u ook)"},
    Text{"session_agenda", "    case {}: {}{}", "    zaak {}: {}{}"},
    Text{"session_follow_up", "    follow-up of case {}: {}{}", "    vervolg op zaak {}: {}{}"},
    Text{"session_mine", " (yours)", " (van u)"},
    Text{"status.scheduled", "scheduled", "gepland"},
    Text{"status.running", "running", "bezig"},
    Text{"status.ended", "ended", "afgelopen"},
    Text{"session_scheduled", "session {} scheduled in {}", "overleg {} gepland in {}"},
    Text{"signed_up", "signed up for session {}", "aangemeld voor overleg {}"},
    Text{"signed_off", "signed off from session {}", "afgemeld voor overleg {}"},
    Text{"session_phase", "session {}: phase {}/{} \"{}\" on case {}{}, {} left — {}",
         "overleg {}: fase {}/{} \"{}\" over zaak {}{}, nog {} — {}"},
    Text{"session_sealed", " (sealed: posts are shown when the phase ends)", " (verzegeld: berichten worden getoond als de fase eindigt)"},
    Text{"session_allows", "allowed: {}", "toegestaan: {}"},
    Text{"session_allows_nothing", "no posts now", "nu geen berichten"},
    Text{"who.owner", "case owner", "inbrenger"},
    Text{"who.others", "the others", "de anderen"},
    Text{"who.everyone", "everyone", "iedereen"},
    Text{"session_ended", "session {} has ended; summaries: {}", "overleg {} is afgelopen; samenvattingen: {}"},
    Text{"session_called_off", "session {} was called off", "overleg {} is afgelast"},
    Text{"phase_ending", "session {}: {} left in this phase", "overleg {}: nog {} in deze fase"},
    Text{"session_said", "  said so far: {} messages", "  tot nu toe gezegd: {} berichten"},
    Text{"post_sealed", "sealed in {}: shown to everyone when the phase ends", "verzegeld in {}: voor iedereen zichtbaar als de fase eindigt"},
    Text{"allowed_post", "one post outside the phase's rules allowed in session {}", "één bericht buiten de regels van de fase toegestaan in overleg {}"},
    Text{"attendance_header", "session {}: {} took part by name, {} without their name",
         "overleg {}: {} namen deel met naam, {} zonder naam"},
    Text{"attendance_line", "  {}{}", "  {}{}"},
    Text{"attendance_signed", " (signed up)", " (aangemeld)"},
    Text{"notify.follow_up", "a session asks what you did with the advice on case {} in {}",
         "een overleg vraagt wat u met het advies over zaak {} in {} hebt gedaan"},
    Text{"summary_saved", "summary saved to {}", "samenvatting opgeslagen in {}"},
    Text{"summary_not_saved", "cannot write {}", "kan {} niet schrijven"},
    Text{"usage.role", "usage: /role HANDLE member|organiser|moderator|owner",
         "gebruik: /role NAAM member|organiser|moderator|owner"},
    Text{"moderated.unhide", "message {} in {} is shown again", "bericht {} in {} is weer zichtbaar"},
    Text{"moderated.delete", "message {} in {} is deleted for good", "bericht {} in {} is definitief verwijderd"},
    Text{"moderated.kick", "the author of message {} was removed from {}", "de schrijver van bericht {} is uit {} verwijderd"},
    Text{"moderated.unmute", "the author of message {} may post in {} again", "de schrijver van bericht {} mag weer plaatsen in {}"},
    Text{"moderated.unban", "the author of message {} may join {} again", "de schrijver van bericht {} mag weer lid worden van {}"},
    Text{"reported", "report {} is in the moderators' queue; the reported person does not learn who reported",
         "melding {} staat in de wachtrij van de moderatoren; de gemelde persoon hoort niet wie meldde"},
    Text{"queue_empty", "the queue is empty", "de wachtrij is leeg"},
    Text{"queue_header", "{} reports:", "{} meldingen:"},
    Text{"queue_line", "  report {} [{}] {}: message {} in {} — {}{}", "  melding {} [{}] {}: bericht {} in {} — {}{}"},
    Text{"queue_claimed", " (taken by @{})", " (opgepakt door @{})"},
    Text{"report_claim", "report {} is yours", "melding {} is door u opgepakt"},
    Text{"report_resolve", "report {} resolved", "melding {} afgehandeld"},
    Text{"report_dismiss", "report {} dismissed", "melding {} afgewezen"},
    Text{"room_settings", "{}: {}", "{}: {}"},
    Text{"setting.archived", "archived", "gearchiveerd"},
    Text{"setting.locked", "locked (read-only)", "op slot (alleen lezen)"},
    Text{"setting.slow", "slow mode {} s", "langzame modus {} s"},
    Text{"setting.pinned", "pinned {}", "vastgezet {}"},
    Text{"setting.open", "open for posts", "open voor berichten"},
    Text{"audit_empty", "the audit log is empty", "het auditlog is leeg"},
    Text{"audit_line", "  {} {} {} {} {}", "  {} {} {} {} {}"},
    Text{"role_set", "@{} is now {} in {}", "@{} is nu {} in {}"},
    Text{"message_unhidden", "[{}] message {} is shown again", "[{}] bericht {} is weer zichtbaar"},
    Text{"message_deleted", "[{}] message {} was deleted by moderation", "[{}] bericht {} is verwijderd door moderatie"},
    Text{"kicked_from_room", "you were removed from {} (you may join again): {}",
         "u bent verwijderd uit {} (u mag opnieuw lid worden): {}"},
    Text{"err.room_locked", "the room is locked: only moderators can post", "de kamer is op slot: alleen moderatoren plaatsen"},
    Text{"err.room_archived", "the room is archived", "de kamer is gearchiveerd"},
    Text{"err.slow_mode", "slow mode: wait a moment before posting again", "langzame modus: wacht even voor u weer plaatst"},
    Text{"err.invite_required", "this room is invite-only", "deze kamer is alleen op uitnodiging"},
    Text{"err.report_not_found", "no such report", "die melding bestaat niet"},
    Text{"pii.bsn", "BSN (citizen service number)", "BSN"},
    Text{"pii.iban", "bank account (IBAN)", "rekeningnummer (IBAN)"},
    Text{"pii.phone", "phone number", "telefoonnummer"},
    Text{"pii.email", "e-mail address", "e-mailadres"},
    Text{"pii.postcode", "postcode and house number", "postcode en huisnummer"},
    Text{"pii.birth_date", "date of birth", "geboortedatum"},
    Text{"pii.refused", "not sent: the text holds a client's personal data: {}", "niet verstuurd: de tekst bevat persoonsgegevens van een cliënt: {}"},
    Text{"pii.where", "  {}", "  {}"},
    Text{"pii.edit", "edit the text and send it again (it is back in the input line)",
         "pas de tekst aan en verstuur opnieuw (hij staat weer in de invoerregel)"},
    Text{"pii.redacted", "sent with markers instead of: {}", "verstuurd met markeringen in plaats van: {}"},
    Text{"pii.warned", "sent, but it holds a client's personal data: {}", "verstuurd, maar het bevat persoonsgegevens van een cliënt: {}"},
    Text{"err.account_not_found", "no account with that handle", "geen account met die naam"},
    Text{"usage.ban", "usage: /ban MESSAGE-ID [DURATION|forever] REASON",
         "gebruik: /ban BERICHT-ID [DUUR|forever] REDEN"},
    Text{"hidden_tombstone", "[hidden by moderation: {}]", "[verborgen door moderatie: {}]"},
    Text{"message_hidden", "[{}] message {} was hidden by moderation: {}",
         "[{}] bericht {} is verborgen door moderatie: {}"},
    Text{"hid", "hid message {}", "bericht {} verborgen"},
    Text{"banned_author", "the author of message {} is banned from {}", "de schrijver van bericht {} is verbannen uit {}"},
    Text{"removed_from_room", "you were removed from {}: {}", "u bent verwijderd uit {}: {}"},
    Text{"err.banned", "you are banned from this room", "u bent verbannen uit deze kamer"},
    Text{"usage.reveal", "usage: /reveal MESSAGE-ID REASON", "gebruik: /reveal BERICHT-ID REDEN"},
    Text{"usage.approve", "usage: /approve REVEAL-ID", "gebruik: /approve ONTHULLING-ID"},
    Text{"usage.invite", "usage: /invite [USES] [HOURS]", "gebruik: /invite [AANTAL] [UREN]"},
    Text{"muted_author", "the author of message {} is muted in {} until {}",
         "de schrijver van bericht {} is gedempt in {} tot {}"},
    Text{"reveal_requested", "reveal request {} made; a second admin must approve it",
         "onthullingsverzoek {} gedaan; een tweede beheerder moet het goedkeuren"},
    Text{"reveal_result", "message {} was written by {}", "bericht {} is geschreven door {}"},
    Text{"identity_revealed",
         "two admins revealed that you wrote message {} (reason: {})",
         "twee beheerders hebben onthuld dat u bericht {} schreef (reden: {})"},
    Text{"invite_created", "invite code (valid for {} uses, until {}): {}",
         "uitnodigingscode (voor {} keer, tot {}): {}"},
    Text{"logged_out", "logged out; the session token is revoked", "uitgelogd; het sessietoken is ingetrokken"},
    Text{"registered", "registered and logged in as {} (@{})", "geregistreerd en ingelogd als {} (@{})"},
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
    Text{"reconnecting", "reconnecting in {} ms …", "opnieuw verbinden over {} ms …"},
    Text{"reconnected", "reconnected; missed messages follow", "weer verbonden; gemiste berichten volgen"},
    Text{"gave_up", "could not reconnect; giving up", "opnieuw verbinden lukt niet; gestopt"},
    Text{"timeout", "no reply from the server in time", "geen antwoord van de server op tijd"},
    // Error codes as the user reads them; the server's English text is the fallback.
    Text{"err.not_member", "you are not a member of that room", "u bent geen lid van die kamer"},
    Text{"err.room_not_found", "no such room", "die kamer bestaat niet"},
    Text{"err.room_exists", "a room with that name exists", "er is al een kamer met die naam"},
    Text{"err.bad_credentials", "unknown handle or wrong password",
         "onbekende gebruikersnaam of verkeerd wachtwoord"},
    Text{"err.too_long", "the text is too long", "de tekst is te lang"},
    Text{"err.muted", "you are muted in this room", "u bent gedempt in deze kamer"},
    Text{"err.level_not_allowed", "this room does not allow that anonymity level",
         "deze kamer staat dat niveau van anonimiteit niet toe"},
    Text{"err.forbidden", "your role does not allow this", "uw rol staat dit niet toe"},
    Text{"err.rate_limited", "too many attempts; try again later", "te veel pogingen; probeer het later opnieuw"},
    Text{"err.four_eyes_required", "a second admin must approve this", "een tweede beheerder moet dit goedkeuren"},
    Text{"err.invite_expired", "the invite code has expired", "de uitnodigingscode is verlopen"},
    Text{"err.invite_used_up", "the invite code has been used up", "de uitnodigingscode is opgebruikt"},
    Text{"err.invite_invalid", "unknown invite code", "onbekende uitnodigingscode"},
    Text{"err.weak_password", "the password needs at least 10 characters and must differ from the handle",
         "het wachtwoord moet minstens 10 tekens hebben en anders zijn dan de gebruikersnaam"},
    Text{"err.handle_taken", "that handle is taken", "die gebruikersnaam is al in gebruik"},
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
