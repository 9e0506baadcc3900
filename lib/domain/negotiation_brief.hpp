#pragma once
// The brief a rep prepares before negotiating with a customer: what worries them, what we may
// and may not give, our strengths and weaknesses, the manager's guidance, the resources and the
// team taken along, and the needs we cannot meet yet. One live brief per customer, edited field
// by field; the unmet needs are also kept one row each (unmet_need) for purchasing to source.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/customers.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::negotiation {

// The brief's sections in the order the brief prints them.
enum class Section {
    concerns,
    can_concede,
    cannot_concede,
    strengths,
    weaknesses,
    guidance,
    resources,
    team,
    unmet_needs
};

struct SectionInfo {
    Section section;
    std::string_view column;   // in negotiation_brief, and the name in machine formats
    std::string_view flag;     // the option that sets it
    std::string_view heading;  // as the printed brief heads it
};
extern const std::array<SectionInfo, 9> kSections;

struct Brief {
    std::int64_t id = 0;  // 0: none written yet
    std::int64_t customer_id = 0;
    std::array<std::optional<std::string>, kSections.size()> text;  // by Section
    std::optional<std::string> updated_at;

    const std::optional<std::string>& operator[](Section s) const {
        return text[static_cast<std::size_t>(s)];
    }
};

// What an edit sets, by Section: absent fields stay as they are, "" clears one.
using Changes = std::array<std::optional<std::string>, kSections.size()>;

// One need we cannot meet yet, as typed: "碎纸机×20" is the item 碎纸机 with a volume of 20.
struct Need {
    std::string item;
    std::optional<std::int64_t> volume;
};

// A list of needs: items separated by ；, ;, 、 or a line break, each perhaps followed by a
// volume written ×N, xN or *N (full-width forms too). Empty items are skipped; an item that
// is only a volume, or a volume over 1,000,000,000, is a UsageError naming --unmet-needs.
std::vector<Need> parse_needs(std::string_view typed);

// The customer's live brief, empty (id 0) when none was written.
Brief get(Session& s, std::int64_t customer_id);

struct Edited {
    Brief brief;
    std::vector<std::string_view> changed;  // the columns whose text changed
};

// Inside a write transaction, done by `by`: sets the given sections of the customer's brief
// (creating it on first use) and, when the unmet needs change, replaces the customer's
// unmet_need rows with the new list. The brief is changed by whoever may change the customer
// (see permissions.hpp); the guidance only by a manager. UsageError, nothing written, otherwise.
Edited edit(Session& s, const reps::Rep& by, const customers::Customer& customer,
            const Changes& changes);

// The customer's unmet needs as rows, in the order typed.
std::vector<Need> needs_of(Session& s, std::int64_t customer_id);

// Everything the one-page brief taken along shows: the customer, the people there, the last
// visits, what is still owed, then the brief itself.
struct Sheet {
    customers::Customer customer;
    struct Person {
        std::string name;
        std::string role;
        std::optional<std::string> title;
        std::optional<std::string> phone;
    };
    std::vector<Person> contacts;
    struct Visit {
        std::string day;
        std::string rep;
        std::string outcome;
        std::optional<std::string> contact;
        std::optional<std::string> note;
    };
    std::vector<Visit> last_visits;  // newest first, at most kLastVisits
    std::int64_t open_orders = 0;
    std::int64_t balance_cents = 0;  // still to collect on them
    Brief brief;
};
constexpr std::size_t kLastVisits = 3;

Sheet sheet(Session& s, const customers::Customer& customer, text::Day today);

}  // namespace fieldbook::negotiation
