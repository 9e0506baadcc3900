#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "errors.hpp"
#include "text/unicode.hpp"

using namespace fieldbook::text;
using std::string_view_literals::operator""sv;

TEST_CASE("unicode: is_valid_utf8 accepts well-formed text") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("成都蓝海科技有限公司"));
    CHECK(is_valid_utf8("😀 👩‍💻 ❤️"));
    CHECK(is_valid_utf8("a\0b"sv));            // NUL is a code point like any other
    CHECK(is_valid_utf8("\xC2\x80"));          // U+0080, smallest two-byte form
    CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST_CASE("unicode: is_valid_utf8 rejects malformed bytes") {
    SUBCASE("overlong encodings") {
        CHECK_FALSE(is_valid_utf8("\xC0\xAF"));  // '/' in two bytes
        CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
        CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
        CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
    }
    SUBCASE("lone and stray continuation bytes") {
        CHECK_FALSE(is_valid_utf8("\x80"));
        CHECK_FALSE(
            is_valid_utf8("a\xBF"
                          "b"));
        CHECK_FALSE(is_valid_utf8("中\x80"));
    }
    SUBCASE("surrogates") {
        CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
        CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
    }
    SUBCASE("beyond U+10FFFF") {
        CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
        CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    }
    SUBCASE("truncated sequences and impossible bytes") {
        CHECK_FALSE(is_valid_utf8("\xE4\xB8"));  // first two bytes of 中
        CHECK_FALSE(is_valid_utf8("ok\xF0\x9F\x98"));
        CHECK_FALSE(is_valid_utf8("\xFE"));
        CHECK_FALSE(is_valid_utf8("\xFF"));
    }
}

TEST_CASE("unicode: clean_input rejects invalid UTF-8 naming the field") {
    CHECK_THROWS_WITH_AS(clean_input("\xC0\xAF", "customer"), "customer: not valid UTF-8",
                         fieldbook::UsageError);
    CHECK_THROWS_WITH_AS(clean_input("abc\x80", "note"), "note: not valid UTF-8",
                         fieldbook::UsageError);
    CHECK_THROWS_WITH_AS(clean_input("\xED\xA0\x80", "contact"), "contact: not valid UTF-8",
                         fieldbook::UsageError);
}

TEST_CASE("unicode: clean_input and nfc compose to NFC") {
    CHECK(clean_input("Cafe\u0301", "name") == "Caf\u00e9");
    CHECK(clean_input("\u1100\u1161", "name") == "\uAC00");  // conjoining jamo -> 가
    CHECK(clean_input("成都", "name") == "成都");
    CHECK(clean_input("", "name").empty());
    // NFC keeps compatibility forms; only match keys fold them.
    CHECK(clean_input("ＡＣＭＥ", "name") == "ＡＣＭＥ");
    CHECK(nfc("e\u0301") == "\u00e9");
    CHECK(nfc("\u00e9") == "\u00e9");
}

TEST_CASE("unicode: nfkc folds width and compatibility forms, not case") {
    CHECK(nfkc("３Ｆ") == "3F");
    CHECK(nfkc("Ｂ１") == "B1");
    CHECK(nfkc("3\u3000楼") == "3 楼");  // ideographic space
    CHECK(nfkc("Cafe\u0301") == "Caf\u00e9");
    CHECK(nfkc("").empty());
}

TEST_CASE("unicode: match_key folds width, case and white space") {
    CHECK(match_key("ＯＦＦＩＣＥ伙伴") == "office伙伴");
    CHECK(match_key("  Acme\u3000 Ltd ") == "acme ltd");
    CHECK(match_key("Acme\t\n Ltd") == "acme ltd");
    CHECK(match_key("a\u00A0b") == "a b");        // no-break space
    CHECK(match_key("a\u2003\u2003b") == "a b");  // em spaces
    CHECK(match_key("１２３") == "123");
    CHECK(match_key("Straße") == "strasse");  // full case folding
    CHECK(match_key("Cafe\u0301") == match_key("CAFÉ"));
    CHECK(match_key("ab\u200Bc\u00ADd") == "abcd");  // default ignorables removed
    CHECK(match_key("成都 办公") == "成都 办公");
    CHECK(match_key("").empty());
    CHECK(match_key(" \u3000\t ").empty());
}

