#include "text/wrap.hpp"

#include <utf8proc.h>

#include "text/unicode.hpp"

namespace fieldbook::text {
namespace {

bool closing_punctuation(utf8proc_int32_t c) {
    static constexpr std::u32string_view kClosing = U"，。、；：！？）」』】》〉”’…—,.;:!?)]}%";
    return kClosing.find(static_cast<char32_t>(c)) != std::u32string_view::npos;
}

bool wide(utf8proc_int32_t c) {
    return utf8proc_charwidth(c) >= 2;
}

// Breakable pieces: a wide character, a run of narrow non-space characters, or a space.
std::vector<std::string> pieces(std::string_view line) {
    std::vector<std::string> out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(line.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(line.size());
    bool in_word = false;
    while (left > 0) {
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
        if (n <= 0) {  // a stray byte stands for itself, as one narrow character
            n = 1;
            c = 0xFFFD;
        }
        std::string piece(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
        left -= n;
        bool joins = !out.empty() && (closing_punctuation(c) || utf8proc_charwidth(c) == 0 ||
                                      (in_word && c != ' ' && !wide(c)));
        if (joins) {
            out.back() += piece;
        } else {
            out.push_back(piece);
        }
        if (utf8proc_charwidth(c) > 0 || c == ' ') in_word = c != ' ' && !wide(c);
    }
    return out;
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, int width) {
    std::vector<std::string> lines;
    if (width < 2) width = 2;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view paragraph = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        std::string line;
        int used = 0;
        for (const std::string& piece : pieces(paragraph)) {
            int w = display_width(piece);
            if (used + w > width && !line.empty()) {
                while (!line.empty() && line.back() == ' ') line.pop_back();
                lines.push_back(line);
                line.clear();
                used = 0;
                if (piece == " ") continue;
            }
            line += piece;
            used += w;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        lines.push_back(line);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return lines;
}

}  // namespace fieldbook::text
