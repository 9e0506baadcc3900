#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "config.hpp"
#include "domain/catalog.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"
#include "templates/nesting.hpp"
#include "templates/source.hpp"

using namespace fieldbook;
using templates::find_excess_nesting;

namespace fieldbook::embedded {
extern const std::string_view scripts_toml;
extern const std::string_view catalog_toml;
extern const std::string_view demo_toml;
}  // namespace fieldbook::embedded

namespace {

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

// "k.k.k = 1" with `parts` parts.
std::string dotted(std::size_t parts) {
    return "k" + repeat(".k", parts - 1) + " = 1\n";
}

// "a = [[[1]]]" with `levels` arrays (the key is one level more).
std::string arrays(std::size_t levels) {
    return "a = " + repeat("[", levels) + "1" + repeat("]", levels) + "\n";
}

// "a = {a = {a = 1}}" with `levels` inline tables; each adds a table and a key.
std::string inline_tables(std::size_t levels) {
    return "a = " + repeat("{a = ", levels) + "1" + repeat("}", levels) + "\n";
}

// "line:column" of the excess, or "none".
std::string excess(std::string_view text, std::size_t limit = templates::kMaxNesting) {
    auto at = find_excess_nesting(text, limit);
    return at ? std::to_string(at->line) + ":" + std::to_string(at->column) : "none";
}

std::string parse_error(const std::string& text) {
    try {
        templates::parse({"t.toml", text});
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("nesting: dotted keys count each part, up to the limit and not one more") {
    CHECK(excess(dotted(32)) == "none");
    // The 33rd part starts after 32 "k." pairs.
    CHECK(excess(dotted(33)) == "1:65");
    CHECK(excess(dotted(50000)) == "1:65");
    CHECK(excess("a . b\t.c = 1", 2) == "1:8");
    CHECK(excess("a.b.c = 1", 3) == "none");
}

TEST_CASE("nesting: arrays and inline tables count a level each, with their key") {
    CHECK(excess(arrays(31)) == "none");  // a + 31 arrays = 32
    CHECK(excess(arrays(32)) == "1:36");  // the 32nd "[" (column 5 + 31)
    CHECK(excess(arrays(50000)) == "1:36");
    CHECK(excess(inline_tables(15)) == "none");  // a + 15 x (table + key) = 31
    CHECK(excess(inline_tables(16)) == "1:81");  // the 16th inner key, the 33rd level
    CHECK(excess(inline_tables(50000)) == "1:81");
    CHECK(excess("a = [[[1]], [[2]], [[3]]]", 4) == "none");
    CHECK(excess("a = [[[1]], [[[2]]]]", 4) == "1:15");
    CHECK(excess("a = [{b = {c.d = [1]}}]", 8) == "none");
    CHECK(excess("a = [{b = {c.d = [1]}}]", 7) == "1:18");
}

TEST_CASE("nesting: a [table] header's keys are the base of the keys under it") {
    std::string header32 = "[" + repeat("t.", 31) + "t]\n";
    CHECK(excess(header32) == "none");
    CHECK(excess(header32 + "x = 1\n") == "2:1");
    CHECK(excess("[" + repeat("t.", 32) + "t]\n") == "1:66");
    // [[x]] is one level more (the array holding the table); [table] resets the base.
    CHECK(excess("[[a.b]]\nc = 1\n", 3) == "2:1");
    CHECK(excess("[[a.b]]\nc = 1\n", 4) == "none");
    CHECK(excess("[a.b.c]\n[d]\ne.f = 1\n", 3) == "none");
    CHECK(excess("[ a . 'b' ]\nc = 1\n", 2) == "2:1");
}

TEST_CASE("nesting: brackets, braces and dots in strings and comments count for nothing") {
    std::string deep = repeat("[", 40);
    CHECK(excess("a = \"" + deep + "\"\n") == "none");
    CHECK(excess("a = '" + deep + "'\n") == "none");
    CHECK(excess("a = \"\\\"" + deep + "\"\n") == "none");  // \" does not end it
    CHECK(excess("a = \"\"\"\n\"" + deep + "\n\"\"\" \n") == "none");
    CHECK(excess("a = '''\n'' " + deep + "\n'''\n") == "none");
    CHECK(excess("# " + deep + "\na = 1 # " + repeat("{", 40) + "\n") == "none");
    CHECK(excess("a = [ # " + deep + "\n  1,\n]\n") == "none");
    CHECK(excess("\"" + repeat("a.", 40) + "\".x = 1\n") == "none");
    CHECK(excess("'" + repeat("a.", 40) + "'.x = 1\n") == "none");
}

TEST_CASE("nesting: string endings are found as TOML finds them, so nothing hides after one") {
    std::string deep = repeat("[", 40) + repeat("]", 40);
    // A literal string has no escapes: 'C:\' ends at the second quote.
    CHECK(excess("a = ['C:\\', " + deep + "]\n") == "1:43");
    // \" inside a basic string is a quote; the string ends at the next one.
    CHECK(excess("a = [\"\\\"\", " + deep + "]\n") == "1:42");
    // Up to two quotes of content before the closing three of a multi-line string.
    CHECK(excess("a = [\"\"\"x\"\"\"\", " + deep + "]\n") == "1:46");
    CHECK(excess("a = ['''x''''', " + deep + "]\n") == "1:47");
    CHECK(excess("a = ['''\\''', " + deep + "]\n") == "1:45");
    // An escaped backslash does not escape the closing quote.
    CHECK(excess("a = [\"\\\\\", " + deep + "]\n") == "1:42");
    CHECK(excess("a = \"\" \nb = " + deep + "\n") == "2:36");
}

TEST_CASE("nesting: positions count characters, after a byte order mark, on the right line") {
    std::string key = "键" + repeat(".键", 32) + " = 1\n";
    CHECK(excess(key) == "1:65");
    CHECK(excess("\xEF\xBB\xBF" + key) == "1:65");
    CHECK(excess("a = 1\r\n\r\n# 注释\r\n" + key) == "4:65");
}

TEST_CASE("nesting: any text ends the scan, however broken") {
    for (const std::string& text : std::vector<std::string>{"",
                                                            "[",
                                                            "[[",
                                                            "]]]]",
                                                            "{",
                                                            "a",
                                                            "a.",
                                                            "a =",
                                                            "a = [",
                                                            "a = {",
                                                            "a = \"",
                                                            "a = '''",
                                                            "a = \"\"\"\\",
                                                            "a = \"\\",
                                                            "=====",
                                                            "a = [}}}",
                                                            "a = {]]]",
                                                            std::string("a\0b = 1", 7),
                                                            std::string(1000, '.'),
                                                            std::string(1000, ','),
                                                            std::string(1000, '"'),
                                                            std::string(1000, '\''),
                                                            repeat("{", 1000),
                                                            "a = " + repeat("{", 1000)})
        CHECK(excess(text) == "none");  // a stray brace is the parser's error, not a level
}

TEST_CASE("nesting: the shipped files are well inside the limit") {
    for (auto text : {embedded::scripts_toml, embedded::catalog_toml, embedded::demo_toml}) {
        CHECK(excess(text) == "none");
        CHECK(excess(text, 6) == "none");
    }
    CHECK(excess(embedded::catalog_toml, 5) != "none");  // the min in a tier's inline table
}

TEST_CASE("nesting: parse refuses a file too deep before the TOML parser sees it") {
    // 50,000 parts overflowed the parser's stack (a crash, not an error) before the scan.
    CHECK(parse_error(dotted(50000)) ==
          "t.toml:1:65: nested too deep: more than 32 levels of keys, tables and arrays");
    CHECK(parse_error(arrays(50000)).rfind("t.toml:1:36: nested too deep", 0) == 0);
    CHECK(parse_error(inline_tables(50000)).rfind("t.toml:1:81: nested too deep", 0) == 0);
    CHECK(parse_error(dotted(32)) == "(no error)");
    // The same check for all three files: the config, the scripts, the catalog.
    std::string deep = dotted(40);
    auto message = [](auto&& parse) {
        try {
            parse();
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    CHECK(message([&] { parse_config({"c.toml", deep}); }).rfind("c.toml:1:65: nested", 0) == 0);
    CHECK(message([&] { scripts::parse({"s.toml", deep}); }).rfind("s.toml:1:65: nested", 0) == 0);
    CHECK(message([&] { catalog::parse({"k.toml", deep}); }).rfind("k.toml:1:65: nested", 0) == 0);
}

TEST_CASE("templates: read stops past 1 MiB, even on a file that never ends") {
    try {
        templates::read("/dev/zero");
        FAIL("no error");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()) == "/dev/zero:1:1: file is larger than 1 MiB");
    }
    CHECK_THROWS_AS(templates::read("/nonexistent/fieldbook.toml"), SystemError);
    CHECK(templates::read("/dev/null").text.empty());
}
