#include "domain/demo.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <random>

#include "domain/buildings.hpp"
#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/meeting_report.hpp"
#include "domain/meetings.hpp"
#include "domain/money.hpp"
#include "domain/orders.hpp"
#include "domain/reps.hpp"
#include "domain/visits.hpp"
#include "domain/vocabulary.hpp"
#include "domain/workflows/log_visit.hpp"
#include "domain/workflows/place_order.hpp"
#include "domain/workflows/take_payment.hpp"
#include "errors.hpp"
#include "render/meeting_summary.hpp"

namespace fieldbook::demo {
namespace {

using std::chrono::days;

// Reads typed values out of the data file, naming the place of anything missing.
class Data {
  public:
    explicit Data(std::string_view text) {
        try {
            table_ = toml::parse(text, std::string_view{"data/demo.toml"});
        } catch (const toml::parse_error& e) {
            throw UsageError(fmt::format("data/demo.toml:{}:{}: {}", e.source().begin.line,
                                         e.source().begin.column, e.description()));
        }
    }
    const toml::table& root() const { return table_; }

    static std::string text(const toml::table& t, std::string_view key) {
        if (auto v = t[key].value<std::string>()) return *v;
        throw UsageError(fmt::format("data/demo.toml:{}:{}: missing text '{}'",
                                     t.source().begin.line, t.source().begin.column, key));
    }
    static std::vector<std::string> words(const toml::node_view<const toml::node> node,
                                          std::string_view key) {
        std::vector<std::string> out;
        if (auto* array = node.as_array())
            for (auto& item : *array)
                if (auto v = item.value<std::string>()) out.push_back(*v);
        if (out.empty()) throw UsageError(fmt::format("data/demo.toml: '{}' has no words", key));
        return out;
    }
    const toml::array& tables(std::string_view key) const {
        if (auto* array = table_[key].as_array()) return *array;
        throw UsageError(fmt::format("data/demo.toml: missing [[{}]]", key));
    }

  private:
    toml::table table_;
};

class Story {
  public:
    Story(Session& s, const Data& data, std::uint64_t seed)
        : s_(s), data_(data), random_(seed), today_(s.today()) {
        surnames_ = Data::words(data.root()["surnames"], "surnames");
        given_ = Data::words(data.root()["given_names"], "given_names");
    }

    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(random_)];
    }
    int between(int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random_);
    }
    bool chance(int percent) { return between(1, 100) <= percent; }

    std::string person() { return pick(surnames_) + pick(given_); }
    std::vector<std::string> notes(std::string_view key) {
        return Data::words(data_.root()["notes"][key], key);
    }
    std::vector<std::string> titles(std::string_view role) {
        return Data::words(data_.root()["contacts"][role], role);
    }
    Instant at(text::Day day) {
        // Doors are knocked in office hours; lunch is quiet.
        int hour = pick(std::vector<int>{9, 9, 10, 10, 11, 14, 14, 15, 15, 16, 17});
        Instant at = text::local_instant(day, hour, between(0, 59), s_.zone);
        // Drawn whether or not it is used, so that the rest of the store does not depend on
        // the time of day the demo is made.
        int spread = between(30, 95);
        // Nothing has happened later than now: today's doors are spread over the hours so far.
        Instant now = s_.clock.now();
        if (at > now) {
            auto since_midnight = now - text::local_instant(day, 0, 0, s_.zone);
            at = text::local_instant(day, 0, 0, s_.zone) + since_midnight * spread / 100;
        }
        return at;
    }
    // A working day `back` working days before today (today itself when back is 0).
    text::Day working_day(int back) {
        text::Day day = today_;
        while (true) {
            unsigned wd = std::chrono::weekday{day}.c_encoding();
            bool weekend = wd == 0 || wd == 6;
            if (!weekend) {
                if (back == 0) return day;
                --back;
            }
            day -= days{1};
        }
    }

    Session& s_;
    const Data& data_;
    std::mt19937_64 random_;
    text::Day today_;
    std::vector<std::string> surnames_, given_;
};

