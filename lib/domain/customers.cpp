#include "domain/customers.hpp"

#include <fmt/format.h>

#include "domain/buildings.hpp"
#include "domain/permissions.hpp"
#include "domain/reps.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::customers {
namespace {

constexpr const char* kSelect = R"sql(
SELECT c.id, c.uuid, c.name, b.name, c.floor, c.room, c.industry, c.headcount, c.office_size,
       c.brands, c.usage, c.source, ref.name, r.handle, c.status, c.no_solicitation, c.notes,
       c.created_at,
       (SELECT COUNT(*) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL),
       (SELECT MAX(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL),
       (SELECT v.outcome FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL
        ORDER BY CASE v.outcome WHEN 'order' THEN 6 WHEN 'intent' THEN 5 WHEN 'interest' THEN 4
                 WHEN 'contact' THEN 3 WHEN 'absent' THEN 2 ELSE 1 END DESC LIMIT 1)
FROM customer c
LEFT JOIN building b ON b.id = c.building_id
LEFT JOIN customer ref ON ref.id = c.referred_by
LEFT JOIN rep r ON r.id = c.owner_id
WHERE c.deleted_at IS NULL)sql";

Customer read(SQLite::Statement& row) {
    Customer c;
    c.id = row.getColumn(0).getInt64();
    c.uuid = row.getColumn(1).getString();
    c.name = row.getColumn(2).getString();
    c.building = store::optional_text(row, 3);
    c.floor = store::optional_text(row, 4);
    c.room = store::optional_text(row, 5);
    c.industry = store::optional_text(row, 6);
    c.headcount = store::optional_int(row, 7);
    c.office_size = store::optional_text(row, 8);
    c.brands = store::optional_text(row, 9);
    c.usage = store::optional_text(row, 10);
    c.source = row.getColumn(11).getString();
    c.referred_by = store::optional_text(row, 12);
    c.owner = store::optional_text(row, 13);
    c.status = row.getColumn(14).getString();
    c.no_solicitation = row.getColumn(15).getInt() != 0;
    c.notes = store::optional_text(row, 16);
    c.created_at = row.getColumn(17).getString();
    c.visits = row.getColumn(18).getInt64();
    c.last_visit_day = store::optional_text(row, 19);
    c.best_outcome = store::optional_text(row, 20);
    return c;
}

std::optional<Customer> query_one(Session& s, const std::string& condition,
                                  const std::function<void(SQLite::Statement&)>& bind) {
    auto q = s.prepare(std::string(kSelect) + " AND " + condition);
    bind(*q);
    if (q->executeStep()) return read(*q);
    return std::nullopt;
}

// Text fields of a customer; an empty value clears the field (on edit).
std::optional<std::string> clean(const std::optional<std::string>& v, std::string_view field) {
    auto cleaned = text::clean_text(v, field);
    if (cleaned && text::match_key(*cleaned).empty()) return std::nullopt;
    return cleaned;
}

bool same_place(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    return a && b && text::match_key(*a) == text::match_key(*b);
}

// Long names only: Chinese company names often differ by one character (成都蓝海科技 and
// 成都蓝天科技 are two companies); in eight or more, one character off is likely a typo.
constexpr std::size_t kFuzzyMinLength = 8;
// "蓝海" typed for 蓝海数据科技 is a shortened name, not a new company.
constexpr std::size_t kPartMinLength = 2;

struct Resolved {
    std::string name;
    std::optional<std::int64_t> building_id;
    std::optional<std::int64_t> referred_by;
    std::optional<std::int64_t> owner_id;
    std::optional<std::string> source;
    std::optional<std::string> status;
};

// Validates the fields and turns references (building, referrer, owner) into ids.
Resolved resolve_fields(Session& s, const CustomerFields& f) {
    Resolved r;
    if (f.name) {
        r.name = text::clean_input(*f.name, "name");
        if (text::match_key(r.name).empty()) throw UsageError("name: must not be empty");
        if (text::codepoint_count(r.name) > 200)
            throw UsageError("name: longer than 200 characters");
    }
    if (f.building) {
        if (text::match_key(*f.building).empty()) throw UsageError("building: must not be empty");
        r.building_id = buildings::find_or_create(s, {.name = *f.building});
    }
    if (f.referred_by) r.referred_by = resolve(s, *f.referred_by).id;
    if (f.owner) r.owner_id = reps::require(s, *f.owner, "owner").id;
    if (f.source) r.source = vocab::parse("source", *f.source, vocab::sources);
    if (f.status) r.status = vocab::parse("status", *f.status, vocab::statuses);
    check_headcount(f.headcount);
    return r;
}

}  // namespace

