#include "domain/contacts.hpp"

#include <fmt/format.h>

#include "domain/customers.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::contacts {
namespace {

constexpr const char* kSelect = R"sql(
SELECT ct.id, ct.uuid, ct.customer_id, c.name AS customer, ct.name, ct.title, ct.role, ct.phone,
       ct.email, ct.card
FROM contact ct JOIN customer c ON c.id = ct.customer_id
WHERE ct.deleted_at IS NULL)sql";

Contact read(const store::Row& row) {
    Contact c;
    c.id = row.integer("id");
    c.uuid = row.text("uuid");
    c.customer_id = row.integer("customer_id");
    c.customer = row.text("customer");
    c.name = row.text("name");
    c.title = row.optional_text("title");
    c.role = row.text("role");
    c.phone = row.optional_text("phone");
    c.email = row.optional_text("email");
    c.card = row.integer("card") != 0;
    return c;
}

// "" typed for a phone or email means there is none: a blank number must not invite a call.
std::optional<std::string> blank_is_absent(std::optional<std::string> value) {
    if (value && text::match_key(*value).empty()) return std::nullopt;
    return value;
}

void check_email(const std::optional<std::string>& email) {
    if (email && !email->empty() && email->find('@') == std::string::npos)
        throw UsageError(fmt::format("email: '{}' has no '@'", *email));
}

}  // namespace

Contact upsert(Session& s, std::int64_t customer_id, const ContactInput& input) {
    std::string name = text::clean_input(input.name, "contact");
    std::string key = text::match_key(name);
    std::optional<std::string> role;
    if (input.role) role = vocab::parse("role", *input.role, vocab::contact_roles);
    auto title = text::clean_text(input.title, "title");
    auto phone = blank_is_absent(text::clean_text(input.phone, "phone"));
    auto email = blank_is_absent(text::clean_text(input.email, "email"));
    if (phone && text::match_key(*phone).find_first_not_of("0123456789+-() #") != std::string::npos)
        throw UsageError(fmt::format("phone: '{}' has characters a phone number does not", *phone));
    check_email(email);
    bool card = input.card.value_or(false);
    store::Tx& tx = s.tx();
    // A contact without a name is a number or an address (a reception desk's): it is the same
    // contact as the unnamed one with that number or address.
    if (key.empty() && !phone && !email)
        throw UsageError("contact: must not be empty",
                         "name the person met, or give the --phone or --email reached");
    std::optional<store::Row> found;
    if (!key.empty())
        found = tx.one(std::string(kSelect) + " AND ct.customer_id = ? AND ct.name_key = ?",
                       {customer_id, key});
    else
        found = tx.one(std::string(kSelect) +
                           " AND ct.customer_id = ? AND ct.name_key = '' AND (ct.phone = ? OR "
                           "ct.email = ?) ORDER BY ct.id LIMIT 1",
                       {customer_id, store::value_of(phone), store::value_of(email)});
    if (found) {
        Contact existing = read(*found);
        // Only the details given change; a card once obtained stays obtained.
        store::Fields changes;
        if (title) changes.emplace_back("title", *title);
        if (role) changes.emplace_back("role", *role);
        if (phone) changes.emplace_back("phone", *phone);
        if (email) changes.emplace_back("email", *email);
        if (card) changes.emplace_back("card", std::int64_t{1});
        tx.update("contact", existing.id, changes);
        if (title) store::index_customer_visits(s.store, customer_id);
        for (auto& c : for_customer(s, customer_id))
            if (c.id == existing.id) return c;
    }
    std::int64_t id = tx.insert("contact", {{"customer_id", customer_id},
                                            {"name", name},
                                            {"name_key", key},
                                            {"title", store::value_of(title)},
                                            {"role", role.value_or("other")},
                                            {"phone", store::value_of(phone)},
                                            {"email", store::value_of(email)},
                                            {"card", std::int64_t{card ? 1 : 0}}})
                          .id;
    for (auto& c : for_customer(s, customer_id))
        if (c.id == id) return c;
    throw SystemError("contact vanished after insert");
}

Contact upsert(Session& s, const reps::Rep& by, std::int64_t customer_id,
               const ContactInput& input) {
    auto customer = customers::get(s, customer_id);
    if (!customer) throw NotFound(fmt::format("customer: no customer with id {}", customer_id));
    customers::require_may_change(s, by, "contact add", *customer);
    return upsert(s, customer_id, input);
}

std::vector<Contact> for_customer(Session& s, std::int64_t customer_id) {
    std::vector<Contact> out;
    s.tx().each(std::string(kSelect) + " AND ct.customer_id = ? ORDER BY ct.id", {customer_id},
                [&](const store::Row& row) { out.push_back(read(row)); });
    return out;
}

}  // namespace fieldbook::contacts
