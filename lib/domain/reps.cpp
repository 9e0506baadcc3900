#include "domain/reps.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "text/unicode.hpp"

namespace fieldbook::reps {
namespace {

constexpr const char* kSelect =
    "SELECT id, uuid, handle, name, role, active, phone, email FROM rep WHERE deleted_at IS NULL";

Rep read(SQLite::Statement& row) {
    Rep r;
    r.id = row.getColumn(0).getInt64();
    r.uuid = row.getColumn(1).getString();
    r.handle = row.getColumn(2).getString();
    r.name = row.getColumn(3).getString();
    r.role = row.getColumn(4).getString();
    r.active = row.getColumn(5).getInt() != 0;
    r.phone = store::optional_text(row, 6);
    r.email = store::optional_text(row, 7);
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
    auto q = s.prepare(
        "INSERT INTO rep (uuid, handle, name, role, phone, email, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, handle);
    q->bind(3, input.name);
    q->bind(4, input.role);
    store::bind_optional(*q, 5, input.phone);
    store::bind_optional(*q, 6, input.email);
    q->bind(7, now);
    q->bind(8, now);
    q->exec();
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
    auto q = s.prepare(
        "UPDATE rep SET name = ?, role = ?, active = ?, phone = ?, email = ?, "
        "updated_at = ? WHERE id = ?");
    q->bind(1, rep.name);
    q->bind(2, rep.role);
    q->bind(3, rep.active ? 1 : 0);
    store::bind_optional(*q, 4, rep.phone);
    store::bind_optional(*q, 5, rep.email);
    q->bind(6, s.now_utc());
    q->bind(7, rep.id);
    q->exec();
    return rep;
}

std::vector<Rep> list(Session& s, bool include_inactive) {
    auto q = s.prepare(std::string(kSelect) + (include_inactive ? "" : " AND active = 1") +
                       " ORDER BY handle");
    std::vector<Rep> out;
    while (q->executeStep()) out.push_back(read(*q));
    return out;
}

std::optional<Rep> find(Session& s, const std::string& handle) {
    auto q = s.prepare(std::string(kSelect) + " AND handle = ?");
    q->bind(1, text::match_key(handle));
    if (q->executeStep()) return read(*q);
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
