#include "domain/imports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "domain/contacts.hpp"
#include "domain/customers.hpp"
#include "domain/visits.hpp"
#include "domain/vocabulary.hpp"
#include "domain/workflows/log_visit.hpp"
#include "errors.hpp"
#include "text/csv_reader.hpp"
#include "text/dates.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::imports {
namespace {

const std::vector<Column>& customer_columns() {
    static const std::vector<Column> list = {
        {"name",
         {"customer", "company", "客户", "客户名称", "公司", "公司名称", "单位", "名称"},
         true},
        {"building", {"楼宇", "大厦", "写字楼"}},
        {"floor", {"楼层"}},
        {"room", {"房间", "房号", "房间号"}},
        {"industry", {"行业"}},
        {"headcount", {"staff", "人数", "员工人数"}},
        {"office_size", {"面积", "办公面积"}},
        {"brands", {"品牌", "在用品牌"}},
        {"usage", {"用量"}},
        {"source", {"来源"}},
        {"referred_by", {"推荐人", "介绍人"}},
        {"owner", {"负责人"}},
        {"status", {"状态"}},
        {"no_solicitation", {"谢绝推销"}},
        {"notes", {"note", "备注"}},
        {"contact", {"联系人"}},
        {"contact_role", {"role", "联系人角色", "角色"}},
        {"title", {"职务"}},
        {"phone", {"电话", "联系电话", "手机"}},
        {"email", {"邮箱"}},
    };
    return list;
}

const std::vector<Column>& visit_columns() {
    static const std::vector<Column> list = {
        {"customer", {"name", "company", "客户", "客户名称", "公司", "公司名称"}, true},
        {"date", {"day", "at", "日期", "拜访日期"}, true},
        {"time", {"时间"}},
        {"rep", {"业务员", "拜访人"}},
        {"outcome", {"结果", "拜访结果"}, true},
        {"kind", {"类型", "拜访类型"}},
        {"building", {"楼宇", "大厦", "写字楼"}},
        {"floor", {"楼层"}},
        {"room", {"房间", "房号", "房间号"}},
        {"industry", {"行业"}},
        {"contact", {"联系人"}},
        {"contact_role", {"role", "联系人角色", "角色"}},
        {"title", {"职务"}},
        {"phone", {"contact_phone", "电话", "联系电话", "手机"}},
        {"email", {"contact_email", "邮箱"}},
        {"card", {"名片"}},
        {"headcount", {"人数", "员工人数"}},
        {"office_size", {"面积", "办公面积"}},
        {"brands", {"品牌", "在用品牌"}},
        {"usage", {"用量"}},
        {"note", {"notes", "备注"}},
        {"went_well", {"做得好的"}},
        {"improve", {"待改进"}},
        {"tool_feedback", {"工具反馈"}},
        {"script", {"话术"}},
        {"next", {"next_due", "下次跟进"}},
        {"next_channel", {"跟进方式"}},
        {"at_utc", {}},
    };
    return list;
}

// What `customer list`, `customer show`, `report customers`, `visit list`, `visit show` and
// `report visits` print besides the fields (in CSV, for scripts): ids of the exporting store
// and values it computes from its visits and orders. A file they wrote imports back; these
// columns are skipped, and named once.
constexpr std::string_view kCustomerDerived[] = {
    "id",     "uuid",    "visits", "first_visit", "last_visit", "best_outcome",
    "orders", "revenue", "paid",   "outstanding", "created_at", "updated_at"};
constexpr std::string_view kVisitDerived[] = {"id", "uuid", "customer_id", "created_at",
                                              "updated_at"};

// Headings compare as keys: "Office Size", "office-size" and "ＯＦＦＩＣＥ_ＳＩＺＥ" are one.
std::string heading_key(std::string_view heading) {
    std::string key = text::match_key(heading);
    for (char& c : key)
        if (c == ' ' || c == '-') c = '_';
    return key;
}

// A row's non-empty cells by field, and the fields whose cells are not valid UTF-8 (already
// reported; they are not "missing" as well).
struct Row {
    std::map<std::string, std::string, std::less<>> values;
    std::set<std::string, std::less<>> unreadable;
};

// Every problem counts; the first kProblemsKept are kept to be shown, so that a file with a
// problem on each of a million rows is reported in memory that does not grow with it.
void add_problem(Result& result, std::size_t line, std::string message) {
    ++result.problem_count;
    if (result.problems.size() < kProblemsKept)
        result.problems.push_back({line, std::move(message)});
}

// The problems of one row, each already "field: problem".
class RowCheck {
  public:
    RowCheck(std::size_t line, Result& result) : line_(line), result_(result) {}

