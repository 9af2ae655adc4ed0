#pragma once
// The storage interface: the operations the core needs, in domain types. Nothing of SQLite
// shows here, so the core can be tested against a fake and the engine could be swapped.
//
// Contract for every implementation:
// - Expected outcomes (not found, name taken, already a member) are return values.
// - Unexpected failures (I/O error, disk full, database busy past its timeout, corruption) throw
//   StorageError; the operation then had no effect. The core turns it into a typed reply.
// - Every member function may be called from any thread; implementations serialise internally.
// - A write has been committed durably when the call returns.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.hpp"

namespace vraagbaak::storage {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Store {
public:
    virtual ~Store() = default;

    // Organisations and accounts.
    virtual std::optional<Organisation> create_organisation(std::string_view name,
                                                            std::string_view code,
                                                            TimestampMs now) = 0;
    virtual std::vector<Organisation> list_organisations() = 0;
    // nullopt when the handle is taken.
    virtual std::optional<Account> create_account(const NewAccount& account) = 0;
    virtual std::optional<Account> find_account(AccountId id) = 0;
    virtual std::optional<Account> find_account_by_handle(std::string_view handle) = 0;
    virtual std::vector<Account> list_accounts() = 0;
    virtual std::int64_t count_accounts() = 0;

    // Rooms. Names are unique regardless of ASCII case; nullopt when taken.
    virtual std::optional<Room> create_room(const NewRoom& room) = 0;
    virtual std::optional<Room> find_room(RoomId id, std::optional<AccountId> viewer) = 0;
    virtual std::vector<Room> list_rooms(std::optional<AccountId> viewer) = 0;

    // Membership is persistent: it outlives connections. add/remove return whether anything
    // changed.
    virtual bool add_member(RoomId room, AccountId account, TimestampMs now) = 0;
    virtual bool remove_member(RoomId room, AccountId account) = 0;
    virtual bool is_member(RoomId room, AccountId account) = 0;
    virtual std::vector<RoomId> rooms_of(AccountId account) = 0;

    // Appends a message and assigns the room's next sequence number in the same transaction,
    // so sequence numbers are strictly increasing without gaps. The room must exist.
    virtual Message append_message(const NewMessage& message) = 0;
    virtual HistoryPage history(RoomId room, const HistoryQuery& query) = 0;

    // Whether the database answers a trivial query.
    virtual bool healthy() = 0;
};

}  // namespace vraagbaak::storage
