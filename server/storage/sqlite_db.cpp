#include "storage/sqlite_db.hpp"

#include <sqlite3.h>

#include <chrono>
#include <unordered_map>

#include "support/metrics.hpp"

#include "storage/store.hpp"

namespace vraagbaak::storage::sqlite {
namespace {

[[noreturn]] void raise(sqlite3* db, int rc, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw StorageError(msg);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) raise(db, rc, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    dirty_ = false;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (dirty_) reset();
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) raise(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (dirty_) reset();
    int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) raise(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    if (dirty_) reset();
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) raise(db_, rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
}

bool Statement::step() {
    dirty_ = true;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    raise(db_, rc, "step");
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

struct Database::Cache {
    std::unordered_map<const char*, std::unique_ptr<Statement>> statements;
};

Database::Database(const std::string& path, Mode mode, const std::string& vfs) : cache_(std::make_unique<Cache>()) {
    const int access = mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path.c_str(), &db_, access | SQLITE_OPEN_NOMUTEX, vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open database '" + path + "': " +
                          (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw StorageError(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_rollback_hook(db_, [](void* self) { ++static_cast<Database*>(self)->epoch_; }, this);
}

Database::~Database() {
    cache_.reset();  // statements must be finalized before the connection closes
    sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StorageError("exec: " + msg);
    }
}

Query Database::query(const char* sql) {
    metrics::get().store_queries.fetch_add(1, std::memory_order_relaxed);
    auto& slot = cache_->statements[sql];
    if (!slot) slot = std::make_unique<Statement>(db_, sql);
    return Query(*slot);
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

// The pager's counter (a file control, not a statement), which moves whenever the file changed
// since this connection last looked: by its own writes or another connection's commit.
std::uint32_t Database::data_version() const {
    unsigned int version = 0;
    sqlite3_file_control(db_, "main", SQLITE_FCNTL_DATA_VERSION, &version);
    return version;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

// Savepoints come and go with every write inside a commit group: prepared once, not parsed each
// time as exec() would.
Transaction::Transaction(Database& db)
    : db_(db), changes_before_(sqlite3_total_changes64(db.handle())), nested_(sqlite3_get_autocommit(db.handle()) == 0) {
    if (nested_) {
        db_.query("SAVEPOINT nested")->step();
        return;
    }
    db_.exec("BEGIN IMMEDIATE");
    // With the write lock held no other connection can commit until this one ends, so the
    // version read now holds for the whole transaction. It moves with this connection's own
    // commits too: commit() notes the version each one leaves (an own write outside a
    // Transaction starts a new epoch needlessly, which costs a few reads).
    if (const auto version = db_.data_version(); version != db_.data_version_) {
        ++db_.epoch_;
        db_.data_version_ = version;
    }
}

Transaction::~Transaction() {
    if (done_) return;
    ++db_.epoch_;  // a full ROLLBACK also runs the rollback hook; a savepoint's does not
    try {
        if (nested_) {
            db_.query("ROLLBACK TO nested")->step();
            db_.query("RELEASE nested")->step();
        } else {
            db_.exec("ROLLBACK");
        }
    } catch (const StorageError&) {
        // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); nothing to do.
    }
}

void Transaction::commit() {
    if (nested_) {
        db_.query("RELEASE nested")->step();  // part of the outer transaction now; durable with its COMMIT
        done_ = true;
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    db_.exec("COMMIT");  // with synchronous=FULL: the fsync is here
    done_ = true;
    db_.data_version_ = db_.data_version();
    auto& m = metrics::get();
    m.commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    m.rows_per_commit.observe(static_cast<double>(sqlite3_total_changes64(db_.handle()) - changes_before_));
}

}  // namespace vraagbaak::storage::sqlite
