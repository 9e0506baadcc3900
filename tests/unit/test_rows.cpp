#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "render/json.hpp"
#include "render/rows.hpp"
#include "text/unicode.hpp"

#ifndef FIELDBOOK_TEST_DATA
#error "FIELDBOOK_TEST_DATA must be the absolute path of tests/data"
#endif

using namespace fieldbook::render;
using namespace fieldbook::text;
using std::string_view_literals::operator""sv;

namespace {

std::string render(Format format, const std::vector<Column>& columns, const std::vector<Row>& rows,
                   RenderOptions options = {}) {
    std::ostringstream out;
    const auto writer = make_row_writer(format, out, options);
    writer->begin(columns);
    for (const Row& r : rows) writer->row(r);
    writer->end();
    return out.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// With FIELDBOOK_UPDATE_GOLDEN=1 the golden file is rewritten from the actual output, to be
// reviewed with `git diff`; otherwise the output must match it byte for byte.
void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(FIELDBOOK_TEST_DATA) + "/golden/" + name;
    const char* update = std::getenv("FIELDBOOK_UPDATE_GOLDEN");
    if (update != nullptr && std::string_view(update) == "1") {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << actual;
        out.close();
        REQUIRE_MESSAGE(out.good(), "could not write " << path);
        MESSAGE("rewrote " << path);
        return;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.is_open(), "missing " << path << " (run with FIELDBOOK_UPDATE_GOLDEN=1)");
    const std::string expected{std::istreambuf_iterator<char>(in),
                               std::istreambuf_iterator<char>()};
    CHECK_MESSAGE(actual == expected,
                  "output differs from " << path << " (FIELDBOOK_UPDATE_GOLDEN=1 rewrites it)");
}

}  // namespace

TEST_CASE("rows: parse_format") {
    CHECK(parse_format("table") == Format::table);
    CHECK(parse_format("csv") == Format::csv);
    CHECK(parse_format("tsv") == Format::tsv);
    CHECK(parse_format("json") == Format::json);
    CHECK(parse_format("md") == Format::md);
    CHECK(parse_format("html") == Format::html);
    CHECK(parse_format("xlsx") == Format::xlsx);
    CHECK_THROWS_WITH_AS(parse_format("xml"),
                         "unknown format 'xml' (expected table, csv, tsv, json, md, html or xlsx)",
                         fieldbook::UsageError);
    CHECK_THROWS_WITH_AS(parse_format(""),
                         "unknown format '' (expected table, csv, tsv, json, md, html or xlsx)",
                         fieldbook::UsageError);
    CHECK_THROWS_AS(parse_format("CSV"), fieldbook::UsageError);
}

TEST_CASE("rows: csv_field quotes only when needed") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("").empty());
    CHECK(csv_field(" padded ") == " padded ");
    CHECK(csv_field("成都，蓝海") == "成都，蓝海");  // a full-width comma is not a separator
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("\"") == "\"\"\"\"");
    CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
    CHECK(csv_field("cr\r") == "\"cr\r\"");
}

TEST_CASE("rows: csv writer") {
    const std::vector<Column> columns = {{"id", true}, {"name"}, {"note"}};
    SUBCASE("header, CRLF and quoting") {
        const std::string out = render(Format::csv, columns,
                                       {{"1", "Acme, Inc.", std::nullopt},
                                        {"2", "成都蓝海", "say \"hi\"\nbye"},
                                        {"3", "", "plain"}});
        CHECK(out ==
              "id,name,note\r\n"
              "1,\"Acme, Inc.\",\r\n"
              "2,成都蓝海,\"say \"\"hi\"\"\nbye\"\r\n"
              "3,,plain\r\n");
    }
    SUBCASE("empty listing is just the header") {
        CHECK(render(Format::csv, columns, {}) == "id,name,note\r\n");
    }
    SUBCASE("each row is written as it comes") {
        std::ostringstream out;
        const auto writer = make_row_writer(Format::csv, out);
        writer->begin(columns);
        CHECK(out.str() == "id,name,note\r\n");
        writer->row({"1", "a", "b"});
        CHECK(out.str() == "id,name,note\r\n1,a,b\r\n");
        writer->end();
        CHECK(out.str() == "id,name,note\r\n1,a,b\r\n");
    }
}

