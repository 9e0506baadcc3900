#pragma once
// The team: reps, managers and leaders, known by a short handle.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/rep.hpp"
#include "domain/session.hpp"

namespace fieldbook::reps {

struct RepInput {
    std::string handle;
    std::string name;
    std::string role = "rep";
    std::optional<std::string> phone;
    std::optional<std::string> email;
};

struct RepChanges {
    std::optional<std::string> name;
    std::optional<std::string> role;
    std::optional<bool> active;
    std::optional<std::string> phone;
    std::optional<std::string> email;
};

// Checks and normalises a new rep's fields without touching the store (handle lowercased,
// role from its Chinese or English word); throws UsageError naming the field.
RepInput validate(const RepInput& input);

// Inside a write transaction, `by` acting (none only while the team is empty): adding a
// teammate, and changing a role or whether a rep is active, is a manager's or a leader's;
// a rep's name, phone and email are also their own (see permissions.hpp).
Rep add(Session& s, const std::optional<Rep>& by, const RepInput& input);
Rep edit(Session& s, const Rep& by, const std::string& handle, const RepChanges& changes);

std::vector<Rep> list(Session& s, bool include_inactive);
std::optional<Rep> find(Session& s, const std::string& handle);
// The acting identity: an unknown handle is a usage error that lists the known handles.
Rep require(Session& s, const std::string& handle, std::string_view flag = "--as");

}  // namespace fieldbook::reps
