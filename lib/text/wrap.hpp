#pragma once
// Wrapping prose to a terminal's width, Chinese and Latin mixed.
#include <string>
#include <string_view>
#include <vector>

namespace fieldbook::text {

// Lines of at most `width` columns. Latin words break at spaces; Chinese may break between
// any two characters, except that closing punctuation (，。、！？） and the like) never starts a
// line. Existing line breaks are kept. A single word wider than the line stands alone.
std::vector<std::string> wrap(std::string_view text, int width);

}  // namespace fieldbook::text