TEST_CASE("rows: csv for spreadsheets (excel)") {
    const std::vector<Column> columns = {{"id", true}, {"note"}, {"amount", true}};
    const RenderOptions excel{.excel = true};
    SUBCASE("a byte order mark comes first, once") {
        const std::string out = render(Format::csv, columns, {{"1", "成都蓝海", "12.50"}}, excel);
        CHECK(out ==
              "\xEF\xBB\xBF"
              "id,note,amount\r\n"
              "1,成都蓝海,12.50\r\n");
    }
    SUBCASE("formula triggers get a quote in front, then the usual quoting") {
        const std::string out = render(Format::csv, columns,
                                       {{"1", "=1+1", "1"},
                                        {"2", "+1", "2"},
                                        {"3", "-1", "3"},
                                        {"4", "@SUM(A1)", "4"},
                                        {"5", "\tindent", "5"},
                                        {"6", "\rreturn", "6"},
                                        {"7", "=HYPERLINK(\"http://x\",\"y\")", "7"},
                                        {"8", "a=1, b=2", "8"}},
                                       excel);
        CHECK(out ==
              "\xEF\xBB\xBF"
              "id,note,amount\r\n"
              "1,'=1+1,1\r\n"
              "2,'+1,2\r\n"
              "3,'-1,3\r\n"
              "4,'@SUM(A1),4\r\n"
              "5,'\tindent,5\r\n"
              "6,\"'\rreturn\",6\r\n"
              "7,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",7\r\n"
              "8,\"a=1, b=2\",8\r\n");
    }
    SUBCASE("a plain number in a numeric column is data; anything else there is text") {
        const std::string out = render(Format::csv, columns,
                                       {{"1", "-12.50", "-12.50"},
                                        {"2", "x", "-1,234.00"},
                                        {"3", "x", "-1+2"},
                                        {"4", "x", std::nullopt}},
                                       excel);
        CHECK(out ==
              "\xEF\xBB\xBF"
              "id,note,amount\r\n"
              "1,'-12.50,-12.50\r\n"
              "2,x,\"-1,234.00\"\r\n"
              "3,x,'-1+2\r\n"
              "4,x,\r\n");
    }
    SUBCASE("without excel, csv stays exactly RFC 4180") {
        const std::string out = render(Format::csv, columns, {{"1", "=1+1", "-1"}});
        CHECK(out == "id,note,amount\r\n1,=1+1,-1\r\n");
    }
    SUBCASE("excel changes nothing in other formats") {
        CHECK(render(Format::tsv, columns, {{"1", "=1+1", "-1"}}, excel) ==
              render(Format::tsv, columns, {{"1", "=1+1", "-1"}}));
    }
}

TEST_CASE("rows: xlsx writer") {
    const std::vector<Column> columns = {{"id", true}, {"day"}, {"note"}};
    SUBCASE("writes a zip container only when the listing ends") {
        std::ostringstream out;
        const auto writer = make_row_writer(Format::xlsx, out);
        writer->begin(columns);
        writer->row({"1", "2026-11-26", "=1+1"});
        writer->row({"2", std::nullopt, "成都蓝海"});
        CHECK(out.str().empty());
        writer->end();
        REQUIRE(out.str().size() > 4);
        CHECK(out.str().substr(0, 4) == "PK\x03\x04");
    }
    SUBCASE("one listing per workbook") {
        std::ostringstream out;
        const auto writer = make_row_writer(Format::xlsx, out);
        writer->begin(columns);
        CHECK_THROWS_AS(writer->begin(columns), std::logic_error);
    }
    SUBCASE("an unfinished workbook writes nothing") {
        std::ostringstream out;
        {
            const auto writer = make_row_writer(Format::xlsx, out);
            writer->begin(columns);
            writer->row({"1", "2026-11-26", "x"});
        }
        CHECK(out.str().empty());
    }
}

TEST_CASE("rows: tsv writer escapes cells") {
    const std::vector<Column> columns = {{"id", true}, {"name"}, {"note"}};
    const std::string out =
        render(Format::tsv, columns,
               {{"1", "a\tb", "back\\slash"}, {"2", std::nullopt, "x\ny\r\nz"}, {"3", "成都", ""}});
    CHECK(out ==
          "id\tname\tnote\n"
          "1\ta\\tb\tback\\\\slash\n"
          "2\t\tx\\ny\\r\\nz\n"
          "3\t成都\t\n");
    CHECK(render(Format::tsv, columns, {}) == "id\tname\tnote\n");

    std::ostringstream streamed;
    const auto writer = make_row_writer(Format::tsv, streamed);
    writer->begin(columns);
    writer->row({"1", "a", "b"});
    CHECK(streamed.str() == "id\tname\tnote\n1\ta\tb\n");
}

TEST_CASE("rows: json_string escaping") {
    CHECK(json_string("") == "\"\"");
    CHECK(json_string("plain") == "\"plain\"");
    CHECK(json_string("say \"hi\"") == R"("say \"hi\"")");
    CHECK(json_string("C:\\dir") == R"("C:\\dir")");
    CHECK(json_string("\n\r\t\b\f") == R"("\n\r\t\b\f")");
    CHECK(json_string("\x01\x1f") == R"("\u0001\u001f")");
    CHECK(json_string("a\0b"sv) == R"("a\u0000b")");
    CHECK(json_string("\x7f") == "\"\x7f\"");  // DEL is legal raw in JSON
    CHECK(json_string("成都😀/") == "\"成都😀/\"");
}

