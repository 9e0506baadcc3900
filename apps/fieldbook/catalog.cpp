// fieldbook visit catalog: the product sheet handed over at the door.
#include <fmt/format.h>

#include "commands.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "render/catalog_sheet.hpp"
#include "templates.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {
namespace {

struct CatalogOptions {
    std::optional<std::string> search;
    std::optional<std::string> category;
    std::optional<std::int64_t> quantity;
};

void run_catalog(Context& ctx, const CatalogOptions& o) {
    catalog::Catalog cat = load_catalog(ctx);
    auto products = catalog::select(cat, {.search = o.search, .category = o.category});
    if (ctx.format() == render::Format::html)
        return render::write_catalog_sheet_html(ctx.out, cat, products, o.quantity);
    if (ctx.format() == render::Format::md)
        return render::write_catalog_sheet_markdown(ctx.out, cat, products, o.quantity);
    auto title_of = [&](const std::string& key) {
        for (auto& [k, title] : cat.categories)
            if (k == key) return title;
        return key;
    };
    auto writer = ctx.row_writer();
    writer->begin(render::catalog_columns(o.quantity.has_value()));
    std::string current;
    for (auto* p : products) {
        // People read the category once at the head of its group; scripts get it on every row.
        std::string category = ctx.format() == render::Format::table
                                   ? (p->category == current ? "" : title_of(p->category))
                                   : p->category;
        current = p->category;
        writer->row(render::catalog_row(*p, category, o.quantity));
    }
    writer->end();
}

}  // namespace

void add_catalog_command(CLI::App& visit, Context& ctx) {
    auto o = std::make_shared<CatalogOptions>();
    auto* cmd = visit.add_subcommand(
        "catalog", "The product catalog: prices, specs, models and bulk-discount tiers");
    cmd->add_option("--search", o->search,
                    "Only products whose SKU, name, brand, model or spec "
                    "contains this text, e.g. 硒鼓");
    cmd->add_option(
        "--category", o->category,
        "Only this category: key or title, or a part that only one has (文件 for 文件管理)");
    cmd->add_option("--qty", o->quantity,
                    "Show each product's unit price and total at this quantity, after its tier")
        ->transform(whole_number(1))
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}));
    cmd->footer(
        "Tiers read \"≥10 95折\" (from 10 units, 95% of the list price, i.e. 5% off) or\n"
        "\"≥50 112.00\" (from 50 units, 112.00 each).\n"
        "Formats: table (grouped by category), md (one section per category), html (a\n"
        "printable one-page sheet), csv, tsv, json.\n\n"
        "Examples:\n  fieldbook visit catalog --category 纸张 --qty 20\n"
        "  fieldbook visit catalog --format html > catalog.html");
    cmd->callback([&ctx, o] { run_catalog(ctx, *o); });
}

}  // namespace fieldbook::app
