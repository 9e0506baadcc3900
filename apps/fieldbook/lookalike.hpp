#pragma once
// Before a new customer is created that looks like an existing one, a person at a terminal is
// asked; a script is refused (by the library) unless it passed --new.
#include <optional>
#include <string>

#include "context.hpp"

namespace fieldbook::app {

// True when the user confirmed (or --new was given) that the new customer is really new.
bool confirm_new_customer(Context& ctx, Session& s, const std::string& name,
                          const std::optional<std::string>& building,
                          const std::optional<std::string>& floor,
                          const std::optional<std::string>& room, bool forced);

}  // namespace fieldbook::app
