#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "config.hpp"
#include "domain/catalog.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"
#include "templates/prescan.hpp"
#include "templates/source.hpp"

using namespace fieldbook;

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

// "line:column" of the refusal, with its reason unless it is the nesting one; or "none".
std::string excess(std::string_view text, std::size_t limit = templates::kMaxNesting) {
    auto refusal = templates::prescan(text, limit);
    if (!refusal) return "none";
    std::string at = std::to_string(refusal->at.line) + ":" + std::to_string(refusal->at.column);
    if (refusal->reason.rfind("nested too deep: more than ", 0) == 0) return at;
    return at + " " + refusal->reason;
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

TEST_CASE("prescan: dotted keys count each part, up to the limit and not one more") {
    CHECK(excess(dotted(32)) == "none");
    // The 33rd part starts after 32 "k." pairs.
    CHECK(excess(dotted(33)) == "1:65");
    CHECK(excess(dotted(50000)) == "1:65");
    CHECK(excess("a . b\t.c = 1", 2) == "1:8");
    CHECK(excess("a.b.c = 1", 3) == "none");
}

TEST_CASE("prescan: arrays and inline tables count a level each, with their key") {
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

TEST_CASE("prescan: a [table] header's keys are the base of the keys under it") {
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

TEST_CASE("prescan: brackets, braces and dots in strings and comments count for nothing") {
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

TEST_CASE("prescan: string endings are found as TOML finds them, so nothing hides after one") {
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

TEST_CASE("prescan: positions count characters, after a byte order mark, on the right line") {
    // "键". is four characters: the 33rd part starts at 1 + 32 x 4.
    std::string key = "\"键\"" + repeat(".\"键\"", 32) + " = 1\n";
    CHECK(excess(key) == "1:129");
    CHECK(excess("\xEF\xBB\xBF" + key) == "1:129");
    CHECK(excess("a = 1\r\n\r\n# 注释\r\n" + key) == "4:129");
    CHECK(excess("a = \"「」\"\n'«»'.b = [" + repeat("[", 40) + "\n") == "2:40");
}

TEST_CASE("prescan: any text ends the scan, however broken") {
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

TEST_CASE("prescan: text other than ASCII outside quotes is refused, in quotes and comments not") {
    const std::string outside = " outside quotes: write text other than ASCII in quotes";
    CHECK(excess("名称 = 1\n") == "1:1 '名' (U+540D)" + outside);
    CHECK(excess("a = 纸张\n") == "1:5 '纸' (U+7EB8)" + outside);
    CHECK(excess("a = \"x\"é\n") == "1:8 'é' (U+00E9)" + outside);
    CHECK(excess("a = [\"x\"«]\n") == "1:9 '«' (U+00AB)" + outside);
    CHECK(excess("a = {b = 'x'Б}\n") == "1:13 'Б' (U+0411)" + outside);
    CHECK(excess("a = x'é'\n") == "1:7 'é' (U+00E9)" + outside);  // a quote after a bare word
    // The parser reads a bare value on to a blank, ], }, a comma or #, across anything else.
    CHECK(excess("d = 1\b[\"b\uFEFE\"\n") == "1:10 '\uFEFE' (U+FEFE)" + outside);
    CHECK(excess("d = 1{'\u3001'}\n") == "1:8 '\u3001' (U+3001)" + outside);
    CHECK(excess("a = 1\u3000# 注释\n") == "1:6 '\u3000' (U+3000)" + outside);
    CHECK(excess("[表]\n") == "1:2 '表' (U+8868)" + outside);
    CHECK(excess("\"名称\" = \"纸张\"\n'键'.\"«»\" = '«»'\n") == "none");
    CHECK(excess("# 注释 «» Б 「」\na = 1 # 「」\nb = [ # «\n  \"«\",\n]\n") == "none");
    CHECK(excess("a = '''«\n»'''\nb = \"\"\"\n「」\n\"\"\"\n") == "none");
}

TEST_CASE("prescan: what the parser cannot classify after a backslash is refused") {
    // A backslash before a character outside ASCII is no escape in any basic string.
    CHECK(excess("a = \"\"\"\\«\"\"\"\n") ==
          "1:9 '\\' before '«' (U+00AB) is not an escape (a backslash is written \\\\)");
    CHECK(excess("a = \"\\«\"\n").rfind("1:7 '\\' before '«'", 0) == 0);
    CHECK(excess("a = \"\"\"\\  «\n\"\"\"\n") ==
          "1:11 '«' (U+00AB) after '\\' and blanks: a line-ending backslash must end its line");
    // A line continued by a backslash may not start with one of them, however far on it is.
    const std::string continued = " cannot start a line continued with '\\': write it as \\u";
    CHECK(excess("a = \"\"\"\\\n「您好」\"\"\"\n") == "2:1 '「' (U+300C)" + continued + "300C");
    CHECK(excess("a = \"\"\"\\\r\n\n   ×经理\"\"\"\n") == "3:4 '×' (U+00D7)" + continued + "00D7");
    CHECK(excess("a = \"\"\"\\\n\u3000、\"\"\"\n") == "2:2 '、' (U+3001)" + continued + "3001");
    CHECK(excess("a = \"\"\"\\ \t\n\t\uFE50\"\"\"\n") ==
          "2:2 '\uFE50' (U+FE50)" + continued + "FE50");
    // What it reads safely: Chinese characters, escapes, full-width forms, no backslash, and
    // literal strings, which have no escapes.
    CHECK(excess("a = \"\"\"\\\n您好\\\n  ＡＢ\\\n\\u300C好\\\n\"\"\"\n") == "none");
    CHECK(excess("a = \"\"\"\n「您好」\n×\"\"\"\n") == "none");
    CHECK(excess("a = '''\\\n「您好」'''\n") == "none");
    CHECK(excess("a = \"\\\\「\"\n") == "none");  // an escaped backslash, then text
}

TEST_CASE("prescan: the shipped files are well inside the limit") {
    for (auto text : {embedded::scripts_toml, embedded::catalog_toml, embedded::demo_toml}) {
        CHECK(excess(text) == "none");
        CHECK(excess(text, 6) == "none");
    }
    CHECK(excess(embedded::catalog_toml, 5) != "none");  // the min in a tier's inline table
}

TEST_CASE("prescan: parse refuses what the scan finds before the TOML parser sees it") {
    // 50,000 parts overflowed the parser's stack (a crash, not an error) before the scan.
    CHECK(parse_error(dotted(50000)) ==
          "t.toml:1:65: nested too deep: more than 32 levels of keys, tables and arrays");
    CHECK(parse_error(arrays(50000)).rfind("t.toml:1:36: nested too deep", 0) == 0);
    CHECK(parse_error(inline_tables(50000)).rfind("t.toml:1:81: nested too deep", 0) == 0);
    CHECK(parse_error(dotted(32)) == "(no error)");
    CHECK(parse_error("a = \"\"\"\\\n「您好」\"\"\"\n").rfind("t.toml:2:1: '「' (U+300C)", 0) == 0);
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
