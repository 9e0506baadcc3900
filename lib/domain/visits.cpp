#include "domain/visits.hpp"

#include <fmt/format.h>

#include "domain/buildings.hpp"
#include "domain/contacts.hpp"
#include "domain/floors.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::visits {
namespace {

constexpr const char* kSelect = R"sql(
SELECT v.id, v.uuid, r.handle, v.customer_id, c.name, b.name, c.floor, c.room, ct.name, ct.role,
       ct.phone, ct.email, ct.card, v.kind, v.at_utc, v.day, v.outcome, v.headcount,
       v.office_size, v.brands, v.usage, v.note, v.went_well, v.improve, v.tool_feedback,
       v.script, f.due_day, f.channel, v.created_at, v.updated_at
FROM visit v
JOIN rep r ON r.id = v.rep_id
JOIN customer c ON c.id = v.customer_id
LEFT JOIN building b ON b.id = c.building_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN followup f ON f.id = (SELECT MIN(f2.id) FROM followup f2
                                WHERE f2.origin_visit_id = v.id AND f2.state <> 'dropped')
WHERE v.deleted_at IS NULL)sql";

Visit read(SQLite::Statement& row) {
    Visit v;
    v.id = row.getColumn(0).getInt64();
    v.uuid = row.getColumn(1).getString();
    v.rep = row.getColumn(2).getString();
    v.customer_id = row.getColumn(3).getInt64();
    v.customer = row.getColumn(4).getString();
    v.building = store::optional_text(row, 5);
    v.floor = store::optional_text(row, 6);
    v.room = store::optional_text(row, 7);
    v.contact = store::optional_text(row, 8);
    v.contact_role = store::optional_text(row, 9);
    v.contact_phone = store::optional_text(row, 10);
    v.contact_email = store::optional_text(row, 11);
    v.card = !row.isColumnNull(12) && row.getColumn(12).getInt() != 0;
    v.kind = row.getColumn(13).getString();
    v.at_utc = row.getColumn(14).getString();
    v.day = row.getColumn(15).getString();
    v.outcome = row.getColumn(16).getString();
    v.headcount = store::optional_int(row, 17);
    v.office_size = store::optional_text(row, 18);
    v.brands = store::optional_text(row, 19);
    v.usage = store::optional_text(row, 20);
    v.note = store::optional_text(row, 21);
    v.went_well = store::optional_text(row, 22);
    v.improve = store::optional_text(row, 23);
    v.tool_feedback = store::optional_text(row, 24);
    v.script = store::optional_text(row, 25);
    v.next_due = store::optional_text(row, 26);
    v.next_channel = store::optional_text(row, 27);
    v.created_at = row.getColumn(28).getString();
    v.updated_at = row.getColumn(29).getString();
    return v;
}

// The furthest a customer has come, as its status; a visit only ever moves it forward.
std::optional<std::string> status_after(std::string_view outcome) {
    if (outcome == "contact") return "contacted";
    if (outcome == "interest") return "interested";
    if (outcome == "intent") return "negotiating";
    if (outcome == "order") return "customer";
    return std::nullopt;
}

int status_rank(std::string_view status) {
    constexpr std::string_view chain[] = {"prospect", "contacted", "interested", "negotiating",
                                          "customer"};
    for (int i = 0; i < 5; ++i)
        if (chain[i] == status) return i;
    return 0;  // lost and dormant come back to life on any progress
}

void advance_customer(Session& s, const customers::Customer& c, const std::string& outcome,
                      const VisitFields& f, std::optional<std::int64_t> owner_if_none) {
    std::optional<std::string> status;
    if (auto next = status_after(outcome); next && status_rank(*next) > status_rank(c.status))
        status = next;
    // What was seen at the door is the customer's latest known state.
    auto q = s.prepare(R"sql(
UPDATE customer SET status = COALESCE(?, status), headcount = COALESCE(?, headcount),
       office_size = COALESCE(?, office_size), brands = COALESCE(?, brands),
       usage = COALESCE(?, usage), owner_id = COALESCE(owner_id, ?), updated_at = ?
WHERE id = ?)sql");
    store::bind_optional(*q, 1, status);
    store::bind_optional(*q, 2, f.headcount);
    store::bind_optional(*q, 3, text::clean_text(f.office_size, "office size"));
    store::bind_optional(*q, 4, text::clean_text(f.brands, "brands"));
    store::bind_optional(*q, 5, text::clean_text(f.usage, "usage"));
    store::bind_optional(*q, 6, owner_if_none);
    q->bind(7, s.now_utc());
    q->bind(8, c.id);
    q->exec();
}