    void add(std::string message) {
        add_problem(result_, line_, std::move(message));
        ok_ = false;
    }
    // Runs fn; a user error it throws becomes this row's problem (domain messages already
    // start with the field's name).
    template <class Fn>
    auto attempt(Fn&& fn) -> std::optional<decltype(fn())> {
        try {
            return fn();
        } catch (const SystemError&) {
            throw;
        } catch (const Error& e) {
            add(e.what());
            return std::nullopt;
        }
    }
    bool ok() const { return ok_; }

    std::size_t line() const { return line_; }

  private:
    std::size_t line_;
    Result& result_;
    bool ok_ = true;
};

std::optional<std::string> get(const Row& row, std::string_view field) {
    if (auto found = row.values.find(field); found != row.values.end()) return found->second;
    return std::nullopt;
}

// A required field's cell is empty: a problem, unless the cell held something unreadable,
// which is reported already.
void missing(RowCheck& check, const Row& row, std::string_view field, std::string_view message) {
    if (!row.unreadable.count(field)) check.add(std::string(message));
}

std::optional<std::string> text_field(RowCheck& check, const Row& row, std::string_view field) {
    auto value = get(row, field);
    if (!value) return std::nullopt;
    return check.attempt([&] { return *text::clean_text(value, field); });
}

std::optional<std::string> word(RowCheck& check, const Row& row, std::string_view field,
                                std::span<const std::string_view> words) {
    auto value = get(row, field);
    if (!value) return std::nullopt;
    return check.attempt([&] { return vocab::parse(field, *value, words); });
}

std::optional<std::int64_t> headcount(RowCheck& check, const Row& row) {
    auto value = get(row, "headcount");
    if (!value) return std::nullopt;
    auto n = text::parse_whole_number(*value);
    if (!n) {
        check.add(fmt::format("headcount: '{}' is not a whole number", *value));
        return std::nullopt;
    }
    if (!check.attempt([&] { return (customers::check_headcount(n), true); })) return std::nullopt;
    return n;
}

std::optional<bool> yes_no(RowCheck& check, const Row& row, std::string_view field) {
    auto value = get(row, field);
    if (!value) return std::nullopt;
    std::string key = text::match_key(*value);
    for (std::string_view yes : {"yes", "y", "true", "1", "是", "有"})
        if (key == yes) return true;
    for (std::string_view no : {"no", "n", "false", "0", "否", "无", "没有"})
        if (key == no) return false;
    check.add(fmt::format("{}: '{}' is not yes or no (是/否)", field, *value));
    return std::nullopt;
}

// Spreadsheets write 2026/11/26 as often as 2026-11-26, with or without leading zeros; the
// ISO form is what the date parser reads. Relative days (today, monday) are refused: a file
// read again next week must mean the same days.
std::optional<std::string> iso_date(std::string_view typed) {
    std::string key = text::match_key(typed);
    int parts[3] = {0, 0, 0};
    std::size_t pos = 0;
    char separator = 0;
    for (int i = 0; i < 3; ++i) {
        std::size_t start = pos;
        while (pos < key.size() && key[pos] >= '0' && key[pos] <= '9') ++pos;
        std::size_t digits = pos - start;
        if (digits == 0 || digits > (i == 0 ? 4u : 2u) || (i == 0 && digits != 4))
            return std::nullopt;
        std::from_chars(key.data() + start, key.data() + pos, parts[i]);
        if (i == 2) break;
        if (pos >= key.size() || (key[pos] != '-' && key[pos] != '/' && key[pos] != '.'))
            return std::nullopt;
        if (separator != 0 && key[pos] != separator) return std::nullopt;
        separator = key[pos++];
    }
    std::string rest = key.substr(pos);
    // "9:30" as Excel writes it: the hour without its leading zero.
    if (rest.size() == 5 && (rest[0] == ' ' || rest[0] == 't') && rest[2] == ':')
        rest.insert(1, "0");
    return fmt::format("{:04}-{:02}-{:02}{}", parts[0], parts[1], parts[2], rest);
}

constexpr std::string_view kDayForms = "YYYY-MM-DD or YYYY/MM/DD";
constexpr std::string_view kDateForms = "YYYY-MM-DD or YYYY/MM/DD, optionally with HH:MM";

// The shared parsers also read relative forms and say so when they fail; here only the
// calendar forms are accepted, so a failure names those. A day outside the range is said as
// the parsers say it, as for every date typed.
template <class Parse>
auto parsed(RowCheck& check, std::string_view field, std::string_view value, std::string_view forms,
            Parse&& parse) -> std::optional<decltype(parse())> {
    try {
        return parse();
    } catch (const text::DayOutOfRange& e) {
        check.add(e.what());
        return std::nullopt;
    } catch (const UsageError&) {
        check.add(fmt::format("{}: cannot read '{}' as a date ({})", field, value, forms));
        return std::nullopt;
    }
}

std::optional<text::Day> calendar_day(RowCheck& check, std::string_view field,
                                      std::string_view value, text::Day today) {
    auto iso = iso_date(value);
    if (!iso || iso->size() != 10) {
        check.add(fmt::format("{}: cannot read '{}' as a date ({})", field, value, kDayForms));
        return std::nullopt;
    }
    return parsed(check, field, value, kDayForms,
                  [&] { return text::parse_day(*iso, today, text::Toward::past, field); });
}

// The at_utc column `report visits` prints: the exact instant, whatever the time zone.
std::optional<Instant> utc_instant(RowCheck& check, std::string_view value, const Session& s) {
    Instant now = s.clock.now();
    std::string key = text::match_key(value);
    // A zone is required: without one the value would be read as local time.
    bool zoned = !key.empty() && (key.back() == 'z' ||
                                  (key.size() > 6 && key[key.size() - 3] == ':' &&
                                   (key[key.size() - 6] == '+' || key[key.size() - 6] == '-')));
    std::optional<Instant> at;
    if (zoned && key.size() > 10 && key[10] == 't') {
        try {
            at = text::parse_iso_instant(value, s.zone, "at_utc");
        } catch (const UsageError&) {
        }
    }
    if (!at) {
        check.add(fmt::format(
            "at_utc: cannot read '{}' as an instant (ISO 8601 with a zone: 2026-11-26T01:30:00Z)",
            value));
        return std::nullopt;
    }
    if (!check.attempt(
            [&] { return (text::require_in_range(text::local_day(*at, s.zone), "at_utc"), true); }))
        return std::nullopt;
    return check.attempt([&] { return text::parse_past_instant(value, now, s.zone, "at_utc"); });
}

// "9:30" as Excel writes a time: the hour without its leading zero.
std::string clock_time(std::string_view typed) {
    std::string clock = text::match_key(typed);
    if (clock.size() == 4 && clock[1] == ':') clock.insert(0, "0");
    return clock;
}

// A date (and time) beside at_utc must say the same, in this store's time zone: a row whose
// columns disagree (a hand-edited date, an export from a store in another zone) is refused
// rather than one of them silently ignored.
void check_agrees(RowCheck& check, const Row& row, Instant at, std::string_view at_utc,
                  const text::TimeZone& zone) {
    const std::string day = text::format_day(text::local_day(at, zone));
    const std::string clock = text::format_local_clock(at, zone);
    auto disagree = [&](std::string_view field, std::string_view value) {
        check.add(fmt::format("{}: '{}' contradicts at_utc {}, which is {} {} here", field, value,
                              at_utc, day, clock));
    };
    if (auto date = get(row, "date")) {
        auto iso = iso_date(*date);
        if (!iso || iso->size() < 10) {
            check.add(fmt::format("date: cannot read '{}' as a date ({})", *date, kDateForms));
            return;
        }
        if (iso->substr(0, 10) != day || (iso->size() >= 16 && iso->substr(11, 5) != clock))
            return disagree("date", *date);
    }
    if (auto time = get(row, "time"); time && clock_time(*time) != clock) disagree("time", *time);
}

// The visit's date column, with the time column when there is one. A day without a time is
// taken as midnight, so that importing the file again finds the same instant.
// An at_utc value, when there is one, is the instant, to the second; date and time beside it
// must agree with it.
std::optional<Instant> visit_instant(RowCheck& check, const Row& row, const Session& s) {
    if (auto exact = get(row, "at_utc")) {
        auto at = utc_instant(check, *exact, s);
        if (at) check_agrees(check, row, *at, *exact, s.zone);
        return at;
    }
    if (row.unreadable.count("at_utc")) return std::nullopt;
    auto date = get(row, "date");
    auto time = get(row, "time");
    if (!date) {
        missing(check, row, "date", fmt::format("date: missing ({})", kDateForms));
        return std::nullopt;
    }
    auto iso = iso_date(*date);
    if (!iso) {
        check.add(fmt::format("date: cannot read '{}' as a date ({})", *date, kDateForms));
        return std::nullopt;
    }
    std::string typed = *date;
    if (time) {
        if (iso->size() != 10) {
            check.add("time: the date column already has a time");
            return std::nullopt;
        }
        *iso += fmt::format(" {}", clock_time(*time));
        typed += fmt::format(" {}", *time);
    }
    Instant now = s.clock.now();
    if (iso->size() == 10) {
        auto day = parsed(check, "date", typed, kDateForms, [&] {
            return text::parse_day(*iso, s.today(), text::Toward::past, "date");
        });
        if (!day) return std::nullopt;
        if (*day > s.today()) {
            check.add(fmt::format("date: {} is in the future", *iso));
            return std::nullopt;
        }
        return text::local_instant(*day, 0, 0, s.zone);
    }
    auto at = parsed(check, "date", typed, kDateForms,
                     [&] { return text::parse_instant(*iso, now, s.zone, "date"); });
    if (!at) return std::nullopt;
    return check.attempt([&] { return text::parse_past_instant(*iso, now, s.zone, "date"); });
}

// The first of customers::likely_duplicates, without reading every customer for every row:
// the store's names are read once, and those the import creates join them. Only pairs that
// can look alike by customers::lookalike_reason's rules are put to it.
class Lookalikes {
  public:
    explicit Lookalikes(Session& s) : s_(s) {}

