#include "storage/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "storage/migrations.hpp"
#include "support/metrics.hpp"
#include "support/faulty_vfs.hpp"
#include "support/temp_dir.hpp"

namespace s = vraagbaak::storage;
using vraagbaak::test::TempDir;

namespace {

class StoreTest : public ::testing::Test {
protected:
    s::Account account(const std::string& handle) {
        return *store->create_account({handle, "Name " + handle, std::nullopt, "hash", 1});
    }
    s::Room room(const std::string& name) { return *store->create_room({name, "", std::nullopt, 1}); }

    TempDir dir;
    std::string path = dir.file("store.db");
    std::unique_ptr<s::SqliteStore> store = std::make_unique<s::SqliteStore>(s::SqliteOptions{path});
};

std::string pragma(const std::string& path, const std::string& name) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, ("PRAGMA " + name).c_str(), -1, &st, nullptr);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

TEST_F(StoreTest, MigratesAnEmptyFileToTheLatestSchemaInWalMode) {
    EXPECT_EQ(store->schema_version(), s::latest_schema_version());
    EXPECT_EQ(pragma(path, "journal_mode"), "wal");
    EXPECT_EQ(pragma(path, "user_version"), std::to_string(s::latest_schema_version()));
    EXPECT_EQ(pragma(path, "integrity_check"), "ok");
}

// One writer, readers on their own connections: while the writer waits for a lock that another
// process holds (up to its busy timeout), reads from another thread still answer at once, and a
// write committed afterwards is visible to the next read.
TEST(StoreReaders, ReadsDoNotQueueBehindAWriterWaitingForALock) {
    TempDir dir;
    const std::string path = dir.file("readers.db");
    s::SqliteOptions options{path};
    options.busy_timeout_ms = 1500;
    s::SqliteStore store(options);
    store.create_organisation("Buurtteam", "bt", 1);

    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    std::thread writer([&] {
        EXPECT_THROW(store.create_organisation("Wijkteam", "wt", 2), s::StorageError);  // busy past the timeout
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the writer is waiting now
    const auto reads_began = clock::now();
    EXPECT_TRUE(store.healthy());
    EXPECT_EQ(store.list_organisations().size(), 1u);
    EXPECT_GT(store.database_bytes(), 0);
    const auto read_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - reads_began).count();
    writer.join();
    const auto writer_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
    std::cout << "[ figures  ] three reads took " << read_ms << " ms while the writer waited " << writer_ms
              << " ms for the lock\n";
    EXPECT_LT(read_ms, 500) << "reads waited for the writer";
    EXPECT_GE(writer_ms, 1400);

    ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    ASSERT_TRUE(store.create_organisation("Wijkteam", "wt", 3));
    EXPECT_EQ(store.list_organisations().size(), 2u);
    EXPECT_TRUE(store.find_organisation_by_code("wt"));
}

TEST_F(StoreTest, ReopeningDoesNotMigrateAgainAndKeepsData) {
    auto a = account("anna");
    store.reset();
    store = std::make_unique<s::SqliteStore>(s::SqliteOptions{path});
    auto found = store->find_account_by_handle("anna");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, a.id);
}

