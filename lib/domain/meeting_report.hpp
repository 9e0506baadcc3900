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
#include "domain/money.hpp"
#include "domain/stale.hpp"
#include "domain/visits.hpp"
#include "text/time_zone.hpp"

namespace fieldbook::meeting_report {

// The day's money, for a rep or the team. Orders and payments are the day's own records;
// the past-due balances and the collection calls are where collecting stands that evening.
struct Money {
    std::int64_t orders = 0;  // taken that day and not cancelled
    money::Cents ordered = 0;
    std::int64_t payments = 0;  // received that day, on orders not cancelled
    money::Cents collected = 0;
    std::int64_t past_due = 0;  // orders due before the day with a balance left that evening
    money::Cents past_due_balance = 0;
    std::int64_t collection_calls = 0;  // open collection follow-ups due by the next working day

    bool any() const { return orders || payments || past_due || collection_calls; }
};

// An order taken that day, as the summary lists it.
struct DayOrder {
    std::int64_t id = 0;
    std::string customer;
    std::string rep;
    money::Cents amount = 0;
    money::Cents paid = 0;  // by the end of the day
};

struct RepSection {
    std::string rep;
    std::string name;
    std::string role;  // rep, manager or leader: only a rep is expected to have a quota
    std::optional<std::int64_t> quota;  // set at the previous meeting for this day
    std::optional<std::string> goal;
    std::array<std::int64_t, 6> outcomes{};  // refused, absent, contact, interest, intent, order
    std::vector<visits::Visit> visits;
    std::vector<meetings::Note> notes;  // the rep's own: self-review, tool-feedback, idea
    Money money;
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
    // Visits whose outcome was an intent or an order (after-sales ones are not sales).
    std::vector<visits::Visit> intents_and_orders;
    std::vector<DayOrder> orders;  // the order records of the day
    Money total_money;
    // Visits with the outcome "order" (not after-sales ones) for which their rep recorded no
    // order for that customer that day: a sale told but not written down.
    std::vector<visits::Visit> orders_not_recorded;
    std::string next_day;
    std::string next_weekday;
    std::vector<followups::Followup> due_next_day;
    std::int64_t stale_days = 7;
    std::vector<stale::Prospect> stale;
    std::vector<meetings::Plan> next_plans;
};

Report build(Session& s, text::Day day, std::int64_t stale_days);

// Whether the day has no visits and no notes (a manager's or a rep's): closing such a day is
// more often a wrong date than a day off.
bool nothing_recorded(const Report& report);

}  // namespace fieldbook::meeting_report
