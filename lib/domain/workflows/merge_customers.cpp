#include "domain/workflows/merge_customers.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "errors.hpp"
#include "store/team_server.hpp"
#include "store/tx.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::workflows {
namespace {

// A customer's columns as stored (ids rather than the names customers::Customer carries).
store::Row stored(store::Tx& tx, std::int64_t id) {
    return *tx.one(
        "SELECT building_id, floor, room, industry, headcount, office_size, brands, usage, "
        "notes, owner_id, referred_by, status FROM customer WHERE id = ?",
        {id});
}

// How far along the way to a customer: a merge keeps the further of the two. Lost and dormant
// count as a prospect's start, so that any progress on record wins over them.
int status_rank(const std::string& status) {
    constexpr std::string_view chain[] = {"prospect", "contacted", "interested", "negotiating",
                                          "customer"};
    for (int i = 0; i < 5; ++i)
        if (chain[i] == status) return i;
    return 0;
}

bool empty(const store::Value& v) {
    if (store::is_null(v)) return true;
    if (const auto* text = std::get_if<std::string>(&v)) return text::match_key(*text).empty();
    return false;
}

// FROM's values for INTO's empty columns.
void fill(store::Fields& set, const store::Row& into, const store::Row& from,
          std::initializer_list<const char*> columns) {
    for (const char* column : columns)
        if (empty(into[column]) && !empty(from[column])) set.emplace_back(column, from[column]);
}

// Free text both sides hold (a brief's section, the notes) is kept whole: INTO's, then FROM's
// after a separator when it says something else. Nothing either side wrote is dropped.
void combine(store::Fields& set, const store::Row& into, const store::Row& from,
             std::initializer_list<const char*> columns, std::string_view separator) {
    for (const char* column : columns) {
        if (empty(from[column])) continue;
        if (empty(into[column])) {
            set.emplace_back(column, from[column]);
        } else if (into.text(column) != from.text(column)) {
            set.emplace_back(column,
                             into.text(column) + std::string(separator) + from.text(column));
        }
    }
}

// FROM's contacts: moved, or folded into INTO's contact of the same name (its empty details
// filled, FROM's visits with that person pointed at it). Returns FROM's contact id → INTO's.
std::vector<std::pair<std::int64_t, std::int64_t>> merge_contacts(store::Tx& tx, std::int64_t from,
                                                                  std::int64_t into,
                                                                  std::int64_t& count) {
    std::vector<std::pair<std::int64_t, std::int64_t>> folded;
    for (const auto& c : tx.all("SELECT id, name_key, title, role, phone, email, card FROM contact "
                                "WHERE customer_id = ? AND deleted_at IS NULL ORDER BY id",
                                {from})) {
        ++count;
        std::int64_t id = c.integer("id");
        auto same = tx.one(
            "SELECT id, title, role, phone, email, card FROM contact WHERE customer_id = ? AND "
            "name_key = ? AND (? <> '' OR phone = ? OR email = ?) AND deleted_at IS NULL "
            "ORDER BY id LIMIT 1",
            // An unnamed contact (a reception desk's number) is the same one only by its
            // number or address: two desks are two contacts.
            {into, c.text("name_key"), c.text("name_key"), c["phone"], c["email"]});
        if (!same) {
            tx.update("contact", id, {{"customer_id", into}});
            continue;
        }
        store::Fields set;
        fill(set, *same, c, {"title", "phone", "email"});
        if (same->text("role") == "other" && c.text("role") != "other")
            set.emplace_back("role", c.text("role"));
        if (same->integer("card") == 0 && c.integer("card") != 0)
            set.emplace_back("card", std::int64_t{1});
        tx.update("contact", same->integer("id"), set);
        folded.emplace_back(id, same->integer("id"));
    }
    return folded;
}

// The brief moves when INTO has none; otherwise each section holds both sides' text.
bool merge_brief(store::Tx& tx, std::int64_t from, std::int64_t into) {
    constexpr const char* kBrief =
        "SELECT * FROM negotiation_brief WHERE customer_id = ? AND deleted_at IS NULL ORDER BY "
        "id LIMIT 1";
    auto theirs = tx.one(kBrief, {from});
    if (!theirs) return false;
    auto ours = tx.one(kBrief, {into});
    if (!ours) {
        tx.update("negotiation_brief", theirs->integer("id"), {{"customer_id", into}});
        return true;
    }
    store::Fields set;
    combine(set, *ours, *theirs,
            {"concerns", "can_concede", "cannot_concede", "strengths", "weaknesses", "guidance",
             "resources", "team", "unmet_needs"},
            "\n");
    tx.update("negotiation_brief", ours->integer("id"), set);
    tx.tombstone("negotiation_brief", theirs->integer("id"));
    return true;
}

// Moves FROM's live records of `table` to INTO; returns how many.
std::int64_t move_all(store::Tx& tx, const char* table, std::int64_t from, std::int64_t into) {
    auto rows = tx.all(
        fmt::format("SELECT id FROM {} WHERE customer_id = ? AND deleted_at IS NULL ORDER BY id",
                    table),
        {from});
    for (const auto& row : rows) tx.update(table, row.integer("id"), {{"customer_id", into}});
    return static_cast<std::int64_t>(rows.size());
}

customers::Customer live_from(Session& s, std::string_view reference) {
    std::string key = text::match_key(reference);
    auto id = text::parse_id(key);
    bool live = (id && customers::get(s, *id)) || customers::find_by_name(s, key);
    if (!live)
        if (auto went = customers::follow_merge(s, reference))
            throw UsageError(fmt::format("customer merge: '{}' was merged into #{} {} already",
                                         reference, went->id, went->name));
    return customers::resolve(s, reference);
}

}  // namespace