TEST_F(StoreTest, RefusesADatabaseWithANewerSchema) {
    store.reset();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    try {
        s::SqliteStore newer({path});
        FAIL() << "opened a database with a newer schema";
    } catch (const s::StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
}

TEST_F(StoreTest, RefusesAFileThatIsNotADatabase) {
    std::string junk = dir.file("junk.db");
    FILE* f = fopen(junk.c_str(), "w");
    fputs("this is not a database, just some text that is long enough to have a header....", f);
    fclose(f);
    EXPECT_THROW(s::SqliteStore({junk}), s::StorageError);
}

TEST_F(StoreTest, HandlesAndRoomNamesAreUnique) {
    account("anna");
    EXPECT_FALSE(store->create_account({"anna", "Other", std::nullopt, "h", 1}));
    room("Wonen");
    EXPECT_FALSE(store->create_room({"wonen", "", std::nullopt, 1})) << "names are unique ignoring case";
    EXPECT_EQ(store->list_rooms(std::nullopt).size(), 1u);
}

TEST_F(StoreTest, MembershipIsPersistentAndReportedPerViewer) {
    auto a = account("anna");
    auto b = account("bram");
    auto r = room("schulden");
    EXPECT_TRUE(store->add_member(r.id, a.id, 5));
    EXPECT_FALSE(store->add_member(r.id, a.id, 6)) << "joining twice changes nothing";
    EXPECT_EQ(store->find_room(r.id, std::nullopt)->last_seq, 1) << "one member_joined event";
    EXPECT_TRUE(store->is_member(r.id, a.id));
    EXPECT_FALSE(store->is_member(r.id, b.id));
    EXPECT_TRUE(store->find_room(r.id, a.id)->viewer_is_member);
    EXPECT_FALSE(store->find_room(r.id, b.id)->viewer_is_member);
    EXPECT_EQ(store->find_room(r.id, b.id)->member_count, 1);
    EXPECT_EQ(store->rooms_of(a.id), std::vector<s::RoomId>{r.id});
    EXPECT_TRUE(store->remove_member(r.id, a.id));
    EXPECT_FALSE(store->remove_member(r.id, a.id));
    EXPECT_TRUE(store->rooms_of(a.id).empty());
}

TEST_F(StoreTest, TheMemberCountFollowsEveryWayInAndOut) {
    auto a = account("anna");
    auto b = account("bram");
    auto c = account("carla");
    auto r = room("schulden");
    auto count = [&] { return store->find_room(r.id, std::nullopt)->member_count; };
    store->add_member(r.id, a.id, 1);
    store->add_member(r.id, b.id, 2);
    store->add_member(r.id, b.id, 3);  // already a member
    store->add_member(r.id, c.id, 4);
    EXPECT_EQ(count(), 3);
    store->leave_room(r.id, a.id, 5);
    EXPECT_EQ(count(), 2);
    store->remove_member(r.id, b.id);
    EXPECT_EQ(count(), 1);
    store->erase_account(c.id, false, 6);
    EXPECT_EQ(count(), 0);
}

TEST_F(StoreTest, PostingRulesHaveTheRoomsSettingsAndThePostersRoleAndMute) {
    auto a = account("anna");
    auto b = account("bram");
    auto r = room("schulden");
    store->add_member(r.id, a.id, 1);
    auto rules = store->posting_rules(r.id, a.id);
    ASSERT_TRUE(rules);
    EXPECT_FALSE(rules->archived);
    EXPECT_FALSE(rules->locked);
    EXPECT_EQ(rules->allowed_levels.size(), 3u);
    EXPECT_EQ(rules->viewer_role, vraagbaak::protocol::RoomRole::member);
    EXPECT_FALSE(rules->muted_until);
    EXPECT_FALSE(store->posting_rules(r.id, b.id)->viewer_role) << "not a member";

    vraagbaak::storage::RoomChanges changes;
    changes.locked = true;
    changes.archived = true;
    changes.slow_mode_s = 30;
    changes.allowed_levels = std::vector{vraagbaak::protocol::Anonymity::named};
    changes.privacy_mode = vraagbaak::protocol::PrivacyMode::warn;
    ASSERT_TRUE(store->update_room(r.id, changes, 2));
    store->set_room_role(r.id, a.id, vraagbaak::protocol::RoomRole::moderator, 3);
    store->set_mute(r.id, a.id, 5000);
    rules = store->posting_rules(r.id, a.id);
    EXPECT_TRUE(rules->archived);
    EXPECT_TRUE(rules->locked);
    EXPECT_EQ(rules->slow_mode_s, 30);
    EXPECT_EQ(rules->allowed_levels, std::vector{vraagbaak::protocol::Anonymity::named});
    EXPECT_EQ(rules->privacy_mode, vraagbaak::protocol::PrivacyMode::warn);
    EXPECT_EQ(rules->viewer_role, vraagbaak::protocol::RoomRole::moderator);
    EXPECT_EQ(rules->muted_until, 5000);
    EXPECT_FALSE(store->posting_rules(r.id, b.id)->muted_until) << "a mute is per account";
    EXPECT_FALSE(store->posting_rules(r.id + 1000, a.id)) << "no such room";
}

TEST_F(StoreTest, SequenceNumbersStartAtOnePerRoom) {
    auto a = account("anna");
    auto r1 = room("een");
    auto r2 = room("twee");
    EXPECT_EQ(store->append_message({r1.id, a.id, "a", 1})->seq, 1);
    EXPECT_EQ(store->append_message({r1.id, a.id, "b", 2})->seq, 2);
    EXPECT_EQ(store->append_message({r2.id, a.id, "c", 3})->seq, 1);
    auto m = *store->append_message({r1.id, a.id, "d", 4});
    EXPECT_EQ(m.seq, 3);
    EXPECT_EQ(m.author.handle, "anna");
    EXPECT_EQ(m.thread_id, m.id) << "a first message starts its own thread";
    EXPECT_EQ(store->find_room(r1.id, std::nullopt)->last_seq, 3);
}

TEST_F(StoreTest, ConcurrentPostsToOneRoomGetGapFreeUniqueSequenceNumbers) {
    auto r = room("druk");
    constexpr int kThreads = 8;
    constexpr int kPerThread = 50;
    std::vector<s::AccountId> authors;
    for (int t = 0; t < kThreads; ++t) authors.push_back(account("user" + std::to_string(t)).id);
    // A second store on the same file as well: two connections contend like server + admin.
    s::SqliteStore other({path});
    std::vector<std::vector<s::Seq>> seen(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            s::Store& target = t % 2 ? static_cast<s::Store&>(other) : *store;
            for (int i = 0; i < kPerThread; ++i)
                seen[t].push_back(target.append_message({r.id, authors[t], "m" + std::to_string(i), i})->seq);
        });
    for (auto& th : threads) th.join();

    std::set<s::Seq> all;
    for (const auto& v : seen) {
        for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]) << "per-writer order kept";
        all.insert(v.begin(), v.end());
    }
    constexpr int kTotal = kThreads * kPerThread;
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kTotal)) << "no duplicates";
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), kTotal) << "no gaps";
    auto page = store->history(r.id, {std::nullopt, 0, 200});
    for (std::size_t i = 0; i < page.messages.size(); ++i)
        EXPECT_EQ(page.messages[i].seq, static_cast<s::Seq>(i + 1));
}

