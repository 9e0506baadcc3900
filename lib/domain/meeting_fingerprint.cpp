#include "domain/meeting_fingerprint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "text/sha256.hpp"

namespace fieldbook::meeting_fingerprint {
namespace {

// The serialisation is JSON with a fixed form: no spaces, keys sorted (std::map), strings
// escaped here rather than by the output layer's JSON writer, so that a change to how reports
// print JSON cannot change a fingerprint.
std::string literal(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
            out += fmt::format("\\{}", c);
        else if (byte < 0x20)
            out += fmt::format("\\u{:04x}", byte);
        else
            out += c;  // stored text is valid NFC UTF-8: kept as its bytes
    }
    return out + "\"";
}

std::string text_or_null(const store::Row& row, std::string_view column) {
    auto value = row.optional_text(column);
    return value ? literal(*value) : "null";
}

std::string int_or_null(const store::Row& row, std::string_view column) {
    auto value = row.optional_integer(column);
    return value ? std::to_string(*value) : "null";
}

using Object = std::map<std::string, std::string>;  // key -> serialised value

std::string object(const Object& fields) {
    std::string out = "{";
    for (const auto& [key, value] : fields)
        out += (out.size() > 1 ? "," : "") + literal(key) + ":" + value;
    return out + "}";
}

// Objects of one kind, in the order of their UUIDs. Sorted here, not by ORDER BY, so that the
// order does not depend on an engine's collation.
std::string array_by_uuid(std::vector<Object> items) {
    std::sort(items.begin(), items.end(),
              [](const Object& a, const Object& b) { return a.at("uuid") < b.at("uuid"); });
    std::string out = "[";
    for (const auto& item : items) out += (out.size() > 1 ? "," : "") + object(item);
    return out + "]";
}

std::string meeting(store::Tx& tx, const std::string& day) {
    auto row = tx.one("SELECT uuid, kind FROM meeting WHERE day = ? AND deleted_at IS NULL", {day});
    // A day without a meeting row is a daily meeting not yet touched; its row may be made when
    // it is closed, and that must not count as a change.
    if (!row) return object({{"kind", literal("daily")}});
    return object({{"kind", literal(row->text("kind"))}});
}

std::string plans(store::Tx& tx, const std::string& day) {
    std::vector<Object> items;
    tx.each(R"sql(
SELECT p.uuid, r.uuid AS rep, p.visits, p.goal, b.uuid AS set_by
FROM plan p JOIN rep r ON r.id = p.rep_id JOIN rep b ON b.id = p.set_by
WHERE p.day = ? AND p.deleted_at IS NULL)sql",
            {day}, [&](const store::Row& row) {
                items.push_back({{"uuid", literal(row.text("uuid"))},
                                 {"rep", literal(row.text("rep"))},
                                 {"visits", int_or_null(row, "visits")},
                                 {"goal", text_or_null(row, "goal")},
                                 {"set_by", literal(row.text("set_by"))}});
            });
    return array_by_uuid(std::move(items));
}

std::string notes(store::Tx& tx, const std::string& day) {
    std::vector<Object> items;
    tx.each(R"sql(
SELECT n.uuid, r.uuid AS rep, n.kind, n.text, a.uuid AS author, n.created_at
FROM meeting_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.day = ? AND n.deleted_at IS NULL)sql",
            {day}, [&](const store::Row& row) {
                items.push_back({{"uuid", literal(row.text("uuid"))},
                                 {"rep", literal(row.text("rep"))},
                                 {"kind", literal(row.text("kind"))},
                                 {"text", literal(row.text("text"))},
                                 {"author", literal(row.text("author"))},
                                 {"created_at", literal(row.text("created_at"))}});
            });
    return array_by_uuid(std::move(items));
}

// The visit's own fields. The customer, contact and rep are references: renaming a customer
// changes the customer, not the day. The follow-up is the one the summary's "next" column
// shows (the first the visit scheduled and that was not dropped), by its plan (due day and
// channel) and not by its state: carrying it out later is not a change to the day.
std::string visits(store::Tx& tx, const std::string& day) {
    std::vector<Object> items;
    tx.each(R"sql(
SELECT v.uuid, r.uuid AS rep, c.uuid AS customer, ct.uuid AS contact, v.kind, v.at_utc,
       v.outcome, v.headcount, v.office_size, v.brands, v.usage, v.note, v.went_well, v.improve,
       v.tool_feedback, v.script, f.uuid AS followup, f.due_day, f.channel
FROM visit v
JOIN rep r ON r.id = v.rep_id
JOIN customer c ON c.id = v.customer_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN followup f ON f.id = (SELECT MIN(f2.id) FROM followup f2
                                WHERE f2.origin_visit_id = v.id AND f2.state <> 'dropped')
WHERE v.day = ? AND v.deleted_at IS NULL)sql",
            {day}, [&](const store::Row& row) {
                std::string followup = "null";
                if (!row.is_null("followup"))
                    followup = object({{"uuid", literal(row.text("followup"))},
                                       {"due_day", text_or_null(row, "due_day")},
                                       {"channel", text_or_null(row, "channel")}});
                items.push_back({{"uuid", literal(row.text("uuid"))},
                                 {"rep", literal(row.text("rep"))},
                                 {"customer", literal(row.text("customer"))},
                                 {"contact", text_or_null(row, "contact")},
                                 {"kind", literal(row.text("kind"))},
                                 {"at_utc", literal(row.text("at_utc"))},
                                 {"outcome", literal(row.text("outcome"))},
                                 {"headcount", int_or_null(row, "headcount")},
                                 {"office_size", text_or_null(row, "office_size")},
                                 {"brands", text_or_null(row, "brands")},
                                 {"usage", text_or_null(row, "usage")},
                                 {"note", text_or_null(row, "note")},
                                 {"went_well", text_or_null(row, "went_well")},
                                 {"improve", text_or_null(row, "improve")},
                                 {"tool_feedback", text_or_null(row, "tool_feedback")},
                                 {"script", text_or_null(row, "script")},
                                 {"followup", followup}});
            });
    return array_by_uuid(std::move(items));
}