TEST_CASE("unicode: loose_key drops spacing, punctuation and company forms") {
    CHECK(loose_key("成都 蓝海科技有限公司") == "成都蓝海科技");
    CHECK(loose_key("蓝海科技（成都）有限公司") == "蓝海科技成都");
    CHECK(loose_key("Acme Co., Ltd.") == "acme");
    CHECK(loose_key("ACME Limited") == "acme");
    CHECK(loose_key("Acme, Inc.") == "acme");
    CHECK(loose_key("Acme Corp") == "acme");
    CHECK(loose_key("Acme LLC") == "acme");
    CHECK(loose_key("Acme Company") == "acme");
    CHECK(loose_key("ＡＣＭＥ　ＬＴＤ") == "acme");
    CHECK(loose_key("蓝海股份有限公司") == "蓝海");
    CHECK(loose_key("蓝海有限责任公司") == "蓝海");
    CHECK(loose_key("蓝海科技成都分公司") == "蓝海科技成都");
    CHECK(loose_key("蓝海集团") == "蓝海");
    CHECK(loose_key("张三·工作室") == "张三");
    CHECK(loose_key("Smith & Sons (Chengdu) - Trading") == "smithsonschengdutrading");
    // A name that is nothing but a company form keeps it rather than becoming empty.
    CHECK(loose_key("有限公司") == "有限公司");
    CHECK(loose_key("Ltd.") == "ltd");
    CHECK(loose_key("集团有限公司") == "集团");
    CHECK(loose_key("").empty());
}

TEST_CASE("unicode: edit_distance counts code points") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("sitting", "kitten") == 3);
    CHECK(edit_distance("成都蓝海", "成都蓝天") == 1);  // one character, three bytes
    CHECK(edit_distance("蓝海科技", "蓝海") == 2);
    CHECK(edit_distance("😀", "") == 1);
    CHECK(edit_distance("same", "same") == 0);
}

TEST_CASE("unicode: codepoint_count") {
    CHECK(codepoint_count("") == 0);
    CHECK(codepoint_count("abc") == 3);
    CHECK(codepoint_count("中文") == 2);
    CHECK(codepoint_count("e\u0301") == 2);
    CHECK(codepoint_count("👩‍💻") == 3);
}

TEST_CASE("unicode: display_width per grapheme cluster") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("e\u0301") == 1);
    CHECK(display_width("Cafe\u0301") == 4);
    CHECK(display_width("中文") == 4);
    CHECK(display_width("한국") == 4);
    CHECK(display_width("😀") == 2);
    CHECK(display_width("👍🏽") == 2);     // skin-tone modifier joins the base
    CHECK(display_width("👩‍💻") == 2);  // ZWJ sequence is one cluster
    CHECK(display_width("❤️") == 2);       // VS16 makes the heart an emoji
    CHECK(display_width("❤") == 1);
    CHECK(display_width("1\uFE0F\u20E3") == 2);  // keycap
    CHECK(display_width("ａｂ") == 4);
    CHECK(display_width("ｶ") == 1);  // half-width katakana
    CHECK(display_width("成都 ACME 😀") == 12);
    CHECK(display_width("a\tb") == 2);
    CHECK(display_width("\x1b[1m") == 3);  // ESC itself takes no column
    CHECK(display_width("a\u200Bb") == 2);
}

