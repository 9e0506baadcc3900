#pragma once
#include <string_view>
#include <vector>

namespace fieldbook::store {

// Schema upgrades in order: entry i takes the store from version i to version i + 1.
const std::vector<std::string_view>& migrations();

}  // namespace fieldbook::store