// The outcomes a company goes through on its way to its final stage.
std::vector<std::string> path_to(const std::string& stage) {
    if (stage == "refused") return {"refused"};
    if (stage == "absent") return {"absent", "absent"};
    if (stage == "contact") return {"contact"};
    if (stage == "interest") return {"contact", "interest"};
    if (stage == "intent") return {"contact", "interest", "intent"};
    return {"contact", "interest", "intent", "order"};
}

void add_story_visits(Story& story, const reps::Rep& rep, const customers::Customer& customer,
                      const std::string& stage, int index, Summary& summary) {
    auto path = path_to(stage);
    if (stage == "absent" && index % 2 == 0) path.pop_back();
    // Every fifth company ends its story today, so the day's meeting has something to show.
    int last_back = index % 5 == 0 ? 0 : story.between(1, 8);
    std::vector<int> backs(path.size());
    int back = last_back;
    for (std::size_t i = path.size(); i-- > 0;) {
        backs[i] = std::min(back, 10);
        back += story.between(1, 2);
    }
    auto went_well = story.notes("went_well");
    auto improve = story.notes("improve");
    auto feedback = story.notes("tool_feedback");
    auto next_steps = story.notes("next_steps");
    std::string gatekeeper = story.person();
    std::string inside = story.person();
    for (std::size_t step = 0; step < path.size(); ++step) {
        const std::string& outcome = path[step];
        workflows::VisitLog log{.visit = {.customer = customer.name}};
        auto& f = log.visit.fields;
        f.outcome = outcome;
        f.at = story.at(story.working_day(backs[step]));
        f.note = story.pick(story.notes(outcome));
        if (step == 0) {
            f.kind = "initial";
            if (outcome != "absent") {
                f.contact = gatekeeper;
                f.contact_role = "gatekeeper";
                f.contact_title = story.pick(story.titles("gatekeeper"));
                f.card = outcome != "refused" && story.chance(60);
                if (outcome != "refused")
                    f.phone = fmt::format("138000{:05}", story.between(10000, 99999));
            }
            f.script = "first-visit";
        } else if (outcome != "absent") {
            bool by_phone = outcome == "interest" && story.chance(40);
            f.kind = by_phone ? "phone" : (outcome == "intent" ? "negotiation" : "revisit");
            f.contact = inside;
            f.contact_role = outcome == "interest" ? "inside" : "purchaser";
            f.contact_title = story.pick(story.titles(f.contact_role.value()));
            f.email = fmt::format("{}@example.com", customer.id * 100 + static_cast<int>(step));
            f.script = by_phone ? "phone-follow-up" : "revisit";
        }
        if (outcome == "contact" || outcome == "interest") {
            f.headcount = customer.headcount;
            f.office_size = customer.office_size;
            f.brands = customer.brands;
            f.usage = customer.usage;
        }
        if (story.chance(50)) f.went_well = story.pick(went_well);
        if (story.chance(40)) f.improve = story.pick(improve);
        if (story.chance(25)) f.tool_feedback = story.pick(feedback);
        bool last = step + 1 == path.size();
        bool open_prospect = outcome == "contact" || outcome == "interest" || outcome == "intent";
        // Most stories end with a next step, some already overdue; the rest are left to slip,
        // as happens, for `followup stale` to find.
        if (last && open_prospect && story.chance(75)) {
            log.next = story.working_day(backs[step]) + days{story.between(2, 7)};
            log.next_channel = story.chance(70) ? "phone" : "email";
            f.note = *f.note + " 下一步：" + story.pick(next_steps);
        }
        auto added = workflows::write_visit(story.s_, rep, log);
        ++summary.visits;
        if (added.followup_id) ++summary.followups;
    }
}

void add_synthetic_visits(Story& story, const std::vector<reps::Rep>& team, std::int64_t count,
                          Summary& summary) {
    auto outcomes = vocab::outcomes;
    auto notes = story.notes("contact");
    std::int64_t companies = std::max<std::int64_t>(1, count / 8);
    for (std::int64_t i = 0; i < count; ++i) {
        std::int64_t company = i % companies;
        visits::NewVisit v{.customer = fmt::format("合成客户{:06}号商贸有限公司", company)};
        if (i < companies) {
            v.building = fmt::format("合成大厦{:02}号楼", company % 50);
            v.floor = std::to_string(1 + company % 30);
            v.room = fmt::format("{}{:02}", 1 + company % 30, company % 97);
            v.allow_duplicate = true;
        }
        v.fields.outcome = std::string(outcomes[static_cast<std::size_t>(story.between(0, 5))]);
        v.fields.at = story.at(story.today_ - days{story.between(0, 364)});
        v.fields.note = story.pick(notes);
        if (story.chance(50)) {
            v.fields.contact = story.person();
            v.fields.contact_role = "gatekeeper";
        }
        visits::write(story.s_, team[static_cast<std::size_t>(i) % team.size()], v);
        ++summary.visits;
    }
    summary.customers += companies;
}

