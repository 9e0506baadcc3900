#pragma once
// Office buildings swept floor by floor; a customer sits in one.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/session.hpp"

namespace fieldbook::buildings {

struct BuildingInput {
    std::string name;
    std::optional<std::string> address;
    std::optional<std::string> district;
    std::optional<std::int64_t> floors;
    std::optional<std::string> property_contact;
};

std::optional<std::int64_t> find(Session& s, std::string_view name);
// Inside a write transaction: the building with this name (after NFKC + case-fold), created
// when new. Details given for an existing building fill only what it lacks.
std::int64_t find_or_create(Session& s, const BuildingInput& input);

}  // namespace fieldbook::buildings
