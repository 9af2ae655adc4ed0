#include "app/admin.hpp"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/accountability.hpp"
#include "storage/backup.hpp"
#include "core/moderation.hpp"
#include "core/visibility.hpp"
#include "vraagbaak/protocol/codec.hpp"
#include "core/hub.hpp"
#include "core/password.hpp"
#include "storage/sqlite_store.hpp"
#include "vraagbaak/protocol/limits.hpp"
#include "vraagbaak/protocol/text.hpp"

namespace vraagbaak::app {

namespace p = vraagbaak::protocol;

namespace {

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

// The password from stdin, or a generated one; nullopt (reported) when it breaks the policy.
std::optional<std::string> obtain_password(const AdminContext& ctx, const std::string& handle,
                                           bool from_stdin, bool& generated) {
    generated = !from_stdin;
    if (!from_stdin) return core::random_password(14);
    std::string password;
    std::getline(ctx.in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (auto err = core::check_password_policy(handle, password)) {
        ctx.err << "vraagbaak-server admin: " << err->message << "\n";
        return std::nullopt;
    }
    return password;
}

int report(const AdminContext& ctx, const p::Error& error) {
    ctx.err << "vraagbaak-server admin: " << p::to_string(error.code) << ": " << error.message << "\n";
    return 1;
}

std::optional<storage::Account> account_named(const AdminContext& ctx, storage::Store& store,
                                               const std::string& handle) {
    auto account = store.find_account_by_handle(handle);
    if (!account) ctx.err << "vraagbaak-server admin: no account '" << handle << "'\n";
    return account;
}

std::string role_list() { return "member, organiser, moderator or admin"; }

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
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "organisation_created",
                            "organisation:" + org->code, org->name});
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
                   const std::string& role_name, bool password_stdin) {
    auto role = p::role_from_string(role_name);
    if (!role) {
        ctx.err << "vraagbaak-server admin: --role must be " << role_list() << "\n";
        return 1;
    }
    if (!p::is_valid_handle(handle) || handle.size() < p::kMinHandleChars ||
        handle.size() > p::kMaxHandleChars) {
        ctx.err << "vraagbaak-server admin: --handle must be " << p::kMinHandleChars << " to "
                << p::kMaxHandleChars
                << " characters: lowercase letters, digits, '.', '_' or '-', starting with a "
                   "letter\n";
        return 1;
    }
    if (!valid_text(ctx, "--name", display_name, p::kMaxDisplayNameChars)) return 1;
    bool generated = false;
    auto password_value = obtain_password(ctx, handle, password_stdin, generated);
    if (!password_value) return 1;
    const std::string& password = *password_value;
    return with_store(ctx, [&](storage::Store& store) {
        std::optional<storage::OrganisationId> org_id;
        if (org_code) {
            if (auto o = store.find_organisation_by_code(*org_code)) org_id = o->id;
            if (!org_id) {
                ctx.err << "vraagbaak-server admin: no organisation with code '" << *org_code
                        << "'\n";
                return 1;
            }
        }
        auto account = store.create_account(
            {handle, display_name, org_id,
             core::hash_password(password, core::PasswordCost::interactive()),
             core::system_clock_ms(), *role});
        if (!account) {
            ctx.err << "vraagbaak-server admin: the handle '" << handle << "' is taken\n";
            return 1;
        }
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "account_created",
                            "account:" + std::to_string(account->id), std::string(p::to_string(*role))});
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
                    << (a.organisation ? a.organisation->code : "-") << "\t" << p::to_string(a.role)
                    << "\t" << (a.disabled ? "disabled" : "active") << "\n";
        return 0;
    });
}

int admin_add_room(const AdminContext& ctx, const std::string& name, const std::string& topic,
                   const std::string& levels) {
    if (!valid_text(ctx, "--name", name, p::kMaxRoomNameChars)) return 1;
    if (!topic.empty() && !valid_text(ctx, "--topic", topic, p::kMaxTopicChars)) return 1;
    storage::NewRoom spec{name, topic, std::nullopt, core::system_clock_ms()};
    if (!levels.empty()) {
        auto parsed = p::levels_from_csv(levels);
        if (!parsed) {
            ctx.err << "vraagbaak-server admin: --levels is a comma-separated list of named, "
                       "organisation, anonymous\n";
            return 1;
        }
        spec.allowed_levels = *parsed;
    }
    return with_store(ctx, [&](storage::Store& store) {
        auto room = store.create_room(spec);
        if (!room) {
            ctx.err << "vraagbaak-server admin: a room named '" << name << "' exists\n";
            return 1;
        }
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "room_created", "room:" + std::to_string(room->id),
                            room->name, room->id});
        ctx.out << room->id << "\t" << room->name << "\n";
        return 0;
    });
}