// Inside a commit group the rules a post is checked against are kept in memory; every change
// to them, from this store or from another process, must show at the next post.
TEST_F(StoreTest, KeptPostingRulesFollowEveryChangeToThem) {
    namespace p = vraagbaak::protocol;
    auto a = account("anna");
    auto r = room("regels");
    store->add_member(r.id, a.id, 1);
    auto in_group = [&] {
        store->begin_group();
        auto rules = store->posting_rules(r.id, a.id);
        store->commit_group();
        return rules;
    };
    ASSERT_EQ(in_group()->viewer_role, p::RoomRole::member);
    store->begin_group();
    store->posting_rules(r.id, a.id);
    const auto queries = vraagbaak::metrics::get().store_queries.load();
    EXPECT_TRUE(store->posting_rules(r.id, a.id));
    EXPECT_EQ(vraagbaak::metrics::get().store_queries.load(), queries) << "the second read is kept";
    store->commit_group();

    s::RoomChanges changes;
    changes.locked = true;
    ASSERT_TRUE(store->update_room(r.id, changes, 2));
    EXPECT_TRUE(in_group()->locked);
    changes = {};
    changes.archived = true;
    changes.slow_mode_s = 30;
    changes.allowed_levels = std::vector{p::Anonymity::named};
    changes.privacy_mode = p::PrivacyMode::warn;
    store->update_room(r.id, changes, 3);
    auto rules = in_group();
    EXPECT_TRUE(rules->archived);
    EXPECT_EQ(rules->slow_mode_s, 30);
    EXPECT_EQ(rules->allowed_levels, std::vector{p::Anonymity::named});
    EXPECT_EQ(rules->privacy_mode, p::PrivacyMode::warn);
    store->set_room_role(r.id, a.id, p::RoomRole::moderator, 4);
    EXPECT_EQ(in_group()->viewer_role, p::RoomRole::moderator);
    store->set_mute(r.id, a.id, 5000);
    EXPECT_EQ(in_group()->muted_until, 5000);
    store->leave_room(r.id, a.id, 6);
    EXPECT_FALSE(in_group()->viewer_role);
    store->add_member(r.id, a.id, 7);
    EXPECT_EQ(in_group()->viewer_role, p::RoomRole::member);
    store->remove_member(r.id, a.id);
    EXPECT_FALSE(in_group()->viewer_role);
    store->add_member(r.id, a.id, 8);
    EXPECT_EQ(in_group()->muted_until, 5000) << "a mute outlasts leaving and coming back";
    {
        s::SqliteStore other({path});  // as the admin command would, from another process
        other.set_mute(r.id, a.id, 9000);
    }
    EXPECT_EQ(in_group()->muted_until, 9000);
    store->erase_account(a.id, false, 10);
    rules = in_group();
    EXPECT_FALSE(rules->viewer_role);
    EXPECT_FALSE(rules->muted_until);
}

// The store keeps each room's last seq and the next message id in memory; a write that is
// undone (here: a post whose author does not exist, refused by the foreign key after it took a
// seq and an id) must give them back, alone or inside a commit group, or the room gets a gap.
TEST_F(StoreTest, APostThatFailsAfterTakingItsSeqLeavesNoGap) {
    auto a = account("anna");
    auto r = room("gaten");
    const auto first = *store->append_message({r.id, a.id, "een", 1});
    EXPECT_THROW(store->append_message({r.id, a.id + 1000, "niemand", 2}), s::StorageError);
    const auto second = *store->append_message({r.id, a.id, "twee", 3});
    EXPECT_EQ(second.seq, first.seq + 1);
    EXPECT_EQ(second.id, first.id + 1);

    store->begin_group();
    const auto third = *store->append_message({r.id, a.id, "drie", 4});
    EXPECT_THROW(store->append_message({r.id, a.id + 1000, "niemand", 5}), s::StorageError);
    const auto fourth = *store->append_message({r.id, a.id, "vier", 6});
    store->commit_group();
    EXPECT_EQ(third.seq, second.seq + 1);
    EXPECT_EQ(fourth.seq, third.seq + 1) << "the failed post's savepoint gave its seq back";
    EXPECT_EQ(store->find_room(r.id, std::nullopt)->last_seq, fourth.seq);
    auto page = store->history(r.id, {std::nullopt, 0, 10});
    ASSERT_EQ(page.messages.size(), 4u);
    EXPECT_EQ(page.messages.back().body, "vier");
}

