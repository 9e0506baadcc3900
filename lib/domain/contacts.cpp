#include "domain/contacts.hpp"

#include <fmt/format.h>

#include "domain/customers.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::contacts {
namespace {

constexpr const char* kSelect = R"sql(
SELECT ct.id, ct.uuid, ct.customer_id, c.name, ct.name, ct.title, ct.role, ct.phone, ct.email,
       ct.card
FROM contact ct JOIN customer c ON c.id = ct.customer_id
WHERE ct.deleted_at IS NULL)sql";

Contact read(SQLite::Statement& row) {
    Contact c;
    c.id = row.getColumn(0).getInt64();
    c.uuid = row.getColumn(1).getString();
    c.customer_id = row.getColumn(2).getInt64();
    c.customer = row.getColumn(3).getString();
    c.name = row.getColumn(4).getString();
    c.title = store::optional_text(row, 5);
    c.role = row.getColumn(6).getString();
    c.phone = store::optional_text(row, 7);
    c.email = store::optional_text(row, 8);
    c.card = row.getColumn(9).getInt() != 0;
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
    if (key.empty()) throw UsageError("contact: must not be empty");
    std::optional<std::string> role;
    if (input.role) role = vocab::parse("role", *input.role, vocab::contact_roles);
    auto title = text::clean_text(input.title, "title");
    auto phone = blank_is_absent(text::clean_text(input.phone, "phone"));
    auto email = blank_is_absent(text::clean_text(input.email, "email"));
    if (phone && text::match_key(*phone).find_first_not_of("0123456789+-() #") != std::string::npos)
        throw UsageError(fmt::format("phone: '{}' has characters a phone number does not", *phone));
    check_email(email);
    std::string now = s.now_utc();

    auto find = s.prepare(std::string(kSelect) + " AND ct.customer_id = ? AND ct.name_key = ?");
    find->bind(1, customer_id);
    find->bind(2, key);
    if (find->executeStep()) {
        Contact existing = read(*find);
        auto q = s.prepare(R"sql(
UPDATE contact SET title = COALESCE(?, title), role = COALESCE(?, role),
       phone = COALESCE(?, phone), email = COALESCE(?, email),
       card = CASE WHEN ? = 1 THEN 1 ELSE card END, updated_at = ?
WHERE id = ?)sql");
        store::bind_optional(*q, 1, title);
        store::bind_optional(*q, 2, role);
        store::bind_optional(*q, 3, phone);
        store::bind_optional(*q, 4, email);
        q->bind(5, input.card.value_or(false) ? 1 : 0);
        q->bind(6, now);
        q->bind(7, existing.id);
        q->exec();
        if (title) store::index_customer_visits(s.store, customer_id);
        for (auto& c : for_customer(s, customer_id))
            if (c.id == existing.id) return c;
    }
    auto q = s.prepare(R"sql(
INSERT INTO contact (uuid, customer_id, name, name_key, title, role, phone, email, card,
                     created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    q->bind(1, s.uuids.next());
    q->bind(2, customer_id);
    q->bind(3, name);
    q->bind(4, key);
    store::bind_optional(*q, 5, title);
    q->bind(6, role.value_or("other"));
    store::bind_optional(*q, 7, phone);
    store::bind_optional(*q, 8, email);
    q->bind(9, input.card.value_or(false) ? 1 : 0);
    q->bind(10, now);
    q->bind(11, now);
    q->exec();
    std::int64_t id = s.db().getLastInsertRowid();
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
    auto q = s.prepare(std::string(kSelect) + " AND ct.customer_id = ? ORDER BY ct.id");
    q->bind(1, customer_id);
    std::vector<Contact> out;
    while (q->executeStep()) out.push_back(read(*q));
    return out;
}

}  // namespace fieldbook::contacts
