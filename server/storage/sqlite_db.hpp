#pragma once
// A thin RAII layer over the SQLite C API, private to the storage folder. Failures throw
// StorageError carrying SQLite's message; result codes never leave this folder.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vraagbaak::storage::sqlite {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding is 1-based, as in SQLite. Returns *this so binds chain.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, std::nullopt_t);
    Statement& bind(int index, const std::optional<std::int64_t>& value);

    // Advances; true while a row is available.
    bool step();
    // Resets for reuse and clears bindings; called automatically before binding anew.
    void reset();

    std::int64_t int64(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool dirty_ = false;
};

// A cached statement on loan: reset when the loan ends, so no statement keeps a read
// transaction open (which would stall WAL checkpoints) after its caller is done with it.
class Query {
public:
    explicit Query(Statement& statement) : statement_(statement) {}
    ~Query() { statement_.reset(); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    Statement* operator->() { return &statement_; }
    Statement& operator*() { return statement_; }

private:
    Statement& statement_;
};

class Database {
public:
    enum class Mode { read_write, read_only };
    // read_write creates the file when missing; read_only refuses any write (SQLITE_READONLY).
    // `vfs`: a registered VFS by name; empty for SQLite's default.
    explicit Database(const std::string& path, Mode mode = Mode::read_write, const std::string& vfs = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    // A statement prepared once and reused; `sql` must be a string literal (its address is the
    // cache key).
    Query query(const char* sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() const { return db_; }
    bool in_transaction() const;

    // Moves on whenever what this connection wrote or read may have been undone or changed
    // behind it: at every rollback (its own, a savepoint's, or one SQLite makes after an I/O
    // error) and when a write transaction begins after another connection (another process,
    // such as the admin command) committed, or this one wrote outside a Transaction. What a
    // caller keeps in memory of the database is good while the epoch it was read in lasts.
    std::uint64_t epoch() const { return epoch_; }

private:
    friend class Transaction;
    struct Cache;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Cache> cache_;
    std::uint32_t data_version() const;
    std::uint64_t epoch_ = 0;
    std::uint32_t data_version_ = 0;  // as this connection's last COMMIT or BEGIN left it
};

// BEGIN IMMEDIATE on construction (the write lock is taken up front, so a transaction never
// fails half-way on a lock upgrade); ROLLBACK on destruction unless commit() was called.
// Inside an open transaction (a commit group) it is a savepoint instead: commit() releases it
// into the outer transaction, destruction undoes only its own writes.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    std::int64_t changes_before_ = 0;
    bool nested_ = false;
    bool done_ = false;
};

}  // namespace vraagbaak::storage::sqlite
