#include "domain/write_rule.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <string>

#include "domain/permissions.hpp"
#include "errors.hpp"

namespace fieldbook::write_rule {
namespace {

using permissions::Kind;

bool only(const store::Fields& fields, std::initializer_list<std::string_view> allowed) {
    for (const auto& field : fields) {
        bool listed = false;
        for (auto name : allowed) listed = listed || field.first == name;
        if (!listed) return false;
    }
    return true;
}

const store::Value* field(const store::Fields& fields, std::string_view name) {
    for (const auto& f : fields)
        if (f.first == name) return &f.second;
    return nullptr;
}

std::optional<std::string> handle_of_id(store::Tx& tx, std::optional<std::int64_t> rep_id) {
    if (!rep_id) return std::nullopt;
    auto row = tx.one("SELECT handle FROM rep WHERE id = ?", {*rep_id});
    if (!row) return std::nullopt;
    return row->text("handle");
}

std::optional<std::string> handle_of(store::Tx& tx, const store::Value* rep_id) {
    if (rep_id == nullptr || !std::holds_alternative<std::int64_t>(*rep_id)) return std::nullopt;
    return handle_of_id(tx, std::get<std::int64_t>(*rep_id));
}

// A column of the record as it is now (update, tombstone) or as it will be (insert).
store::Value column(store::Tx& tx, const store::RecordChange& c, std::string_view name) {
    if (const auto* given = field(c.fields, name); given && c.kind == "insert") return *given;
    if (!c.id) return {};
    auto row = tx.one(fmt::format("SELECT {} AS v FROM {} WHERE id = ?", name, c.table), {*c.id});
    return row ? (*row)["v"] : store::Value{};
}

std::string label(const store::RecordChange& c, std::string_view what) {
    if (c.id) return fmt::format("{} #{}", what, *c.id);
    return fmt::format("a new {}", what);
}

// The owner of an order (of its line or payment).
std::optional<std::string> order_owner(store::Tx& tx, const store::Value& order_id) {
    if (!std::holds_alternative<std::int64_t>(order_id)) return std::nullopt;
    auto row = tx.one("SELECT rep_id FROM orders WHERE id = ?", {order_id});
    if (!row) return std::nullopt;
    store::Value rep = (*row)["rep_id"];
    return handle_of(tx, &rep);
}

// The owner_id of a customer, for the records that belong to it.
store::Value customer_owner(store::Tx& tx, const store::Value& customer_id) {
    auto row = tx.one("SELECT owner_id FROM customer WHERE id = ?", {customer_id});
    return row ? (*row)["owner_id"] : store::Value{};
}

// Tables whose new records are credited to a rep or shared by the team, not acts of a role.
bool credited(std::string_view table) {
    for (std::string_view t : {"visit", "followup", "orders", "order_line", "payment", "customer",
                               "contact", "building"})
        if (table == t) return true;
    return false;
}

// What a record call changes, in the rule's terms; none when anyone on the team may make it.
std::optional<permissions::Change> change_of(store::Tx& tx, const store::RecordChange& c) {
    std::string_view t = c.table;
    auto owned = [&](Kind kind, std::string_view what, const store::Value& owner_id) {
        return permissions::Change{.action = "",
                                   .kind = kind,
                                   .record = label(c, what),
                                   .owner = handle_of(tx, &owner_id)};
    };
    if (t == "visit") return owned(Kind::visit, "visit", column(tx, c, "rep_id"));
    if (t == "followup") return owned(Kind::followup, "follow-up", column(tx, c, "rep_id"));
    if (t == "orders") return owned(Kind::order, "order", column(tx, c, "rep_id"));
    if (t == "order_line" || t == "payment") {
        auto order = column(tx, c, "order_id");
        return permissions::Change{.action = "",
                                   .kind = Kind::order,
                                   .record = label(c, t == "payment" ? "payment" : "order line"),
                                   .owner = order_owner(tx, order)};
    }
    if (t == "customer") {
        // What a visit or an order learns of a company (its status, size, brands, and its first
        // owner) is anyone's to record; the company itself is its owner's.
        if (c.kind == "update" &&
            only(c.fields, {"status", "headcount", "office_size", "brands", "usage", "owner_id"}) &&
            (!field(c.fields, "owner_id") || store::is_null(column(tx, c, "owner_id"))))
            return std::nullopt;
        // Nor is filling in what the company's record lacks (its building, floor, industry),
        // as a visit there does.
        if (c.kind == "update" && only(c.fields, {"building_id", "floor", "room", "industry"})) {
            bool fills = true;
            for (const auto& f : c.fields) fills = fills && store::is_null(column(tx, c, f.first));
            if (fills) return std::nullopt;
        }
        return owned(Kind::customer, "customer", column(tx, c, "owner_id"));
    }
    if (t == "contact") {
        // The people met are recorded by whoever meets them; removing one is the company's
        // owner's.
        // Moving one to another company takes it from its own.
        if (c.kind != "tombstone" && !field(c.fields, "customer_id")) return std::nullopt;
        auto customer = column(tx, c, "customer_id");
        auto row = tx.one("SELECT owner_id FROM customer WHERE id = ?", {customer});
        store::Value owner = row ? (*row)["owner_id"] : store::Value{};
        return owned(Kind::customer, "contact", owner);
    }
    if (t == "negotiation_brief") {
        // The guidance is the manager's to write, and to take away; the rest of the brief is
        // the customer's, changed by whoever may change the customer.
        const auto* guidance = field(c.fields, "guidance");
        bool touches_guidance =
            c.kind == "tombstone" ? !store::is_null(column(tx, c, "guidance"))
                                  : guidance && (c.kind == "update" || !store::is_null(*guidance));
        if (touches_guidance)
            return permissions::Change{
                .action = "",
                .kind = Kind::manager_note,
                .record = "write the manager's guidance in a negotiation brief"};
        return owned(Kind::customer, "negotiation brief",
                     customer_owner(tx, column(tx, c, "customer_id")));
    }
    if (t == "unmet_need") {
        // As a contact: the needs heard are recorded with the brief; removing one is the
        // company's owner's.
        if (c.kind != "tombstone" && !field(c.fields, "customer_id")) return std::nullopt;
        return owned(Kind::customer, "unmet need",
                     customer_owner(tx, column(tx, c, "customer_id")));
    }
    if (t == "rep") {
        if (c.kind == "update" && only(c.fields, {"name", "phone", "email"}))
            return permissions::Change{.action = "",
                                       .kind = Kind::rep_details,
                                       .record = label(c, "rep"),
                                       .owner = handle_of_id(tx, c.id)};
        return permissions::Change{.action = "", .kind = Kind::team, .record = "change the team"};
    }
    if (t == "rep_task") {
        if (c.kind == "update" && only(c.fields, {"done_at"}))
            return owned(Kind::task, "task", column(tx, c, "rep_id"));
        return permissions::Change{
            .action = "", .kind = Kind::task_assignment, .record = "give tasks"};
    }
    if (t == "rep_note")
        return permissions::Change{
            .action = "", .kind = Kind::conduct_note, .record = "write notes on conduct"};
    if (t == "plan")
        return permissions::Change{.action = "", .kind = Kind::plan, .record = "set quotas"};
    if (t == "meeting_note") {
        // The kind it has, or the kind it is given: a note turned into the manager's is hers.
        auto kind = column(tx, c, "kind");
        if (const auto* given = field(c.fields, "kind")) kind = *given;
        if (kind == store::Value{std::string("manager")})
            return permissions::Change{
                .action = "", .kind = Kind::manager_note, .record = "write the manager's notes"};
        return owned(Kind::meeting_note, "meeting note", column(tx, c, "rep_id"));
    }
    if (t == "meeting") {
        if (field(c.fields, "approved_at") || field(c.fields, "approved_by") ||
            field(c.fields, "approval_comment"))
            return permissions::Change{
                .action = "", .kind = Kind::meeting_approval, .record = "approve a meeting"};
        if (field(c.fields, "kind") && !field(c.fields, "closed_at"))
            return permissions::Change{
                .action = "", .kind = Kind::meeting_kind, .record = "mark a sharing day"};
        if (c.kind == "update" && only(c.fields, {"records_fingerprint"}))
            return std::nullopt;  // the store's own upgrade of an archive's fingerprint
        return permissions::Change{
            .action = "", .kind = Kind::meeting_close, .record = "close a meeting"};
    }
    return std::nullopt;  // buildings: the team's shared map
}

}  // namespace

store::Tx::Guard for_actor(std::optional<reps::Rep> actor) {
    return [actor](store::Tx& tx, const store::RecordChange& given) {
        // Setting deleted_at is removing the record, whichever call does it.
        const auto* deleted = field(given.fields, "deleted_at");
        bool removes = given.kind == "update" && deleted && !store::is_null(*deleted);
        store::RecordChange c{given.table, given.id, removes ? "tombstone" : given.kind,
                              given.fields};
        // A new record credited to a rep (an imported visit, a follow-up set for a teammate)
        // changes nothing of theirs; the commands that create them decide whom they may credit.
        // What is judged here is every change to an existing record, and every act that
        // belongs to a role. (Decided before any lookup: an import adds 100,000 of them.)
        if (c.kind == "insert" && credited(c.table)) return;
        auto change = change_of(tx, c);
        if (!change) return;
        if (c.kind == "insert" && change->owner) return;
        std::string action = fmt::format("{} of {}", c.kind, c.table);
        change->action = action;
        permissions::require(tx, actor, *change);
    };
}

}  // namespace fieldbook::write_rule
