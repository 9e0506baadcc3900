#include "domain/reps.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::reps {
namespace {

constexpr const char* kSelect =
    "SELECT id, uuid, handle, name, role, active, phone, email FROM rep WHERE deleted_at IS NULL";

Rep read(const store::Row& row) {
    Rep r;
    r.id = row.integer("id");
    r.uuid = row.text("uuid");
    r.handle = row.text("handle");
    r.name = row.text("name");
    r.role = row.text("role");
    r.active = row.integer("active") != 0;
    r.phone = row.optional_text("phone");
    r.email = row.optional_text("email");
    return r;
}

// Handles are typed on every command: short, lowercase ASCII, no spaces.
std::string valid_handle(std::string_view handle) {
    std::string key = text::match_key(handle);
    bool ok = !key.empty() && key.size() <= 32;
    for (char ch : key)
        ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                    ch == '_' || ch == '.');
    if (!ok)
        throw UsageError(fmt::format(
            "handle: '{}' must be 1-32 letters, digits, '-', '_' or '.' (e.g. zhangwei)", handle));
    return key;
}

}  // namespace

RepInput validate(const RepInput& input) {
    RepInput clean;
    clean.handle = valid_handle(input.handle);
    clean.name = text::clean_input(input.name, "name");
    if (text::match_key(clean.name).empty()) throw UsageError("name: must not be empty");
    clean.role = vocab::parse("role", input.role, vocab::rep_roles);
    if (input.phone) clean.phone = text::clean_input(*input.phone, "phone");
    if (input.email) clean.email = text::clean_input(*input.email, "email");
    return clean;
}

Rep add(Session& s, const std::optional<Rep>& by, const RepInput& raw) {
    RepInput input = validate(raw);
    const std::string& handle = input.handle;
    permissions::require(s, by,
                         {.action = "rep add",
                          .kind = permissions::Kind::team,
                          .record = fmt::format("add {} to the team", handle)});
    if (find(s, handle)) throw UsageError(fmt::format("handle: '{}' is already taken", handle));
    store::Fields fields{{"handle", handle},
                         {"name", input.name},
                         {"role", input.role},
                         {"phone", store::value_of(input.phone)},
                         {"email", store::value_of(input.email)}};
    // A handle whose rep an undo removed is free again: the row comes back with the new details
    // (a handle names one rep row at most).
    if (auto gone = s.tx().one("SELECT id FROM rep WHERE handle = ? AND deleted_at IS NOT NULL",
                               {handle})) {
        fields.emplace_back("deleted_at", std::monostate{});
        s.tx().update("rep", gone->integer("id"), fields);
    } else {
        s.tx().insert("rep", fields);
    }
    return *find(s, handle);
}

Rep edit(Session& s, const Rep& by, const std::string& handle, const RepChanges& changes) {
    auto found = find(s, handle);
    if (!found)
        throw NotFound(fmt::format("no rep with handle '{}'", handle), "see `fieldbook rep list`");
    Rep rep = *found;
    if (changes.name || changes.phone || changes.email)
        permissions::require(s, by,
                             {.action = "rep edit",
                              .kind = permissions::Kind::rep_details,
                              .record = fmt::format("the name, phone and email of {}", rep.handle),
                              .owner = rep.handle});
    if (changes.role && vocab::parse("role", *changes.role, vocab::rep_roles) != rep.role)
        permissions::require(s, by,
                             {.action = "rep edit",
                              .kind = permissions::Kind::team,
                              .record = fmt::format("change the role of {}", rep.handle)});
    if (changes.active && *changes.active != rep.active)
        permissions::require(s, by,
                             {.action = "rep edit",
                              .kind = permissions::Kind::team,
                              .record = fmt::format("change whether {} is active", rep.handle)});
    if (changes.name) {
        rep.name = text::clean_input(*changes.name, "name");
        if (text::match_key(rep.name).empty()) throw UsageError("name: must not be empty");
    }
    if (changes.role) rep.role = vocab::parse("role", *changes.role, vocab::rep_roles);
    if (changes.active) rep.active = *changes.active;
    if (changes.phone) rep.phone = text::clean_input(*changes.phone, "phone");
    if (changes.email) rep.email = text::clean_input(*changes.email, "email");
    s.tx().update("rep", rep.id,
                  {{"name", rep.name},
                   {"role", rep.role},
                   {"active", std::int64_t{rep.active ? 1 : 0}},
                   {"phone", store::value_of(rep.phone)},
                   {"email", store::value_of(rep.email)}});
    return rep;
}

std::vector<Rep> list(Session& s, bool include_inactive) {
    std::vector<Rep> out;
    s.tx().each(
        std::string(kSelect) + (include_inactive ? "" : " AND active = 1") + " ORDER BY handle", {},
        [&](const store::Row& row) { out.push_back(read(row)); });
    return out;
}

std::optional<Rep> find(Session& s, const std::string& handle) {
    if (auto row = s.tx().one(std::string(kSelect) + " AND handle = ?", {text::match_key(handle)}))
        return read(*row);
    return std::nullopt;
}

Rep require(Session& s, const std::string& handle, std::string_view flag) {
    if (auto rep = find(s, handle)) return *rep;
    std::vector<std::string> known;
    for (const auto& r : list(s, true)) known.push_back(r.handle);
    if (known.empty())
        throw UsageError(fmt::format("{}: unknown rep '{}' (no reps yet)", flag, handle),
                         "add one with `fieldbook rep add HANDLE --name NAME`");
    throw UsageError(
        fmt::format("{}: unknown rep '{}' (known: {})", flag, handle, fmt::join(known, ", ")));
}

}  // namespace fieldbook::reps
