#include "app/tryout.hpp"

#include "core/hub.hpp"
#include "core/password.hpp"

namespace vraagbaak::app {

std::vector<TryoutAccount> seed_tryout(storage::Store& store) {
    if (store.count_accounts() > 0) return {};
    const auto now = core::system_clock_ms();
    auto buurtteam = store.create_organisation("Buurtteam Amsterdam-Oost", "BTO", now);
    auto schuldhulp = store.create_organisation("Schuldhulpverlening Amsterdam", "SHV", now);

    std::vector<TryoutAccount> accounts{
        {"anna", "Anna de Vries", buurtteam ? buurtteam->name : "", core::random_password(12)},
        {"bram", "Bram Jansen", schuldhulp ? schuldhulp->name : "", core::random_password(12)},
    };
    std::vector<storage::Account> created;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        auto org = i == 0 ? buurtteam : schuldhulp;
        auto account = store.create_account(
            {accounts[i].handle, accounts[i].display_name,
             org ? std::optional<storage::OrganisationId>(org->id) : std::nullopt,
             core::hash_password(accounts[i].password, core::PasswordCost::interactive()), now,
             i == 0 ? protocol::Role::organiser : protocol::Role::member});
        if (account) created.push_back(*account);
    }
    const std::pair<const char*, const char*> rooms[] = {
        {"schulden", "Vraagstukken over schulden, betalingsregelingen en beslag"},
        {"wonen", "Huisvesting, huurachterstand, urgentie en dakloosheid"},
        {"werk-en-inkomen", "Uitkering, re-integratie en regels die knellen"},
    };
    for (const auto& [name, topic] : rooms) {
        auto room = store.create_room({name, topic, std::nullopt, now});
        if (!room) continue;
        for (const auto& account : created) store.add_member(room->id, account.id, now);
    }
    return accounts;
}

void print_tryout(std::ostream& out, const std::vector<TryoutAccount>& accounts,
                  const std::string& url) {
    out << "try-out mode: seeded an empty database with these accounts (anna is an organiser):\n";
    for (const auto& a : accounts)
        out << "  " << a.handle << "  password " << a.password << "  (" << a.display_name << ", "
            << a.organisation << ")\n";
    out << "connect with:  build/default/client/vraagbaak --url " << url << " --user " << accounts.front().handle
        << (url.rfind("wss://", 0) == 0 ? " --ca-file CERTIFICATE.pem" : "") << "\n";
    out.flush();
}

}  // namespace vraagbaak::app
