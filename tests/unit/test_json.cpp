#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "domain/meeting_report.hpp"
#include "domain/visits.hpp"
#include "fixture.hpp"
#include "render/json.hpp"
#include "render/meeting_summary.hpp"

using namespace fieldbook;
using std::string_view_literals::operator""sv;

TEST_CASE("json: a byte that is not UTF-8 becomes U+FFFD, not invalid JSON") {
    CHECK(render::json_string("a\xff"
                              "b") ==
          "\"a\xEF\xBF\xBD"
          "b\"");
    CHECK(render::json_string("\xe6\x88") == "\"\xEF\xBF\xBD\"");  // a character cut short
}

TEST_CASE("json: a row as an object, with values already written nested after the columns") {
    const std::vector<render::Column> columns = {{"id", true}, {"amount", true}, {"note"}};
    CHECK(render::json_object(columns, {"7", "128.00", "a\"b"}) ==
          R"({"id":7,"amount":128.00,"note":"a\"b"})");
    CHECK(render::json_object(columns, {"x7", std::nullopt, std::nullopt},
                              {{"lines", render::json_array({"{}", "{}"})}}) ==
          R"({"id":"x7","amount":null,"note":null,"lines":[{},{}]})");
    CHECK(render::json_object({}, {}, {{"k", "1"}}) == R"({"k":1})");
    CHECK(render::json_array({}) == "[]");
}

TEST_CASE("json: the meeting report keeps its keys in the order it always had") {
    testing::TestStore t("2026-11-27T18:00:00+08:00");
    reps::Rep zhang = t.add_rep("zhang");
    visits::NewVisit v{.customer = "甲公司", .allow_duplicate = true};
    v.fields.outcome = "intent";
    v.fields.at = text::parse_iso_instant("2026-11-27T10:00:00+08:00", t.zone, "at");
    t.store.write([&] { return visits::add(t.session, zhang, v); });
    std::string json = render::meeting_summary_json(
        meeting_report::build(t.session, text::parse_iso_day("2026-11-27"), 7));
    CHECK(json.rfind(R"({"day":"2026-11-27","weekday":"Friday","kind":"daily","status":"open",)"
                     R"("manager_notes":[],"reps":[{"rep":"zhang","name":"zhang","quota":null,)"
                     R"("goal":null,"done":1,"outcomes":{"refused":0,"absent":0,"contact":0,)"
                     R"("interest":0,"intent":1,"order":0},"visits":[{"id":1,"time":"10:00",)"
                     R"("customer":"甲公司","building":null,)",
                     0) == 0);
    CHECK(json.find(R"("intents_and_orders":[{"visit_id":1,"customer":"甲公司","rep":"zhang",)"
                    R"("outcome":"intent"}],"next_day":"2026-11-30","followups_due_next_day":[],)"
                    R"("stale_days":7,"stale":[)") != std::string::npos);
    CHECK(json.size() >= 2);
    CHECK(json.substr(json.size() - 21) == R"("plans_next_day":[]})"
                                           "\n");
}