// After a visit is corrected or deleted, a status that came from its outcome follows the best
// outcome still on record; a status set by hand (or reached otherwise) is left alone.
void settle_status(Session& s, std::int64_t customer_id, const std::string& old_outcome) {
    auto c = customers::get(s, customer_id).value();
    if (status_after(old_outcome) != std::optional<std::string>(c.status)) return;
    std::string status = "prospect";
    if (c.best_outcome)
        if (auto reached = status_after(*c.best_outcome)) status = *reached;
    // An order on record keeps a customer a customer, whatever the visits say.
    auto orders =
        s.prepare("SELECT COUNT(*) FROM orders WHERE customer_id = ? AND deleted_at IS NULL");
    orders->bind(1, customer_id);
    orders->executeStep();
    if (orders->getColumn(0).getInt64() > 0) status = "customer";
    if (status == c.status) return;
    auto q = s.prepare("UPDATE customer SET status = ?, updated_at = ? WHERE id = ?");
    q->bind(1, status);
    q->bind(2, s.now_utc());
    q->bind(3, customer_id);
    q->exec();
}

std::optional<std::int64_t> contact_for(Session& s, std::int64_t customer_id,
                                        const VisitFields& f) {
    if (!f.contact) {
        if (f.contact_role || f.phone || f.email || f.card.value_or(false) || f.contact_title)
            throw UsageError(
                "contact: --role, --phone, --email and --card describe the contact "
                "met; name them with --contact");
        return std::nullopt;
    }
    return contacts::upsert(s, customer_id,
                            {.name = *f.contact,
                             .title = f.contact_title,
                             .role = f.contact_role,
                             .phone = f.phone,
                             .email = f.email,
                             .card = f.card})
        .id;
}

// Where the visited customer is and its industry, as given with the visit: text checked like
// any other (named by field), whether the customer is new or known, blanks as not given. The
// customer's name is checked too, before it is looked up.
struct Where {
    std::optional<std::string> building, floor, room, industry;
};

Where where_given(const NewVisit& input) {
    text::clean_input(input.customer, "customer");
    auto given = [](const std::optional<std::string>& value, std::string_view field) {
        auto cleaned = text::clean_text(value, field);
        if (cleaned && text::match_key(*cleaned).empty()) {
            if (field == "building") throw UsageError("building: must not be empty");
            return std::optional<std::string>();
        }
        return cleaned;
    };
    return {given(input.building, "building"), given(input.floor, "floor"),
            given(input.room, "room"), given(input.industry, "industry")};
}

// A known customer gains the location (or industry) it lacked. A value it has must be given
// as it is (after normalisation: "3F" is floor 3, "Ａ座" is A座): a different one is refused, not
// ignored (the visit would say where it was not) nor applied (moving a customer is
// `customer edit`, which says so).
customers::Customer settle_location(Session& s, const customers::Customer& c, const Where& where) {
    struct Check {
        std::string_view field;
        const std::optional<std::string>& given;
        const std::optional<std::string>& stored;
        std::string (*key)(std::string_view);
    };
    auto floor_key = [](std::string_view floor) { return floors::read(floor).key; };
    const Check checks[] = {{"building", where.building, c.building, &text::match_key},
                            {"floor", where.floor, c.floor, floor_key},
                            {"room", where.room, c.room, &floors::room_key},
                            {"industry", where.industry, c.industry, &text::match_key}};
    customers::CustomerFields missing;
    bool any_missing = false;
    for (const Check& check : checks) {
        if (!check.given) continue;
        if (!check.stored) {
            any_missing = true;
            continue;
        }
        if (check.key(*check.given) != check.key(*check.stored))
            throw UsageError(
                fmt::format("{}: customer #{} {} has '{}', not '{}' (customer edit changes it)",
                            check.field, c.id, c.name, *check.stored, *check.given),
                fmt::format("leave --{0} out, or first: fieldbook customer edit {1} --{0} '{2}'",
                            check.field, c.id, *check.given));
    }
    if (!any_missing) return c;
    if (!c.building) missing.building = where.building;
    if (!c.floor) missing.floor = where.floor;
    if (!c.room) missing.room = where.room;
    if (!c.industry) missing.industry = where.industry;
    return customers::edit(s, c.id, missing);
}

}  // namespace

