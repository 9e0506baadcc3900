#include "store/location.hpp"

namespace fieldbook::store {

bool is_server_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redacted(std::string_view location) {
    if (!is_server_url(location)) return std::string(location);
    std::string url(location);
    // user:password@ in the authority (between "//" and the first '/', '?' or end).
    std::size_t start = url.find("//") + 2;
    std::size_t end = url.find_first_of("/?", start);
    if (end == std::string::npos) end = url.size();
    std::size_t at = url.rfind('@', end);
    if (at != std::string::npos && at >= start) {
        std::size_t colon = url.find(':', start);
        if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
    }
    // password=… among the parameters.
    for (std::size_t p = url.find('?'); p != std::string::npos; p = url.find('&', p + 1)) {
        if (url.compare(p + 1, 9, "password=") != 0) continue;
        std::size_t value = p + 10;
        std::size_t stop = url.find('&', value);
        url.replace(value, (stop == std::string::npos ? url.size() : stop) - value, "***");
    }
    return url;
}

std::string redacted_argument(std::string_view argument) {
    for (std::string_view scheme : {"postgresql://", "postgres://"}) {
        std::size_t at = argument.find(scheme);
        if (at != std::string_view::npos)
            return std::string(argument.substr(0, at)) + redacted(argument.substr(at));
    }
    return std::string(argument);
}

}  // namespace fieldbook::store
