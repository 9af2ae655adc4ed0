#include "core/retention.hpp"

#include "storage/store.hpp"
#include "support/log.hpp"

namespace vraagbaak::core {

int run_retention(storage::Store& store, std::int64_t now_ms) {
    const int purged = store.purge_expired_cases(now_ms);
    if (purged > 0) {
        store.append_audit({0, now_ms, std::nullopt, "cases_purged", "retention", std::to_string(purged) + " cases"});
        log::info("core", "retention", {{"cases", purged}});
    }
    return purged;
}

}  // namespace vraagbaak::core