    std::optional<customers::Duplicate> first(std::string_view name,
                                              const std::optional<std::string>& building,
                                              const std::optional<std::string>& floor,
                                              const std::optional<std::string>& room) {
        auto in_room = customers::same_room(s_, name, building, floor, room);
        if (!in_room.empty()) return in_room.front();
        load();
        std::string key = text::match_key(name);
        std::string loose = text::loose_key(name);
        for (const auto& known : known_) {
            if (known.key == key || !may_look_alike(loose, known.loose)) continue;
            std::string reason = customers::lookalike_reason(loose, known.loose);
            if (reason.empty()) continue;
            if (auto c = customers::get(s_, known.id)) return customers::Duplicate{*c, reason};
        }
        return std::nullopt;
    }

    void added(const customers::Customer& c) {
        if (loaded_) known_.push_back({c.id, text::match_key(c.name), text::loose_key(c.name)});
    }

  private:
    struct Known {
        std::int64_t id;
        std::string key, loose;
    };

    void load() {
        if (loaded_) return;
        loaded_ = true;
        s_.tx().each(
            "SELECT id, name_key, loose_key FROM customer WHERE deleted_at IS NULL ORDER BY id", {},
            [&](const store::Row& row) {
                known_.push_back({row.integer("id"), row.text("name_key"), row.text("loose_key")});
            });
    }

