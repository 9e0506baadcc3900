#include <doctest/doctest.h>

#include <functional>
#include <string>

#include "domain/catalog.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"

using namespace fieldbook;

namespace fieldbook::embedded {
extern const std::string_view scripts_toml;
extern const std::string_view catalog_toml;
}  // namespace fieldbook::embedded

namespace {

std::string error_of(const std::function<void()>& parse) {
    try {
        parse();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string catalog_error(const std::string& text) {
    return error_of([&] { catalog::parse({"cat.toml", text}); });
}

std::string scripts_error(const std::string& text) {
    return error_of([&] { scripts::parse({"s.toml", text}); });
}

const std::string kHead = "[categories]\npaper = \"纸张\"\n\n";  // lines 1-3

}  // namespace

TEST_CASE("templates: the shipped scripts and catalog are valid and complete") {
    auto all = scripts::parse({"scripts.toml", std::string(embedded::scripts_toml)});
    CHECK(all.size() >= 4);
    for (auto situation : {"first-visit", "revisit", "referral", "phone-follow-up"}) {
        bool found = false;
        for (auto& s : all) found = found || s.situation == situation;
        CHECK_MESSAGE(found, situation);
    }
    for (auto& s : all) {
        CAPTURE(s.name);
        CHECK_FALSE(scripts::estimate(s, {}).over_limit);
    }
    auto cat = catalog::parse({"catalog.toml", std::string(embedded::catalog_toml)});
    CHECK(cat.products.size() >= 30);
    CHECK(cat.categories.size() >= 6);
    CHECK(cat.categories.front().first == "paper");  // the file's order, not alphabetical
}

TEST_CASE("templates: speaking time by characters for Chinese, by words for the rest") {
    scripts::Script zh{.name = "a", .language = "zh", .text = std::string(220 / 2, ' ')};
    zh.text.clear();
    for (int i = 0; i < 110; ++i) zh.text += "您好";  // 220 Han characters
    auto e = scripts::estimate(zh, {.chars_per_minute = 220, .words_per_minute = 150});
    CHECK(e.han_characters == 220);
    CHECK(e.latin_words == 0);
    CHECK(e.seconds == doctest::Approx(60.0));
    CHECK_FALSE(e.over_limit);
    zh.text += "谢";
    CHECK(scripts::estimate(zh, {}).over_limit);
    zh.rate = 330;  // the script's own rate wins for its language
    CHECK(scripts::estimate(zh, {}).seconds == doctest::Approx(221.0 * 60 / 330));

    scripts::Script en{.name = "b", .language = "en", .limit_seconds = 30};
    for (int i = 0; i < 75; ++i) en.text += "word ";
    auto w = scripts::estimate(en, {.chars_per_minute = 220, .words_per_minute = 150});
    CHECK(w.latin_words == 75);
    CHECK(w.seconds == doctest::Approx(30.0));
    CHECK_FALSE(w.over_limit);

    scripts::Script mixed{.name = "c", .language = "zh", .text = "我们的A4纸 and toner"};
    auto m = scripts::estimate(mixed, {.chars_per_minute = 240, .words_per_minute = 120});
    CHECK(m.han_characters == 4);  // 我 们 的 纸
    CHECK(m.latin_words == 3);     // A4, and, toner
    CHECK(m.seconds == doctest::Approx(4 * 60.0 / 240 + 3 * 60.0 / 120));
}

TEST_CASE("templates: script errors name file, line and column") {
    CHECK(scripts_error("[[script]]\nname = \"a\"\ntext = \"x\"\ncolour = 1\n") ==
          "s.toml:4:1: unknown key 'colour' (known: name, title, language, situation, "
          "limit_seconds, rate, text)");
    CHECK(scripts_error("[[script]]\nname = \"a\"\n") == "s.toml:1:1: missing text");
    CHECK(scripts_error("[[script]]\nname = \"a\"\ntext = \"x\"\nlanguage = \"fr\"\n") ==
          "s.toml:4:12: language 'fr' is not zh or en");
    CHECK(scripts_error("[[script]]\nname = \"a\"\ntext = \"x\"\n[[script]]\nname = \"a\"\n"
                        "text = \"y\"\n") == "s.toml:5:8: duplicate script name 'a'");
    CHECK(scripts_error("[[script]]\nname = \"a\"\ntext = \"x\"\nlimit_seconds = 0\n")
              .rfind("s.toml:4:17: limit_seconds", 0) == 0);
    CHECK(scripts_error("[[script]\n").rfind("s.toml:1:", 0) == 0);
}

TEST_CASE("templates: catalog errors name file, line and column") {
    std::string product = "[[product]]\nsku = \"P1\"\nname = \"纸\"\ncategory = \"paper\"\n";
    // product starts at line 4; its price line is line 8
    CHECK(catalog_error(kHead + product) == "cat.toml:4:1: product P1: missing price");
    CHECK(catalog_error(kHead + product + "price = \"12.345\"\n") ==
          "cat.toml:8:9: price must be an amount in yuan with at most two decimals, e.g. "
          "\"128.00\"");
    CHECK(catalog_error(kHead + product + "price = -3\n") ==
          "cat.toml:8:9: price must not be negative");
    CHECK(catalog_error(kHead + product +
                        "price = \"10.00\"\ntiers = [ { min = 5, discount = -5 } ]\n") ==
          "cat.toml:9:33: discount must not be negative");
    CHECK(catalog_error(kHead + product +
                        "price = \"10.00\"\ntiers = [ { min = 10, discount = 5 }, { min = 5, "
                        "discount = 9 } ]\n") ==
          "cat.toml:9:47: tiers out of order: min 5 after min 10");
    CHECK(catalog_error(kHead + product +
                        "price = \"10.00\"\ntiers = [ { min = 10, price = \"9.00\" }, { min = 20, "
                        "price = \"9.50\" } ]\n") ==
          "cat.toml:9:61: tier price 9.50 is not below the price before it (9.00)");
    CHECK(catalog_error(kHead + product + "price = \"10.00\"\ncolour = \"red\"\n") ==
          "cat.toml:9:1: unknown key 'colour' (known: sku, name, category, brand, model, spec, "
          "unit, price, tiers)");
    CHECK(catalog_error(kHead + product + "price = 1\n" + product + "price = 2\n") ==
          "cat.toml:10:7: duplicate SKU 'P1'");
    CHECK(catalog_error(kHead + "[[product]]\nsku = \"P1\"\nname = \"纸\"\ncategory = \"pens\"\n"
                                "price = 1\n") ==
          "cat.toml:7:12: category 'pens' is not in [categories]");
    CHECK(catalog_error(kHead + product + "price = 1\nbrand = \"\xFF\"\n") ==
          "cat.toml:9:10: not valid UTF-8");
    CHECK(catalog_error(std::string(1 << 20, '#') + "\n") ==
          "cat.toml:1:1: file is larger than 1 MiB");
    CHECK(catalog_error("oops = \n").rfind("cat.toml:1:", 0) == 0);
}

TEST_CASE("templates: absurd prices and discounts are refused, not overflowed or kept") {
    std::string product = "[[product]]\nsku = \"P1\"\nname = \"纸\"\ncategory = \"paper\"\n";
    const std::string too_much = "cat.toml:8:9: price is more than a million yuan";
    // 2^63 - 1 yuan overflowed when turned into cents: a price of -1.00 was accepted.
    CHECK(catalog_error(kHead + product + "price = 9223372036854775807\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = 92233720368547759\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = 1000001\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = 1e300\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = inf\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = \"999999999999999\"\n") == too_much);
    CHECK(catalog_error(kHead + product + "price = nan\n") ==
          "cat.toml:8:9: price must be an amount in yuan with at most two decimals, e.g. "
          "\"128.00\"");
    auto one = catalog::parse({"cat.toml", kHead + product + "price = 1000000\n"});
    CHECK(one.products.at(0).price == 100'000'000);
    // A NaN discount passed every check and became a discount of -2^63 basis points.
    std::string tiers = "price = \"10.00\"\ntiers = [ { min = 10, discount = ";
    for (std::string discount : {"nan", "-nan", "inf", "100", "0", "0.0"})
        CHECK(catalog_error(kHead + product + tiers + discount + " } ]\n") ==
              "cat.toml:9:34: discount must be more than 0 and less than 100 (percent)");
    CHECK(catalog_error(kHead + product + tiers + "-inf } ]\n") ==
          "cat.toml:9:34: discount must not be negative");
}

TEST_CASE("templates: tier prices at the boundaries, in exact cents") {
    std::string text = kHead +
                       "[[product]]\nsku = \"P1\"\nname = \"纸\"\ncategory = \"paper\"\n"
                       "price = \"100.00\"\n"
                       "tiers = [ { min = 10, discount = 5 }, { min = 50, price = \"80.00\" } ]\n"
                       "[[product]]\nsku = \"P2\"\nname = \"笔\"\ncategory = \"paper\"\n"
                       "price = 33.33\ntiers = [ { min = 3, discount = 7.5 } ]\n";
    auto cat = catalog::parse({"cat.toml", text});
    const auto& p1 = catalog::find(cat, "p1");
    CHECK(catalog::unit_price(p1, 1) == 10000);
    CHECK(catalog::unit_price(p1, 9) == 10000);
    CHECK(catalog::unit_price(p1, 10) == 9500);
    CHECK(catalog::unit_price(p1, 11) == 9500);
    CHECK(catalog::unit_price(p1, 49) == 9500);
    CHECK(catalog::unit_price(p1, 50) == 8000);
    CHECK(catalog::unit_price(p1, 51) == 8000);
    const auto& p2 = catalog::find(cat, "P2");
    CHECK(p2.price == 3333);
    CHECK(catalog::unit_price(p2, 2) == 3333);
    // 33.33 × 92.5% = 30.83025 -> 30.83; half a cent rounds up.
    CHECK(catalog::unit_price(p2, 3) == 3083);
    CHECK(catalog::describe(p1.tiers[0]) == "≥10 95折");
    CHECK(catalog::describe(p1.tiers[1]) == "≥50 80.00");
    CHECK(catalog::describe(p2.tiers[0]) == "≥3 92.5折");
    CHECK(money::format(catalog::unit_price(p2, 3) * 3) == "92.49");
}

TEST_CASE("templates: catalog filters by category and Chinese or full-width search") {
    auto cat = catalog::parse({"catalog.toml", std::string(embedded::catalog_toml)});
    auto toner = catalog::select(cat, {.search = "硒鼓"});
    CHECK_FALSE(toner.empty());
    for (auto* p : toner) CHECK(p->category == "printer");
    auto wide = catalog::select(cat, {.search = "ＣＦ２２８Ａ"});
    REQUIRE_FALSE(wide.empty());
    CHECK(wide.front()->model == "CF228A");
    auto paper = catalog::select(cat, {.category = "纸张"});
    CHECK(paper.size() == catalog::select(cat, {.category = "paper"}).size());
    CHECK_THROWS_AS(catalog::select(cat, {.category = "tools"}), UsageError);
}

TEST_CASE("money: parsing and formatting are exact") {
    CHECK(money::parse("128") == 12800);
    CHECK(money::parse("128.5") == 12850);
    CHECK(money::parse("0.07") == 7);
    CHECK_FALSE(money::parse("1.234"));
    CHECK_FALSE(money::parse("-1"));
    CHECK_FALSE(money::parse("1."));
    CHECK_FALSE(money::parse(".5"));
    CHECK_FALSE(money::parse("1e3"));
    CHECK(money::format(12850) == "128.50");
    CHECK(money::format(7) == "0.07");
    CHECK(money::format(-250) == "-2.50");
}
