#include "domain/visits.hpp"

#include <fmt/format.h>

#include "domain/buildings.hpp"
#include "domain/contacts.hpp"
#include "domain/floors.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::visits {
namespace {

constexpr const char* kSelect = R"sql(
SELECT v.id AS id, v.uuid AS uuid, r.handle AS rep, v.customer_id AS customer_id,
       c.name AS customer, b.name AS building, c.floor AS floor, c.room AS room,
       ct.name AS contact, ct.role AS contact_role, ct.phone AS contact_phone,
       ct.email AS contact_email, ct.card AS card, v.kind AS kind, v.at_utc AS at_utc,
       v.day AS day, v.outcome AS outcome, v.headcount AS headcount,
       v.office_size AS office_size, v.brands AS brands, v.usage AS usage, v.note AS note,
       v.went_well AS went_well, v.improve AS improve, v.tool_feedback AS tool_feedback,
       v.script AS script, f.due_day AS next_due, f.channel AS next_channel,
       v.created_at AS created_at, v.updated_at AS updated_at
FROM visit v
JOIN rep r ON r.id = v.rep_id
JOIN customer c ON c.id = v.customer_id
LEFT JOIN building b ON b.id = c.building_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN followup f ON f.id = (SELECT MIN(f2.id) FROM followup f2
                                WHERE f2.origin_visit_id = v.id AND f2.state <> 'dropped')
WHERE v.deleted_at IS NULL)sql";

Visit read(const store::Row& row) {
    Visit v;
    v.id = row.integer("id");
    v.uuid = row.text("uuid");
    v.rep = row.text("rep");
    v.customer_id = row.integer("customer_id");
    v.customer = row.text("customer");
    v.building = row.optional_text("building");
    v.floor = row.optional_text("floor");
    v.room = row.optional_text("room");
    v.contact = row.optional_text("contact");
    v.contact_role = row.optional_text("contact_role");
    v.contact_phone = row.optional_text("contact_phone");
    v.contact_email = row.optional_text("contact_email");
    v.card = row.optional_integer("card").value_or(0) != 0;
    v.kind = row.text("kind");
    v.at_utc = row.text("at_utc");
    v.day = row.text("day");
    v.outcome = row.text("outcome");
    v.headcount = row.optional_integer("headcount");
    v.office_size = row.optional_text("office_size");
    v.brands = row.optional_text("brands");
    v.usage = row.optional_text("usage");
    v.note = row.optional_text("note");
    v.went_well = row.optional_text("went_well");
    v.improve = row.optional_text("improve");
    v.tool_feedback = row.optional_text("tool_feedback");
    v.script = row.optional_text("script");
    v.next_due = row.optional_text("next_due");
    v.next_channel = row.optional_text("next_channel");
    v.created_at = row.text("created_at");
    v.updated_at = row.text("updated_at");
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
    // What was seen at the door is the customer's latest known state; what was not seen is left
    // as it is.
    store::Fields changes;
    if (auto next = status_after(outcome); next && status_rank(*next) > status_rank(c.status))
        changes.emplace_back("status", *next);
    if (f.headcount) changes.emplace_back("headcount", *f.headcount);
    if (auto v = text::clean_text(f.office_size, "office size"))
        changes.emplace_back("office_size", *v);
    if (auto v = text::clean_text(f.brands, "brands")) changes.emplace_back("brands", *v);
    if (auto v = text::clean_text(f.usage, "usage")) changes.emplace_back("usage", *v);
    // A customer without an owner becomes the visiting rep's; one with an owner stays theirs.
    if (owner_if_none && !c.owner) changes.emplace_back("owner_id", *owner_if_none);
    if (!changes.empty()) s.tx().update("customer", c.id, changes);
}

// After a visit is corrected or deleted, a status that came from its outcome follows the best
// outcome still on record; a status set by hand (or reached otherwise) is left alone.
void settle_status(Session& s, std::int64_t customer_id, const std::string& old_outcome) {
    store::Tx& tx = s.tx();
    auto c = customers::get(s, customer_id).value();
    if (status_after(old_outcome) != std::optional<std::string>(c.status)) return;
    std::string status = "prospect";
    if (c.best_outcome)
        if (auto reached = status_after(*c.best_outcome)) status = *reached;
    // An order on record keeps a customer a customer, whatever the visits say.
    auto orders =
        tx.one("SELECT COUNT(*) AS n FROM orders WHERE customer_id = ? AND deleted_at IS NULL",
               {customer_id});
    if (orders && orders->integer("n") > 0) status = "customer";
    if (status == c.status) return;
    tx.update("customer", customer_id, {{"status", status}});
}

