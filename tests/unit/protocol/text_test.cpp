#include "vraagbaak/protocol/text.hpp"
#include "vraagbaak/protocol/wire_types.hpp"

#include <gtest/gtest.h>

namespace p = vraagbaak::protocol;

TEST(Text, Utf8LengthCountsCodePoints) {
    EXPECT_EQ(p::utf8_length(""), 0u);
    EXPECT_EQ(p::utf8_length("abc"), 3u);
    EXPECT_EQ(p::utf8_length("geïnformeerd"), 12u);
    EXPECT_EQ(p::utf8_length("\xF0\x9F\x98\x80"), 1u);  // one emoji
}

TEST(Text, ValidUtf8) {
    EXPECT_TRUE(p::is_valid_utf8("Zoë en Daniël"));
    EXPECT_FALSE(p::is_valid_utf8("\xC3"));              // truncated
    EXPECT_FALSE(p::is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(p::is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(p::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Text, ControlCharacters) {
    EXPECT_FALSE(p::has_control_chars("regel 1\nregel 2\tx", true));
    EXPECT_TRUE(p::has_control_chars("regel 1\nregel 2", false));
    EXPECT_TRUE(p::has_control_chars("\x1b[31mred", true));
    EXPECT_TRUE(p::has_control_chars("\xC2\x9B" "31m", true));  // C1 CSI
    EXPECT_TRUE(p::has_control_chars("del\x7F", true));
}

TEST(Text, Handles) {
    EXPECT_TRUE(p::is_valid_handle("anna"));
    EXPECT_TRUE(p::is_valid_handle("j.de-vries_2"));
    EXPECT_FALSE(p::is_valid_handle("Anna"));
    EXPECT_FALSE(p::is_valid_handle("2anna"));
    EXPECT_FALSE(p::is_valid_handle("an na"));
    EXPECT_FALSE(p::is_valid_handle(""));
}

TEST(Levels, CsvRoundTripAndRejects) {
    using p::Anonymity;
    EXPECT_EQ(p::levels_to_csv({Anonymity::named, Anonymity::anonymous}), "named,anonymous");
    EXPECT_EQ(p::levels_from_csv("named,organisation,anonymous"),
              (std::vector{Anonymity::named, Anonymity::organisation, Anonymity::anonymous}));
    EXPECT_FALSE(p::levels_from_csv(""));
    EXPECT_FALSE(p::levels_from_csv("named,"));
    EXPECT_FALSE(p::levels_from_csv("secret"));
}

TEST(Text, SplitList) {
    EXPECT_EQ(p::split_list("a, b ,c"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(p::split_list("werk en inkomen,  schulden"), (std::vector<std::string>{"werk en inkomen", "schulden"}));
    EXPECT_TRUE(p::split_list("").empty());
    EXPECT_EQ(p::split_list(",x,,"), (std::vector<std::string>{"x"}));
}
