// fieldbook visit script: the opening scripts, and whether each fits its minute.
#include <fmt/format.h>

#include <cmath>

#include "commands.hpp"
#include "errors.hpp"
#include "output.hpp"
#include "templates.hpp"
#include "text/wrap.hpp"

namespace fieldbook::app {
namespace {

struct ScriptOptions {
    std::string name;
    bool check = false;
};

scripts::Rates rates(Context& ctx) {
    return {.chars_per_minute = ctx.config().chars_per_minute,
            .words_per_minute = ctx.config().words_per_minute};
}

std::string seconds(double s) {
    return std::to_string(static_cast<long>(std::lround(s)));
}

void print_one(Context& ctx, const scripts::Script& s, const scripts::Estimate& e) {
    if (ctx.format() != render::Format::table) {
        print_record(ctx, {{{"name"}, s.name},
                           {{"title"}, s.title},
                           {{"language"}, s.language},
                           {{"situation"}, s.situation},
                           {{"characters", true}, cell(e.han_characters)},
                           {{"words", true}, cell(e.latin_words)},
                           {{"estimated_seconds", true}, seconds(e.seconds)},
                           {{"limit_seconds", true}, cell(s.limit_seconds)},
                           {{"over_limit"}, cell(e.over_limit)},
                           {{"text"}, s.text}});
        return;
    }
    int width = std::min(ctx.text_width(), 100);
    std::string heading = fmt::format("{}: {} ({}, {})\nabout {} s of {} s{}\n", s.name, s.title,
                                      s.language, s.situation, seconds(e.seconds), s.limit_seconds,
                                      e.over_limit ? " — OVER THE LIMIT" : "");
    for (const std::string& line : text::wrap(heading + "\n" + s.text, width))
        ctx.out << line << '\n';
}

void run_script(Context& ctx, const ScriptOptions& o) {
    auto all = load_scripts(ctx);
    if (!o.name.empty() && !o.check) {
        const auto& s = scripts::find(all, o.name);
        print_one(ctx, s, scripts::estimate(s, rates(ctx)));
        return;
    }
    auto writer = ctx.row_writer();
    writer->begin({{"name"},
                   {"title"},
                   {"language"},
                   {"situation"},
                   {"characters", true},
                   {"words", true},
                   {"estimated_seconds", true},
                   {"limit_seconds", true},
                   {"status"}});
    std::vector<std::string> over;
    for (const auto& s : all) {
        if (!o.name.empty() && s.name != scripts::find(all, o.name).name) continue;
        auto e = scripts::estimate(s, rates(ctx));
        if (e.over_limit)
            over.push_back(fmt::format("'{}' runs about {} s, over its {} s limit", s.name,
                                       seconds(e.seconds), s.limit_seconds));
        writer->row({s.name, s.title, s.language, s.situation, cell(e.han_characters),
                     cell(e.latin_words), seconds(e.seconds), cell(s.limit_seconds),
                     std::string(e.over_limit ? "over" : "ok")});
    }
    writer->end();
    if (o.check && !over.empty()) {
        std::string list;
        for (auto& line : over) list += "\n  " + line;
        throw UsageError(
            fmt::format("{} script(s) too long to speak in time:{}", over.size(), list),
            "shorten them in scripts.toml (see fieldbook-config(5))");
    }
}

}  // namespace

void add_script_command(CLI::App& visit, Context& ctx) {
    auto o = std::make_shared<ScriptOptions>();
    auto* cmd = visit.add_subcommand(
        "script", "Show an opening script with its speaking time, or list them all");
    cmd->add_option("name", o->name, "Script name, e.g. first-visit (none: list them all)");
    cmd->add_flag("--check", o->check,
                  "List every script with its estimate; exit 2 if any runs over its limit");
    cmd->footer(
        "Chinese is timed by characters, other text by words, at the script's own rate or the\n"
        "config's chars_per_minute (220) and words_per_minute (150).\n\n"
        "Examples:\n  fieldbook visit script first-visit\n  fieldbook visit script --check");
    cmd->callback([&ctx, o] { run_script(ctx, *o); });
}

}  // namespace fieldbook::app
