// fieldbook rank: where the revenue comes from (20/80).
#include <fmt/format.h>

#include <cmath>

#include "commands.hpp"
#include "domain/ranking.hpp"
#include "errors.hpp"
#include "output.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct RankOptions {
    std::string by = "revenue";
    std::optional<std::string> since, until;
};

// A bar of Unicode eighth blocks, so the curve is seen rather than read.
std::string bar(double percent, int width) {
    static constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    long eighths = std::lround(percent / 100.0 * width * 8);
    std::string out;
    for (long i = 0; i < eighths / 8; ++i) out += "█";
    out += kEighths[eighths % 8];
    return out;
}

std::string percent(double p) {
    return fmt::format("{:.1f}", p);
}

void run_customers(Context& ctx, const RankOptions& o) {
    Session& s = ctx.session();
    text::Day today = s.today();
    std::optional<text::Day> since, until;
    if (o.since) since = text::parse_day(*o.since, today, text::Toward::past, "--since");
    if (o.until) until = text::parse_day(*o.until, today, text::Toward::past, "--until");
    if (since && until && *since > *until)
        throw UsageError(fmt::format("--since {} is after --until {}", text::format_day(*since),
                                     text::format_day(*until)));
    auto pareto = ranking::customers(
        s, o.by, since, until,
        {static_cast<double>(ctx.config().abc_a), static_cast<double>(ctx.config().abc_b)});
    bool people = ctx.format() == text::Format::table;
    std::vector<text::Column> columns = {{"rank", true},  {"customer", false, 28}, {"industry"},
                                         {"owner"},       {"orders", true},        {o.by, true},
                                         {"share", true}, {"cumulative", true},    {"abc"}};
    if (people && ctx.output_is_terminal()) columns.push_back({"", false, 24});
    auto writer = ctx.row_writer();
    writer->begin(columns);
    for (auto& r : pareto.customers) {
        text::Row row = {cell(static_cast<std::int64_t>(r.rank)),
                         r.customer,
                         r.industry,
                         r.owner,
                         cell(r.orders),
                         money::format(r.value),
                         percent(r.share),
                         percent(r.cumulative),
                         std::string(1, r.abc)};
        if (columns.size() > 9) row.push_back(bar(r.share, 20));
        writer->row(row);
    }
    writer->end();
    if (pareto.customers.empty()) {
        ctx.note(since || until ? "no orders in that period" : "no orders yet");
        return;
    }
    ctx.note(fmt::format("top {:.0f}% of customers ({} of {}) bring {}% of {}", pareto.head_percent,
                         pareto.head, pareto.customers.size(), ctx.config().abc_a, o.by));
}

}  // namespace

void setup_rank(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("rank", "Rankings: which customers bring the revenue (20/80)");
    group->require_subcommand(1);
    auto customers = std::make_shared<RankOptions>();
    auto* cmd = group->add_subcommand("customers", "Pareto (ABC) analysis of customers");
    cmd->add_option("--by", customers->by, "revenue (default) or profit");
    cmd->add_option("--since", customers->since, "Orders from this day");
    cmd->add_option("--until", customers->until, "Orders up to this day");
    cmd->footer(
        "Class A: the customers that make up to abc_a% (80) of the total, B up to abc_b%\n"
        "(95), C the rest (config keys abc_a, abc_b). Ties go by name. On a terminal a bar\n"
        "shows each share.");
    cmd->callback([&ctx, customers] { run_customers(ctx, *customers); });
}

}  // namespace fieldbook::app
