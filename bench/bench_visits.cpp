// Measures fieldbook's visit store against raw SQLite doing the same work in the same run, and
// prints the ratios. Not a test: nothing here asserts a time.
//
//   cmake --build build --target bench_visits && ./build/bench/bench_visits [VISITS]
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <string>

#include "clock.hpp"
#include "domain/reps.hpp"
#include "domain/visits.hpp"
#include "store/store.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

namespace fs = std::filesystem;
using namespace fieldbook;

namespace {

double seconds(const std::function<void()>& work) {
    auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void exec(sqlite3* db, const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error(message);
    }
}

struct Workload {
    std::vector<std::string> customers;
    std::vector<std::string> notes;
    std::vector<int> day_offsets;
};

Workload make_workload(int visits) {
    std::mt19937 random(42);
    Workload w;
    for (int i = 0; i < visits / 8 + 1; ++i)
        w.customers.push_back(fmt::format("基准客户{:06}有限公司", i));
    const char* phrases[] = {"留了目录，前台答应转交", "问了A4纸和硒鼓的价格", "对方有固定供应商",
                             "约下周再来见行政经理", "要了批量报价单"};
    for (int i = 0; i < visits; ++i) {
        w.notes.push_back(fmt::format("{} #{}", phrases[random() % 5], i));
        w.day_offsets.push_back(static_cast<int>(random() % 365));
    }
    return w;
}

}  // namespace

int main(int argc, char** argv) {
    int visits = argc > 1 ? std::stoi(argv[1]) : 20000;
    Workload w = make_workload(visits);
    fs::path dir = fs::temp_directory_path() / fmt::format("fieldbook-bench-{}", ::getpid());
    fs::create_directories(dir);
    const text::TimeZone zone = text::TimeZone::named("Asia/Shanghai", "zone");
    FixedClock clock(text::parse_iso_instant("2026-11-26T10:00:00+08:00", zone, "now"));
    text::Day today = text::local_day(clock.now(), zone);

    // fieldbook: each visit through the domain (customer lookup, contact, index), all in one
    // transaction per 1000 visits as a bulk import would.
    auto store = store::Store::open_or_create(dir / "fieldbook.db");
    UuidGenerator uuids(clock, 1);
    Session s{store, clock, uuids, zone};
    auto rep = store.write(
        [&] { return reps::add(s, std::nullopt, {.handle = "bench", .name = "基准"}); });
    double fb_insert = seconds([&] {
        for (int start = 0; start < visits; start += 1000) {
            store.write([&] {
                for (int i = start; i < std::min(visits, start + 1000); ++i) {
                    visits::NewVisit v{
                        .customer = w.customers[static_cast<std::size_t>(i) % w.customers.size()],
                        .allow_duplicate = true};
                    v.fields.outcome = "contact";
                    v.fields.note = w.notes[i];
                    v.fields.at = text::local_instant(today - std::chrono::days{w.day_offsets[i]},
                                                      10, 0, zone);
                    visits::add(s, rep, v);
                }
            });
        }
    });

    // Baseline: raw SQLite inserting the same rows into a plain table with the same indexes.
    sqlite3* raw = nullptr;
    sqlite3_open((dir / "raw.db").c_str(), &raw);
    exec(raw,
         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
         "CREATE TABLE visit (id INTEGER PRIMARY KEY, customer TEXT, day TEXT, note TEXT);"
         "CREATE INDEX visit_by_day ON visit(day);"
         "CREATE VIRTUAL TABLE visit_search USING fts5(body, tokenize='trigram');");
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(raw, "INSERT INTO visit (customer, day, note) VALUES (?, ?, ?)", -1, &insert,
                       nullptr);
    sqlite3_stmt* index = nullptr;
    sqlite3_prepare_v2(raw,
                       "INSERT INTO visit_search (rowid, body) VALUES (last_insert_rowid(), ?)", -1,
                       &index, nullptr);
    double raw_insert = seconds([&] {
        for (int start = 0; start < visits; start += 1000) {
            exec(raw, "BEGIN IMMEDIATE");
            for (int i = start; i < std::min(visits, start + 1000); ++i) {
                std::string day = text::format_day(today - std::chrono::days{w.day_offsets[i]});
                const std::string& customer =
                    w.customers[static_cast<std::size_t>(i) % w.customers.size()];
                sqlite3_bind_text(insert, 1, customer.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, 2, day.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(insert, 3, w.notes[i].c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_step(insert);
                sqlite3_reset(insert);
                std::string body = customer + "\n" + w.notes[i];
                sqlite3_bind_text(index, 1, body.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_step(index);
                sqlite3_reset(index);
            }
            exec(raw, "COMMIT");
        }
    });

    // One day's visits, 100 times.
    std::int64_t fb_rows = 0, raw_rows = 0;
    double fb_day = seconds([&] {
        for (int k = 0; k < 100; ++k) {
            text::Day d = today - std::chrono::days{k % 30};
            visits::list(s, {.since = d, .until = d}, [&](const visits::Visit&) { ++fb_rows; });
        }
    });
    sqlite3_stmt* by_day = nullptr;
    sqlite3_prepare_v2(raw,
                       "SELECT id, customer, day, note FROM visit WHERE day = ? ORDER BY id DESC",
                       -1, &by_day, nullptr);
    double raw_day = seconds([&] {
        for (int k = 0; k < 100; ++k) {
            std::string d = text::format_day(today - std::chrono::days{k % 30});
            sqlite3_bind_text(by_day, 1, d.c_str(), -1, SQLITE_TRANSIENT);
            while (sqlite3_step(by_day) == SQLITE_ROW) ++raw_rows;
            sqlite3_reset(by_day);
        }
    });

    // Substring search, 3+ characters (trigram index), 20 times.
    std::int64_t fb_hits = 0, raw_hits = 0;
    double fb_search = seconds([&] {
        for (int k = 0; k < 20; ++k)
            visits::list(s, {.search = "硒鼓的价格"}, [&](const visits::Visit&) { ++fb_hits; });
    });
    sqlite3_stmt* search = nullptr;
    sqlite3_prepare_v2(raw,
                       "SELECT v.id FROM visit v WHERE v.id IN (SELECT rowid FROM visit_search "
                       "WHERE visit_search MATCH '\"硒鼓的价格\"') ORDER BY v.day DESC",
                       -1, &search, nullptr);
    double raw_search = seconds([&] {
        for (int k = 0; k < 20; ++k) {
            while (sqlite3_step(search) == SQLITE_ROW) ++raw_hits;
            sqlite3_reset(search);
        }
    });

    sqlite3_finalize(insert);
    sqlite3_finalize(index);
    sqlite3_finalize(by_day);
    sqlite3_finalize(search);
    sqlite3_close(raw);
    fs::remove_all(dir);

    fmt::print("{} visits (SQLite {})\n", visits, sqlite3_libversion());
    fmt::print("{:<28} {:>12} {:>12} {:>8}\n", "operation", "fieldbook", "raw sqlite", "ratio");
    auto row = [](const char* what, double fb, double base) {
        fmt::print("{:<28} {:>10.3f} s {:>10.3f} s {:>7.2f}x\n", what, fb, base, fb / base);
    };
    row("insert all visits", fb_insert, raw_insert);
    row("list one day x100", fb_day, raw_day);
    row("search 3+ chars x20", fb_search, raw_search);
    fmt::print("rows: day {} vs {}, search {} vs {}\n", fb_rows, raw_rows, fb_hits, raw_hits);
    return 0;
}