TEST_CASE("unicode: truncate_to_width keeps whole clusters") {
    SUBCASE("fits unchanged") {
        CHECK(truncate_to_width("abc", 3) == "abc");
        CHECK(truncate_to_width("中文", 4) == "中文");
        CHECK(truncate_to_width("", 5).empty());
    }
    SUBCASE("non-positive width") {
        CHECK(truncate_to_width("abc", 0).empty());
        CHECK(truncate_to_width("abc", -3).empty());
    }
    SUBCASE("ASCII") {
        CHECK(truncate_to_width("abcdef", 4) == "abc…");
        CHECK(truncate_to_width("abcdef", 1) == "…");
    }
    SUBCASE("combining marks stay with their base") {
        const std::string s = "e\u0301e\u0301e\u0301";
        CHECK(truncate_to_width(s, 3) == s);
        CHECK(truncate_to_width(s, 2) == "e\u0301…");
        CHECK(truncate_to_width(s, 1) == "…");
    }
    SUBCASE("CJK at odd widths leaves a column free rather than halving a character") {
        const std::string s = "中文字符";  // 8 columns
        CHECK(truncate_to_width(s, 7) == "中文字…");
        CHECK(truncate_to_width(s, 6) == "中文…");
        CHECK(truncate_to_width(s, 5) == "中文…");
        CHECK(truncate_to_width(s, 3) == "中…");
        CHECK(truncate_to_width(s, 2) == "…");
        CHECK(display_width(truncate_to_width(s, 6)) == 5);
    }
    SUBCASE("emoji sequences") {
        CHECK(truncate_to_width("👩‍💻👩‍💻", 3) == "👩‍💻…");
        CHECK(truncate_to_width("👩‍💻👩‍💻", 2) == "…");
        CHECK(truncate_to_width("❤️❤️", 3) == "❤️…");
        CHECK(truncate_to_width("Cafe\u0301 au lait", 5) == "Cafe\u0301…");
    }
    SUBCASE("result always fits and is a prefix") {
        const std::string s = "成都e\u0301👩‍💻❤️ａ";
        for (int w = 0; w <= display_width(s) + 1; ++w) {
            CAPTURE(w);
            const std::string cut = truncate_to_width(s, w);
            CHECK(display_width(cut) <= w);
            if (cut != s && !cut.empty()) {
                const std::string_view stem = std::string_view(cut).substr(0, cut.size() - 3);
                CHECK(std::string_view(cut).ends_with("…"));
                CHECK(std::string_view(s).starts_with(stem));
            }
        }
    }
}

TEST_CASE("unicode: pad_to_width") {
    CHECK(pad_to_width("ab", 4) == "ab  ");
    CHECK(pad_to_width("ab", 4, Align::right) == "  ab");
    CHECK(pad_to_width("中", 4) == "中  ");
    CHECK(pad_to_width("中", 4, Align::right) == "  中");
    CHECK(pad_to_width("e\u0301", 3) == "e\u0301  ");
    CHECK(pad_to_width("👩‍💻", 3, Align::right) == " 👩‍💻");
    CHECK(pad_to_width("", 2) == "  ");
    CHECK(pad_to_width("abc", 2) == "abc");  // too wide already: unchanged
}