TEST_CASE("rows: json writer") {
    const std::vector<Column> columns = {{"id", true}, {"amount", true}, {"name"}};
    SUBCASE("numbers bare, other text quoted, absent null") {
        const std::string out = render(Format::json, columns,
                                       {{"1", "12.50", "Acme"},
                                        {"-3", "abc", std::nullopt},
                                        {"0", "-0.5", ""},
                                        {"007", "1e5", "42"},
                                        {"1.", ".5", "x"},
                                        {"-", "", "y"},
                                        {std::nullopt, "10", "成都\"蓝海\""}});
        CHECK(out ==
              "[\n"
              R"({"id":1,"amount":12.50,"name":"Acme"},)"
              "\n"
              R"({"id":-3,"amount":"abc","name":null},)"
              "\n"
              R"({"id":0,"amount":-0.5,"name":""},)"
              "\n"
              R"({"id":"007","amount":"1e5","name":"42"},)"
              "\n"
              R"({"id":"1.","amount":".5","name":"x"},)"
              "\n"
              R"({"id":"-","amount":"","name":"y"},)"
              "\n"
              R"({"id":null,"amount":10,"name":"成都\"蓝海\""})"
              "\n]\n");
    }
    SUBCASE("empty listing") {
        CHECK(render(Format::json, columns, {}) == "[]\n");
    }
    SUBCASE("single row") {
        CHECK(render(Format::json, columns, {{"1", "2", "x"}}) ==
              "[\n{\"id\":1,\"amount\":2,\"name\":\"x\"}\n]\n");
    }
    SUBCASE("each object is written as it comes") {
        std::ostringstream out;
        const auto writer = make_row_writer(Format::json, out);
        writer->begin(columns);
        writer->row({"1", "2", "x"});
        CHECK(out.str() == "[\n{\"id\":1,\"amount\":2,\"name\":\"x\"}");
        writer->end();
        CHECK(out.str() == "[\n{\"id\":1,\"amount\":2,\"name\":\"x\"}\n]\n");
    }
}

TEST_CASE("rows: md writer") {
    const std::vector<Column> columns = {{"name"}, {"amount", true}, {"note"}};
    const std::string out = render(Format::md, columns,
                                   {{"a|b", "1", "line1\nline2"},
                                    {"成都", std::nullopt, "crlf\r\nx"},
                                    {"", "2", std::nullopt}});
    CHECK(out ==
          "| name | amount | note |\n"
          "| --- | ---: | --- |\n"
          "| a\\|b | 1 | line1<br>line2 |\n"
          "| 成都 |  | crlf<br>x |\n"
          "|  | 2 |  |\n");
    CHECK(render(Format::md, columns, {}) ==
          "| name | amount | note |\n"
          "| --- | ---: | --- |\n");
}

TEST_CASE("rows: table writer layout") {
    const std::vector<Column> columns = {{"id", true}, {"name"}, {"note"}};
    SUBCASE("aligned columns, no trailing spaces") {
        const std::string out = render(
            Format::table, columns,
            {{"1", "Acme", "short"}, {"100", "成都蓝海", std::nullopt}, {"7", std::nullopt, "x"}});
        CHECK(out ==
              " id  name      note\n"
              "───  ────────  ─────\n"
              "  1  Acme      short\n"
              "100  成都蓝海\n"
              "  7            x\n");
    }
    SUBCASE("empty listing still has heading and rule") {
        CHECK(render(Format::table, columns, {}) ==
              "id  name  note\n"
              "──  ────  ────\n");
    }
    SUBCASE("newlines and tabs become spaces, other controls are dropped") {
        const std::string out =
            render(Format::table, {{"note"}}, {{"two\nlines\tand\r\ncrlf"}, {"esc\x1b[31mred"}});
        CHECK(out ==
              "note\n"
              "──────────────────\n"
              "two lines and crlf\n"
              "esc[31mred\n");
    }
    SUBCASE("cells wider than max_width are cut") {
        const std::string out = render(Format::table, {{"name", false, 6}, {"n", true}},
                                       {{"成都蓝海科技", "1"}, {"abcdefgh", "22"}});
        CHECK(out ==
              "name     n\n"
              "──────  ──\n"
              "成都…    1\n"
              "abcde…  22\n");
    }
    SUBCASE("color wraps the heading only; widths ignore the escapes") {
        const std::vector<Row> rows = {{"1", "成都", "x"}};
        const std::string plain = render(Format::table, columns, rows);
        const std::string colored = render(Format::table, columns, rows, {.color = true});
        const auto plain_lines = split_lines(plain);
        const auto colored_lines = split_lines(colored);
        REQUIRE(plain_lines.size() == 3);
        REQUIRE(colored_lines.size() == 3);
        CHECK(colored_lines[0] == "\x1b[1m" + plain_lines[0] + "\x1b[0m");
        CHECK(colored_lines[1] == plain_lines[1]);
        CHECK(colored_lines[2] == plain_lines[2]);
    }
}