// What is kept lasts across this store's own commits: a second post to a room reads neither
// the room's seq, nor the largest message id, nor its author again.
TEST_F(StoreTest, APostAfterACommitUsesWhatWasKept) {
    auto a = account("anna");
    auto r = room("onthouden");
    auto& queries = vraagbaak::metrics::get().store_queries;
    auto before = queries.load();
    store->append_message({r.id, a.id, "een", 1});
    const auto first = queries.load() - before;
    before = queries.load();
    store->append_message({r.id, a.id, "twee", 2});
    const auto second = queries.load() - before;
    EXPECT_EQ(second + 3, first) << "the seq, the id and the author were read again";
}

// Another process (the admin command) may write to the same file while the server runs: what
// the server keeps in memory of the rooms' seqs, the message ids and the authors must follow.
TEST_F(StoreTest, WritesByAnotherConnectionAreSeenByTheNextPost) {
    auto a = account("anna");
    auto r = room("gedeeld");
    EXPECT_EQ(store->append_message({r.id, a.id, "een", 1})->seq, 1);
    s::SqliteStore other({path});
    const auto theirs = *other.append_message({r.id, a.id, "twee", 2});
    EXPECT_EQ(theirs.seq, 2);
    const auto ours = *store->append_message({r.id, a.id, "drie", 3});
    EXPECT_EQ(ours.seq, 3);
    EXPECT_EQ(ours.id, theirs.id + 1);
}

// A whole group that fails at its COMMIT (the disk stops taking writes) takes its seqs and ids
// with it: the next post gets the first of them again.
TEST(StoreGroups, AGroupThatFailsAtItsCommitGivesItsSeqsBack) {
    TempDir dir;
    s::SqliteOptions options{dir.file("failing.db")};
    options.vfs = "faulty";
    auto& faulty = vraagbaak::test::faulty_vfs_switch();
    faulty = false;
    s::SqliteStore store(options);
    auto a = *store.create_account({"anna", "Anna", std::nullopt, "hash", 1});
    auto r = *store.create_room({"wankel", "", std::nullopt, 1});
    const auto first = *store.append_message({r.id, a.id, "een", 1});

    store.begin_group();
    const auto lost = *store.append_message({r.id, a.id, "weg", 2});
    EXPECT_EQ(lost.seq, first.seq + 1);
    faulty = true;
    EXPECT_THROW(store.commit_group(), s::StorageError);
    faulty = false;

    const auto next = *store.append_message({r.id, a.id, "twee", 3});
    EXPECT_EQ(next.seq, first.seq + 1) << "the failed group's seq is taken again";
    EXPECT_EQ(next.id, lost.id) << "and so is its id";
    EXPECT_EQ(store.find_room(r.id, std::nullopt)->last_seq, next.seq);
    auto page = store.history(r.id, {std::nullopt, 0, 10});
    ASSERT_EQ(page.messages.size(), 2u);
    EXPECT_EQ(page.messages.back().body, "twee");
}

class HistoryTest : public StoreTest {
protected:
    void SetUp() override {
        auto a = account("anna");
        r = room("geschiedenis");
        for (int i = 1; i <= 25; ++i) store->append_message({r.id, a.id, "bericht " + std::to_string(i), i});
    }
    std::vector<s::Seq> seqs(const s::HistoryPage& page) {
        std::vector<s::Seq> out;
        for (const auto& m : page.messages) out.push_back(m.seq);
        return out;
    }
    s::Room r;
};

TEST_F(HistoryTest, WithoutCursorReturnsTheNewestPageAscending) {
    auto page = store->history(r.id, {std::nullopt, std::nullopt, 10});
    EXPECT_EQ(seqs(page), (std::vector<s::Seq>{16, 17, 18, 19, 20, 21, 22, 23, 24, 25}));
    EXPECT_TRUE(page.has_more);
    EXPECT_EQ(page.messages.front().body, "bericht 16");
}

TEST_F(HistoryTest, BeforePagesBackwardsUntilTheStart) {
    auto page = store->history(r.id, {16, std::nullopt, 10});
    EXPECT_EQ(seqs(page).front(), 6);
    EXPECT_EQ(seqs(page).back(), 15);
    EXPECT_TRUE(page.has_more);
    page = store->history(r.id, {6, std::nullopt, 10});
    EXPECT_EQ(seqs(page), (std::vector<s::Seq>{1, 2, 3, 4, 5}));
    EXPECT_FALSE(page.has_more);
}

