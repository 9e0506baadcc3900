#include "domain/negotiation_brief.hpp"

#include <fmt/format.h>

#include "domain/contacts.hpp"
#include "domain/orders.hpp"
#include "domain/permissions.hpp"
#include "domain/visits.hpp"
#include "errors.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::negotiation {

const std::array<SectionInfo, 9> kSections = {{
    {Section::concerns, "concerns", "--concerns", "客户顾虑 Concerns"},
    {Section::can_concede, "can_concede", "--can-concede", "可让步 Can concede"},
    {Section::cannot_concede, "cannot_concede", "--cannot-concede", "底线 Cannot concede"},
    {Section::strengths, "strengths", "--strengths", "我方优势 Strengths"},
    {Section::weaknesses, "weaknesses", "--weaknesses", "我方劣势 Weaknesses"},
    {Section::guidance, "guidance", "--guidance", "经理指导 Manager's guidance"},
    {Section::resources, "resources", "--resources", "可用资源 Resources"},
    {Section::team, "team", "--team", "谈判人员 Team"},
    {Section::unmet_needs, "unmet_needs", "--unmet-needs", "暂不能满足的需求 Unmet needs"},
}};

namespace {

constexpr std::int64_t kMaxVolume = 1'000'000'000;

bool starts_with_space(std::string_view s) {
    return !s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.starts_with("\u3000"));
}

std::string_view trim(std::string_view s) {
    for (;;) {
        if (s.starts_with("\u3000")) {
            s.remove_prefix(3);
        } else if (starts_with_space(s)) {
            s.remove_prefix(1);
        } else if (s.ends_with("\u3000")) {
            s.remove_suffix(3);
        } else if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
            s.remove_suffix(1);
        } else {
            return s;
        }
    }
}

// The digit that ends s (ASCII or full-width), and how many bytes it takes.
std::optional<std::pair<char, std::size_t>> last_digit(std::string_view s) {
    if (!s.empty() && s.back() >= '0' && s.back() <= '9') return std::pair{s.back(), 1};
    // U+FF10..U+FF19 are EF BC 90..99.
    if (s.size() >= 3 && static_cast<unsigned char>(s[s.size() - 3]) == 0xEF &&
        static_cast<unsigned char>(s[s.size() - 2]) == 0xBC) {
        auto last = static_cast<unsigned char>(s.back());
        if (last >= 0x90 && last <= 0x99)
            return std::pair{static_cast<char>('0' + (last - 0x90)), std::size_t{3}};
    }
    return std::nullopt;
}

Need parse_need(std::string_view typed) {
    std::string_view rest = trim(typed);
    std::string digits;
    while (auto d = last_digit(rest)) {
        digits.insert(digits.begin(), d->first);
        rest.remove_suffix(d->second);
    }
    std::string_view before_digits = trim(rest);
    if (!digits.empty()) {
        for (std::string_view mark : {"×", "x", "X", "*", "＊", "ｘ", "Ｘ", "✕"}) {
            if (!before_digits.ends_with(mark)) continue;
            std::string_view item =
                trim(before_digits.substr(0, before_digits.size() - mark.size()));
            if (item.empty())
                throw UsageError(fmt::format("--unmet-needs: '{}' gives a volume but no item",
                                             text::printable(trim(typed))));
            if (digits.size() > 10 || std::stoll(digits) > kMaxVolume)
                throw UsageError(fmt::format("--unmet-needs: volume {} of {} is over {}", digits,
                                             item, kMaxVolume));
            return {std::string(item), std::stoll(digits)};
        }
    }
    return {std::string(trim(typed)), std::nullopt};
}

Brief read(const store::Row& row) {
    Brief b;
    b.id = row.integer("id");
    b.customer_id = row.integer("customer_id");
    for (std::size_t i = 0; i < kSections.size(); ++i)
        b.text[i] = row.optional_text(kSections[i].column);
    b.updated_at = row.text("updated_at");
    return b;
}

}  // namespace