Added add(Session& s, const reps::Rep& rep, const NewVisit& input) {
    const VisitFields& f = input.fields;
    if (!f.outcome)
        throw UsageError("outcome: missing (refused, absent, contact, interest, intent or order)");
    std::string outcome = vocab::parse("outcome", *f.outcome, vocab::outcomes);
    customers::check_headcount(f.headcount);
    const Where where = where_given(input);
    Added added;

    auto customer = input.customer_id ? customers::get(s, *input.customer_id)
                                      : customers::find_by_name(s, input.customer);
    if (input.customer_id && !customer)
        throw NotFound(fmt::format("customer: no customer with id {}", *input.customer_id));
    auto typed_id = text::parse_id(input.customer);
    if (!customer && typed_id) {
        customer = customers::get(s, *typed_id);
        if (!customer && !input.allow_duplicate)
            throw NotFound(fmt::format("customer: no customer with id {}", *typed_id),
                           "to create a customer whose name is a number, pass --new");
    }
    if (!customer) {
        customer = customers::add(s,
                                  {.name = input.customer,
                                   .building = where.building,
                                   .floor = where.floor,
                                   .room = where.room,
                                   .industry = where.industry,
                                   .owner = rep.handle},
                                  input.allow_duplicate);
        added.customer_created = true;
    } else {
        customer = settle_location(s, *customer, where);
    }

    std::optional<std::int64_t> contact_id = contact_for(s, customer->id, f);
    std::string kind = f.kind ? vocab::parse("kind", *f.kind, vocab::visit_kinds)
                              : (customer->visits > 0 ? "revisit" : "initial");
    Instant at = f.at.value_or(s.clock.now());
    std::string now = s.now_utc();

    auto q = s.prepare(R"sql(
INSERT INTO visit (uuid, rep_id, customer_id, contact_id, kind, at_utc, day, outcome, headcount,
                   office_size, brands, usage, note, went_well, improve, tool_feedback, script,
                   created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    q->bind(1, s.uuids.next());
    q->bind(2, rep.id);
    q->bind(3, customer->id);
    store::bind_optional(*q, 4, contact_id);
    q->bind(5, kind);
    q->bind(6, text::format_utc(at));
    q->bind(7, text::format_day(text::local_day(at, s.zone)));
    q->bind(8, outcome);
    store::bind_optional(*q, 9, f.headcount);
    store::bind_optional(*q, 10, text::clean_text(f.office_size, "office size"));
    store::bind_optional(*q, 11, text::clean_text(f.brands, "brands"));
    store::bind_optional(*q, 12, text::clean_text(f.usage, "usage"));
    store::bind_optional(*q, 13, text::clean_text(f.note, "note"));
    store::bind_optional(*q, 14, text::clean_text(f.went_well, "went well"));
    store::bind_optional(*q, 15, text::clean_text(f.improve, "improve"));
    store::bind_optional(*q, 16, text::clean_text(f.tool_feedback, "tool feedback"));
    store::bind_optional(*q, 17, text::clean_text(f.script, "script"));
    q->bind(18, now);
    q->bind(19, now);
    q->exec();
    std::int64_t visit_id = s.db().getLastInsertRowid();

    advance_customer(s, *customer, outcome, f, rep.id);
    store::index_visit(s.store, visit_id);
    added.visit = *get(s, visit_id);
    return added;
}

namespace {

// Correcting or deleting a visit is its rep's, a manager's or a leader's.
void require_owner(Session& s, const reps::Rep& by, std::string_view action, const Visit& v) {
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::visit,
                          .record = fmt::format("visit #{}", v.id),
                          .owner = v.rep});
}

}  // namespace

Visit edit(Session& s, const reps::Rep& by, std::int64_t id, const VisitFields& changes) {
    Visit before = get(s, id).value();
    require_owner(s, by, "visit edit", before);
    customers::check_headcount(changes.headcount);
    std::optional<std::string> outcome, kind;
    if (changes.outcome) outcome = vocab::parse("outcome", *changes.outcome, vocab::outcomes);
    if (changes.kind) kind = vocab::parse("kind", *changes.kind, vocab::visit_kinds);
    std::optional<std::int64_t> contact_id = contact_for(s, before.customer_id, changes);
    std::optional<std::string> at_utc, day;
    if (changes.at) {
        at_utc = text::format_utc(*changes.at);
        day = text::format_day(text::local_day(*changes.at, s.zone));
    }
    auto q = s.prepare(R"sql(
UPDATE visit SET contact_id = COALESCE(?, contact_id), outcome = COALESCE(?, outcome),
       kind = COALESCE(?, kind), at_utc = COALESCE(?, at_utc), day = COALESCE(?, day),
       headcount = COALESCE(?, headcount), office_size = COALESCE(?, office_size),
       brands = COALESCE(?, brands), usage = COALESCE(?, usage), note = COALESCE(?, note),
       went_well = COALESCE(?, went_well), improve = COALESCE(?, improve),
       tool_feedback = COALESCE(?, tool_feedback), script = COALESCE(?, script), updated_at = ?
WHERE id = ?)sql");
    store::bind_optional(*q, 1, contact_id);
    store::bind_optional(*q, 2, outcome);
    store::bind_optional(*q, 3, kind);
    store::bind_optional(*q, 4, at_utc);
    store::bind_optional(*q, 5, day);
    store::bind_optional(*q, 6, changes.headcount);
    store::bind_optional(*q, 7, text::clean_text(changes.office_size, "office size"));
    store::bind_optional(*q, 8, text::clean_text(changes.brands, "brands"));
    store::bind_optional(*q, 9, text::clean_text(changes.usage, "usage"));
    store::bind_optional(*q, 10, text::clean_text(changes.note, "note"));
    store::bind_optional(*q, 11, text::clean_text(changes.went_well, "went well"));
    store::bind_optional(*q, 12, text::clean_text(changes.improve, "improve"));
    store::bind_optional(*q, 13, text::clean_text(changes.tool_feedback, "tool feedback"));
    store::bind_optional(*q, 14, text::clean_text(changes.script, "script"));
    q->bind(15, s.now_utc());
    q->bind(16, id);
    q->exec();
    auto customer = customers::get(s, before.customer_id).value();
    // Observations update the customer; a new outcome moves its status as a new visit would,
    // and one lowered gives back what the old outcome gave.
    advance_customer(s, customer, outcome.value_or(""), changes, std::nullopt);
    if (outcome) settle_status(s, before.customer_id, before.outcome);
    store::index_visit(s.store, id);
    return *get(s, id);
}

