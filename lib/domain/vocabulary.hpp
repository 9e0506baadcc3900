#pragma once
// The closed word lists of the domain (roles, outcomes, sources, ...), with parsing that
// names the field and the accepted words when the input is not one of them.
#include <span>
#include <string>
#include <string_view>

namespace fieldbook::vocab {

extern const std::span<const std::string_view> rep_roles;      // rep manager leader
extern const std::span<const std::string_view> contact_roles;  // gatekeeper purchaser ...
extern const std::span<const std::string_view> outcomes;       // refused < ... < order
extern const std::span<const std::string_view> visit_kinds;    // initial revisit phone ...
extern const std::span<const std::string_view> sources;        // sweep referral ...
extern const std::span<const std::string_view> statuses;       // prospect ... dormant
extern const std::span<const std::string_view> channels;       // phone email visit

// Returns the canonical word for `value` (case-insensitive, full-width tolerant, and the
// Chinese names of the words); throws UsageError "<field>: 'x' is not one of a, b, c".
std::string parse(std::string_view field, std::string_view value,
                  std::span<const std::string_view> words);

// Position of an outcome in refused < absent < contact < interest < intent < order.
int outcome_rank(std::string_view outcome);

}  // namespace fieldbook::vocab
