#pragma once
// Before a new customer is created that looks like an existing one, a person at a terminal
// chooses by number: use one of the existing customers for the command, create the new one
// anyway, or cancel; what they typed is not lost either way. A script is refused (by the
// library) unless it passed --new.
#include <optional>
#include <string>

#include "context.hpp"
#include "domain/customers.hpp"

namespace fieldbook::app {

struct CustomerChoice {
    bool create_new = false;  // confirmed (or --new): the new customer is really new
    std::optional<customers::Customer> existing;  // chosen instead of creating one
};

// Asks only at a terminal, without --new, for a name no customer has exactly and that looks
// like some; otherwise returns {create_new = forced}. Cancelling throws UsageError.
CustomerChoice choose_customer(Context& ctx, Session& s, const std::string& name,
                               const std::optional<std::string>& building,
                               const std::optional<std::string>& floor,
                               const std::optional<std::string>& room, bool forced);

}  // namespace fieldbook::app