void check_headcount(const std::optional<std::int64_t>& headcount) {
    constexpr std::int64_t kMaxHeadcount = 1'000'000;
    if (headcount && (*headcount < 0 || *headcount > kMaxHeadcount))
        throw UsageError(
            fmt::format("headcount: {} is out of range (0 to {})", *headcount, kMaxHeadcount));
}

std::vector<Duplicate> likely_duplicates(Session& s, std::string_view name,
                                         const std::optional<std::string>& building,
                                         const std::optional<std::string>& floor,
                                         const std::optional<std::string>& room) {
    std::vector<Duplicate> found;
    auto seen = [&](std::int64_t id) {
        for (auto& d : found)
            if (d.existing.id == id) return true;
        return false;
    };
    std::string key = text::match_key(name);
    std::string loose = text::loose_key(name);
    found = same_room(s, name, building, floor, room);
    auto q = s.prepare(
        "SELECT id, loose_key FROM customer WHERE deleted_at IS NULL "
        "AND name_key <> ?");
    q->bind(1, key);
    while (q->executeStep()) {
        std::int64_t id = q->getColumn(0).getInt64();
        std::string reason = lookalike_reason(loose, q->getColumn(1).getString());
        if (!reason.empty() && !seen(id))
            if (auto c = get(s, id)) found.push_back({*c, reason});
    }
    return found;
}

std::vector<Duplicate> same_room(Session& s, std::string_view name,
                                 const std::optional<std::string>& building,
                                 const std::optional<std::string>& floor,
                                 const std::optional<std::string>& room) {
    std::vector<Duplicate> found;
    if (!building || !room) return found;
    auto building_id = buildings::find(s, *building);
    if (!building_id) return found;
    auto q = s.prepare(std::string(kSelect) + " AND c.building_id = ? AND c.name_key <> ?");
    q->bind(1, *building_id);
    q->bind(2, text::match_key(name));
    while (q->executeStep()) {
        Customer c = read(*q);
        if (same_place(c.room, room) && (!floor || !c.floor || same_place(c.floor, floor)))
            found.push_back({c, fmt::format("also in room {} of {}", *room, *building)});
    }
    return found;
}

std::string lookalike_reason(std::string_view loose, std::string_view other) {
    std::size_t length = text::codepoint_count(loose);
    std::size_t other_length = text::codepoint_count(other);
    if (other == loose)
        return "the name differs only in spacing, punctuation, width, case or company form";
    if (length >= kFuzzyMinLength && other_length >= kFuzzyMinLength &&
        text::edit_distance(other, loose) <= 1)
        return "the name differs by one character";
    if (length >= kPartMinLength && other.find(loose) != std::string_view::npos)
        return "the name is part of this one";
    if (other_length >= kPartMinLength && loose.find(other) != std::string_view::npos)
        return "this name is part of the new one";
    return {};
}