int admin_set_disabled(const AdminContext& ctx, const std::string& handle, bool disabled) {
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        store.set_disabled(account->id, disabled);
        int revoked = disabled ? store.revoke_sessions_of(account->id) : 0;
        store.append_audit({0, core::system_clock_ms(), std::nullopt,
                            disabled ? "account_disabled" : "account_enabled",
                            "account:" + std::to_string(account->id), "admin command"});
        ctx.out << account->id << "\t" << handle << "\t" << (disabled ? "disabled" : "active");
        if (disabled) ctx.out << "\t" << revoked << " sessions revoked";
        ctx.out << "\n";
        return 0;
    });
}

int admin_reset_password(const AdminContext& ctx, const std::string& handle, bool password_stdin) {
    bool generated = false;
    auto password = obtain_password(ctx, handle, password_stdin, generated);
    if (!password) return 1;
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        store.set_password_hash(account->id,
                                core::hash_password(*password, core::PasswordCost::interactive()));
        store.revoke_sessions_of(account->id);
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "password_reset",
                            "account:" + std::to_string(account->id), "admin command"});
        ctx.out << account->id << "\t" << handle;
        if (generated) ctx.out << "\t" << *password;
        ctx.out << "\n";
        return 0;
    });
}

int admin_set_role(const AdminContext& ctx, const std::string& handle, const std::string& role_name) {
    auto role = p::role_from_string(role_name);
    if (!role) {
        ctx.err << "vraagbaak-server admin: --role must be " << role_list() << "\n";
        return 1;
    }
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        store.set_role(account->id, *role);
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "role_changed",
                            "account:" + std::to_string(account->id),
                            std::string(p::to_string(account->role)) + " -> " + role_name});
        ctx.out << account->id << "\t" << handle << "\t" << role_name << "\n";
        return 0;
    });
}

int admin_revoke_sessions(const AdminContext& ctx, const std::string& handle) {
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        const int revoked = store.revoke_sessions_of(account->id);
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "sessions_revoked",
                            "account:" + std::to_string(account->id), std::to_string(revoked) + " sessions"});
        ctx.out << account->id << "\t" << handle << "\t" << revoked << "\n";
        return 0;
    });
}

int admin_create_invite(const AdminContext& ctx, const std::string& org_code, int max_uses, int hours) {
    return with_store(ctx, [&](storage::Store& store) {
        auto org = store.find_organisation_by_code(org_code);
        if (!org) {
            ctx.err << "vraagbaak-server admin: no organisation with code '" << org_code << "'\n";
            return 1;
        }
        auto issued = core::issue_invite(store, nullptr, org->id, max_uses, hours, core::system_clock_ms());
        if (!issued) return report(ctx, issued.error());
        const auto& i = issued->invite;
        ctx.out << i.id << "\t" << issued->code << "\t" << org->code << "\t" << i.max_uses << "\t"
                << i.expires_ms << "\n";
        return 0;
    });
}

int admin_list_invites(const AdminContext& ctx) {
    return with_store(ctx, [&](storage::Store& store) {
        auto now = core::system_clock_ms();
        for (const auto& i : store.list_invites()) {
            const char* state = i.revoked ? "revoked"
                                : i.expires_ms <= now ? "expired"
                                : i.uses >= i.max_uses ? "used-up"
                                                       : "open";
            ctx.out << i.id << "\t" << i.organisation_id << "\t" << i.uses << "/" << i.max_uses
                    << "\t" << i.expires_ms << "\t" << state << "\n";
        }
        return 0;
    });
}

int admin_revoke_invite(const AdminContext& ctx, std::int64_t invite_id) {
    return with_store(ctx, [&](storage::Store& store) {
        if (!store.revoke_invite(invite_id)) {
            ctx.err << "vraagbaak-server admin: no open invite " << invite_id << "\n";
            return 1;
        }
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "invite_revoked",
                            "invite:" + std::to_string(invite_id), "admin command"});
        ctx.out << invite_id << "\trevoked\n";
        return 0;
    });
}