TEST_CASE("rows: writers reject rows that do not match the columns") {
    for (const Format format : {Format::table, Format::csv, Format::tsv, Format::json, Format::md,
                                Format::html, Format::xlsx}) {
        CAPTURE(static_cast<int>(format));
        std::ostringstream out;
        const auto writer = make_row_writer(format, out);
        writer->begin({{"a"}, {"b"}});
        CHECK_THROWS_AS(writer->row({"only one"}), std::logic_error);
        CHECK_THROWS_AS(writer->row({"1", "2", "3"}), std::logic_error);
    }
}

TEST_CASE("rows: golden table with CJK, emoji and combining marks") {
    const std::vector<Column> columns = {
        {"id", true}, {"customer"}, {"contact"}, {"note", false, 20}};
    const std::string long_note = "客户希望下周二上午在成都高新区办公室再次面谈并确认合同细节";
    const std::vector<Row> rows = {
        {"1", "成都办公伙伴公司", "王小明", long_note},
        {"2", "ACME Ltd", "John 😀", "call back\nMonday"},
        {"3", "👩‍💻 Studio", std::nullopt, "Cafe\u0301 meeting"},
        {"10", "Cafe\u0301 Lumière", "ｆｕｌｌ", std::nullopt},
        {"123", "❤️ Charity", "李雷", "tab\there"},
    };
    const std::string out = render(Format::table, columns, rows);
    check_golden("width_table.txt", out);

    // Independently of the golden file: every cell starts (left-aligned) or ends (numeric,
    // right-aligned) at the same display column as its heading.
    const std::vector<std::vector<std::string>> shown = {
        {"1", "成都办公伙伴公司", "王小明", "客户希望下周二上午…"},
        {"2", "ACME Ltd", "John 😀", "call back Monday"},
        {"3", "👩‍💻 Studio", "", "Cafe\u0301 meeting"},
        {"10", "Cafe\u0301 Lumière", "ｆｕｌｌ", ""},
        {"123", "❤️ Charity", "李雷", "tab here"},
    };
    const auto lines = split_lines(out);
    REQUIRE(lines.size() == 2 + rows.size());

    std::vector<int> starts;
    std::vector<int> ends;
    std::size_t from = 0;
    for (const Column& c : columns) {
        const std::size_t pos = lines[0].find(c.name, from);
        REQUIRE(pos != std::string::npos);
        const int start = display_width(std::string_view(lines[0]).substr(0, pos));
        starts.push_back(start);
        ends.push_back(start + display_width(c.name));
        from = pos + c.name.size();
    }
    // "id" sits right-aligned over "123"; the rest follow the widest CJK / full-width cells.
    CHECK(starts == std::vector<int>{1, 5, 23, 33});

    for (std::size_t r = 0; r < shown.size(); ++r) {
        const std::string& line = lines[2 + r];
        CAPTURE(line);
        CHECK_FALSE(std::string_view(line).ends_with(" "));
        std::size_t at = 0;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string& cell = shown[r][c];
            if (cell.empty()) continue;
            CAPTURE(cell);
            const std::size_t pos = line.find(cell, at);
            REQUIRE(pos != std::string::npos);
            const int prefix = display_width(std::string_view(line).substr(0, pos));
            if (columns[c].numeric) {
                CHECK(prefix + display_width(cell) == ends[c]);
            } else {
                CHECK(prefix == starts[c]);
            }
            at = pos + cell.size();
        }
    }

    // The rule under the heading spans exactly each column's width.
    const std::string& rule = lines[1];
    int last_width = display_width(columns.back().name);
    for (const auto& cells : shown) last_width = std::max(last_width, display_width(cells.back()));
    CHECK(display_width(rule) == starts.back() + last_width);
    int column = 0;
    std::size_t c = 0;
    bool in_run = false;
    for (std::size_t pos = 0; pos < rule.size();) {
        if (rule.compare(pos, 3, "─") == 0) {
            if (!in_run && !columns[c].numeric) CHECK(column == starts[c]);
            in_run = true;
            pos += 3;
        } else {
            REQUIRE(rule[pos] == ' ');
            if (in_run) {
                if (columns[c].numeric) CHECK(column == ends[c]);
                ++c;
            }
            in_run = false;
            ++pos;
        }
        ++column;
    }
    CHECK(c == columns.size() - 1);  // the last run ends the line
}
