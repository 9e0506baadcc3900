#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/floors.hpp"

using namespace fieldbook;
using floors::Kind;

namespace {

std::string key(const char* written) {
    return floors::read(written).key;
}

}  // namespace

TEST_CASE("floors: a number written any way is one floor, labelled by the bare number") {
    for (const char* written : {"3", "03", "003", "３", "3F", "3f", "３Ｆ", "3楼", "3层", "3樓",
                                "3層", " 3 ", "3 F", "3\u3000楼", "3 floor", "3Floor", "03F"}) {
        CAPTURE(written);
        auto f = floors::read(written);
        CHECK(f.kind == Kind::storey);
        CHECK(f.level == 3);
        CHECK(f.key == "3");
        CHECK(f.label == "3");
    }
    CHECK(floors::read("0").level == 0);
    CHECK(floors::read("10").label == "10");
    CHECK(key("12") != key("1"));
}

TEST_CASE("floors: basements and negative floors stay apart, below ground") {
    for (const char* written : {"B1", "b1", "B01", "Ｂ１", "B1F", "B1层", "b1 floor"}) {
        CAPTURE(written);
        auto f = floors::read(written);
        CHECK(f.kind == Kind::basement);
        CHECK(f.level == -1);
        CHECK(f.label == "B1");
    }
    CHECK(floors::read("B2").level == -2);
    CHECK(key("B2") != key("B1"));
    for (const char* written : {"-1", "-01", "-1F", "-1楼"}) {
        CAPTURE(written);
        auto f = floors::read(written);
        CHECK(f.kind == Kind::storey);
        CHECK(f.level == -1);
        CHECK(f.label == "-1");
    }
    CHECK(key("-1") != key("B1"));
    CHECK(key("-1") != key("1"));
}

TEST_CASE("floors: anything else is a named floor, its suffix kept") {
    auto mezzanine = floors::read("夹层");
    CHECK(mezzanine.kind == Kind::name);
    CHECK(mezzanine.label == "夹层");  // 层 is only dropped when a number is left
    CHECK(floors::read(" M ").label == "M");
    CHECK(key("M") == key("m"));
    CHECK(key("M") == key("Ｍ"));
    CHECK(key("M") != key("夹层"));
    for (const char* written : {"F", "楼", "B", "B0", "-", "G", "3A", "L3", "99999999999999999999"})
        CHECK_MESSAGE(floors::read(written).kind == Kind::name, written);
}

TEST_CASE("floors: building order is below ground up, numbers by value, then names") {
    std::vector<std::string> written = {"10", "夹层", "2", "B1", "M", "-1", "B2", "0", "3F"};
    std::sort(written.begin(), written.end(),
              [](const std::string& a, const std::string& b) { return floors::before(a, b); });
    CHECK(written == std::vector<std::string>{"B2", "-1", "B1", "0", "2", "3F", "10", "M", "夹层"});
    CHECK(floors::before("2", "10"));
    CHECK_FALSE(floors::before("10", "2"));
    CHECK(floors::before("30", "M"));
    CHECK_FALSE(floors::before("3", "3F"));  // one floor: neither is before the other
    CHECK_FALSE(floors::before("3F", "3"));
}

TEST_CASE("floors: a room written in full width or with leading zeros is one room") {
    CHECK(floors::room_key("1203") == "1203");
    CHECK(floors::room_key("１２０３") == "1203");
    CHECK(floors::room_key(" 1203 ") == "1203");
    CHECK(floors::room_key("0301") == floors::room_key("301"));
    CHECK(floors::room_key("000") == "0");
    CHECK(floors::room_key("A-12") == floors::room_key("ａ-12"));
    CHECK(floors::room_key("1203") != floors::room_key("1204"));
}
