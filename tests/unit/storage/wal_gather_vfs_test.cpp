#include "storage/wal_gather_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "support/faulty_vfs.hpp"
#include "support/temp_dir.hpp"

namespace sq = vraagbaak::storage::sqlite;

namespace {

// A WAL file opened through the gathering VFS over "faulty" (which counts what reaches it).
class WalFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        vraagbaak::test::faulty_vfs_switch() = false;
        vfs_ = sqlite3_vfs_find(sq::gathering_vfs("faulty").c_str());
        ASSERT_NE(vfs_, nullptr);
        memory_.assign(static_cast<std::size_t>(vfs_->szOsFile), 0);
        // The unix VFS gives a WAL the permissions of its database, so that must exist.
        std::ofstream(dir_.file("db")).put('\0');
        path_ = dir_.file("db-wal");
        int out = 0;
        ASSERT_EQ(vfs_->xOpen(vfs_, path_.c_str(), file(), SQLITE_OPEN_WAL | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE, &out),
                  SQLITE_OK);
    }
    void TearDown() override {
        vraagbaak::test::faulty_vfs_switch() = false;
        if (file()->pMethods) file()->pMethods->xClose(file());
    }

    sqlite3_file* file() { return reinterpret_cast<sqlite3_file*>(memory_.data()); }
    int write(const std::string& bytes, sqlite3_int64 at) {
        return file()->pMethods->xWrite(file(), bytes.data(), static_cast<int>(bytes.size()), at);
    }
    // Writes like SQLite does: a frame is a 24-byte header and then its page, two writes.
    void write_frames(std::string& expected, int first, int count) {
        for (int i = first; i < first + count; ++i) {
            const auto at = static_cast<sqlite3_int64>(32 + i * (24 + 4096));
            const std::string header(24, static_cast<char>('a' + i % 26));
            const std::string page(4096, static_cast<char>('A' + i % 26));
            ASSERT_EQ(write(header, at), SQLITE_OK);
            ASSERT_EQ(write(page, at + 24), SQLITE_OK);
            if (expected.size() < static_cast<std::size_t>(at) + 24 + 4096) expected.resize(static_cast<std::size_t>(at) + 24 + 4096);
            expected.replace(static_cast<std::size_t>(at), 24, header);
            expected.replace(static_cast<std::size_t>(at) + 24, 4096, page);
        }
    }
    std::string on_disk() {
        std::ifstream in(path_, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    vraagbaak::test::TempDir dir_;
    sqlite3_vfs* vfs_ = nullptr;
    std::vector<unsigned char> memory_;
    std::string path_;
};

TEST_F(WalFileTest, ACommitsFramesReachTheFileAsAFewLargeWritesAtTheSync) {
    std::string expected(32, 'H');
    ASSERT_EQ(write(expected, 0), SQLITE_OK);
    const long before = vraagbaak::test::faulty_vfs_writes();
    write_frames(expected, 0, 80);  // 330 KB: more than the unix VFS writes in one call
    EXPECT_EQ(vraagbaak::test::faulty_vfs_writes(), before) << "nothing is written before the sync";
    ASSERT_EQ(file()->pMethods->xSync(file(), SQLITE_SYNC_NORMAL), SQLITE_OK);
    const long writes = vraagbaak::test::faulty_vfs_writes() - before;
    EXPECT_GE(writes, 1);
    EXPECT_LE(writes, 6) << "160 writes of SQLite's became " << writes;
    EXPECT_EQ(on_disk(), expected);
}

TEST_F(WalFileTest, AVeryLargeTransactionGoesBeneathBeforeItsSyncAndStaysWhole) {
    std::string expected;
    const long before = vraagbaak::test::faulty_vfs_writes();
    write_frames(expected, 0, 1100);  // 4.5 MB: past what is gathered at most
    EXPECT_GT(vraagbaak::test::faulty_vfs_writes(), before) << "4 MB were kept back";
    ASSERT_EQ(file()->pMethods->xSync(file(), SQLITE_SYNC_NORMAL), SQLITE_OK);
    EXPECT_EQ(on_disk().substr(32), expected.substr(32));
}

TEST_F(WalFileTest, AnOverwriteOfAnEarlierFrameLandsAfterIt) {
    std::string expected;
    write_frames(expected, 0, 10);
    // SQLite rewrites a frame of the same transaction in place; then it goes on at the end.
    const std::string again(4096, 'z');
    ASSERT_EQ(write(again, 32 + 3 * (24 + 4096) + 24), SQLITE_OK);
    expected.replace(32 + 3 * (24 + 4096) + 24, 4096, again);
    write_frames(expected, 10, 5);
    ASSERT_EQ(file()->pMethods->xSync(file(), SQLITE_SYNC_NORMAL), SQLITE_OK);
    EXPECT_EQ(on_disk().substr(32), expected.substr(32));
}

TEST_F(WalFileTest, ReadsAndTheSizeSeeWhatIsStillGathered) {
    std::string expected;
    write_frames(expected, 0, 4);
    sqlite3_int64 size = 0;
    ASSERT_EQ(file()->pMethods->xFileSize(file(), &size), SQLITE_OK);
    EXPECT_EQ(size, static_cast<sqlite3_int64>(expected.size()));
    write_frames(expected, 4, 2);
    std::string page(4096, '\0');
    ASSERT_EQ(file()->pMethods->xRead(file(), page.data(), 4096, 32 + 5 * (24 + 4096) + 24), SQLITE_OK);
    EXPECT_EQ(page, std::string(4096, 'F'));
}

TEST_F(WalFileTest, AFailedWriteBeneathFailsTheSync) {
    std::string expected;
    write_frames(expected, 0, 3);
    vraagbaak::test::faulty_vfs_switch() = true;
    EXPECT_NE(file()->pMethods->xSync(file(), SQLITE_SYNC_NORMAL), SQLITE_OK);
}

// Through SQLite itself: a transaction of many pages, committed and read back after reopening,
// with far fewer writes than without gathering.
long writes_for_a_commit(const std::string& path, const std::string& vfs) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs.c_str()), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db,
                           "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                           "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    const long before = vraagbaak::test::faulty_vfs_writes();
    EXPECT_EQ(sqlite3_exec(db,
                           "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
                           " INSERT INTO t(v) SELECT randomblob(3000) FROM n; COMMIT",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    const long writes = vraagbaak::test::faulty_vfs_writes() - before;
    sqlite3_close(db);
    return writes;
}

TEST(WalGatherVfs, ACommitThroughSqliteIsDurableWithFewerWrites) {
    vraagbaak::test::faulty_vfs_switch() = false;
    vraagbaak::test::TempDir dir;
    const long plain = writes_for_a_commit(dir.file("plain.db"), "faulty");
    const long gathered = writes_for_a_commit(dir.file("gathered.db"), sq::gathering_vfs("faulty"));
    EXPECT_GE(plain, 120) << "60 pages of 3 KB rows are two writes per frame";
    EXPECT_LE(gathered, plain / 10);

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(dir.file("gathered.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*), SUM(length(v)) FROM t", -1, &q, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(q, 0), 60);
    EXPECT_EQ(sqlite3_column_int64(q, 1), 60 * 3000);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

}  // namespace
