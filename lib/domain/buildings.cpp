#include "domain/buildings.hpp"

#include "errors.hpp"
#include "store/row.hpp"
#include "text/unicode.hpp"

namespace fieldbook::buildings {

std::optional<std::int64_t> find(Session& s, std::string_view name) {
    auto q = s.prepare("SELECT id FROM building WHERE name_key = ? AND deleted_at IS NULL");
    q->bind(1, text::match_key(name));
    if (q->executeStep()) return q->getColumn(0).getInt64();
    return std::nullopt;
}

std::int64_t find_or_create(Session& s, const BuildingInput& input) {
    std::string name = text::clean_input(input.name, "building");
    if (text::match_key(name).empty()) throw UsageError("building: must not be empty");
    auto clean = [](const std::optional<std::string>& v, std::string_view field) {
        return v ? std::optional(text::clean_input(*v, field)) : std::nullopt;
    };
    std::string now = s.now_utc();
    if (auto id = find(s, name)) {
        auto q = s.prepare(R"sql(
UPDATE building SET address = COALESCE(address, ?), district = COALESCE(district, ?),
       floors = COALESCE(floors, ?), property_contact = COALESCE(property_contact, ?)
WHERE id = ?)sql");
        store::bind_optional(*q, 1, clean(input.address, "address"));
        store::bind_optional(*q, 2, clean(input.district, "district"));
        store::bind_optional(*q, 3, input.floors);
        store::bind_optional(*q, 4, clean(input.property_contact, "property contact"));
        q->bind(5, *id);
        q->exec();
        return *id;
    }
    auto q = s.prepare(R"sql(
INSERT INTO building (uuid, name, name_key, address, district, floors, property_contact,
                      created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    q->bind(1, s.uuids.next());
    q->bind(2, name);
    q->bind(3, text::match_key(name));
    store::bind_optional(*q, 4, clean(input.address, "address"));
    store::bind_optional(*q, 5, clean(input.district, "district"));
    store::bind_optional(*q, 6, input.floors);
    store::bind_optional(*q, 7, clean(input.property_contact, "property contact"));
    q->bind(8, now);
    q->bind(9, now);
    q->exec();
    return s.db().getLastInsertRowid();
}

}  // namespace fieldbook::buildings
