#pragma once
// A rep as the record reads: the acting identity every write passes on. Apart from reps.hpp (the
// team's records) so that the rule of who may change what (permissions.hpp) can name the actor
// without the reps module, whose writes it checks.
#include <cstdint>
#include <optional>
#include <string>

namespace fieldbook::reps {

struct Rep {
    std::int64_t id = 0;
    std::string uuid;
    std::string handle;
    std::string name;
    std::string role;
    bool active = true;
    std::optional<std::string> phone;
    std::optional<std::string> email;
};

}  // namespace fieldbook::reps
