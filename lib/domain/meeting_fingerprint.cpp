#include "domain/meeting_fingerprint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "store/row.hpp"
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

std::string text_or_null(SQLite::Statement& q, int column) {
    auto value = store::optional_text(q, column);
    return value ? literal(*value) : "null";
}

std::string int_or_null(SQLite::Statement& q, int column) {
    auto value = store::optional_int(q, column);
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

std::string meeting(store::Store& store, const std::string& day) {
    auto q = store.prepare("SELECT uuid, kind FROM meeting WHERE day = ? AND deleted_at IS NULL");
    q->bind(1, day);
    // A day without a meeting row is a daily meeting not yet touched; its row may be made when
    // it is closed, and that must not count as a change.
    if (!q->executeStep()) return object({{"kind", literal("daily")}});
    return object({{"kind", literal(q->getColumn(1).getString())}});
}

std::string plans(store::Store& store, const std::string& day) {
    auto q = store.prepare(R"sql(
SELECT p.uuid, r.uuid, p.visits, p.goal, b.uuid
FROM plan p JOIN rep r ON r.id = p.rep_id JOIN rep b ON b.id = p.set_by
WHERE p.day = ? AND p.deleted_at IS NULL)sql");
    q->bind(1, day);
    std::vector<Object> items;
    while (q->executeStep())
        items.push_back({{"uuid", literal(q->getColumn(0).getString())},
                         {"rep", literal(q->getColumn(1).getString())},
                         {"visits", int_or_null(*q, 2)},
                         {"goal", text_or_null(*q, 3)},
                         {"set_by", literal(q->getColumn(4).getString())}});
    return array_by_uuid(std::move(items));
}

std::string notes(store::Store& store, const std::string& day) {
    auto q = store.prepare(R"sql(
SELECT n.uuid, r.uuid, n.kind, n.text, a.uuid, n.created_at
FROM meeting_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.day = ? AND n.deleted_at IS NULL)sql");
    q->bind(1, day);
    std::vector<Object> items;
    while (q->executeStep())
        items.push_back({{"uuid", literal(q->getColumn(0).getString())},
                         {"rep", literal(q->getColumn(1).getString())},
                         {"kind", literal(q->getColumn(2).getString())},
                         {"text", literal(q->getColumn(3).getString())},
                         {"author", literal(q->getColumn(4).getString())},
                         {"created_at", literal(q->getColumn(5).getString())}});
    return array_by_uuid(std::move(items));
}

// The visit's own fields. The customer, contact and rep are references: renaming a customer
// changes the customer, not the day. The follow-up is the one the summary's "next" column
// shows (the first the visit scheduled and that was not dropped), by its plan (due day and
// channel) and not by its state: carrying it out later is not a change to the day.
std::string visits(store::Store& store, const std::string& day) {
    auto q = store.prepare(R"sql(
SELECT v.uuid, r.uuid, c.uuid, ct.uuid, v.kind, v.at_utc, v.outcome, v.headcount,
       v.office_size, v.brands, v.usage, v.note, v.went_well, v.improve, v.tool_feedback,
       v.script, f.uuid, f.due_day, f.channel
FROM visit v
JOIN rep r ON r.id = v.rep_id
JOIN customer c ON c.id = v.customer_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN followup f ON f.id = (SELECT MIN(f2.id) FROM followup f2
                                WHERE f2.origin_visit_id = v.id AND f2.state <> 'dropped')
WHERE v.day = ? AND v.deleted_at IS NULL)sql");
    q->bind(1, day);
    std::vector<Object> items;
    while (q->executeStep()) {
        std::string followup = "null";
        if (!q->isColumnNull(16))
            followup = object({{"uuid", literal(q->getColumn(16).getString())},
                               {"due_day", text_or_null(*q, 17)},
                               {"channel", text_or_null(*q, 18)}});
        items.push_back({{"uuid", literal(q->getColumn(0).getString())},
                         {"rep", literal(q->getColumn(1).getString())},
                         {"customer", literal(q->getColumn(2).getString())},
                         {"contact", text_or_null(*q, 3)},
                         {"kind", literal(q->getColumn(4).getString())},
                         {"at_utc", literal(q->getColumn(5).getString())},
                         {"outcome", literal(q->getColumn(6).getString())},
                         {"headcount", int_or_null(*q, 7)},
                         {"office_size", text_or_null(*q, 8)},
                         {"brands", text_or_null(*q, 9)},
                         {"usage", text_or_null(*q, 10)},
                         {"note", text_or_null(*q, 11)},
                         {"went_well", text_or_null(*q, 12)},
                         {"improve", text_or_null(*q, 13)},
                         {"tool_feedback", text_or_null(*q, 14)},
                         {"script", text_or_null(*q, 15)},
                         {"followup", followup}});
    }
    return array_by_uuid(std::move(items));
}

}  // namespace

// What is left out, and why: the summary's other sections (follow-ups due next, stale
// prospects, the next day's quotas) are queues meant to move on after the meeting, and the next
// day's quotas are that day's records; orders and payments are not in the summary at all.
std::string serialise(store::Store& store, text::Day day) {
    const std::string d = text::format_day(day);
    return object({{"day", literal(d)},
                   {"meeting", meeting(store, d)},
                   {"notes", notes(store, d)},
                   {"plans", plans(store, d)},
                   {"visits", visits(store, d)}});
}

std::string of_day(store::Store& store, text::Day day) {
    return fmt::format("{}:{}", kVersion, text::sha256_hex(serialise(store, day)));
}

}  // namespace fieldbook::meeting_fingerprint
