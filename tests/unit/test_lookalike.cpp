#include <doctest/doctest.h>

#include <string>

#include "domain/customers.hpp"
#include "text/unicode.hpp"

using fieldbook::customers::lookalike_reason;
using fieldbook::text::loose_key;

namespace {

std::string reason(const std::string& typed, const std::string& existing) {
    return lookalike_reason(loose_key(typed), loose_key(existing));
}

}  // namespace

TEST_CASE("lookalike: one character off once the company form is gone") {
    // 西部数据云计算 (seven characters left) beside 西部数码云计算: a typo, most likely.
    CHECK(reason("西部数码云计算有限公司", "西部数据云计算有限公司") ==
          "the name differs by one character");
    // The company form does not count toward the length nor toward the difference.
    CHECK(reason("西部数码云计算", "西部数据云计算有限公司") ==
          "the name differs by one character");
    CHECK(reason("西部数码云计算有限责任公司", "西部数据云计算公司") ==
          "the name differs by one character");
    // A character added or dropped is one character too.
    CHECK(reason("西部数据云端计算", "西部数据云计算有限公司") ==
          "the name differs by one character");
}

TEST_CASE("lookalike: short names one character apart are different companies") {
    // Two, four and six characters left: 熊猫 and 熊熊, 蓝天科技 and 蓝海科技, 成都蓝海科技 and
    // 成都蓝天科技 are told apart by their one character.
    CHECK(reason("熊熊", "熊猫") == "");
    CHECK(reason("熊熊有限公司", "熊猫有限公司") == "");
    CHECK(reason("蓝天科技", "蓝海科技") == "");
    CHECK(reason("成都蓝天科技有限公司", "成都蓝海科技有限公司") == "");
    // Six beside seven: the shorter is under the minimum, so no.
    CHECK(reason("西部数云计算", "西部数据云计算") == "");
    // Long enough, but the character is one of the first two, where a name that starts with
    // its trade name tells two firms apart.
    CHECK(reason("明衡律师事务所", "明理律师事务所") == "");
    CHECK(reason("西都数据云计算", "西部数据云计算") == "");
    CHECK(reason("成都明衡律师事务所", "成都明理律师事务所") ==
          "the name differs by one character");
    // Two characters off in a long name: no.
    CHECK(reason("西部数码云存储有限公司", "西部数据云计算有限公司") == "");
}

TEST_CASE("lookalike: the other rules stand") {
    CHECK(reason("熊猫游戏", "熊猫游戏软件") == "the name is part of this one");
    CHECK(reason("熊猫游戏软件有限公司", "熊猫游戏") == "this name is part of the new one");
    CHECK(reason("蓝海 科技", "蓝海科技有限公司") ==
          "the name differs only in spacing, punctuation, width, case or company form");
}
