#pragma once
// The end-of-day meeting report: data first, then rendered for the terminal, as the written
// Markdown summary, as HTML (from the Markdown) and as JSON.
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
    std::vector<followups::Followup> due_next_day;
    std::int64_t stale_days = 7;
    std::vector<stale::Prospect> stale;
    std::vector<meetings::Plan> next_plans;
};

Report build(Session& s, text::Day day, std::int64_t stale_days);

std::string to_text(const Report& report);
std::string to_markdown(const Report& report);
std::string to_json(const Report& report);
// A printable page around the CommonMark rendering of the Markdown summary.
std::string to_html(const std::string& markdown, const std::string& title);

}  // namespace fieldbook::meeting_report
