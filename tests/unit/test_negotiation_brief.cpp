#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "domain/negotiation_brief.hpp"
#include "errors.hpp"

using fieldbook::UsageError;
using fieldbook::negotiation::Need;
using fieldbook::negotiation::parse_needs;

namespace {

std::string show(const std::vector<Need>& needs) {
    std::string out;
    for (const auto& n : needs)
        out += "[" + n.item + (n.volume ? "|" + std::to_string(*n.volume) : "") + "]";
    return out;
}

}  // namespace

TEST_CASE("negotiation: unmet needs split on every separator, with their volumes") {
    CHECK(show(parse_needs("碎纸机×20；定制信封")) == "[碎纸机|20][定制信封]");
    CHECK(show(parse_needs("碎纸机x20;定制信封*300、饮水机 X 2\n白板")) ==
          "[碎纸机|20][定制信封|300][饮水机|2][白板]");
    // Full-width marks and digits, spaces around, empty items skipped.
    CHECK(show(parse_needs(" 碎纸机 ＊２０ ；；　定制信封　；")) == "[碎纸机|20][定制信封]");
    // Digits that are part of the name stay in it.
    CHECK(show(parse_needs("HP1020硒鼓；A4纸x5")) == "[HP1020硒鼓][A4纸|5]");
    CHECK(show(parse_needs("")) == "");
}

TEST_CASE("negotiation: a volume without an item, or too large, is refused") {
    CHECK_THROWS_AS(parse_needs("×20"), UsageError);
    CHECK_THROWS_AS(parse_needs("碎纸机×20000000000"), UsageError);
    CHECK(show(parse_needs("碎纸机×1000000000")) == "[碎纸机|1000000000]");
}