money::Cents amount(const toml::table& t, std::string_view key) {
    auto text = t[key].value<std::string>();
    auto cents = text ? money::parse(*text) : std::nullopt;
    if (!cents)
        throw UsageError(fmt::format("data/demo.toml:{}:{}: '{}' is not an amount in yuan",
                                     t.source().begin.line, t.source().begin.column, key));
    return *cents;
}

// The deals: each order falls on the day its company's story reached `order`, with its
// prepayment, its due day and the payments made since (none later than today).
void add_orders(Story& story, const Data& data, Summary& summary) {
    Session& s = story.s_;
    auto* list = data.root()["orders"].as_array();
    if (!list) return;
    for (auto& node : *list) {
        const auto& t = *node.as_table();
        auto customer = customers::resolve(s, Data::text(t, "customer"));
        auto last = s.tx().one(
            "SELECT MAX(day) AS day FROM visit WHERE customer_id = ? AND deleted_at IS NULL "
            "AND outcome = 'order'",
            {customer.id});
        text::Day day = story.today_;
        if (last && !last->is_null("day")) day = text::parse_iso_day(last->text("day"));
        orders::NewOrder order{.customer_id = customer.id, .day = day};
        order.amount = amount(t, "amount");
        if (t.contains("cost")) order.cost = amount(t, "cost");
        if (t.contains("prepaid")) order.prepaid = amount(t, "prepaid");
        if (auto due = t["due_days"].value<std::int64_t>()) order.due = day + days{*due};
        order.note = t["note"].value<std::string>();
        auto rep = reps::require(s, customer.owner.value_or(""), "owner");
        auto added = workflows::place_order(s, rep, order);
        ++summary.orders;
        if (auto* payments = t["payments"].as_array())
            for (auto& p : *payments) {
                const auto& pt = *p.as_table();
                text::Day paid = day;
                for (auto n = pt["after"].value_or<std::int64_t>(0); n > 0;) {
                    paid += days{1};
                    unsigned wd = std::chrono::weekday{paid}.c_encoding();
                    if (wd != 0 && wd != 6) --n;
                }
                if (paid > story.today_) continue;
                workflows::take_payment(s, rep, added.id, amount(pt, "amount"), paid,
                                        pt["note"].value<std::string>());
            }
    }
}

// The meetings of the past days: quotas set the evening before, each rep's self-review and
// feedback, the manager's notes; closed by the manager and, but for the last, approved by the
// leader. Today's meeting is left open, to be run.
void add_meetings(Story& story, const std::vector<reps::Rep>& field_reps, const reps::Rep& manager,
                  const std::optional<reps::Rep>& leader, Summary& summary) {
    Session& s = story.s_;
    auto improve = story.notes("improve");
    auto feedback = story.notes("tool_feedback");
    auto ideas = story.notes("ideas");
    auto manager_notes = story.notes("manager_notes");
    constexpr int kDays = 8;
    auto plan_day = [&](text::Day day) {
        for (const auto& rep : field_reps) {
            std::optional<std::string> goal;
            if (story.chance(40)) goal = "扫完负责楼宇的剩余楼层";
            meetings::set_plan(s, manager, rep, day, story.between(5, 9), goal);
        }
    };
    for (int back = kDays; back >= 0; --back) {
        text::Day day = story.working_day(back);
        // The first day's quotas; every later day's come from the meeting the evening before.
        if (back == kDays) plan_day(day);
        if (back == 0) break;
        plan_day(story.working_day(back - 1));
        bool sharing = std::chrono::weekday{day}.c_encoding() == 3;  // Wednesdays
        if (sharing) meetings::set_kind(s, manager, day, "sharing");
        for (const auto& rep : field_reps) {
            meetings::add_note(s, rep, rep, day, "self-review", story.pick(improve));
            if (story.chance(50))
                meetings::add_note(s, rep, rep, day, "tool-feedback", story.pick(feedback));
            if (sharing || story.chance(25))
                meetings::add_note(s, rep, rep, day, "idea", story.pick(ideas));
        }
        if (story.chance(60))
            meetings::add_note(s, manager, manager, day, "manager", story.pick(manager_notes));
        auto report = meeting_report::build(s, day, 7);
        meetings::close(s, manager, day, render::meeting_summary_markdown(report));
        ++summary.meetings;
        if (leader && back >= 2)
            meetings::approve(s, *leader, day, "已阅。意向客户抓紧跟进，按计划推进。");
    }
}

}  // namespace

