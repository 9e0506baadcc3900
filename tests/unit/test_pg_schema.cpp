// The PostgreSQL schema mirrors SQLite's step for step (pg_schema.cpp). That the shapes match
// column by column is checked against a live server (tests/pg/compare_schemas.py); these
// checks need none: every SQLite step has its PostgreSQL twin making the same tables, indexes
// and added columns, and no SQLite-only syntax has crossed over.
#include <doctest/doctest.h>

#include <cctype>
#include <regex>
#include <set>
#include <string>

#include "store/postgres/pg_schema.hpp"
#include "store/schema.hpp"

using namespace fieldbook;

namespace {

// "table", "index" or "column" followed by the name of each thing a step makes, one a line
// (sorted, so that a failure shows the two lists).
// `earlier`: what the steps before made (a rebuilt table's indexes are made again, not new).
std::string made_by(std::string_view step, bool with_trigram_index = false,
                    const std::set<std::string>& earlier = {}) {
    static const std::regex made(
        R"(CREATE\s+(?:VIRTUAL\s+)?(TABLE|INDEX)\s+(\w+)|ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+))",
        std::regex::icase);
    std::set<std::string> names;
    std::string text(step);
    for (std::sregex_iterator m(text.begin(), text.end(), made), end; m != end; ++m) {
        if ((*m)[1].matched)
            names.insert(std::string(std::toupper((*m)[1].str()[0]) == 'T' ? "table " : "index ") +
                         (*m)[2].str());
        else
            names.insert("column " + (*m)[3].str() + "." + (*m)[4].str());
    }
    // A table SQLite rebuilds to change a constraint (made anew, filled, renamed to the old
    // name, its earlier indexes made again) is what PostgreSQL changes in place: it makes
    // nothing; an index new in the step is new on both.
    static const std::regex renamed(R"(ALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+))",
                                    std::regex::icase);
    for (std::sregex_iterator m(text.begin(), text.end(), renamed), end; m != end; ++m) {
        names.erase("table " + (*m)[1].str());
        static const std::regex index_on(R"(CREATE\s+INDEX\s+(\w+)\s+ON\s+(\w+))",
                                         std::regex::icase);
        for (std::sregex_iterator i(text.begin(), text.end(), index_on); i != end; ++i)
            if ((*i)[2].str() == (*m)[2].str() && earlier.count("index " + (*i)[1].str()))
                names.erase("index " + (*i)[1].str());
    }
    // The trigram index stands in for the FTS5 table's own.
    if (with_trigram_index && names.count("table visit_search"))
        names.insert("index visit_search_by_body");
    std::string lines;
    for (const auto& name : names) lines += name + "\n";
    return lines;
}

}  // namespace

TEST_CASE("pg schema: one PostgreSQL step per SQLite step") {
    REQUIRE(store::postgres::pg_migrations().size() == store::migrations().size());
}

TEST_CASE("pg schema: each step makes what its SQLite twin makes") {
    const auto& lite = store::migrations();
    const auto& pg = store::postgres::pg_migrations();
    std::set<std::string> earlier;
    for (std::size_t i = 0; i < lite.size() && i < pg.size(); ++i) {
        CAPTURE(i);
        CHECK(made_by(pg[i]) == made_by(lite[i], true, earlier));
        std::string made = made_by(lite[i], true);
        for (std::size_t at = 0, end; (end = made.find('\n', at)) != std::string::npos;
             at = end + 1)
            earlier.insert(made.substr(at, end - at));
    }
}

TEST_CASE("pg schema: no SQLite-only syntax") {
    static const std::regex sqlite_only(
        R"(\bINTEGER\b|\bREAL\b|PRAGMA|AUTOINCREMENT|VIRTUAL|fts5|\browid\b|\binstr\s*\()",
        std::regex::icase);
    for (auto step : store::postgres::pg_migrations()) {
        std::string text(step);
        std::smatch m;
        CHECK_MESSAGE(!std::regex_search(text, m, sqlite_only), m.str());
    }
}
