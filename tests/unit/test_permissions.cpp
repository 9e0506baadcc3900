#include <doctest/doctest.h>

#include "domain/permissions.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"
#include "fixture.hpp"

using namespace fieldbook;
using permissions::Change;
using permissions::Kind;

namespace {

reps::Rep person(const char* handle, const char* role, std::int64_t id) {
    reps::Rep r;
    r.id = id;
    r.handle = handle;
    r.name = handle;
    r.role = role;
    return r;
}

const reps::Rep li = person("li", "rep", 2);
const reps::Rep zhang = person("zhang", "rep", 1);
const reps::Rep wang = person("wang", "manager", 3);
const reps::Rep chen = person("chen", "leader", 4);

bool may(const reps::Rep& actor, Kind kind, std::optional<std::string> owner = std::nullopt,
         const permissions::Team& team = {}) {
    return permissions::may_change(
               actor, {.action = "test", .kind = kind, .record = "x", .owner = owner}, team)
        .allowed;
}

}  // namespace

TEST_CASE("permissions: a record is changed by its owner, a manager or a leader") {
    for (Kind kind : {Kind::visit, Kind::followup, Kind::order, Kind::customer, Kind::rep_details,
                      Kind::task, Kind::meeting_note}) {
        CAPTURE(static_cast<int>(kind));
        CHECK(may(li, kind, "li"));
        CHECK_FALSE(may(zhang, kind, "li"));
        CHECK(may(wang, kind, "li"));
        CHECK(may(chen, kind, "li"));
        // nobody's yet: anyone's
        CHECK(may(zhang, kind, std::nullopt));
    }
}

TEST_CASE("permissions: the team itself is a manager's or a leader's") {
    for (Kind kind : {Kind::team, Kind::task_assignment, Kind::plan}) {
        CAPTURE(static_cast<int>(kind));
        CHECK_FALSE(may(li, kind));
        CHECK_FALSE(may(zhang, kind));
        CHECK(may(wang, kind));
        CHECK(may(chen, kind));
        // an owner does not make it theirs: a rep does not change their own role
        CHECK_FALSE(may(li, kind, "li"));
    }
}

TEST_CASE("permissions: acts of one role") {
    for (Kind kind :
         {Kind::conduct_note, Kind::manager_note, Kind::meeting_kind, Kind::meeting_close}) {
        CAPTURE(static_cast<int>(kind));
        CHECK(may(wang, kind));
        CHECK_FALSE(may(chen, kind));
        CHECK_FALSE(may(li, kind));
    }
    CHECK(may(chen, Kind::meeting_approval));
    CHECK_FALSE(may(wang, Kind::meeting_approval));
    CHECK_FALSE(may(li, Kind::meeting_approval));
}

TEST_CASE("permissions: a new team is set up by its first rep until it has a manager") {
    permissions::Team founding{.founder = "zhang"};
    CHECK(may(zhang, Kind::team, std::nullopt, founding));
    CHECK_FALSE(may(li, Kind::team, std::nullopt, founding));
    // only the team itself: not another rep's records, nor a manager's acts
    CHECK_FALSE(may(zhang, Kind::visit, "li", founding));
    CHECK_FALSE(may(zhang, Kind::plan, std::nullopt, founding));
    // nobody acting: only the first rep of an empty store
    Change first{.action = "rep add", .kind = Kind::team, .record = "add a to the team"};
    CHECK(permissions::may_change(std::nullopt, first, {.empty = true}).allowed);
    CHECK_FALSE(permissions::may_change(std::nullopt, first, founding).allowed);
}

TEST_CASE("permissions: a refusal names the action, the record, its owner and who tried") {
    auto verdict = permissions::may_change(
        zhang, {.action = "visit edit", .kind = Kind::visit, .record = "visit #7", .owner = "li"});
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.reason ==
          "visit edit: visit #7 (li's) may be changed only by li, a manager or a leader "
          "(zhang is a rep)");
    verdict = permissions::may_change(wang, {.action = "meeting approve",
                                             .kind = Kind::meeting_approval,
                                             .record = "approve the meeting of 2026-11-26"});
    CHECK(verdict.reason ==
          "meeting approve: only a leader may approve the meeting of 2026-11-26 "
          "(wang is a manager)");
}

TEST_CASE("permissions: require reads the team and the actor's role from the store") {
    testing::TestStore t;
    Change add{.action = "rep add", .kind = Kind::team, .record = "add someone to the team"};
    // empty store: nobody needs leave
    CHECK_NOTHROW(t.store.write([&] { permissions::require(t.session, std::nullopt, add); }));
    auto first = t.add_rep("zhang");
    auto second = t.add_rep("li");  // by zhang, the founder
    CHECK_THROWS_AS(t.store.write([&] { permissions::require(t.session, second, add); }),
                    UsageError);
    CHECK_NOTHROW(t.store.write([&] { permissions::require(t.session, first, add); }));
    auto manager = t.add_rep("wang", "manager");
    CHECK_THROWS_AS(t.store.write([&] { permissions::require(t.session, first, add); }),
                    UsageError);
    // the role as the store holds it now, not as the caller read it earlier
    t.store.write([&] { reps::edit(t.session, manager, "wang", {.role = "rep"}); });
    CHECK_THROWS_AS(t.store.write([&] {
        permissions::require(
            t.session, manager,
            {.action = "meeting plan", .kind = Kind::plan, .record = "set quotas"});
    }),
                    UsageError);
    // with no manager or leader left, the founder sets the team up again
    CHECK_NOTHROW(t.store.write([&] { permissions::require(t.session, first, add); }));
}
