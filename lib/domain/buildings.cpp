#include "domain/buildings.hpp"

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::buildings {

std::optional<std::int64_t> find(Session& s, std::string_view name) {
    auto row = s.tx().one("SELECT id FROM building WHERE name_key = ? AND deleted_at IS NULL",
                          {text::match_key(name)});
    if (row) return row->integer("id");
    return std::nullopt;
}

std::int64_t find_or_create(Session& s, const BuildingInput& input) {
    std::string name = text::clean_input(input.name, "building");
    if (text::match_key(name).empty()) throw UsageError("building: must not be empty");
    auto clean = [](const std::optional<std::string>& v, std::string_view field) {
        return v ? std::optional(text::clean_input(*v, field)) : std::nullopt;
    };
    auto address = clean(input.address, "address");
    auto district = clean(input.district, "district");
    auto property_contact = clean(input.property_contact, "property contact");
    store::Tx& tx = s.tx();
    if (auto id = find(s, name)) {
        auto known = tx.one(
            "SELECT address, district, floors, property_contact FROM building WHERE id = ?", {*id});
        // Details fill what the building lacks; what it already has stays.
        store::Fields missing;
        auto fill = [&](const char* column, store::Value given) {
            if (!store::is_null(given) && known->is_null(column))
                missing.emplace_back(column, std::move(given));
        };
        fill("address", store::value_of(address));
        fill("district", store::value_of(district));
        fill("floors", store::value_of(input.floors));
        fill("property_contact", store::value_of(property_contact));
        if (!missing.empty()) tx.update("building", *id, missing);
        return *id;
    }
    return tx
        .insert("building", {{"name", name},
                             {"name_key", text::match_key(name)},
                             {"address", store::value_of(address)},
                             {"district", store::value_of(district)},
                             {"floors", store::value_of(input.floors)},
                             {"property_contact", store::value_of(property_contact)}})
        .id;
}

}  // namespace fieldbook::buildings