TEST_F(HistoryTest, AfterPagesForwardsUntilTheEnd) {
    auto page = store->history(r.id, {std::nullopt, 0, 10});
    EXPECT_EQ(seqs(page).front(), 1);
    EXPECT_EQ(seqs(page).back(), 10);
    EXPECT_TRUE(page.has_more);
    page = store->history(r.id, {std::nullopt, 20, 10});
    EXPECT_EQ(seqs(page), (std::vector<s::Seq>{21, 22, 23, 24, 25}));
    EXPECT_FALSE(page.has_more);
    EXPECT_TRUE(store->history(r.id, {std::nullopt, 25, 10}).messages.empty());
}

TEST_F(HistoryTest, ExactlyLimitLeftMeansNoMore) {
    auto page = store->history(r.id, {std::nullopt, 15, 10});
    EXPECT_EQ(page.messages.size(), 10u);
    EXPECT_FALSE(page.has_more);
}

TEST_F(StoreTest, HealthyWhileOpen) { EXPECT_TRUE(store->healthy()); }

}  // namespace

namespace {

class AccountabilityStoreTest : public StoreTest {
protected:
    s::Message post(s::AccountId author, s::Anonymity level, std::optional<s::MessageId> thread = {}) {
        return *store->append_message({r.id, author, "tekst", 1, level, thread});
    }
    void SetUp() override {
        a = account("asker").id;
        b = account("bert").id;
        c = account("cees").id;
        r = room("kamer");
    }
    s::AccountId a = 0, b = 0, c = 0;
    s::Room r;
};

TEST_F(AccountabilityStoreTest, PseudonymsAreStablePerThreadAndDifferAcrossThreads) {
    auto root = post(a, s::Anonymity::anonymous);
    EXPECT_EQ(root.thread_id, root.id);
    EXPECT_EQ(root.pseudonym, 0) << "the asker";
    EXPECT_EQ(post(c, s::Anonymity::named, root.id).pseudonym, 0) << "named posts take no number";
    EXPECT_EQ(post(b, s::Anonymity::anonymous, root.id).pseudonym, 1);
    EXPECT_EQ(post(c, s::Anonymity::organisation, root.id).pseudonym, 2);
    EXPECT_EQ(post(b, s::Anonymity::anonymous, root.id).pseudonym, 1) << "stable";
    EXPECT_EQ(post(a, s::Anonymity::anonymous, root.id).pseudonym, 0) << "the asker stays the asker";

    auto other = post(c, s::Anonymity::anonymous);
    EXPECT_EQ(post(b, s::Anonymity::anonymous, other.id).pseudonym, 1) << "numbering is per thread";
    EXPECT_EQ(post(a, s::Anonymity::anonymous, other.id).pseudonym, 2);
}

TEST_F(AccountabilityStoreTest, RepliesMustNameAFirstMessageOfTheSameRoom) {
    auto root = post(a, s::Anonymity::named);
    auto reply = post(b, s::Anonymity::named, root.id);
    EXPECT_FALSE(store->append_message({r.id, b, "x", 1, s::Anonymity::named, reply.id})) << "not a first message";
    EXPECT_FALSE(store->append_message({r.id, b, "x", 1, s::Anonymity::named, 9999}));
    auto elsewhere = room("elders");
    EXPECT_FALSE(store->append_message({elsewhere.id, b, "x", 1, s::Anonymity::named, root.id}));
    EXPECT_EQ(store->find_room(r.id, std::nullopt)->last_seq, 2) << "refused replies used no seq";
}

TEST_F(AccountabilityStoreTest, InvitesAreRedeemedOnceEachUntilUsedUpOrExpired) {
    auto org = *store->create_organisation("Buurtteam", "BT", 1);
    store->create_invite(org.id, "hash-1", 2, 1000, std::nullopt, 1);
    auto first = store->redeem_invite("hash-1", {"nieuw1", "Nieuw Een", std::nullopt, "h", 5}, 10);
    ASSERT_TRUE(std::holds_alternative<s::Account>(first));
    EXPECT_EQ(std::get<s::Account>(first).organisation_id, org.id);
    EXPECT_EQ(std::get<s::Account>(first).organisation->code, "BT");
    auto taken = store->redeem_invite("hash-1", {"nieuw1", "Dubbel", std::nullopt, "h", 5}, 10);
    EXPECT_EQ(std::get<s::InviteProblem>(taken), s::InviteProblem::handle_taken);
    ASSERT_TRUE(std::holds_alternative<s::Account>(
        store->redeem_invite("hash-1", {"nieuw2", "Nieuw Twee", std::nullopt, "h", 5}, 10)));
    auto used_up = store->redeem_invite("hash-1", {"nieuw3", "Nieuw Drie", std::nullopt, "h", 5}, 10);
    EXPECT_EQ(std::get<s::InviteProblem>(used_up), s::InviteProblem::used_up);

    auto late = store->create_invite(org.id, "hash-2", 5, 1000, std::nullopt, 1);
    EXPECT_EQ(std::get<s::InviteProblem>(store->redeem_invite("hash-2", {"laat", "L", std::nullopt, "h", 5}, 1000)),
              s::InviteProblem::expired);
    store->revoke_invite(late.id);
    EXPECT_EQ(std::get<s::InviteProblem>(store->redeem_invite("hash-2", {"laat", "L", std::nullopt, "h", 5}, 10)),
              s::InviteProblem::invalid);
    EXPECT_EQ(std::get<s::InviteProblem>(store->redeem_invite("nope", {"x1", "X", std::nullopt, "h", 5}, 10)),
              s::InviteProblem::invalid);
    EXPECT_FALSE(store->find_account_by_handle("nieuw3"));
}

TEST_F(AccountabilityStoreTest, TheAuditLogIsAppendOnly) {
    store->append_audit({0, 5, a, "mute", "message:1", "reden", r.id});
    store->append_audit({0, 6, a, "role_changed", "account:x", ""});
    ASSERT_EQ(store->list_audit({}).size(), 2u);
    auto in_room = store->list_audit({r.id, std::nullopt, 10});
    ASSERT_EQ(in_room.size(), 1u) << "filtered by room";
    EXPECT_EQ(in_room[0].room_id, r.id);
    EXPECT_EQ(store->list_audit({std::nullopt, in_room[0].id + 1, 10}).size(), 1u) << "paged by id";
    store.reset();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET reason = 'x'", nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    store = std::make_unique<s::SqliteStore>(s::SqliteOptions{path});
    EXPECT_EQ(store->list_audit({}).size(), 2u);
}

}  // namespace