    // A necessary condition for each of lookalike_reason's rules: equal, one part of the other,
    // or (one code point changed, added or dropped) a common start and end that leave at most
    // one code point, 4 bytes, of the longer name.
    static bool may_look_alike(std::string_view a, std::string_view b) {
        if (a.find(b) != std::string_view::npos || b.find(a) != std::string_view::npos) return true;
        std::size_t shorter = std::min(a.size(), b.size());
        std::size_t start = 0;
        while (start < shorter && a[start] == b[start]) ++start;
        std::size_t end = 0;
        while (end < shorter && a[a.size() - 1 - end] == b[b.size() - 1 - end]) ++end;
        return start + end + 4 >= std::max(a.size(), b.size());
    }

    Session& s_;
    bool loaded_ = false;
    std::vector<Known> known_;
};

// A new customer that looks like a known one is refused, as `visit add` refuses it without
// --new: the file should use the existing name.
bool refuse_lookalike(Lookalikes& lookalikes, RowCheck& check, std::string_view field,
                      const std::string& name, const std::optional<std::string>& building,
                      const std::optional<std::string>& floor,
                      const std::optional<std::string>& room) {
    auto d = lookalikes.first(name, building, floor, room);
    if (!d) return false;
    check.add(fmt::format("{}: '{}' looks like existing customer #{} {} ({})", field, name,
                          d->existing.id, d->existing.name, d->reason));
    return true;
}

// Details of the person met only make sense with the person's name. A card column saying no
// says nothing of anyone (`report visits` writes one on every row).
bool contact_details_without_contact(RowCheck& check, const Row& row) {
    if (get(row, "contact")) return false;
    for (std::string_view field : {"contact_role", "title", "phone", "email", "card"}) {
        auto value = get(row, field);
        if (value && field == "card") {
            std::string key = text::match_key(*value);
            for (std::string_view no : {"no", "n", "false", "0", "否", "无", "没有"})
                if (key == no) value.reset();
        }
        if (value) {
            check.add(
                fmt::format("{}: describes the contact met; the contact column is empty", field));
            return true;
        }
    }
    return false;
}

// A referrer named by a row, looked for once every row is in: an export lists customers by
// name, so one may come before the customer who referred it.
struct Referral {
    std::size_t line = 0;
    std::optional<std::int64_t> customer_id;  // the row's customer, when it was added
    std::string referrer;
};

void import_customer(Session& s, const Options& options, Lookalikes& lookalikes, const Row& row,
                     RowCheck& check, Result& result, std::vector<Referral>& referrals) {
    customers::CustomerFields f;
    f.name = get(row, "name");
    if (!f.name) missing(check, row, "name", "name: missing");
    f.building = text_field(check, row, "building");
    f.floor = text_field(check, row, "floor");
    f.room = text_field(check, row, "room");
    f.industry = text_field(check, row, "industry");
    f.headcount = headcount(check, row);
    f.office_size = text_field(check, row, "office_size");
    f.brands = text_field(check, row, "brands");
    f.usage = text_field(check, row, "usage");
    f.source = word(check, row, "source", vocab::sources);
    f.status = word(check, row, "status", vocab::statuses);
    f.no_solicitation = yes_no(check, row, "no_solicitation");
    f.notes = text_field(check, row, "notes");
    if (auto owner = get(row, "owner"))
        if (auto rep = check.attempt([&] { return reps::require(s, *owner, "owner"); }))
            f.owner = rep->handle;
    auto referrer = get(row, "referred_by");
    bool referrer_later = false;
    if (referrer) {
        auto known = customers::find_by_name(s, *referrer);
        if (!known)
            if (auto id = text::parse_id(*referrer)) known = customers::get(s, *id);
        if (known) {
            f.referred_by = std::to_string(known->id);
        } else {
            referrer_later = true;
            if (!f.source) f.source = "referral";
        }
    }
    bool orphan_details = contact_details_without_contact(check, row);
    contacts::ContactInput contact;
    if (auto name = get(row, "contact"); name && !orphan_details) {
        contact.name = *name;
        contact.role = word(check, row, "contact_role", vocab::contact_roles);
        contact.title = text_field(check, row, "title");
        contact.phone = get(row, "phone");
        contact.email = get(row, "email");
    }
    auto added = [&]() -> std::optional<customers::Customer> {
        if (!f.name) return std::nullopt;
        if (customers::find_by_name(s, *f.name)) {
            ++result.present;
            return std::nullopt;
        }
        if (!options.allow_lookalikes &&
            refuse_lookalike(lookalikes, check, "name", *f.name, f.building, f.floor, f.room))
            return std::nullopt;
        auto customer = check.attempt([&] { return customers::add(s, f, true); });
        if (customer) lookalikes.added(*customer);
        return customer;
    }();
    if (referrer_later)
        referrals.push_back(
            {check.line(), added ? std::optional(added->id) : std::nullopt, *referrer});
    if (added && !contact.name.empty())
        check.attempt([&] { return contacts::upsert(s, added->id, contact); });
    if (added && check.ok()) ++result.added;
}

// Each referrer the rows named that was not known when its row was read: known now (created by
// a later row), or a problem on that row.
void settle_referrals(Session& s, const std::vector<Referral>& referrals, Result& result) {
    for (const auto& referral : referrals) {
        RowCheck check(referral.line, result);
        auto known = customers::find_by_name(s, referral.referrer);
        if (!known) {
            check.add(fmt::format("referred_by: no customer named '{}'", referral.referrer));
            continue;
        }
        if (!referral.customer_id) continue;
        check.attempt([&] {
            return customers::edit(s, *referral.customer_id,
                                   {.referred_by = std::to_string(known->id)});
        });
    }
}

// A visit of the store from before this import (id up to last_before) by the same rep at the
// same customer, in the same minute, with the same outcome and note, and the same kind when
// the row gives one (without, the kind is worked out, and may come out differently the second
// time). To the minute: exports print visits' times as HH:MM, and a visit logged at 10:00:37
// must be found again when its exported row (10:00) is imported. Rows of the file never match
// each other: two calls on one day, both logged at midnight, are two visits.
bool visit_on_record(Session& s, std::int64_t last_before, std::int64_t rep_id,
                     std::int64_t customer_id, Instant at, const visits::VisitFields& f) {
    return s.tx()
        .one(
            "SELECT 1 AS found FROM visit WHERE id <= ? AND rep_id = ? AND customer_id = ? "
            "AND SUBSTR(at_utc, 1, 16) = ? AND outcome = ? AND (? IS NULL OR kind = ?) "
            "AND note IS NOT DISTINCT FROM ? AND deleted_at IS NULL LIMIT 1",
            {last_before, rep_id, customer_id, text::format_utc(at).substr(0, 16), *f.outcome,
             store::value_of(f.kind), store::value_of(f.kind), store::value_of(f.note)})
        .has_value();
}

void import_visit(Session& s, const Options& options, Lookalikes& lookalikes,
                  std::int64_t last_before, const Row& row, RowCheck& check, Result& result) {
    auto customer_name = get(row, "customer");
    if (!customer_name) missing(check, row, "customer", "customer: missing");
    std::optional<reps::Rep> rep = options.default_rep;
    if (auto handle = get(row, "rep"))
        rep = check.attempt([&] { return reps::require(s, *handle, "rep"); });
    else if (!rep)
        missing(check, row, "rep", "rep: missing (no rep column, and no acting rep to default to)");
    workflows::VisitLog log;
    visits::NewVisit& input = log.visit;
    visits::VisitFields& f = input.fields;
    f.outcome = word(check, row, "outcome", vocab::outcomes);
    if (!get(row, "outcome")) missing(check, row, "outcome", "outcome: missing");
    f.at = visit_instant(check, row, s);
    f.kind = word(check, row, "kind", vocab::visit_kinds);
    input.building = text_field(check, row, "building");
    input.floor = text_field(check, row, "floor");
    input.room = text_field(check, row, "room");
    input.industry = text_field(check, row, "industry");
    if (!contact_details_without_contact(check, row)) {
        f.contact = get(row, "contact");
        f.contact_role = word(check, row, "contact_role", vocab::contact_roles);
        f.contact_title = text_field(check, row, "title");
        f.phone = get(row, "phone");
        f.email = get(row, "email");
        f.card = yes_no(check, row, "card");
    }
    f.headcount = headcount(check, row);
    f.office_size = text_field(check, row, "office_size");
    f.brands = text_field(check, row, "brands");
    f.usage = text_field(check, row, "usage");
    f.note = text_field(check, row, "note");
    f.went_well = text_field(check, row, "went_well");
    f.improve = text_field(check, row, "improve");
    f.tool_feedback = text_field(check, row, "tool_feedback");
    f.script = text_field(check, row, "script");
    if (f.script && options.script_name)
        f.script = check.attempt([&] { return options.script_name(*f.script); });
    if (auto next = get(row, "next")) log.next = calendar_day(check, "next", *next, s.today());
    if (auto channel = word(check, row, "next_channel", vocab::channels)) {
        if (!get(row, "next")) check.add("next_channel: needs a next day in the next column");
        log.next_channel = *channel;
    }
    if (!customer_name || !rep || !f.outcome || !f.at) return;

    auto customer = customers::find_by_name(s, *customer_name);
    if (customer && visit_on_record(s, last_before, rep->id, customer->id, *f.at, f)) {
        ++result.present;
        return;
    }
    if (!customer) {
        if (!options.allow_lookalikes &&
            refuse_lookalike(lookalikes, check, "customer", *customer_name, input.building,
                             input.floor, input.room))
            return;
        customer = check.attempt([&] {
            return customers::add(s,
                                  {.name = customer_name,
                                   .building = input.building,
                                   .floor = input.floor,
                                   .room = input.room,
                                   .industry = input.industry,
                                   .owner = rep->handle},
                                  true);
        });
        if (!customer) return;
        lookalikes.added(*customer);
        ++result.customers_created;
    }
    input.customer = customer->name;
    input.customer_id = customer->id;
    input.customer_as_read = std::move(customer);
    check.attempt([&] { return workflows::write_visit(s, *rep, log); });
    if (check.ok()) ++result.added;
}

// Maps each column of the header to its field: nothing for a column read and not imported
// (an export's derived column, listed in result.skipped_columns), "" for one without a
// heading.
std::optional<std::vector<std::optional<std::string>>> read_header(Kind kind,
                                                                   const text::CsvRecord& header,
                                                                   Result& result) {
    RowCheck check(header.line, result);
    std::vector<std::optional<std::string>> fields;
    std::map<std::string, std::string, std::less<>> taken;  // field -> heading
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string& heading = header.fields[i];
        fields.emplace_back();
        if (!text::is_valid_utf8(heading)) {
            check.add(fmt::format("header: column {} is not valid UTF-8", i + 1));
            continue;
        }
        std::string key = heading_key(heading);
        if (key.empty()) {
            // Spreadsheets save columns once touched with empty headings; they may stay,
            // as long as they stay empty.
            fields.back() = std::string();
            continue;
        }
        bool derived = false;
        for (auto name : derived_columns(kind)) derived = derived || key == name;
        if (derived) {
            result.skipped_columns.push_back(heading);
            continue;
        }
        const Column* match = nullptr;
        for (const auto& column : columns(kind)) {
            if (key == column.name) match = &column;
            for (auto alias : column.aliases)
                if (key == heading_key(alias)) match = &column;
        }
        if (!match) {
            // The closest known name, when it is close enough to be a typo.
            std::string_view best;
            std::size_t best_distance = 3;
            for (const auto& column : columns(kind)) {
                std::size_t d = text::edit_distance(key, column.name);
                if (d < best_distance && d < text::codepoint_count(key)) {
                    best = column.name;
                    best_distance = d;
                }
            }
            check.add(best.empty()
                          ? fmt::format("{}: unknown column (see fieldbook-import(1))", heading)
                          : fmt::format("{}: unknown column (did you mean {}?)", heading, best));
            continue;
        }
        std::string field(match->name);
        if (auto before = taken.find(field); before != taken.end()) {
            check.add(
                fmt::format("{}: the same column as {} ({})", heading, before->second, field));
            continue;
        }
        taken.emplace(field, heading);
        fields.back() = field;
    }
    for (const auto& column : columns(kind)) {
        // at_utc, when there, stands for the date.
        bool stands_in = column.name == "date" && taken.count("at_utc");
        if (column.required && !taken.count(column.name) && !stands_in)
            check.add(fmt::format("{}: missing column (required)", column.name));
    }
    if (!check.ok()) return std::nullopt;
    return fields;
}

