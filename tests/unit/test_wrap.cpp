#include <doctest/doctest.h>

#include "text/unicode.hpp"
#include "text/wrap.hpp"

using namespace fieldbook::text;

TEST_CASE("wrap: Chinese breaks between characters, never before closing punctuation") {
    auto lines = wrap("您好，打扰一下！我是蓉城办公的小王。", 10);
    for (auto& line : lines) CHECK(display_width(line) <= 10);
    std::string joined;
    for (auto& line : lines) joined += line;
    CHECK(joined == "您好，打扰一下！我是蓉城办公的小王。");
    for (auto& line : lines) {
        CAPTURE(line);
        CHECK(line.rfind("，", 0) != 0);
        CHECK(line.rfind("！", 0) != 0);
        CHECK(line.rfind("。", 0) != 0);
    }
    CHECK(lines[0] == "您好，打扰");
}

TEST_CASE("wrap: Latin words stay whole, paragraphs are kept") {
    auto lines = wrap("Good morning, I am from Rongcheng Office Supplies.\nThank you!", 20);
    CHECK(lines == std::vector<std::string>{"Good morning, I am", "from Rongcheng",
                                            "Office Supplies.", "Thank you!"});
    CHECK(wrap("A4纸每月40箱", 6) == std::vector<std::string>{"A4纸每", "月40箱"});
    CHECK(wrap("supercalifragilistic", 5) == std::vector<std::string>{"supercalifragilistic"});
}