namespace {

TEST_F(AccountabilityStoreTest, ARetryWithTheSameClientMessageIdStoresNothingNew) {
    auto first = *store->append_message({r.id, a, "een keer", 1, s::Anonymity::named, std::nullopt, "c-1"});
    EXPECT_FALSE(first.duplicate);
    auto retry = *store->append_message({r.id, a, "een keer", 2, s::Anonymity::named, std::nullopt, "c-1"});
    EXPECT_TRUE(retry.duplicate);
    EXPECT_EQ(retry.id, first.id);
    EXPECT_EQ(retry.seq, first.seq);
    auto other_author = *store->append_message({r.id, b, "ander", 3, s::Anonymity::named, std::nullopt, "c-1"});
    EXPECT_FALSE(other_author.duplicate) << "ids are per author";
    EXPECT_EQ(store->find_room(r.id, std::nullopt)->last_seq, 2) << "the retry used no sequence number";
}

}  // namespace

namespace {

class CaseStoreTest : public AccountabilityStoreTest {
protected:
    s::Case ask(s::AccountId who, const std::string& title, const std::string& body,
                std::vector<std::string> tags = {"schulden"}) {
        auto created = store->create_case({{r.id, who, body, ++now, s::Anonymity::anonymous}, title, tags});
        return created->second;
    }
    s::Message reply(s::AccountId who, s::MessageId thread, const std::string& body, const char* kind) {
        return *store->append_message({r.id, who, body, ++now, s::Anonymity::named, thread, std::nullopt, kind});
    }
    s::TimestampMs now = 100;
};

void expect_same_message(const s::Message& appended, const s::Message& stored) {
    EXPECT_EQ(appended.id, stored.id);
    EXPECT_EQ(appended.room_id, stored.room_id);
    EXPECT_EQ(appended.seq, stored.seq);
    EXPECT_EQ(appended.author.id, stored.author.id);
    EXPECT_EQ(appended.author.handle, stored.author.handle);
    EXPECT_EQ(appended.author.display_name, stored.author.display_name);
    EXPECT_EQ(appended.author.organisation.has_value(), stored.author.organisation.has_value());
    if (appended.author.organisation && stored.author.organisation) {
        EXPECT_EQ(appended.author.organisation->id, stored.author.organisation->id);
        EXPECT_EQ(appended.author.organisation->name, stored.author.organisation->name);
        EXPECT_EQ(appended.author.organisation->code, stored.author.organisation->code);
    }
    EXPECT_EQ(appended.body, stored.body);
    EXPECT_EQ(appended.created_ms, stored.created_ms);
    EXPECT_EQ(appended.level, stored.level);
    EXPECT_EQ(appended.thread_id, stored.thread_id);
    EXPECT_EQ(appended.pseudonym, stored.pseudonym);
    EXPECT_EQ(appended.hidden_reason, stored.hidden_reason);
    EXPECT_EQ(appended.kind, stored.kind);
    EXPECT_EQ(appended.helpful, stored.helpful);
}

// append_message answers with the post as stored without reading it back: the two must agree,
// also after the author's names changed (erasure) and for an author of an organisation.
TEST_F(CaseStoreTest, APostAsAppendedIsThePostAsStoredAlsoAfterItsAuthorIsErased) {
    const auto org = *store->create_organisation("Buurtteam Noord", "btn", 1);
    const auto d = store->create_account({"dirk", "Dirk de Vries", org.id, "hash", 1})->id;
    auto kase = ask(a, "Schulden", "Cliënt heeft schulden.");
    for (auto author : {d, b, d}) {
        const auto appended = reply(author, kase.thread_id, "Welke schuldeisers?", "question");
        expect_same_message(appended, *store->find_message(appended.id));
    }
    const auto before = reply(d, kase.thread_id, "Nog een vraag.", "idea");
    EXPECT_EQ(before.author.display_name, "Dirk de Vries");
    ASSERT_TRUE(before.author.organisation);
    ASSERT_TRUE(store->erase_account(d, false, ++now));
    const auto after = *store->append_message({r.id, d, "Los bericht.", ++now, s::Anonymity::organisation});
    EXPECT_EQ(after.author.display_name, "erased");
    EXPECT_FALSE(after.author.organisation);
    expect_same_message(after, *store->find_message(after.id));
}

TEST_F(CaseStoreTest, ACaseGoesFromOpenToAnsweredWhenSomeoneElseReplies) {
    store->add_member(r.id, a, 1);
    auto kase = ask(a, "Huurachterstand", "Cliënt heeft drie maanden huurachterstand.", {"wonen", "schulden"});
    EXPECT_EQ(kase.status, "open");
    EXPECT_EQ(kase.tags, (std::vector<std::string>{"schulden", "wonen"}));
    EXPECT_EQ(kase.asker_id, a);
    reply(a, kase.thread_id, "Aanvulling van de vrager.", "comment");
    EXPECT_EQ(store->find_case(kase.thread_id)->status, "open") << "the asker's own reply does not answer";
    auto q = reply(b, kase.thread_id, "Welke gemeente?", "question");
    EXPECT_EQ(q.kind, "question");
    auto found = *store->find_case(kase.thread_id);
    EXPECT_EQ(found.status, "answered");
    EXPECT_EQ(found.replies, 2);
    EXPECT_TRUE(store->set_helpful(q.id, true, 400));
    EXPECT_FALSE(store->set_helpful(99999, true, 400)) << "no such message";
    EXPECT_TRUE(store->thread_messages(kase.thread_id)[2].helpful);
    EXPECT_TRUE(store->set_case_status(kase.thread_id, "closed", "regeling getroffen", "de vraag naar de gemeente hielp", 500));
    found = *store->find_case(kase.thread_id);
    EXPECT_EQ(found.status, "closed");
    EXPECT_EQ(found.outcome, "regeling getroffen");
}

TEST_F(CaseStoreTest, ListsFilterAndSort) {
    auto first = ask(a, "Eerste", "een", {"wonen"});
    auto second = ask(b, "Tweede", "twee", {"schulden"});
    reply(c, first.thread_id, "antwoord", "advice");
    auto ids = [](const std::vector<s::Case>& cases) {
        std::vector<s::MessageId> out;
        for (const auto& x : cases) out.push_back(x.thread_id);
        return out;
    };
    EXPECT_EQ(ids(store->list_cases({r.id})), (std::vector{second.thread_id, first.thread_id})) << "newest first";
    s::CaseQuery by_activity{r.id};
    by_activity.by_activity = true;
    EXPECT_EQ(ids(store->list_cases(by_activity)), (std::vector{first.thread_id, second.thread_id}));
    s::CaseQuery tagged{r.id};
    tagged.tag = "wonen";
    EXPECT_EQ(ids(store->list_cases(tagged)), (std::vector{first.thread_id}));
    s::CaseQuery mine{r.id};
    mine.asked_by = b;
    EXPECT_EQ(ids(store->list_cases(mine)), (std::vector{second.thread_id}));
    s::CaseQuery unanswered{r.id};
    unanswered.unanswered = true;
    EXPECT_EQ(ids(store->list_cases(unanswered)), (std::vector{second.thread_id}));
    s::CaseQuery page{r.id};
    page.limit = 1;
    page.offset = 1;
    EXPECT_EQ(ids(store->list_cases(page)), (std::vector{first.thread_id}));
}

TEST_F(CaseStoreTest, SearchFoldsCaseAndDiacriticsAndOnlyCoversTheViewersRooms) {
    store->add_member(r.id, a, 1);
    auto c1 = ask(a, "Ouderenzorg en wonen", "De cliënt is niet geïnformeerd over de eigen bijdrage.");
    ask(a, "Werk", "Re-integratie loopt vast.");
    auto hits = store->search(a, "\"ouderenzorg\"", std::nullopt, 10, 0);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].message.id, c1.thread_id);
    EXPECT_EQ(hits[0].case_title, "Ouderenzorg en wonen");
    hits = store->search(a, "\"geinformeerd\"", std::nullopt, 10, 0);
    ASSERT_EQ(hits.size(), 1u) << "without the diaeresis";
    EXPECT_NE(hits[0].snippet.find("[geïnformeerd]"), std::string::npos) << hits[0].snippet;
    EXPECT_TRUE(store->search(b, "\"ouderenzorg\"", std::nullopt, 10, 0).empty()) << "b is no member";
    ASSERT_TRUE(store->hide_message(c1.thread_id, "privé", 50));
    EXPECT_TRUE(store->search(a, "\"ouderenzorg\"", std::nullopt, 10, 0).empty()) << "hidden messages are not found";
}

}  // namespace

