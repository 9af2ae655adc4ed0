// The personal-data detector against the corpus in tests/data/: recall 1.0 per kind and no
// false positives, with precision and recall printed per kind.

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>

#include "core/personal_data.hpp"

namespace c = vraagbaak::core;

namespace {

const std::int64_t kNow = 1795392000000;  // 2026-11-23

std::vector<std::string> lines_of(const std::string& name) {
    std::ifstream in(std::string(VRAAGBAAK_TEST_DATA) + "/" + name);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') out.push_back(line);
    return out;
}

TEST(PersonalData, CorpusRecallIsCompleteAndThereAreNoFalsePositives) {
    struct Count {
        int expected = 0, found = 0, false_positive = 0;
    };
    std::map<std::string, Count> counts;
    const c::ScanContext context{kNow, true};
    auto positives = lines_of("personal_data_positive.tsv");
    auto negatives = lines_of("personal_data_negative.txt");
    ASSERT_GE(positives.size(), 100u);
    ASSERT_GE(negatives.size(), 100u);
    for (const auto& line : positives) {
        const auto tab = line.find('\t');
        const std::string kind = line.substr(0, tab), sentence = line.substr(tab + 1);
        ++counts[kind].expected;
        bool hit = false;
        for (const auto& f : c::find_personal_data(sentence, context)) {
            if (std::string(c::to_string(f.kind)) == kind) hit = true;
            else {
                ++counts[std::string(c::to_string(f.kind))].false_positive;
                ADD_FAILURE() << "also found " << c::to_string(f.kind) << " in: " << sentence;
            }
        }
        if (hit) ++counts[kind].found;
        else ADD_FAILURE() << "missed " << kind << " in: " << sentence;
    }
    for (const auto& sentence : negatives)
        for (const auto& f : c::find_personal_data(sentence, context)) {
            ++counts[std::string(c::to_string(f.kind))].false_positive;
            ADD_FAILURE() << "false " << c::to_string(f.kind) << " in: " << sentence;
        }
    for (const auto& [kind, n] : counts) {
        const double recall = n.expected ? double(n.found) / n.expected : 1.0;
        const double precision = n.found + n.false_positive ? double(n.found) / (n.found + n.false_positive) : 1.0;
        std::cout << "personal data " << kind << ": " << n.expected << " examples, recall " << recall << ", precision "
                  << precision << "\n";
    }
    std::cout << "corpus: " << positives.size() << " positive, " << negatives.size() << " negative sentences\n";
}

TEST(PersonalData, ChecksAndSpans) {
    EXPECT_TRUE(c::passes_eleven_test("123456782"));
    EXPECT_FALSE(c::passes_eleven_test("123456789"));
    EXPECT_FALSE(c::passes_eleven_test("000000000"));
    EXPECT_TRUE(c::passes_iban_check("NL91ABNA0417164300"));
    EXPECT_FALSE(c::passes_iban_check("NL92ABNA0417164300"));
    // Spans count code points: "é" is one.
    auto f = c::find_personal_data("Cliënt 123456782", {kNow, false});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, c::PersonalDataKind::bsn);
    EXPECT_EQ(f[0].begin, 7u);
    EXPECT_EQ(f[0].end, 16u);
    EXPECT_EQ(c::redact("Cliënt 123456782, bel 06-12345678.", c::find_personal_data("Cliënt 123456782, bel 06-12345678.", {kNow, false})),
              "Cliënt [BSN], bel [TELEFOON].");
    EXPECT_TRUE(c::find_personal_data("sinds 12-05-2001", {kNow, false}).empty()) << "outside a case body, only near birth words";
    EXPECT_EQ(c::find_personal_data("sinds 12-05-2001", {kNow, true}).size(), 1u);
}

}  // namespace
