#include <gtest/gtest.h>

#include "i18n.hpp"
#include "render.hpp"
#include "url.hpp"

namespace cl = vraagbaak::client;

TEST(Url, ParsesWsUrls) {
    auto u = cl::parse_url("ws://127.0.0.1:8080/ws");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "127.0.0.1");
    EXPECT_EQ(u->port, "8080");
    EXPECT_EQ(u->path, "/ws");
    EXPECT_EQ(cl::parse_url("ws://example.org")->port, "80");
    EXPECT_EQ(cl::parse_url("ws://[::1]:9000/ws")->host, "::1");
    EXPECT_FALSE(cl::parse_url("http://x/ws"));
    EXPECT_FALSE(cl::parse_url("ws://host:port/ws"));
    EXPECT_FALSE(cl::parse_url("ws://"));
    EXPECT_FALSE(u->tls);
}

TEST(Url, ParsesWssUrlsWithTheTlsDefaultPort) {
    auto u = cl::parse_url("wss://vraagbaak.example.nl/ws");
    ASSERT_TRUE(u);
    EXPECT_TRUE(u->tls);
    EXPECT_EQ(u->host, "vraagbaak.example.nl");
    EXPECT_EQ(u->port, "443");
    EXPECT_EQ(cl::parse_url("wss://[::1]/ws")->port, "443");
    EXPECT_EQ(cl::parse_url("wss://127.0.0.1:8443/ws")->port, "8443");
    EXPECT_FALSE(cl::parse_url("wss://"));
    EXPECT_FALSE(cl::parse_url("https://x/ws"));
}

TEST(I18n, LanguageFromLocaleAndTranslations) {
    EXPECT_EQ(cl::lang_from_locale("nl_NL.UTF-8"), cl::Lang::nl);
    EXPECT_EQ(cl::lang_from_locale("en_GB.UTF-8"), cl::Lang::en);
    EXPECT_EQ(cl::lang_from_locale("C"), cl::Lang::en);
    EXPECT_EQ(cl::tr(cl::Lang::nl, "left", {"wonen"}), "wonen verlaten");
    EXPECT_EQ(cl::tr(cl::Lang::en, "left", {"wonen"}), "left wonen");
    EXPECT_EQ(cl::tr(cl::Lang::en, "no.such.key"), "no.such.key");
}

TEST(Render, ServerTextCannotDriveTheTerminal) {
    EXPECT_EQ(cl::sanitize("a\x1b[2Jb\x07", true), "a[2Jb");
    EXPECT_EQ(cl::sanitize("regel 1\nregel 2", true), "regel 1\\nregel 2");
    EXPECT_EQ(cl::sanitize("x\xC2\x9B" "1m", true), "x1m");
    EXPECT_EQ(cl::sanitize("Zoë", true), "Zoë");
}

namespace p = vraagbaak::protocol;

TEST(Render, MessageLineShowsRoomSeqAuthorAndBody) {
    p::Message m{1, 7, 70, 70, {p::Anonymity::named, 3, "anna", "Anna de Vries", p::Organisation{2, "Buurtteam", "BTO"}, ""},
                 "hallo", 0, false};
    auto line = cl::render_message(cl::Lang::en, m, "schulden", true);
    EXPECT_EQ(line.rfind("[schulden #7 ", 0), 0u) << line;
    EXPECT_NE(line.find("msg 70] Anna de Vries (@anna, BTO): hallo"), std::string::npos) << line;
}

TEST(Render, HiddenAuthorsShowTheirPseudonymInTheUsersLanguage) {
    p::Author anonymous{p::Anonymity::anonymous, std::nullopt, "", "", std::nullopt, "colleague 2"};
    EXPECT_EQ(cl::render_author(cl::Lang::en, anonymous, false), "colleague 2");
    EXPECT_EQ(cl::render_author(cl::Lang::nl, anonymous, false), "collega 2");
    p::Author org{p::Anonymity::organisation, std::nullopt, "", "", p::Organisation{2, "Buurtteam", "BTO"}, "asker"};
    EXPECT_EQ(cl::render_author(cl::Lang::nl, org, false), "de vraagsteller (Buurtteam)");
    p::Author own{p::Anonymity::anonymous, 3, "anna", "Anna", std::nullopt, "asker"};
    EXPECT_EQ(cl::render_author(cl::Lang::en, own, true), "Anna (@anna) [you, shown as the asker]");
}
