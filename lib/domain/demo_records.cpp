#include "domain/demo_records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "store/record_tables.hpp"
#include "text/sha256.hpp"

namespace fieldbook::demo {
namespace {

// The meta entry holding the demo's note: a first line naming the format, then one line per
// table, "TABLE LAST_ID SHA256": the demo made the rows up to LAST_ID, with those contents;
// and a last line "adopted" once `init` took the store over.
constexpr const char* kMetaKey = "demo";
constexpr std::string_view kFormat = "fieldbook demo records 1";
constexpr std::string_view kAdopted = "adopted";

struct Made {
    std::int64_t last_id = 0;
    std::string fingerprint;
};

struct Note {
    std::map<std::string, Made> tables;
    bool adopted = false;
};

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::int64_t count_rows(Session& s, const std::string& table, std::int64_t above_id) {
    return s.tx()
        .one(fmt::format("SELECT COUNT(*) AS n FROM {} WHERE id > ?", quoted(table)), {above_id})
        ->integer("n");
}

std::int64_t last_id(Session& s, const std::string& table) {
    return s.tx()
        .one(fmt::format("SELECT COALESCE(MAX(id), 0) AS last_id FROM {}", quoted(table)))
        ->integer("last_id");
}

// A value as the fingerprint has always written it: SQLite's type code (1 integer, 2 real,
// 3 text, 5 null) and its text, as SQLite renders it ("%!.15g" for a real), so that a note
// written by an earlier fieldbook still matches the same rows.
std::string typed(const store::Value& v) {
    std::string text;
    int type = 5;
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        type = 1;
        text = std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
        type = 2;
        text = fmt::format("{:.15g}", *d);
        if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    } else if (const auto* t = std::get_if<std::string>(&v)) {
        type = 3;
        text = *t;
    }
    return fmt::format("{}:{}:{}|", type, text.size(), text);
}

// Every column of every row up to `up_to_id`, in id order, each value with its type, so that
// no edit, tombstone or erasure leaves the fingerprint as it was. Hashed in chunks, so that a
// store of a million visits never sits in memory as one string.
std::string fingerprint(Session& s, const std::string& table, std::int64_t up_to_id) {
    std::string chunk = std::string(table) + '\n';
    s.tx().each(fmt::format("SELECT * FROM {} WHERE id <= ? ORDER BY id", quoted(table)),
                {up_to_id}, [&](const store::Row& row) {
                    for (const auto& value : row.values()) chunk += typed(value);
                    chunk += '\n';
                    if (chunk.size() > (1u << 20)) chunk = text::sha256_hex(chunk);
                });
    return text::sha256_hex(chunk);
}

std::optional<Note> read_note(Session& s) {
    auto text = s.store.meta(kMetaKey);
    if (!text) return std::nullopt;
    std::istringstream lines(*text);
    std::string line;
    if (!std::getline(lines, line) || line != kFormat) return std::nullopt;  // an older demo's
    Note note;
    while (std::getline(lines, line)) {
        if (line == kAdopted) {
            note.adopted = true;
            continue;
        }
        std::istringstream fields(line);
        std::string table;
        Made m;
        if (!(fields >> table >> m.last_id >> m.fingerprint)) return std::nullopt;
        note.tables[table] = m;
    }
    return note;
}

// How a table's records are called, one and many; tables are listed in this order.
struct Noun {
    std::string_view table, one, many;
};
constexpr std::array kNouns = {
    Noun{"rep", "rep", "reps"},
    Noun{"building", "building", "buildings"},
    Noun{"customer", "customer", "customers"},
    Noun{"contact", "contact", "contacts"},
    Noun{"visit", "visit", "visits"},
    Noun{"followup", "follow-up", "follow-ups"},
    Noun{"orders", "order", "orders"},
    Noun{"order_line", "order line", "order lines"},
    Noun{"payment", "payment", "payments"},
    Noun{"plan", "quota", "quotas"},
    Noun{"meeting_note", "meeting note", "meeting notes"},
    Noun{"meeting", "meeting", "meetings"},
    Noun{"rep_task", "task", "tasks"},
    Noun{"rep_note", "note on conduct", "notes on conduct"},
};

std::size_t rank(const std::string& table) {
    for (std::size_t i = 0; i < kNouns.size(); ++i)
        if (kNouns[i].table == table) return i;
    return kNouns.size();
}

std::string noun(const std::string& table, bool many) {
    for (const auto& n : kNouns)
        if (n.table == table) return std::string(many ? n.many : n.one);
    return table + (many ? " rows" : " row");
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

}  // namespace

void mark_own(Session& s) {
    std::string note(kFormat);
    for (const auto& table : store::record_tables(s.store)) {
        std::int64_t last = last_id(s, table);
        note += fmt::format("\n{} {} {}", table, last, fingerprint(s, table, last));
    }
    s.store.set_meta(kMetaKey, note);
}

void adopt(Session& s) {
    // The note stays, so that a refused demo can still say what was added since.
    auto note = read_note(s);
    if (note && !note->adopted)
        s.store.set_meta(kMetaKey, *s.store.meta(kMetaKey) + "\n" + std::string(kAdopted));
}

Holdings holdings(Session& s) {
    Holdings held;
    auto note = read_note(s);
    held.made_by_demo = note.has_value();
    held.adopted = note && note->adopted;
    for (const auto& table : store::record_tables(s.store)) {
        Made own;  // a table the demo did not know holds nothing of its own
        if (note)
            if (auto found = note->tables.find(table); found != note->tables.end())
                own = found->second;
        Foreign foreign{table, count_rows(s, table, own.last_id), false};
        if (!own.fingerprint.empty())
            foreign.changed = fingerprint(s, table, own.last_id) != own.fingerprint;
        if (foreign.added > 0 || foreign.changed) held.tables.push_back(foreign);
    }
    std::stable_sort(
        held.tables.begin(), held.tables.end(),
        [](const Foreign& a, const Foreign& b) { return rank(a.table) < rank(b.table); });
    return held;
}

std::string describe(const Holdings& held) {
    std::vector<std::string> added, changed;
    for (const auto& t : held.tables) {
        if (t.added > 0) added.push_back(fmt::format("{} {}", t.added, noun(t.table, t.added > 1)));
        if (t.changed) changed.push_back(noun(t.table, true));
    }
    if (!held.made_by_demo) return join(added) + " (the store was not made by `fieldbook demo`)";
    std::vector<std::string> parts;
    if (held.adopted) parts.push_back("`fieldbook init` took the store over");
    if (!added.empty()) parts.push_back(join(added) + " added since");
    if (!changed.empty()) parts.push_back(join(changed) + " changed since the demo made them");
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
}

void clear(Session& s) {
    store::erase_all_records(s.store);
    // meta holds no records: its entry is the store's to remove, not a logged change.
    s.store.erase_meta(std::string(kMetaKey));
}

}  // namespace fieldbook::demo
