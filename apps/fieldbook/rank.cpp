// fieldbook rank: where the revenue comes from (20/80), which prospect to chase first, and
// which rep fits which industry.
#include <fmt/format.h>

#include <cmath>

#include "commands.hpp"
#include "domain/customers.hpp"
#include "domain/prospect_priority.hpp"
#include "domain/ranking.hpp"
#include "domain/rep_fit.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "text/dates.hpp"
#include "text/unicode.hpp"

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

void run_customers(Context& ctx, const RankOptions& o) {
    Session& s = ctx.session();
    auto [since, until] = text::parse_period(o.since, o.until, s.today());
    auto pareto = ranking::customers(
        s, o.by, since, until,
        {static_cast<double>(ctx.config().abc_a), static_cast<double>(ctx.config().abc_b)});
    bool people = ctx.format() == render::Format::table;
    std::vector<render::Column> columns = {{"rank", true},  {"customer", false, 28}, {"industry"},
                                           {"owner"},       {"orders", true},        {o.by, true},
                                           {"share", true}, {"cumulative", true},    {"abc"}};
    if (people && ctx.output_is_terminal()) columns.push_back({"", false, 24});
    auto writer = ctx.row_writer();
    writer->begin(columns);
    for (auto& r : pareto.customers) {
        render::Row row = {cell(static_cast<std::int64_t>(r.rank)),
                           r.customer,
                           r.industry,
                           r.owner,
                           cell(r.orders),
                           money::format(r.value),
                           one_decimal(r.share),
                           one_decimal(r.cumulative),
                           std::string(1, r.abc)};
        if (columns.size() > 9) row.push_back(bar(r.share, 20));
        writer->row(row);
    }
    // Customers whose profit is unknown (an order without a cost) follow, unranked: "unknown"
    // for people, no value (null, an empty cell) for machines.
    for (auto& r : pareto.unknown) {
        render::Row row = {
            std::nullopt,   r.customer,
            r.industry,     r.owner,
            cell(r.orders), people ? std::optional<std::string>("unknown") : std::nullopt,
            std::nullopt,   std::nullopt,
            std::nullopt};
        if (columns.size() > 9) row.push_back(std::string());
        writer->row(row);
    }
    writer->end();
    if (!pareto.unknown.empty())
        ctx.note(
            fmt::format("{} customer(s) left out of the ranking: profit unknown, an order "
                        "without a cost (order add --cost)",
                        pareto.unknown.size()));
    if (pareto.customers.empty()) {
        if (pareto.unknown.empty())
            ctx.note(since || until ? "no orders in that period" : "no orders yet");
        return;
    }
    ctx.note(fmt::format("top {:.0f}% of customers ({} of {}) bring {}% of {}", pareto.head_percent,
                         pareto.head, pareto.customers.size(), ctx.config().abc_a, o.by));
}

struct ProspectOptions {
    std::optional<std::string> explain;
    std::optional<std::string> owner;
    std::optional<std::int64_t> limit;
};

void explain_prospect(Context& ctx, const priority::Prospect& p) {
    ctx.note(fmt::format("#{} {}: rank {}, score {}", p.customer_id, p.customer, p.rank,
                         priority::format_points(p.score)));
    auto writer = ctx.row_writer();
    writer->begin(
        {{"term"}, {"measure", false, 48}, {"value", true}, {"weight", true}, {"points", true}});
    for (auto& t : p.terms)
        writer->row({t.name, t.measure, fmt::format("{:g}", t.value), fmt::format("{:g}", t.weight),
                     priority::format_points(t.points)});
    writer->row({std::string("score"), std::nullopt, std::nullopt, std::nullopt,
                 priority::format_points(p.score)});
    writer->end();
}

void run_prospects(Context& ctx, const ProspectOptions& o) {
    Session& s = ctx.session();
    std::optional<std::string> owner;
    if (o.owner) {
        auto rep = reps::find(s, *o.owner);
        if (!rep)
            throw UsageError(fmt::format("--owner: no rep '{}'", *o.owner),
                             "see `fieldbook rep list`");
        owner = rep->handle;  // as stored, however it was typed
    }
    auto prospects = priority::rank(s, ctx.config().priority);
    if (o.explain) {
        customers::Customer c = customers::resolve(s, *o.explain);
        for (auto& p : prospects)
            if (p.customer_id == c.id) return explain_prospect(ctx, p);
        throw UsageError(fmt::format("--explain: #{} {} is not an open prospect (status {}{})",
                                     c.id, c.name, c.status,
                                     c.no_solicitation ? ", no solicitation" : ""));
    }
    auto writer = ctx.row_writer();
    writer->begin({{"rank", true},
                   {"id", true},
                   {"customer", false, 28},
                   {"industry"},
                   {"owner"},
                   {"stage"},
                   {"staff", true},
                   {"idle_days", true},
                   {"score", true}});
    std::int64_t shown = 0;
    for (auto& p : prospects) {
        if (owner && p.owner != owner) continue;
        if (o.limit && shown >= *o.limit) break;
        ++shown;
        writer->row({cell(static_cast<std::int64_t>(p.rank)), cell(p.customer_id), p.customer,
                     p.industry, p.owner, p.stage, cell(p.staff), cell(p.idle_days),
                     priority::format_points(p.score)});
    }
    writer->end();
    if (shown == 0) ctx.note("no open prospects");
}

