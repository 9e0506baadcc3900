#include "domain/scripts.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

#include <set>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::scripts {
namespace {

bool is_han(utf8proc_int32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

bool is_word_character(utf8proc_int32_t c) {
    if (c < 0x80) return std::isalnum(c) != 0 || c == '\'';
    auto category = utf8proc_category(c);
    return !is_han(c) && (category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LL ||
                          category == UTF8PROC_CATEGORY_ND);
}

constexpr std::string_view kLanguages[] = {"zh", "en"};
constexpr std::string_view kSituations[] = {"first-visit", "revisit", "referral",
                                            "phone-follow-up"};

template <class Words>
bool one_of(std::string_view value, const Words& words) {
    for (auto w : words)
        if (w == value) return true;
    return false;
}

}  // namespace

Estimate estimate(const Script& script, const Rates& rates) {
    Estimate e;
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(script.text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(script.text.size());
    bool in_word = false;
    while (left > 0) {
        utf8proc_int32_t c = 0;
        utf8proc_ssize_t n = utf8proc_iterate(bytes, left, &c);
        if (n <= 0) break;
        bytes += n;
        left -= n;
        if (is_han(c)) {
            ++e.han_characters;
            in_word = false;
        } else if (is_word_character(c)) {
            if (!in_word) ++e.latin_words;
            in_word = true;
        } else {
            in_word = false;
        }
    }
    std::int64_t chars_rate = rates.chars_per_minute, words_rate = rates.words_per_minute;
    if (script.rate) (script.language == "zh" ? chars_rate : words_rate) = *script.rate;
    e.seconds = static_cast<double>(e.han_characters) * 60.0 / static_cast<double>(chars_rate) +
                static_cast<double>(e.latin_words) * 60.0 / static_cast<double>(words_rate);
    e.over_limit = e.seconds > static_cast<double>(script.limit_seconds);
    return e;
}

std::vector<Script> parse(const templates::Source& source) {
    toml::table root = templates::parse(source);
    templates::check_keys(source, root, {"script"});
    const toml::array* list = root["script"].as_array();
    if (list == nullptr || list->empty())
        templates::fail(source, root.source(), "no [[script]] tables");
    std::vector<Script> scripts;
    std::set<std::string> names;
    for (const toml::node& node : *list) {
        const toml::table* t = node.as_table();
        if (t == nullptr)
            templates::fail(source, node.source(), "script must be a [[script]] table");
        templates::check_keys(
            source, *t,
            {"name", "title", "language", "situation", "limit_seconds", "rate", "text"});
        Script s;
        s.name = templates::required_text(source, *t, "name");
        s.title = templates::optional_text(source, *t, "title").value_or(s.name);
        s.language = templates::optional_text(source, *t, "language").value_or("zh");
        s.situation = templates::optional_text(source, *t, "situation").value_or("first-visit");
        s.text = templates::required_text(source, *t, "text");
        auto at = [&](std::string_view key) { return t->get(key)->source(); };
        if (s.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
            templates::fail(
                source, at("name"),
                fmt::format("name '{}' must be lowercase letters, digits and '-'", s.name));
        if (!names.insert(s.name).second)
            templates::fail(source, at("name"), fmt::format("duplicate script name '{}'", s.name));
        if (!one_of(s.language, kLanguages))
            templates::fail(source, at("language"),
                            fmt::format("language '{}' is not zh or en", s.language));
        if (!one_of(s.situation, kSituations))
            templates::fail(source, at("situation"),
                            fmt::format("situation '{}' is not one of first-visit, revisit, "
                                        "referral, phone-follow-up",
                                        s.situation));
        if (auto limit = templates::optional_integer(source, *t, "limit_seconds")) {
            if (*limit < 5 || *limit > 600)
                templates::fail(source, at("limit_seconds"),
                                "limit_seconds must be between 5 and 600");
            s.limit_seconds = *limit;
        }
        if (auto rate = templates::optional_integer(source, *t, "rate")) {
            if (*rate < 30 || *rate > 600)
                templates::fail(source, at("rate"), "rate must be between 30 and 600 a minute");
            s.rate = *rate;
        }
        // TOML's line-ending backslash leaves the text's own first newline; trim the edges.
        while (!s.text.empty() && (s.text.back() == '\n' || s.text.back() == ' '))
            s.text.pop_back();
        while (!s.text.empty() && (s.text.front() == '\n' || s.text.front() == ' '))
            s.text.erase(0, 1);
        s.text = text::nfc(s.text);
        scripts.push_back(std::move(s));
    }
    return scripts;
}

const Script& find(const std::vector<Script>& scripts, std::string_view name) {
    std::string key = text::match_key(name);
    for (const auto& s : scripts)
        if (s.name == key) return s;
    std::string known;
    for (const auto& s : scripts) known += (known.empty() ? "" : ", ") + s.name;
    throw UsageError(fmt::format("script: no script named '{}' (known: {})", name, known));
}

}  // namespace fieldbook::scripts