bool blank(const text::CsvRecord& record) {
    for (const auto& field : record.fields)
        if (!text::is_valid_utf8(field) || !text::match_key(field).empty()) return false;
    return true;
}

// Surrounding blanks are spreadsheet padding, not data; a line break inside a cell is kept
// as LF, whichever way the file ends its lines.
std::string trimmed(const std::string& value) {
    std::size_t first = value.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    std::size_t last = value.find_last_not_of(" \t");
    std::string cell;
    for (std::size_t i = first; i <= last; ++i)
        if (value[i] != '\r' || i + 1 > last || value[i + 1] != '\n') cell += value[i];
    return cell;
}

// A CSV problem as a row problem: one in a field names the field by its column's heading.
Problem csv_problem(const text::CsvError& e, const text::CsvRecord* header) {
    std::string message = e.what();
    if (auto column = e.column()) {
        const std::string* heading =
            header && *column <= header->fields.size() ? &header->fields[*column - 1] : nullptr;
        message = heading && text::is_valid_utf8(*heading) && !heading->empty()
                      ? fmt::format("{}: {}", *heading, message)
                      : fmt::format("column {}: {}", *column, message);
    }
    return {e.line(), message};
}

void import_rows(Session& s, Kind kind, const Options& options, text::CsvReader& reader,
                 const text::CsvRecord& header, Result& result) {
    auto fields = read_header(kind, header, result);
    if (!fields) return;
    // Visits already there before this import; those it adds are not matched against.
    std::int64_t last_visit =
        s.tx().one("SELECT COALESCE(MAX(id), 0) AS last FROM visit")->integer("last");
    Lookalikes lookalikes(s);
    std::vector<Referral> referrals;
    for (;;) {
        std::optional<text::CsvRecord> next;
        try {
            next = reader.next();
        } catch (const text::CsvError& e) {
            Problem p = csv_problem(e, &header);
            add_problem(result, p.line, std::move(p.message));
            break;
        }
        if (!next) break;
        const text::CsvRecord& record = *next;
        if (blank(record)) continue;
        RowCheck check(record.line, result);
        if (record.fields.size() > fields->size()) {
            bool extra_data = false;
            for (std::size_t i = fields->size(); i < record.fields.size(); ++i)
                extra_data = extra_data || !trimmed(record.fields[i]).empty();
            if (extra_data) {
                check.add(fmt::format("row: {} fields, the header has {}", record.fields.size(),
                                      fields->size()));
                continue;
            }
        } else if (record.fields.size() < fields->size()) {
            check.add(fmt::format("row: {} fields, the header has {}", record.fields.size(),
                                  fields->size()));
            continue;
        }
        Row row;
        for (std::size_t i = 0; i < fields->size(); ++i) {
            const auto& field = (*fields)[i];
            if (!field) continue;
            if (field->empty()) {
                if (!trimmed(record.fields[i]).empty())
                    check.add(
                        fmt::format("row: a value in column {}, which has no heading", i + 1));
                continue;
            }
            if (!text::is_valid_utf8(record.fields[i])) {
                check.add(fmt::format("{}: not valid UTF-8", *field));
                row.unreadable.insert(*field);
                continue;
            }
            std::string value = trimmed(record.fields[i]);
            if (!text::match_key(value).empty()) row.values.emplace(*field, std::move(value));
        }
        if (kind == Kind::customers)
            import_customer(s, options, lookalikes, row, check, result, referrals);
        else
            import_visit(s, options, lookalikes, last_visit, row, check, result);
    }
    settle_referrals(s, referrals, result);
    // Referrals are settled last; the problems are shown in the order of the file's lines.
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
}

}  // namespace