struct RepOptions {
    std::optional<std::string> industry;
    std::optional<std::string> since, until;
    bool suggest = false;
};

void run_reps(Context& ctx, const RepOptions& o) {
    Session& s = ctx.session();
    text::Period period = text::parse_period(o.since, o.until, s.today());
    if (o.suggest) {
        auto all = repfit::records(s, std::nullopt, period);
        auto suggestions = repfit::suggest(s, all, ctx.config().suggest_min_customers);
        auto writer = ctx.row_writer();
        writer->begin({{"id", true},
                       {"customer", false, 28},
                       {"industry"},
                       {"suggested"},
                       {"basis", false, 60}});
        std::int64_t shown = 0;
        for (auto& sug : suggestions) {
            if (o.industry &&
                (!sug.industry || text::match_key(*sug.industry) != text::match_key(*o.industry)))
                continue;
            ++shown;
            writer->row({cell(sug.customer_id), sug.customer, sug.industry, sug.rep, sug.basis});
        }
        writer->end();
        if (shown == 0)
            ctx.note("no unowned open prospects");
        else
            ctx.note("to assign one: fieldbook customer edit ID --owner HANDLE");
        return;
    }
    auto records = repfit::records(s, o.industry, period);
    auto writer = ctx.row_writer();
    writer->begin({{"rep"},
                   {"industry"},
                   {"customers", true},
                   {"visits", true},
                   {"contacts", true},
                   {"intents", true},
                   {"orders", true},
                   {"won", true},
                   {"conversion", true},
                   {"revenue", true}});
    for (auto& r : records)
        writer->row({r.rep, r.industry, cell(r.customers), cell(r.visits), cell(r.contacts),
                     cell(r.intents), cell(r.orders), cell(r.won), one_decimal(r.conversion),
                     money::format(r.revenue)});
    writer->end();
    if (records.empty()) ctx.note("no visits or orders in that selection");
}

}  // namespace

void setup_rank(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand(
        "rank", "Rankings: customers by revenue (20/80), prospects by priority, reps by industry");
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

    auto prospects = std::make_shared<ProspectOptions>();
    cmd = group->add_subcommand("prospects", "Open prospects by follow-up priority");
    auto* explain =
        cmd->add_option("--explain", prospects->explain,
                        "Show how one prospect's score is made, term by term (id or name)");
    cmd->add_option("--owner", prospects->owner, "Only prospects owned by this rep")
        ->excludes(explain);
    cmd->add_option("--limit", prospects->limit, "Show at most N")
        ->transform(whole_number(1))
        ->excludes(explain);
    cmd->footer(
        "score = the sum of six terms, each a measured value times a weight (points):\n"
        "  size      tens of staff (headcount, else office m² / 10), up to 200 staff   × 1\n"
        "  stage     best step: refused only -1, contact 1, interest 2, intent 3    × 5\n"
        "  inside    1 when an inside contact, purchaser or decision-maker is known  × 8\n"
        "  idle      days since the last visit (or since added), up to 30            × 0.5\n"
        "  referral  1 when the prospect came by referral                            × 6\n"
        "  load      open follow-ups of the owner                                    × -0.5\n"
        "Weights are set in the config file's [priority] table (fieldbook-config(5)).\n"
        "Open prospects: status prospect, contacted, interested or negotiating, and not\n"
        "marked no-solicitation. Ties go to the longest untouched, then by name.");
    cmd->callback([&ctx, prospects] { run_prospects(ctx, *prospects); });

    auto reps = std::make_shared<RepOptions>();
    cmd = group->add_subcommand("reps", "Each rep's record per industry, and who should take what");
    cmd->add_option("--industry", reps->industry, "Only this industry");
    cmd->add_option("--since", reps->since, "Visits and orders from this day");
    cmd->add_option("--until", reps->until, "Visits and orders up to this day");
    cmd->add_flag("--suggest", reps->suggest, "Propose an owner for each unowned open prospect");
    cmd->footer(
        "customers: distinct customers visited; contacts: visits that reached someone;\n"
        "intents: visits ending in intent or order; won: visited customers that ordered\n"
        "from the rep; conversion: won / customers. Sorted by industry, best conversion first.\n"
        "--suggest picks, in the prospect's industry, the active rep (role rep) with the best\n"
        "conversion among those who visited at least suggest_min_customers (3) customers\n"
        "there; otherwise the one with the fewest open follow-ups. Nothing is assigned.");
    cmd->callback([&ctx, reps] { run_reps(ctx, *reps); });
}

}  // namespace fieldbook::app