Summary build(Session& s, std::string_view text, const Options& options) {
    Data data(text);
    Story story(s, data, options.seed);
    Summary summary;

    std::vector<reps::Rep> field_reps;
    std::optional<reps::Rep> manager, leader;
    std::vector<std::pair<reps::Rep, std::vector<std::string>>> strengths;
    std::optional<reps::Rep> founder;
    for (auto& node : data.tables("reps")) {
        const auto& t = *node.as_table();
        // The team is set up as any team is: by its first rep, then by its manager.
        auto rep = reps::add(s, manager ? manager : founder,
                             {.handle = Data::text(t, "handle"),
                              .name = Data::text(t, "name"),
                              .role = Data::text(t, "role"),
                              .phone = t["phone"].value<std::string>(),
                              .email = t["email"].value<std::string>()});
        ++summary.reps;
        if (!founder) founder = rep;
        if (rep.role == "manager" && !manager) manager = rep;
        if (rep.role == "leader" && !leader) leader = rep;
        if (rep.role == "rep") {
            field_reps.push_back(rep);
            std::vector<std::string> industries;
            if (auto* list = t["industries"].as_array())
                for (auto& item : *list)
                    if (auto v = item.value<std::string>()) industries.push_back(*v);
            strengths.emplace_back(rep, industries);
        }
    }
    if (field_reps.empty()) throw UsageError("data/demo.toml: no rep with role \"rep\"");
    s.store.set_meta("owner", field_reps.front().handle);

    for (auto& node : data.tables("buildings")) {
        const auto& t = *node.as_table();
        buildings::find_or_create(s,
                                  {.name = Data::text(t, "name"),
                                   .address = t["address"].value<std::string>(),
                                   .district = t["district"].value<std::string>(),
                                   .floors = t["floors"].value<std::int64_t>(),
                                   .property_contact = t["property_contact"].value<std::string>()});
        ++summary.buildings;
    }

    int index = 0;
    for (auto& node : data.tables("customers")) {
        const auto& t = *node.as_table();
        std::string industry = Data::text(t, "industry");
        // Companies go to the rep whose record in the industry is best.
        reps::Rep owner = field_reps[static_cast<std::size_t>(index) % field_reps.size()];
        for (auto& [rep, industries] : strengths)
            if (std::find(industries.begin(), industries.end(), industry) != industries.end())
                owner = rep;
        auto customer = customers::add(s,
                                       {.name = Data::text(t, "name"),
                                        .building = Data::text(t, "building"),
                                        .floor = Data::text(t, "floor"),
                                        .room = Data::text(t, "room"),
                                        .industry = industry,
                                        .headcount = t["headcount"].value<std::int64_t>(),
                                        .office_size = t["office_size"].value<std::string>(),
                                        .brands = t["brands"].value<std::string>(),
                                        .usage = t["usage"].value<std::string>(),
                                        .source = Data::text(t, "source"),
                                        .owner = owner.handle},
                                       true);
        ++summary.customers;
        add_story_visits(story, owner, customer, Data::text(t, "stage"), index, summary);
        ++index;
    }
    add_orders(story, data, summary);
    if (manager) add_meetings(story, field_reps, *manager, leader, summary);
    if (options.extra_visits > 0)
        add_synthetic_visits(story, field_reps, options.extra_visits, summary);
    return summary;
}

}  // namespace fieldbook::demo
