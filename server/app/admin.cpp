#include "app/admin.hpp"

#include <iostream>
#include <memory>

#include "core/hub.hpp"
#include "core/password.hpp"
#include "storage/sqlite_store.hpp"
#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::app {

namespace p = vraagbaak::protocol;

namespace {

constexpr std::size_t kMinPasswordBytes = 8;

// Runs `fn` against an opened store, reporting storage failures as an operator would want.
template <typename Fn>
int with_store(const AdminContext& ctx, Fn&& fn) {
    try {
        core::init_crypto();
        storage::SqliteStore store({ctx.db_path});
        return fn(store);
    } catch (const storage::StorageError& e) {
        ctx.err << "vraagbaak-server admin: " << e.what() << "\n";
        return 2;
    }
}

bool valid_text(const AdminContext& ctx, const char* what, const std::string& value,
                std::size_t max_chars) {
    if (!p::is_valid_utf8(value) || p::has_control_chars(value, false) || p::is_blank(value) ||
        p::utf8_length(value) > max_chars) {
        ctx.err << "vraagbaak-server admin: " << what << " must be 1 to " << max_chars
                << " printable characters\n";
        return false;
    }
    return true;
}

}  // namespace

int admin_add_org(const AdminContext& ctx, const std::string& name, const std::string& code) {
    if (!valid_text(ctx, "--name", name, 120) || !valid_text(ctx, "--code", code, 16)) return 1;
    return with_store(ctx, [&](storage::Store& store) {
        auto org = store.create_organisation(name, code, core::system_clock_ms());
        if (!org) {
            ctx.err << "vraagbaak-server admin: an organisation with that name or code exists\n";
            return 1;
        }
        ctx.out << org->id << "\t" << org->code << "\t" << org->name << "\n";
        return 0;
    });
}

int admin_list_orgs(const AdminContext& ctx) {
    return with_store(ctx, [&](storage::Store& store) {
        for (const auto& o : store.list_organisations())
            ctx.out << o.id << "\t" << o.code << "\t" << o.name << "\n";
        return 0;
    });
}

int admin_add_user(const AdminContext& ctx, const std::string& handle,
                   const std::string& display_name, const std::optional<std::string>& org_code,
                   bool password_stdin) {
    if (!p::is_valid_handle(handle) || handle.size() < p::kMinHandleChars ||
        handle.size() > p::kMaxHandleChars) {
        ctx.err << "vraagbaak-server admin: --handle must be " << p::kMinHandleChars << " to "
                << p::kMaxHandleChars
                << " characters: lowercase letters, digits, '.', '_' or '-', starting with a "
                   "letter\n";
        return 1;
    }
    if (!valid_text(ctx, "--name", display_name, p::kMaxDisplayNameChars)) return 1;
    std::string password;
    bool generated = false;
    if (password_stdin) {
        std::getline(ctx.in, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
        if (password.size() < kMinPasswordBytes || password.size() > p::kMaxPasswordBytes) {
            ctx.err << "vraagbaak-server admin: the password must be " << kMinPasswordBytes
                    << " to " << p::kMaxPasswordBytes << " bytes\n";
            return 1;
        }
    } else {
        password = core::random_password(14);
        generated = true;
    }
    return with_store(ctx, [&](storage::Store& store) {
        std::optional<storage::OrganisationId> org_id;
        if (org_code) {
            for (const auto& o : store.list_organisations())
                if (o.code == *org_code) org_id = o.id;
            if (!org_id) {
                ctx.err << "vraagbaak-server admin: no organisation with code '" << *org_code
                        << "'\n";
                return 1;
            }
        }
        auto account = store.create_account(
            {handle, display_name, org_id,
             core::hash_password(password, core::PasswordCost::interactive()),
             core::system_clock_ms()});
        if (!account) {
            ctx.err << "vraagbaak-server admin: the handle '" << handle << "' is taken\n";
            return 1;
        }
        ctx.out << account->id << "\t" << account->handle;
        if (generated) ctx.out << "\t" << password;
        ctx.out << "\n";
        return 0;
    });
}

int admin_list_users(const AdminContext& ctx) {
    return with_store(ctx, [&](storage::Store& store) {
        for (const auto& a : store.list_accounts())
            ctx.out << a.id << "\t" << a.handle << "\t" << a.display_name << "\t"
                    << (a.organisation_id ? std::to_string(*a.organisation_id) : "-") << "\t"
                    << (a.disabled ? "disabled" : "active") << "\n";
        return 0;
    });
}

int admin_add_room(const AdminContext& ctx, const std::string& name, const std::string& topic) {
    if (!valid_text(ctx, "--name", name, p::kMaxRoomNameChars)) return 1;
    if (!topic.empty() && !valid_text(ctx, "--topic", topic, p::kMaxTopicChars)) return 1;
    return with_store(ctx, [&](storage::Store& store) {
        auto room = store.create_room({name, topic, std::nullopt, core::system_clock_ms()});
        if (!room) {
            ctx.err << "vraagbaak-server admin: a room named '" << name << "' exists\n";
            return 1;
        }
        ctx.out << room->id << "\t" << room->name << "\n";
        return 0;
    });
}

}  // namespace vraagbaak::app
