#pragma once
// The end-of-day meeting report as data: the day's visits and notes by rep, the team's totals,
// what is due next and the quotas set for it. render/meeting_summary.hpp writes it out.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/followups.hpp"
#include "domain/meetings.hpp"
#include "domain/stale.hpp"
#include "domain/visits.hpp"
#include "text/time_zone.hpp"

namespace fieldbook::meeting_report {

struct RepSection {
    std::string rep;
    std::string name;
    std::optional<std::int64_t> quota;  // set at the previous meeting for this day
    std::optional<std::string> goal;
    std::array<std::int64_t, 6> outcomes{};  // refused, absent, contact, interest, intent, order
    std::vector<visits::Visit> visits;
    std::vector<meetings::Note> notes;  // the rep's own: self-review, tool-feedback, idea
};

struct Report {
    text::TimeZone zone;  // the team's: visit times are shown in it
    std::string day;
    std::string weekday;
    std::string kind;    // daily or sharing
    std::string status;  // open, closed, approved
    std::vector<meetings::Note> manager_notes;
    std::vector<RepSection> reps;
    std::int64_t total_visits = 0;
    std::int64_t total_quota = 0;
    std::array<std::int64_t, 6> total_outcomes{};
    std::vector<std::string> new_customers;
    std::vector<visits::Visit> intents_and_orders;
    std::string next_day;
    std::string next_weekday;
    std::vector<followups::Followup> due_next_day;
    std::int64_t stale_days = 7;
    std::vector<stale::Prospect> stale;
    std::vector<meetings::Plan> next_plans;
};

Report build(Session& s, text::Day day, std::int64_t stale_days);

}  // namespace fieldbook::meeting_report