// The orders taken on the day, cancelled or not: cancelling one later takes it out of the day's
// orders, which is a change to the day.
std::string orders(store::Tx& tx, const std::string& day) {
    std::vector<Object> items;
    tx.each(R"sql(
SELECT o.uuid, r.uuid AS rep, c.uuid AS customer, o.amount_cents, o.due_day, o.cancelled_day
FROM orders o JOIN rep r ON r.id = o.rep_id JOIN customer c ON c.id = o.customer_id
WHERE o.day = ? AND o.deleted_at IS NULL)sql",
            {day}, [&](const store::Row& row) {
                items.push_back({{"uuid", literal(row.text("uuid"))},
                                 {"rep", literal(row.text("rep"))},
                                 {"customer", literal(row.text("customer"))},
                                 {"amount_cents", int_or_null(row, "amount_cents")},
                                 {"due_day", text_or_null(row, "due_day")},
                                 {"cancelled_day", text_or_null(row, "cancelled_day")}});
            });
    return array_by_uuid(std::move(items));
}

// The payments received on the day, on whichever order; the rep is the one recorded, if any.
std::string payments(store::Tx& tx, const std::string& day) {
    std::vector<Object> items;
    tx.each(R"sql(
SELECT p.uuid, o.uuid AS order_uuid, r.uuid AS rep, p.amount_cents
FROM payment p JOIN orders o ON o.id = p.order_id LEFT JOIN rep r ON r.id = p.rep_id
WHERE p.day = ? AND p.deleted_at IS NULL)sql",
            {day}, [&](const store::Row& row) {
                items.push_back({{"uuid", literal(row.text("uuid"))},
                                 {"order", literal(row.text("order_uuid"))},
                                 {"rep", text_or_null(row, "rep")},
                                 {"amount_cents", int_or_null(row, "amount_cents")}});
            });
    return array_by_uuid(std::move(items));
}

Object v1_fields(store::Tx& tx, const std::string& d) {
    return {{"day", literal(d)},
            {"meeting", meeting(tx, d)},
            {"notes", notes(tx, d)},
            {"plans", plans(tx, d)},
            {"visits", visits(tx, d)}};
}

}  // namespace

// What is left out, and why: the summary's other sections (follow-ups due next, stale
// prospects, past-due balances, collection calls, the next day's quotas) are queues meant to
// move on after the meeting, and the next day's quotas are that day's records.
std::string serialise(store::Tx& tx, text::Day day) {
    const std::string d = text::format_day(day);
    Object fields = v1_fields(tx, d);
    fields["orders"] = orders(tx, d);
    fields["payments"] = payments(tx, d);
    return object(fields);
}

// Kept as it was: a day closed with a "v1:" fingerprint is checked against the records it
// covered then (a v1 summary showed no money), so it still verifies.
std::string serialise_v1(store::Tx& tx, text::Day day) {
    return object(v1_fields(tx, text::format_day(day)));
}

std::string serialise(store::Store& store, text::Day day) {
    // A Tx that only reads, in the store's current transaction rather than one of its own: the
    // schema upgrade calls this inside its write transaction.
    auto tx = store.read_tx();
    return serialise(*tx, day);
}

std::string of_day(store::Tx& tx, text::Day day) {
    return fmt::format("{}:{}", kVersion, text::sha256_hex(serialise(tx, day)));
}

bool matches(store::Tx& tx, text::Day day, std::string_view stored) {
    if (stored.starts_with("v1:"))
        return stored.substr(3) == text::sha256_hex(serialise_v1(tx, day));
    return stored == of_day(tx, day);
}

std::string of_day(store::Store& store, text::Day day) {
    auto tx = store.read_tx();
    return of_day(*tx, day);
}

}  // namespace fieldbook::meeting_fingerprint
