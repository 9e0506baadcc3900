#include "store/sync/instant.hpp"

#include <chrono>
#include <cstdio>

namespace fieldbook::store::sync {
namespace {

bool is_uuid_v7(const std::string& text) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[14] != '7') return false;
    for (std::size_t i = 0; i < 13; ++i) {
        if (i == 8) continue;
        char c = text[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::int64_t utc_ms(const std::string& at_utc) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(at_utc.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6) return 0;
    using namespace std::chrono;
    auto day = sys_days(year(y) / month(static_cast<unsigned>(mo)) / static_cast<unsigned>(d));
    auto at = day + hours(h) + minutes(mi) + seconds(s);
    return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

std::int64_t instant_ms(const std::string& op_uuid, const std::string& at_utc) {
    if (!is_uuid_v7(op_uuid)) return utc_ms(at_utc);
    std::string hex = op_uuid.substr(0, 8) + op_uuid.substr(9, 4);
    return static_cast<std::int64_t>(std::stoull(hex, nullptr, 16));
}

}  // namespace fieldbook::store::sync
