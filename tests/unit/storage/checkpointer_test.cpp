// The checkpointer: a COMMIT no longer copies the log back into the database file itself; a thread
// beside the writer does, and the log starts over instead of growing. Without that thread the
// writer does it only once the log reaches the fallback length.

#include "storage/checkpointer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "storage/sqlite_db.hpp"
#include "support/temp_dir.hpp"

namespace sq = vraagbaak::storage::sqlite;

namespace {

class CheckpointerTest : public ::testing::Test {
protected:
    void SetUp() override {
        writer_.exec("PRAGMA journal_mode = WAL");
        writer_.exec("PRAGMA synchronous = FULL");
        writer_.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body BLOB)");
    }
    // One COMMIT of one row that fills a page of its own.
    void commit_a_page() {
        sq::Transaction tx(writer_);
        writer_.exec("INSERT INTO notes(body) VALUES (randomblob(3000))");
        tx.commit();
    }
    std::int64_t pages_of(const std::string& file) const {
        std::error_code ec;
        const auto size = std::filesystem::file_size(dir_.file(file), ec);
        return ec ? 0 : static_cast<std::int64_t>(size / 4096);
    }

    vraagbaak::test::TempDir dir_;
    const std::string path_ = dir_.file("test.db");
    sq::Database writer_{path_};
};

TEST_F(CheckpointerTest, TheLogIsCopiedBackBesideTheWriterAndStartsOverInsteadOfGrowing) {
    {
        // No fallback within reach: only the thread (and the writer's copy of the rest after it) checkpoints.
        sq::Checkpointer checkpointer(writer_, path_, {}, {.pages = 20, .fallback_pages = 1'000'000});
        for (int i = 0; i < 3000; ++i) commit_a_page();
        // 3,000 commits of two pages each or more (the row's and the table's) would leave a log of
        // 6,000 frames or more had it never started over; here it is about 40 pages at its longest.
        EXPECT_LT(pages_of("test.db-wal"), 3000) << "the log grew instead of starting over";
        EXPECT_GT(pages_of("test.db"), 1000) << "the rows never reached the database file";
    }
    auto q = writer_.query("SELECT count(*) FROM notes");
    ASSERT_TRUE(q->step());
    EXPECT_EQ(q->int64(0), 3000);
}

TEST_F(CheckpointerTest, WithoutItsThreadACommitCopiesTheLogBackOnlyAtTheFallbackLength) {
    sq::Checkpointer checkpointer(writer_, path_, {}, {.pages = 20, .fallback_pages = 200}, /*start_thread=*/false);
    const auto before = pages_of("test.db");
    // Past the limit that would wake the thread (20 pages) and below the fallback: nothing copied back.
    for (int i = 0; i < 60; ++i) commit_a_page();
    EXPECT_EQ(pages_of("test.db"), before) << "a COMMIT checkpointed below the fallback length";
    for (int i = 0; i < 200; ++i) commit_a_page();
    EXPECT_GT(pages_of("test.db"), before + 100) << "the fallback did not checkpoint";
}

}  // namespace