// `unnamed_allowed`: on a new visit a phone or an email without a name is a contact too (a
// reception desk's number), kept unnamed (contacts::upsert). On a correction they would replace
// the contact met by a number, so there they still need the name.
std::optional<std::int64_t> contact_for(Session& s, std::int64_t customer_id, const VisitFields& f,
                                        bool unnamed_allowed) {
    bool reached = unnamed_allowed && ((f.phone && !text::match_key(*f.phone).empty()) ||
                                       (f.email && !text::match_key(*f.email).empty()));
    if (!f.contact && !reached) {
        if (f.contact_role || f.phone || f.email || f.card.value_or(false) || f.contact_title)
            throw UsageError(
                unnamed_allowed
                    ? "contact: --role, --title and --card describe the contact met; name them "
                      "with --contact, or give the --phone or --email reached"
                    : "contact: --role, --phone, --email and --card describe the contact met; "
                      "name them with --contact");
        return std::nullopt;
    }
    return contacts::upsert(s, customer_id,
                            {.name = f.contact.value_or(""),
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

Written write(Session& s, const reps::Rep& rep, const NewVisit& input) {
    const VisitFields& f = input.fields;
    if (!f.outcome)
        throw UsageError("outcome: missing (refused, absent, contact, interest, intent or order)");
    std::string outcome = vocab::parse("outcome", *f.outcome, vocab::outcomes);
    customers::check_headcount(f.headcount);
    const Where where = where_given(input);
    Written added;

    auto customer = input.customer_as_read ? input.customer_as_read
                    : input.customer_id    ? customers::get(s, *input.customer_id)
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

    std::optional<std::int64_t> contact_id = contact_for(s, customer->id, f, true);
    std::string kind = f.kind ? vocab::parse("kind", *f.kind, vocab::visit_kinds)
                              : (customer->visits > 0 ? "revisit" : "initial");
    Instant at = f.at.value_or(s.clock.now());
    added.customer_id = customer->id;
    added.day = text::format_day(text::local_day(at, s.zone));
    // Every column, absent ones as null: each visit is then written by the one statement.
    added.id =
        s.tx()
            .insert(
                "visit",
                {{"rep_id", rep.id},
                 {"customer_id", customer->id},
                 {"contact_id", store::value_of(contact_id)},
                 {"kind", kind},
                 {"at_utc", text::format_utc(at)},
                 {"day", added.day},
                 {"outcome", outcome},
                 {"headcount", store::value_of(f.headcount)},
                 {"office_size", store::value_of(text::clean_text(f.office_size, "office size"))},
                 {"brands", store::value_of(text::clean_text(f.brands, "brands"))},
                 {"usage", store::value_of(text::clean_text(f.usage, "usage"))},
                 {"note", store::value_of(text::clean_text(f.note, "note"))},
                 {"went_well", store::value_of(text::clean_text(f.went_well, "went well"))},
                 {"improve", store::value_of(text::clean_text(f.improve, "improve"))},
                 {"tool_feedback",
                  store::value_of(text::clean_text(f.tool_feedback, "tool feedback"))},
                 {"script", store::value_of(text::clean_text(f.script, "script"))}})
            .id;

    advance_customer(s, *customer, outcome, f, rep.id);
    return added;
}

Added add(Session& s, const reps::Rep& rep, const NewVisit& input) {
    Written written = write(s, rep, input);
    return {.visit = get(s, written.id).value(), .customer_created = written.customer_created};
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
    std::optional<std::int64_t> contact_id = contact_for(s, before.customer_id, changes, false);
    std::optional<std::string> at_utc, day;
    if (changes.at) {
        at_utc = text::format_utc(*changes.at);
        day = text::format_day(text::local_day(*changes.at, s.zone));
    }
    // Only what the correction gives changes; the rest stays as it was.
    store::Fields fields;
    auto set = [&](const char* column, const auto& value) {
        if (value) fields.emplace_back(column, *value);
    };
    set("contact_id", contact_id);
    set("outcome", outcome);
    set("kind", kind);
    set("at_utc", at_utc);
    set("day", day);
    set("headcount", changes.headcount);
    set("office_size", text::clean_text(changes.office_size, "office size"));
    set("brands", text::clean_text(changes.brands, "brands"));
    set("usage", text::clean_text(changes.usage, "usage"));
    set("note", text::clean_text(changes.note, "note"));
    set("went_well", text::clean_text(changes.went_well, "went well"));
    set("improve", text::clean_text(changes.improve, "improve"));
    set("tool_feedback", text::clean_text(changes.tool_feedback, "tool feedback"));
    set("script", text::clean_text(changes.script, "script"));
    s.tx().update("visit", id, fields);
    auto customer = customers::get(s, before.customer_id).value();
    // Observations update the customer; a new outcome moves its status as a new visit would,
    // and one lowered gives back what the old outcome gave.
    advance_customer(s, customer, outcome.value_or(""), changes, std::nullopt);
    if (outcome) settle_status(s, before.customer_id, before.outcome);
    return *get(s, id);
}

Visit move(Session& s, const reps::Rep& by, std::int64_t id, std::int64_t customer_id) {
    Visit before = get(s, id).value();
    require_owner(s, by, "visit edit", before);
    if (before.customer_id == customer_id) return before;
    auto target = customers::get(s, customer_id).value();
    store::Fields fields{{"customer_id", customer_id}};
    // The person met works at the customer the visit was at: its contact of that name, or a new
    // one with what the visit knew of them. An existing contact's details are left as they are.
    if (before.contact) {
        std::optional<std::int64_t> contact_id;
        // An unnamed one (a reception desk's number) is the same only by its number or address.
        auto same = [&](const contacts::Contact& c) {
            if (text::match_key(c.name) != text::match_key(*before.contact)) return false;
            if (!text::match_key(c.name).empty()) return true;
            return (c.phone && c.phone == before.contact_phone) ||
                   (c.email && c.email == before.contact_email);
        };
        for (const auto& c : contacts::for_customer(s, customer_id))
            if (same(c)) contact_id = c.id;
        if (!contact_id)
            contact_id = contacts::upsert(s, customer_id,
                                          {.name = *before.contact,
                                           .role = before.contact_role,
                                           .phone = before.contact_phone,
                                           .email = before.contact_email,
                                           .card = before.card})
                             .id;
        fields.emplace_back("contact_id", *contact_id);
    }
    s.tx().update("visit", id, fields);
    // Each customer's status follows the visits it has now: the one left gives back what the
    // visit gave it, the one given the visit moves on as with a new visit.
    settle_status(s, before.customer_id, before.outcome);
    advance_customer(s, target, before.outcome, {}, std::nullopt);
    return *get(s, id);
}

void remove(Session& s, const reps::Rep& by, std::int64_t id) {
    Visit visit = get(s, id).value();
    require_owner(s, by, "visit delete", visit);
    s.tx().tombstone("visit", id);
    settle_status(s, visit.customer_id, visit.outcome);
}

std::optional<Visit> get(Session& s, std::int64_t id) {
    if (auto row = s.tx().one(std::string(kSelect) + " AND v.id = ?", {id})) return read(*row);
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
        auto condition = store::visit_search_condition(s.store, key, "v.id");
        query.sql += " AND " + condition.sql;
        query.values.emplace_back(condition.value);
    }
    query.sql += " ORDER BY v.day DESC, v.at_utc DESC, v.id DESC";
    if (filter.limit) query.sql += fmt::format(" LIMIT {}", *filter.limit);
    return query;
}

void list(Session& s, const Filter& filter, const std::function<void(const Visit&)>& each) {
    Query query = list_query(s, filter);
    store::Values params;
    for (const auto& value : query.values)
        std::visit([&](const auto& v) { params.emplace_back(v); }, value);
    s.tx().each(query.sql, params, [&](const store::Row& row) { each(read(row)); });
}

}  // namespace fieldbook::visits