Merged merge_customers(Session& s, const reps::Rep& by, std::string_view from_ref,
                       std::string_view into_ref) {
    store::Tx& tx = s.tx();
    customers::Customer from = live_from(s, from_ref);
    customers::Customer into = customers::resolve(s, into_ref);
    if (from.id == into.id)
        throw UsageError(fmt::format(
            "customer merge: '{}' and '{}' are the same customer (#{} {}); a customer is not "
            "merged into itself",
            from_ref, into_ref, into.id, into.name));
    // On the team's shared record a rep sees only their own visits, follow-ups and orders (the
    // server's policies; a laptop that syncs holds no more): merged there, a teammate's
    // records would stay on the deleted duplicate. The manager sees the whole team's.
    bool shared = store::is_team_server(s.store) ||
                  tx.one("SELECT value FROM meta WHERE key = 'sync.server'").has_value();
    if (shared && by.role != "manager")
        throw UsageError(
            fmt::format("customer merge: on the team's shared record only a manager merges "
                        "customers ({} is a {}): a rep's copy holds only their own records, and "
                        "a teammate's would stay on the deleted duplicate",
                        by.handle, by.role),
            "ask your manager to run the merge (on the server, or on a synced laptop)");
    customers::require_may_change(s, by, "customer merge", from);
    customers::require_may_change(s, by, "customer merge", into);

    // The merge is judged as a whole, above: two customers that are `by`'s to change. What
    // moves with them (a teammate's visit to the duplicate, its orders) is part of the
    // customers, so the records are not judged one by one, as an undo's are not.
    auto guard = tx.release_guard();
    Merged m{.from_id = from.id, .from_name = from.name, .into = into};
    try {
        auto folded = merge_contacts(tx, from.id, into.id, m.contacts);
        for (const auto& v : tx.all("SELECT id, contact_id FROM visit WHERE customer_id = ? AND "
                                    "deleted_at IS NULL ORDER BY id",
                                    {from.id})) {
            store::Fields set{{"customer_id", into.id}};
            for (const auto& [old_contact, new_contact] : folded)
                if (v.optional_integer("contact_id") == old_contact)
                    set.emplace_back("contact_id", new_contact);
            tx.update("visit", v.integer("id"), set);
            ++m.visits;
        }
        // A contact folded into INTO's is gone once nothing points at it any more.
        for (const auto& [old_contact, new_contact] : folded) tx.tombstone("contact", old_contact);
        m.followups = move_all(tx, "followup", from.id, into.id);
        m.orders = move_all(tx, "orders", from.id, into.id);
        m.unmet_needs = move_all(tx, "unmet_need", from.id, into.id);
        m.brief = merge_brief(tx, from.id, into.id);
        for (const auto& c : tx.all("SELECT id FROM customer WHERE referred_by = ? AND id <> ? "
                                    "AND deleted_at IS NULL ORDER BY id",
                                    {from.id, into.id})) {
            tx.update("customer", c.integer("id"), {{"referred_by", into.id}});
            ++m.referrals;
        }

        store::Row ours = stored(tx, into.id);
        store::Row theirs = stored(tx, from.id);
        store::Fields set;
        // The location is one fact: a floor and room make sense only in their building.
        if (store::is_null(ours["building_id"]))
            fill(set, ours, theirs, {"building_id", "floor", "room"});
        else if (ours["building_id"] == theirs["building_id"])
            fill(set, ours, theirs, {"floor", "room"});
        fill(set, ours, theirs, {"industry", "headcount", "office_size", "owner_id"});
        combine(set, ours, theirs, {"brands"}, "、");
        combine(set, ours, theirs, {"usage", "notes"}, "；");
        // Referred by the duplicate is referred by nobody once they are one; then FROM's referrer
        // is INTO's, unless it is INTO itself.
        store::Value referrer = ours["referred_by"];
        if (referrer == store::Value{from.id}) referrer = store::Value{};
        if (store::is_null(referrer) && theirs["referred_by"] != store::Value{into.id})
            referrer = theirs["referred_by"];
        if (referrer != ours["referred_by"]) set.emplace_back("referred_by", referrer);
        if (status_rank(theirs.text("status")) > status_rank(ours.text("status")))
            set.emplace_back("status", theirs.text("status"));
        tx.update("customer", into.id, set);
        tx.update("customer", from.id, {{"merged_into", into.id}});
        tx.tombstone("customer", from.id);
    } catch (...) {
        tx.guard_with(std::move(guard));
        throw;
    }
    tx.guard_with(std::move(guard));
    m.into = customers::get(s, into.id).value();
    return m;
}

}  // namespace fieldbook::workflows
