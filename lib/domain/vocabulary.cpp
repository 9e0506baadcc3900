#include "domain/vocabulary.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <utility>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::vocab {
namespace {

constexpr std::array<std::string_view, 3> kRepRoles{"rep", "manager", "leader"};
constexpr std::array<std::string_view, 5> kContactRoles{"gatekeeper", "purchaser", "decision-maker",
                                                        "inside", "other"};
constexpr std::array<std::string_view, 6> kOutcomes{"refused",  "absent", "contact",
                                                    "interest", "intent", "order"};
constexpr std::array<std::string_view, 6> kVisitKinds{"initial", "revisit",     "phone",
                                                      "email",   "negotiation", "after-sales"};
constexpr std::array<std::string_view, 6> kSources{"sweep", "referral", "directory",
                                                   "web",   "press",    "other"};
constexpr std::array<std::string_view, 7> kStatuses{
    "prospect", "contacted", "interested", "negotiating", "customer", "lost", "dormant"};
constexpr std::array<std::string_view, 3> kChannels{"phone", "email", "visit"};

// Chinese words a rep is likely to type for the same thing.
constexpr std::array<std::pair<std::string_view, std::string_view>, 41> kChinese{{
    {"业务员", "rep"},
    {"经理", "manager"},
    {"领导", "leader"},
    {"前台", "gatekeeper"},
    {"采购", "purchaser"},
    {"决策人", "decision-maker"},
    {"内线", "inside"},
    {"其他", "other"},
    {"拒绝", "refused"},
    {"不在", "absent"},
    {"接触", "contact"},
    {"有兴趣", "interest"},
    {"意向", "intent"},
    {"下单", "order"},
    {"初访", "initial"},
    {"回访", "revisit"},
    {"电话", "phone"},
    {"邮件", "email"},
    {"谈判", "negotiation"},
    {"售后", "after-sales"},
    {"扫楼", "sweep"},
    {"转介绍", "referral"},
    {"名录", "directory"},
    {"网络", "web"},
    {"媒体", "press"},
    {"潜在客户", "prospect"},
    {"已接触", "contacted"},
    {"有意向", "interested"},
    {"洽谈中", "negotiating"},
    {"客户", "customer"},
    {"流失", "lost"},
    {"休眠", "dormant"},
    {"拜访", "visit"},
    {"自评", "self-review"},
    {"工具反馈", "tool-feedback"},
    {"想法", "idea"},
    {"分享", "sharing"},
    {"日常", "daily"},
    {"表扬", "commend"},
    {"辅导", "coach"},
    {"警告", "warn"},
}};

}  // namespace

const std::span<const std::string_view> rep_roles{kRepRoles};
const std::span<const std::string_view> contact_roles{kContactRoles};
const std::span<const std::string_view> outcomes{kOutcomes};
const std::span<const std::string_view> visit_kinds{kVisitKinds};
const std::span<const std::string_view> sources{kSources};
const std::span<const std::string_view> statuses{kStatuses};
const std::span<const std::string_view> channels{kChannels};

std::string parse(std::string_view field, std::string_view value,
                  std::span<const std::string_view> words) {
    std::string key = text::match_key(value);
    for (auto& [chinese, word] : kChinese)
        if (key == chinese) key = word;
    for (auto word : words)
        if (key == word) return std::string(word);
    throw UsageError(
        fmt::format("{}: '{}' is not one of {}", field, value, fmt::join(words, ", ")));
}

int outcome_rank(std::string_view outcome) {
    for (std::size_t i = 0; i < kOutcomes.size(); ++i)
        if (kOutcomes[i] == outcome) return static_cast<int>(i);
    return -1;
}

}  // namespace fieldbook::vocab
