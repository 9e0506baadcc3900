#include "templates/nesting.hpp"

namespace fieldbook::templates {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// What ends a bare key. Anything else (letters, digits, - and _, and bytes the parser will
// reject) is taken as part of one, so a key part is never missed.
bool ends_bare_key(char c) {
    return std::string_view(" \t\r\n=.[]{},#\"'").find(c) != std::string_view::npos;
}

// What ends a bare value (number, boolean, date and time). Not a space: "1979-05-27 07:32:00"
// is one value.
bool ends_bare_value(char c) {
    return std::string_view("\r\n[]{},#\"'").find(c) != std::string_view::npos;
}

// A recursive descent over the shapes that nest: [headers], dotted keys, arrays and inline
// tables. Recursion stops at the first place deeper than the limit, so it is as shallow as the
// limit. Every loop consumes at least one byte per turn, so any text ends the scan.
class Scan {
  public:
    Scan(std::string_view text, std::size_t limit) : text_(text), limit_(limit) {}

    std::optional<TextPosition> run() {
        // The parser skips a byte order mark; columns do not count it.
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
        while (!stopped()) {
            skip_space_and_comments();
            if (stopped()) break;
            const std::size_t before = at_;
            if (is('[')) {
                header();
            } else {
                key_value(table_depth_);
            }
            if (at_ == before) advance();  // a byte no rule takes: the parser rejects it
        }
        return excess_;
    }

  private:
    bool stopped() const { return excess_.has_value() || at_ >= text_.size(); }
    bool is(char c, std::size_t ahead = 0) const {
        return at_ + ahead < text_.size() && text_[at_ + ahead] == c;
    }

    void advance() {
        const char c = text_[at_++];
        if (c == '\n') {
            ++line_;
            column_ = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column_;  // a lead byte: continuation bytes belong to the same character
        }
    }

    // Deeper than the limit: the scan stops here and reports this place.
    void enter(std::size_t depth) {
        if (depth > limit_ && !excess_) excess_ = TextPosition{line_, column_};
    }

    void skip_blanks() {
        while (at_ < text_.size() && is_blank(text_[at_])) advance();
    }

    // Blank space, line breaks and comments. TOML allows line breaks only between statements
    // and inside arrays; where they are not allowed the parser stops, so the scan need not.
    void skip_space_and_comments() {
        while (at_ < text_.size()) {
            const char c = text_[at_];
            if (is_blank(c) || c == '\n' || c == '\r') {
                advance();
            } else if (c == '#') {
                while (at_ < text_.size() && text_[at_] != '\n') advance();
            } else {
                break;
            }
        }
    }

    // [a.b] or [[a.b]]: the keys that follow are under a.b; an array of tables is one level
    // more. A header's key passing through an earlier [[array]] is not counted again, so a
    // file can nest at most about twice the limit, which is still shallow.
    void header() {
        advance();
        std::size_t depth = 0;
        if (is('[')) {
            advance();
            enter(++depth);
        }
        table_depth_ = key(depth);
        skip_blanks();
        for (int closing = 0; closing < 2 && is(']'); ++closing) advance();
    }

    // a.b."c.d".'e' -> four parts, each one level.
    std::size_t key(std::size_t depth) {
        while (!stopped()) {
            skip_blanks();
            if (at_ >= text_.size()) break;
            const char c = text_[at_];
            if (c == '"' || c == '\'') {
                enter(++depth);
                if (stopped()) break;
                string();
            } else if (!ends_bare_key(c)) {
                enter(++depth);
                if (stopped()) break;
                while (at_ < text_.size() && !ends_bare_key(text_[at_])) advance();
            } else {
                break;
            }
            skip_blanks();
            if (!is('.')) break;
            advance();
        }
        return depth;
    }

    void key_value(std::size_t depth) {
        depth = key(depth);
        skip_blanks();
        if (stopped() || !is('=')) return;
        advance();
        value(depth);
    }

    void value(std::size_t depth) {
        skip_blanks();
        if (at_ >= text_.size()) return;
        const char c = text_[at_];
        if (c == '"' || c == '\'') {
            string();
        } else if (c == '[') {
            array(depth);
        } else if (c == '{') {
            inline_table(depth);
        } else {
            while (at_ < text_.size() && !ends_bare_value(text_[at_])) advance();
        }
    }

    void array(std::size_t depth) {
        enter(++depth);
        advance();
        while (!stopped()) {
            skip_space_and_comments();
            if (at_ >= text_.size()) break;
            if (is(']')) {
                advance();
                break;
            }
            const std::size_t before = at_;
            if (is(',')) {
                advance();
            } else {
                value(depth);
            }
            if (at_ == before) advance();
        }
    }

    void inline_table(std::size_t depth) {
        enter(++depth);
        advance();
        while (!stopped()) {
            skip_space_and_comments();
            if (at_ >= text_.size()) break;
            if (is('}')) {
                advance();
                break;
            }
            const std::size_t before = at_;
            if (is(',')) {
                advance();
            } else {
                key_value(depth);
            }
            if (at_ == before) advance();
        }
    }

    // From the opening quote to past the closing one (or the end of the line, for a string
    // left open: the parser reports that). Basic strings ("...", """...""") have backslash
    // escapes; literal ones ('...', '''...''') do not.
    void string() {
        const char quote = text_[at_];
        const bool escapes = quote == '"';
        if (is(quote, 1) && is(quote, 2)) {
            for (int i = 0; i < 3; ++i) advance();
            while (at_ < text_.size()) {
                if (escapes && is('\\')) {
                    advance();
                    if (at_ < text_.size()) advance();
                } else if (is(quote)) {
                    // Up to two quotes of content may come right before the closing three.
                    std::size_t run = 0;
                    while (is(quote)) {
                        advance();
                        ++run;
                    }
                    if (run >= 3) return;
                } else {
                    advance();
                }
            }
            return;
        }
        advance();
        while (at_ < text_.size() && !is('\n')) {
            if (escapes && is('\\')) {
                advance();
                if (at_ < text_.size() && !is('\n')) advance();
                continue;
            }
            const bool closing = is(quote);
            advance();
            if (closing) return;
        }
    }

    std::string_view text_;
    std::size_t limit_;
    std::size_t at_ = 0;
    std::size_t line_ = 1, column_ = 1;
    std::size_t table_depth_ = 0;  // levels of the table the last [header] opened
    std::optional<TextPosition> excess_;
};

}  // namespace

std::optional<TextPosition> find_excess_nesting(std::string_view toml, std::size_t limit) {
    return Scan(toml, limit).run();
}

}  // namespace fieldbook::templates