void remove(Session& s, const reps::Rep& by, std::int64_t id) {
    Visit visit = get(s, id).value();
    require_owner(s, by, "visit delete", visit);
    auto q = s.prepare("UPDATE visit SET deleted_at = ?, updated_at = ? WHERE id = ?");
    std::string now = s.now_utc();
    q->bind(1, now);
    q->bind(2, now);
    q->bind(3, id);
    q->exec();
    store::index_visit(s.store, id);
    settle_status(s, visit.customer_id, visit.outcome);
}

std::optional<Visit> get(Session& s, std::int64_t id) {
    auto q = s.prepare(std::string(kSelect) + " AND v.id = ?");
    q->bind(1, id);
    if (q->executeStep()) return read(*q);
    return std::nullopt;
}

Visit require(Session& s, std::string_view id) {
    auto key = text::parse_id(id);
    if (!key)
        throw UsageError(
            fmt::format("id: '{}' is not a visit id (a number from `visit list`)", id));
    if (auto v = get(s, *key)) return *v;
    throw NotFound(fmt::format("no visit with id {}", *key), "see `fieldbook visit list`");
}

Query list_query(Session& s, const Filter& filter) {
    Query query{kSelect, {}};
    if (filter.rep) {
        query.sql += " AND v.rep_id = ?";
        query.values.emplace_back(reps::require(s, *filter.rep, "rep").id);
    }
    if (filter.customer_id) {
        query.sql += " AND v.customer_id = ?";
        query.values.emplace_back(*filter.customer_id);
    }
    if (filter.building) {
        auto building_id = buildings::find(s, *filter.building);
        if (!building_id)
            throw NotFound(fmt::format("building: no building named '{}'", *filter.building));
        query.sql += " AND c.building_id = ?";
        query.values.emplace_back(*building_id);
    }
    if (filter.since) {
        query.sql += " AND v.day >= ?";
        query.values.emplace_back(text::format_day(*filter.since));
    }
    if (filter.until) {
        query.sql += " AND v.day <= ?";
        query.values.emplace_back(text::format_day(*filter.until));
    }
    if (filter.outcome) {
        query.sql += " AND v.outcome = ?";
        query.values.emplace_back(vocab::parse("outcome", *filter.outcome, vocab::outcomes));
    }
    if (filter.search) {
        std::string key = text::match_key(*filter.search);
        if (key.empty()) throw UsageError("search: the text to find is empty");
        auto condition = store::visit_search_condition(key, "v.id");
        query.sql += " AND " + condition.sql;
        query.values.emplace_back(condition.value);
    }
    query.sql += " ORDER BY v.day DESC, v.at_utc DESC, v.id DESC";
    if (filter.limit) query.sql += fmt::format(" LIMIT {}", *filter.limit);
    return query;
}

void list(Session& s, const Filter& filter, const std::function<void(const Visit&)>& each) {
    Query query = list_query(s, filter);
    auto q = s.prepare(query.sql);
    for (std::size_t i = 0; i < query.values.size(); ++i) {
        int index = static_cast<int>(i + 1);
        std::visit([&](const auto& v) { q->bind(index, v); }, query.values[i]);
    }
    while (q->executeStep()) each(read(*q));
}

}  // namespace fieldbook::visits