Customer add(Session& s, const CustomerFields& fields, bool allow_duplicate) {
    if (!fields.name) throw UsageError("name: missing");
    Resolved r = resolve_fields(s, fields);
    if (find_by_name(s, r.name))
        throw UsageError(fmt::format("name: customer '{}' already exists", r.name));
    if (!allow_duplicate) {
        auto dups = likely_duplicates(s, r.name, fields.building, fields.floor, fields.room);
        if (!dups.empty()) {
            std::string list;
            for (auto& d : dups)
                list += fmt::format("\n  #{} {} ({})", d.existing.id, d.existing.name, d.reason);
            throw UsageError(
                fmt::format("customer '{}' looks like an existing one:{}", r.name, list),
                "use the existing name, or pass --new to create it anyway");
        }
    }
    auto q = s.prepare(R"sql(
INSERT INTO customer (uuid, name, name_key, loose_key, building_id, floor, room, industry,
                      headcount, office_size, brands, usage, source, referred_by, owner_id,
                      status, no_solicitation, notes, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, r.name);
    q->bind(3, text::match_key(r.name));
    q->bind(4, text::loose_key(r.name));
    store::bind_optional(*q, 5, r.building_id);
    store::bind_optional(*q, 6, clean(fields.floor, "floor"));
    store::bind_optional(*q, 7, clean(fields.room, "room"));
    store::bind_optional(*q, 8, clean(fields.industry, "industry"));
    store::bind_optional(*q, 9, fields.headcount);
    store::bind_optional(*q, 10, clean(fields.office_size, "office size"));
    store::bind_optional(*q, 11, clean(fields.brands, "brands"));
    store::bind_optional(*q, 12, clean(fields.usage, "usage"));
    q->bind(13, r.source.value_or(fields.referred_by ? "referral" : "sweep"));
    store::bind_optional(*q, 14, r.referred_by);
    store::bind_optional(*q, 15, r.owner_id);
    q->bind(16, r.status.value_or("prospect"));
    q->bind(17, fields.no_solicitation.value_or(false) ? 1 : 0);
    store::bind_optional(*q, 18, clean(fields.notes, "notes"));
    q->bind(19, now);
    q->bind(20, now);
    q->exec();
    return *get(s, s.db().getLastInsertRowid());
}

Customer edit(Session& s, std::int64_t id, const CustomerFields& changes) {
    Customer before = get(s, id).value();
    Resolved r = resolve_fields(s, changes);
    if (r.referred_by == id) throw UsageError("--referred-by: a customer cannot refer itself");
    if (changes.name) {
        if (auto other = find_by_name(s, r.name); other && other->id != id)
            throw UsageError(
                fmt::format("name: customer '{}' already exists (#{})", r.name, other->id));
    }
    // Each given field overwrites; COALESCE keeps the rest. Text cleared with "" becomes NULL.
    auto q = s.prepare(R"sql(
UPDATE customer SET
    name = COALESCE(?, name), name_key = COALESCE(?, name_key), loose_key = COALESCE(?, loose_key),
    building_id = COALESCE(?, building_id),
    floor = CASE WHEN ? THEN ? ELSE floor END, room = CASE WHEN ? THEN ? ELSE room END,
    industry = CASE WHEN ? THEN ? ELSE industry END, headcount = COALESCE(?, headcount),
    office_size = CASE WHEN ? THEN ? ELSE office_size END,
    brands = CASE WHEN ? THEN ? ELSE brands END, usage = CASE WHEN ? THEN ? ELSE usage END,
    source = COALESCE(?, source), referred_by = COALESCE(?, referred_by),
    owner_id = COALESCE(?, owner_id), status = COALESCE(?, status),
    no_solicitation = COALESCE(?, no_solicitation),
    notes = CASE WHEN ? THEN ? ELSE notes END, updated_at = ?
WHERE id = ?)sql");
    int i = 0;
    auto bind_name = [&](const std::optional<std::string>& v) { store::bind_optional(*q, ++i, v); };
    auto bind_text = [&](const std::optional<std::string>& v, std::string_view field) {
        q->bind(++i, v ? 1 : 0);
        store::bind_optional(*q, ++i, clean(v, field));
    };
    bind_name(changes.name ? std::optional(r.name) : std::nullopt);
    bind_name(changes.name ? std::optional(text::match_key(r.name)) : std::nullopt);
    bind_name(changes.name ? std::optional(text::loose_key(r.name)) : std::nullopt);
    store::bind_optional(*q, ++i, r.building_id);
    bind_text(changes.floor, "floor");
    bind_text(changes.room, "room");
    bind_text(changes.industry, "industry");
    store::bind_optional(*q, ++i, changes.headcount);
    bind_text(changes.office_size, "office size");
    bind_text(changes.brands, "brands");
    bind_text(changes.usage, "usage");
    bind_name(r.source);
    store::bind_optional(*q, ++i, r.referred_by);
    store::bind_optional(*q, ++i, r.owner_id);
    bind_name(r.status);
    if (changes.no_solicitation)
        q->bind(++i, *changes.no_solicitation ? 1 : 0);
    else
        q->bind(++i);
    bind_text(changes.notes, "notes");
    q->bind(++i, s.now_utc());
    q->bind(++i, id);
    q->exec();
    if (changes.name && r.name != before.name) store::index_customer_visits(s.store, id);
    if (changes.building && !same_place(changes.building, before.building))
        store::index_customer_visits(s.store, id);
    return *get(s, id);
}

namespace {

// Handing a customer to a rep changes that rep's records.
void require_may_give(Session& s, const reps::Rep& by, std::string_view action,
                      const CustomerFields& fields) {
    if (!fields.owner) return;
    std::string owner = reps::require(s, *fields.owner, "owner").handle;
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::customer,
                          .record = "the customers owned by " + owner,
                          .owner = owner});
}

}  // namespace