namespace {

TEST_F(CaseStoreTest, RoomEventsShareTheRoomSequenceWithMessages) {
    auto joined = store->add_member(r.id, a, 1);
    ASSERT_TRUE(joined);
    EXPECT_EQ(joined->kind, s::RoomEventKind::member_joined);
    ASSERT_TRUE(joined->member);
    EXPECT_EQ(joined->member->handle, "asker");
    auto asked = store->create_case({{r.id, a, "Cliënt zoekt werk.", ++now, s::Anonymity::anonymous}, "Werk", {"werk en inkomen"}});
    ASSERT_TRUE(asked);
    const auto& first = asked->first;
    EXPECT_EQ(first.seq, joined->seq + 1);
    ASSERT_EQ(first.events.size(), 1u) << "the new case is an event after its first message";
    EXPECT_EQ(first.events[0].seq, first.seq + 1);
    EXPECT_EQ(first.events[0].detail, "open");
    auto answer = reply(b, first.id, "Probeer het UWV.", "advice");
    ASSERT_EQ(answer.events.size(), 1u) << "the first reply by someone else answers the case";
    EXPECT_EQ(answer.events[0].detail, "answered");
    EXPECT_TRUE(reply(c, first.id, "Of de gemeente.", "idea").events.empty()) << "answered already";
    auto helpful = *store->set_helpful(answer.id, true, ++now);
    EXPECT_EQ(helpful.thread_id, first.id);
    auto hidden = *store->hide_message(answer.id, "privacy", ++now);
    auto left = store->leave_room(r.id, a, ++now);
    ASSERT_TRUE(left);
    EXPECT_FALSE(store->leave_room(r.id, a, ++now)) << "leaving twice records nothing";
    EXPECT_FALSE(store->remove_member(r.id, a));

    auto events = store->room_events(r.id, 0, store->find_room(r.id, std::nullopt)->last_seq);
    std::vector<s::RoomEventKind> kinds;
    std::vector<s::Seq> seqs;
    for (const auto& e : events) {
        kinds.push_back(e.kind);
        seqs.push_back(e.seq);
    }
    using K = s::RoomEventKind;
    EXPECT_EQ(kinds, (std::vector{K::member_joined, K::case_updated, K::case_updated, K::helpful_marked,
                                  K::message_hidden, K::member_left}));
    EXPECT_EQ(seqs, (std::vector<s::Seq>{1, 3, 5, 7, 8, 9})) << "messages hold 2, 4 and 6";
    EXPECT_EQ(events[4].detail, "privacy");
    EXPECT_EQ(events[4].seq, hidden.seq);
    EXPECT_EQ(store->room_events(r.id, 3, 7).size(), 2u) << "after is exclusive, up_to inclusive";
}

TEST_F(CaseStoreTest, UnreadCountsOnlyOthersMessagesAfterTheMarker) {
    store->add_member(r.id, a, 1);
    store->add_member(r.id, b, 1);
    auto kase = ask(a, "Vraag", "tekst");
    EXPECT_EQ(store->find_room(r.id, a)->unread, 0) << "one's own post is not news";
    EXPECT_EQ(store->find_room(r.id, b)->unread, 1);
    reply(b, kase.thread_id, "antwoord", "advice");
    store->add_member(r.id, c, 1);
    EXPECT_EQ(store->find_room(r.id, a)->unread, 1) << "events are not unread messages";
    store->set_read(a, r.id, store->find_room(r.id, a)->last_seq);
    EXPECT_EQ(store->find_room(r.id, a)->unread, 0);
    EXPECT_EQ(store->find_room(r.id, std::nullopt)->unread, 0) << "no viewer, no count";
}

TEST_F(CaseStoreTest, SearchRanksTitleMatchesAboveBodyMatches) {
    store->add_member(r.id, a, 1);
    auto body_only = ask(a, "Een gezin in de knel", "Er is sprake van huurachterstand en andere schulden die oplopen.");
    auto in_title = ask(a, "Huurachterstand", "Wat kan de verhuurder nu doen?");
    auto unrelated = ask(a, "Werk", "Re-integratie.");
    auto hits = store->search(a, "\"huurachterstand\"", std::nullopt, 10, 0);
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].message.id, in_title.thread_id) << "a match in the title weighs more";
    EXPECT_EQ(hits[1].message.id, body_only.thread_id);
    EXPECT_EQ(store->search(a, "\"huurachterstand\"", std::nullopt, 1, 1)[0].message.id, body_only.thread_id)
        << "paged by offset";
    (void)unrelated;
}

}  // namespace
