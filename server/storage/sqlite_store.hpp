#pragma once
// The SQLite implementation of Store: one connection in WAL mode with synchronous=FULL, so a
// returned write survives a crash of the process or the machine. Calls are serialised by a
// mutex; the connection is opened with SQLITE_OPEN_NOMUTEX because of it.

#include <memory>
#include <mutex>
#include <string>

#include "storage/store.hpp"

namespace vraagbaak::storage {

namespace sqlite {
class Database;
}

struct SqliteOptions {
    std::string path;
    int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
public:
    // Opens (creating if needed) and migrates. Throws StorageError when the file cannot be
    // opened, is not a database, or has a newer schema.
    explicit SqliteStore(const SqliteOptions& options);
    ~SqliteStore() override;

    std::optional<Organisation> create_organisation(std::string_view name, std::string_view code,
                                                    TimestampMs now) override;
    std::vector<Organisation> list_organisations() override;
    std::optional<Account> create_account(const NewAccount& account) override;
    std::optional<Account> find_account(AccountId id) override;
    std::optional<Account> find_account_by_handle(std::string_view handle) override;
    std::vector<Account> list_accounts() override;
    std::int64_t count_accounts() override;

    std::optional<Room> create_room(const NewRoom& room) override;
    std::optional<Room> find_room(RoomId id, std::optional<AccountId> viewer) override;
    std::vector<Room> list_rooms(std::optional<AccountId> viewer) override;

    bool add_member(RoomId room, AccountId account, TimestampMs now) override;
    bool remove_member(RoomId room, AccountId account) override;
    bool is_member(RoomId room, AccountId account) override;
    std::vector<RoomId> rooms_of(AccountId account) override;

    Message append_message(const NewMessage& message) override;
    HistoryPage history(RoomId room, const HistoryQuery& query) override;

    bool healthy() override;

    int schema_version();

private:
    std::mutex mutex_;
    std::unique_ptr<sqlite::Database> db_;
};

}  // namespace vraagbaak::storage