TEST_CASE("unicode: clean_input refuses what could hide or disguise text, naming the character") {
    auto refused = [](std::string_view text) -> std::string {
        try {
            clean_input(text, "note");
        } catch (const fieldbook::UsageError& e) {
            return e.what();
        }
        return "";
    };
    CHECK(refused("a\rb") ==
          "note: character 2 is U+000D, a carriage return not followed by a "
          "line feed");
    CHECK(refused("ok\r") != "");
    CHECK(refused("hi\x1b[31mred") == "note: character 3 is U+001B, a control character");
    CHECK(refused("\x7f") != "");
    CHECK(refused("\xc2\x85") != "");  // U+0085, a C1 control
    CHECK(refused(std::string_view("a\0b", 3)) ==
          "note: character 2 is U+0000, a control character");
    for (const char* bidi : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067",
                             "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"}) {
        CAPTURE(bidi);
        CHECK(refused(std::string("合同") + bidi + "txt.exe").find("a bidirectional control") !=
              std::string::npos);
    }
    for (const char* hidden : {"\u200B", "\u2060", "\uFEFF", "\u00AD", "\u180E", "\uFFF9"}) {
        CAPTURE(hidden);
        CHECK(
            refused(std::string("蓝") + hidden + "海").find("an invisible formatting character") !=
            std::string::npos);
    }
    CHECK(refused("a\u2028b").find("a line separator") != std::string::npos);
    CHECK(refused("a\u2029b").find("a line separator") != std::string::npos);
    // Joiners and selectors only where they attach to something visible.
    CHECK(refused("\u200D") != "");
    CHECK(refused("a\u200D") != "");
    CHECK(refused("a \u200Db") != "");
    CHECK(refused("a\u200D\u200Db") != "");
    CHECK(refused("\uFE0F") != "");
    CHECK(refused("a\uFE0F\uFE0F") != "");
    CHECK(refused("a\U000E0101\U000E0102") != "");
    // Tag characters outside a flag are invisible letters (hidden text).
    CHECK(refused("hi\U000E0068\U000E0069") != "");
    CHECK(refused("\U0001F3F4\U000E0067\U000E0062") != "");  // never cancelled
}

TEST_CASE("unicode: clean_input keeps tab, LF, emoji sequences and variants, and CRLF as LF") {
    CHECK(clean_input("第一行\r\n第二行\t完", "note") == "第一行\n第二行\t完");
    const char* kept[] = {
        "👨\u200D👩\u200D👧",  // family: ZWJ sequence
        "❤\uFE0F\u200D🔥",   // heart on fire: VS16 then ZWJ
        "👍🏽",         // skin tone
        "☎\uFE0F 电话",     // emoji presentation
        "葛\U000E0100",     // an ideographic variant
        "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",  // Scotland
        "क्\u200Dष",  // a Devanagari half form
        "'; DROP TABLE visit;-- % _ \" * OR NEAR(",
        "=1+1",
    };
    for (const char* text : kept) {
        CAPTURE(text);
        CHECK(clean_input(text, "note") == text);
    }
}

TEST_CASE("unicode: clean_input holds text to 4000 characters, counted after NFC") {
    CHECK_NOTHROW(clean_input(std::string(4000, 'x'), "note"));
    CHECK_THROWS_WITH_AS(clean_input(std::string(4001, 'x'), "building"),
                         "building: longer than 4000 characters", fieldbook::UsageError);
    std::string chinese;
    for (int i = 0; i < 4000; ++i) chinese += "蓝";
    CHECK_NOTHROW(clean_input(chinese, "note"));
    CHECK_THROWS_AS(clean_input(chinese + "海", "note"), fieldbook::UsageError);
    // 4000 e + combining acute compose to 4000 é.
    std::string decomposed;
    for (int i = 0; i < 4000; ++i) decomposed += "e\u0301";
    CHECK_NOTHROW(clean_input(decomposed, "note"));
}

TEST_CASE("unicode: printable shows what would move or recolour a terminal") {
    CHECK(printable("蓝海 ok\n\tx") == "蓝海 ok\n\tx");
    CHECK(printable("a\x1b[2Jb") == "a<U+001B>[2Jb");
    CHECK(printable("a\rb") == "a<U+000D>b");
    CHECK(printable("x\u202Ey") == "x<U+202E>y");
    CHECK(printable("\xff\xfe") == "\\xFF\\xFE");
}

TEST_CASE("unicode: match_key reads bytes that are not UTF-8 as U+FFFD, never throwing") {
    CHECK(match_key("\xff") == "\uFFFD");
    CHECK(match_key("ab\xc0\xaf"
                    "CD") == "ab\uFFFD\uFFFDcd");
}