std::vector<Need> parse_needs(std::string_view typed) {
    // Every separator becomes ';', then the list is split on it.
    std::string list(typed);
    for (std::string_view separator : {"；", "、", "\n"}) {
        for (auto at = list.find(separator); at != std::string::npos;
             at = list.find(separator, at + 1))
            list.replace(at, separator.size(), ";");
    }
    std::vector<Need> needs;
    std::size_t start = 0;
    for (;;) {
        auto end = list.find(';', start);
        std::string_view piece =
            std::string_view(list).substr(start, end == std::string::npos ? end : end - start);
        if (!trim(piece).empty()) needs.push_back(parse_need(piece));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return needs;
}

Brief get(Session& s, std::int64_t customer_id) {
    // One live brief per customer; should two devices each have started one, the first counts.
    if (auto row = s.tx().one(
            "SELECT * FROM negotiation_brief WHERE customer_id = ? AND deleted_at IS NULL "
            "ORDER BY id LIMIT 1",
            {customer_id}))
        return read(*row);
    Brief none;
    none.customer_id = customer_id;
    return none;
}

std::vector<Need> needs_of(Session& s, std::int64_t customer_id) {
    std::vector<Need> needs;
    s.tx().each(
        "SELECT item, volume FROM unmet_need WHERE customer_id = ? AND deleted_at IS NULL "
        "ORDER BY id",
        {customer_id}, [&](const store::Row& row) {
            needs.push_back({row.text("item"), row.optional_integer("volume")});
        });
    return needs;
}

Edited edit(Session& s, const reps::Rep& by, const customers::Customer& customer,
            const Changes& changes) {
    store::Tx& tx = s.tx();
    Brief before = get(s, customer.id);
    bool sets_guidance = false;
    bool sets_others = false;
    store::Fields set;
    Edited result;
    std::optional<std::vector<Need>> needs;  // when the list changes
    for (std::size_t i = 0; i < kSections.size(); ++i) {
        if (!changes[i]) continue;
        const SectionInfo& info = kSections[i];
        (info.section == Section::guidance ? sets_guidance : sets_others) = true;
        std::optional<std::string> value = text::clean_input(*changes[i], info.flag);
        if (text::match_key(*value).empty()) value.reset();  // "" clears the section
        if (value == before.text[i]) continue;
        if (info.section == Section::unmet_needs)
            needs = value ? parse_needs(*value) : std::vector<Need>{};
        set.emplace_back(std::string(info.column), store::value_of(value));
        result.changed.push_back(info.column);
    }
    // Asked of what is given, changed or not, so that the refusal does not depend on the
    // brief's current text.
    if (sets_others) customers::require_may_change(s, by, "customer prep", customer);
    if (sets_guidance)
        permissions::require(s, by,
                             {.action = "customer prep",
                              .kind = permissions::Kind::manager_note,
                              .record = "write the manager's guidance in a negotiation brief"});
    if (set.empty()) {
        result.brief = before;
        return result;
    }
    if (before.id == 0) {
        store::Fields fields{{"customer_id", customer.id}};
        for (auto& f : set)
            if (!store::is_null(f.second)) fields.push_back(f);
        tx.insert("negotiation_brief", fields);
    } else {
        tx.update("negotiation_brief", before.id, set);
    }
    if (needs) {
        // The list replaces the customer's needs: those typed before are tombstoned (undo
        // brings them back), the new ones inserted in the order typed.
        std::vector<std::int64_t> old;
        tx.each("SELECT id FROM unmet_need WHERE customer_id = ? AND deleted_at IS NULL",
                {customer.id}, [&](const store::Row& row) { old.push_back(row.integer("id")); });
        for (auto id : old) tx.tombstone("unmet_need", id);
        for (const auto& need : *needs)
            tx.insert("unmet_need", {{"customer_id", customer.id},
                                     {"item", need.item},
                                     {"item_key", text::match_key(need.item)},
                                     {"volume", store::value_of(need.volume)}});
    }
    result.brief = get(s, customer.id);
    return result;
}

Sheet sheet(Session& s, const customers::Customer& customer, text::Day today) {
    Sheet out{.customer = customer};
    for (auto& c : contacts::for_customer(s, customer.id))
        out.contacts.push_back({c.name, c.role, c.title, c.phone});
    visits::list(s, {.customer_id = customer.id, .limit = static_cast<std::int64_t>(kLastVisits)},
                 [&](const visits::Visit& v) {
                     out.last_visits.push_back({v.day, v.rep, v.outcome, v.contact, v.note});
                 });
    orders::list(s, {.open_only = true, .customer_id = customer.id, .today = today},
                 [&](const orders::Order& o) {
                     ++out.open_orders;
                     out.balance_cents += o.outstanding;
                 });
    out.brief = get(s, customer.id);
    return out;
}

}  // namespace fieldbook::negotiation