int admin_request_reveal(const AdminContext& ctx, const std::string& as_handle,
                         std::int64_t message_id, const std::string& reason) {
    if (!valid_text(ctx, "--reason", reason, p::kMaxReasonChars)) return 1;
    return with_store(ctx, [&](storage::Store& store) {
        auto actor = account_named(ctx, store, as_handle);
        if (!actor) return 1;
        auto reveal = core::request_reveal(store, *actor, message_id, reason, core::system_clock_ms());
        if (!reveal) return report(ctx, reveal.error());
        ctx.out << reveal->id << "\n";
        return 0;
    });
}

int admin_approve_reveal(const AdminContext& ctx, const std::string& as_handle, std::int64_t reveal_id) {
    return with_store(ctx, [&](storage::Store& store) {
        auto actor = account_named(ctx, store, as_handle);
        if (!actor) return 1;
        auto result = core::approve_reveal(store, *actor, reveal_id, core::system_clock_ms());
        if (!result) return report(ctx, result.error());
        const auto& a = result->message.author;
        ctx.out << result->message.id << "\t" << a.id << "\t" << a.handle << "\t" << a.display_name
                << "\t" << (a.organisation ? a.organisation->name : "-") << "\n";
        return 0;
    });
}

int admin_audit(const AdminContext& ctx, int limit, std::optional<std::int64_t> room) {
    return with_store(ctx, [&](storage::Store& store) {
        for (const auto& e : store.list_audit({room, std::nullopt, limit}))
            ctx.out << e.id << "\t" << e.ts_ms << "\t"
                    << (e.actor_id ? std::to_string(*e.actor_id) : "-") << "\t"
                    << (e.room_id ? std::to_string(*e.room_id) : "-") << "\t" << e.action << "\t"
                    << e.target << "\t" << e.reason << "\n";
        return 0;
    });
}

int admin_ban_user(const AdminContext& ctx, const std::string& handle, std::optional<std::int64_t> duration_s,
                   const std::string& reason) {
    return with_store(ctx, [&](storage::Store& store) {
        auto banned = core::ban_account(store, nullptr, handle, duration_s, reason, core::system_clock_ms());
        if (!banned) return report(ctx, banned.error());
        ctx.out << banned->account_id << "\t" << handle << "\t"
                << (banned->lifted ? "lifted" : banned->until_ms ? std::to_string(*banned->until_ms) : "for good")
                << "\n";
        return 0;
    });
}

int admin_export_user(const AdminContext& ctx, const std::string& handle) {
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        auto data = store.export_account(account->id);
        if (!data) return 1;
        // The same JSON as the protocol's export_my_data result.
        auto frame = nlohmann::json::parse(p::encode_reply("export", p::ReplyBody{core::export_view(*data)}));
        ctx.out << frame["result"].dump(2) << "\n";
        store.append_audit({0, core::system_clock_ms(), std::nullopt, "account_exported",
                            "account:" + std::to_string(account->id), "admin command"});
        return 0;
    });
}

int admin_erase_user(const AdminContext& ctx, const std::string& handle, const std::string& posts) {
    if (posts != "keep" && posts != "delete") {
        ctx.err << "vraagbaak-server admin: --posts must be keep or delete\n";
        return 1;
    }
    return with_store(ctx, [&](storage::Store& store) {
        auto account = account_named(ctx, store, handle);
        if (!account) return 1;
        store.erase_account(account->id, posts == "delete", core::system_clock_ms());
        ctx.out << account->id << "\terased\t" << (posts == "delete" ? "posts deleted" : "posts kept without author")
                << "\n";
        return 0;
    });
}

int admin_backup(const AdminContext& ctx, const std::string& to) {
    try {
        storage::backup_database(ctx.db_path, to);
        ctx.out << to << "\tschema " << storage::schema_version_of(to) << "\n";
        return 0;
    } catch (const storage::StorageError& e) {
        ctx.err << "vraagbaak-server admin: " << e.what() << "\n";
        return 1;
    }
}

int admin_restore(const AdminContext& ctx, const std::string& from) {
    try {
        storage::restore_database(from, ctx.db_path);
        ctx.out << ctx.db_path << "\trestored from " << from << "\n";
        return 0;
    } catch (const storage::StorageError& e) {
        ctx.err << "vraagbaak-server admin: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace vraagbaak::app