std::span<const Column> columns(Kind kind) {
    return kind == Kind::customers ? customer_columns() : visit_columns();
}

std::span<const std::string_view> derived_columns(Kind kind) {
    if (kind == Kind::customers) return kCustomerDerived;
    return kVisitDerived;
}

Result run(Session& s, Kind kind, std::istream& data, const Options& options) {
    Result result;
    text::CsvReader reader(data);
    std::optional<text::CsvRecord> header;
    try {
        header = reader.next();
    } catch (const text::CsvError& e) {
        Problem p = csv_problem(e, nullptr);
        add_problem(result, p.line, std::move(p.message));
        return result;
    }
    if (!header) {
        add_problem(result, 1, "header: the file is empty");
        return result;
    }
    // One transaction writes every row. With SQLite's default 2 MB page cache the pages it
    // touches spill and are read back again and again (60,000 visits: 3 minutes); 32 MB holds
    // them (40 s). A fixed amount, whatever the file's size.
    s.store.prepare_for_bulk_write();
    s.store.write_if([&] {
        import_rows(s, kind, options, reader, *header, result);
        return result.problem_count == 0 && !options.dry_run;
    });
    return result;
}

Result run(Session& s, Kind kind, std::string_view data, const Options& options) {
    std::istringstream in{std::string(data)};
    return run(s, kind, in, options);
}

}  // namespace fieldbook::imports
