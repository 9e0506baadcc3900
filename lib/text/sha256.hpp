#pragma once
#include <string>
#include <string_view>

namespace fieldbook::text {

// Lowercase hex SHA-256 (OpenSSL), the fingerprint of an archived summary.
std::string sha256_hex(std::string_view data);

}  // namespace fieldbook::text