void require_may_change(Session& s, const reps::Rep& by, std::string_view action,
                        const Customer& customer) {
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::customer,
                          .record = fmt::format("customer #{} {}", customer.id, customer.name),
                          .owner = customer.owner});
}

Customer add(Session& s, const reps::Rep& by, const CustomerFields& fields, bool allow_duplicate) {
    require_may_give(s, by, "customer add", fields);
    return add(s, fields, allow_duplicate);
}

Customer edit(Session& s, const reps::Rep& by, std::int64_t id, const CustomerFields& changes) {
    Customer before = get(s, id).value();
    require_may_change(s, by, "customer edit", before);
    if (changes.owner && reps::require(s, *changes.owner, "owner").handle != before.owner)
        require_may_give(s, by, "customer edit", changes);
    return edit(s, id, changes);
}

std::optional<Customer> find_by_name(Session& s, std::string_view name) {
    std::string key = text::match_key(name);
    return query_one(s, "c.name_key = ?", [&](SQLite::Statement& q) { q.bind(1, key); });
}

std::optional<Customer> get(Session& s, std::int64_t id) {
    return query_one(s, "c.id = ?", [&](SQLite::Statement& q) { q.bind(1, id); });
}

Customer resolve(Session& s, std::string_view reference) {
    std::string key = text::match_key(reference);
    if (key.empty()) throw UsageError("customer: must not be empty");
    if (auto id = text::parse_id(key))
        if (auto c = get(s, *id)) return *c;
    if (auto c = find_by_name(s, key)) return *c;
    std::vector<Customer> matches;
    list(s, {.name_contains = key}, [&](const Customer& c) { matches.push_back(c); });
    if (matches.size() == 1) return matches.front();
    if (matches.empty())
        throw NotFound(fmt::format("customer: no customer matches '{}'", reference),
                       "see `fieldbook customer list`");
    std::string names;
    for (std::size_t i = 0; i < matches.size() && i < 8; ++i)
        names += fmt::format("\n  #{} {}", matches[i].id, matches[i].name);
    if (matches.size() > 8) names += fmt::format("\n  ... and {} more", matches.size() - 8);
    throw UsageError(
        fmt::format("customer: '{}' matches {} customers:{}", reference, matches.size(), names),
        "name one by its id or its full name");
}

void list(Session& s, const Filter& filter, const std::function<void(const Customer&)>& each) {
    std::string sql = kSelect;
    std::vector<std::string> values;
    if (filter.building) {
        if (!buildings::find(s, *filter.building))
            throw NotFound(fmt::format("building: no building named '{}'", *filter.building));
        sql += " AND b.name_key = ?";
        values.push_back(text::match_key(*filter.building));
    }
    if (filter.industry) {
        sql += " AND c.industry = ?";
        values.push_back(text::clean_input(*filter.industry, "industry"));
    }
    if (filter.status) {
        sql += " AND c.status = ?";
        values.push_back(vocab::parse("status", *filter.status, vocab::statuses));
    }
    if (filter.owner) {
        sql += " AND r.handle = ?";
        values.push_back(reps::require(s, *filter.owner, "owner").handle);
    }
    if (filter.name_contains) {
        sql += " AND c.name_key LIKE ? ESCAPE '\\'";
        values.push_back(store::like_contains(text::match_key(*filter.name_contains)));
    }
    sql += " ORDER BY c.name_key, c.id";
    auto q = s.prepare(sql);
    for (std::size_t i = 0; i < values.size(); ++i) q->bind(static_cast<int>(i + 1), values[i]);
    while (q->executeStep()) each(read(*q));
}

}  // namespace fieldbook::customers
