#include "core/subscriptions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace c = vraagbaak::core;

TEST(Subscriptions, SubscribeIsIdempotentAndUnsubscribeAllForgetsEverything) {
    c::Subscriptions subs;
    subs.subscribe(1, 10);
    subs.subscribe(1, 10);
    subs.subscribe(1, 11);
    subs.subscribe(2, 10);
    EXPECT_EQ(subs.subscribers(1).size(), 2u);
    EXPECT_TRUE(subs.subscribed(2, 10));
    subs.unsubscribe_all(10);
    EXPECT_EQ(subs.subscribers(1), std::vector<c::ConnectionId>{11});
    EXPECT_TRUE(subs.subscribers(2).empty());
    EXPECT_FALSE(subs.subscribed(1, 10));
    subs.unsubscribe(1, 11);
    EXPECT_TRUE(subs.subscribers(1).empty());
}

#include "core/search_terms.hpp"

TEST(SearchTerms, UserTextIsNeverQuerySyntax) {
    EXPECT_EQ(c::match_all_words("huur achterstand"), "\"huur\" \"achterstand\"");
    EXPECT_EQ(c::match_all_words("NEAR(a b) OR \"x\" title:y*"), "\"NEAR\" \"a\" \"b\" \"OR\" \"x\" \"title\" \"y\"");
    EXPECT_EQ(c::match_all_words("geïnformeerd"), "\"geïnformeerd\"");
    EXPECT_FALSE(c::match_all_words("  --- !!"));
    EXPECT_EQ(c::match_any_significant_word("een huur van drie maanden"), "\"huur\" OR \"drie\" OR \"maanden\"");
    EXPECT_FALSE(c::match_any_significant_word("a b c"));
}
