// fieldbook visit catalog: the product sheet handed over at the door.
#include <fmt/format.h>

#include "commands.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "templates.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {
namespace {

struct CatalogOptions {
    std::optional<std::string> search;
    std::optional<std::string> category;
    std::optional<std::int64_t> quantity;
};

std::string tiers_text(const catalog::Product& p) {
    std::string out;
    for (const auto& tier : p.tiers) out += (out.empty() ? "" : " / ") + catalog::describe(tier);
    return out;
}

std::vector<render::Column> columns(bool with_quantity) {
    std::vector<render::Column> c = {{"category"}, {"sku"},         {"name", false, 24},
                                     {"brand"},    {"model"},       {"spec", false, 26},
                                     {"unit"},     {"price", true}, {"tiers", false, 34}};
    if (with_quantity) {
        c.push_back({"quantity", true});
        c.push_back({"unit_price", true});
        c.push_back({"total", true});
    }
    return c;
}

render::Row row(const catalog::Product& p, const std::string& category,
                std::optional<std::int64_t> quantity) {
    render::Row r = {category,     p.sku,  p.name, p.brand,
                     p.model,      p.spec, p.unit, money::format(p.price),
                     tiers_text(p)};
    if (quantity) {
        money::Cents each = catalog::unit_price(p, *quantity);
        r.push_back(std::to_string(*quantity));
        r.push_back(money::format(each));
        r.push_back(money::format(each * *quantity));
    }
    return r;
}

// A one-page handout: the categories as sections, no colours that a printer would waste.
void print_html(Context& ctx, const catalog::Catalog& cat,
                const std::vector<const catalog::Product*>& products,
                std::optional<std::int64_t> quantity) {
    ctx.out << R"html(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>产品目录 Catalog</title>
<style>
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 10pt; margin: 1.5em; color: #000; }
h1 { font-size: 14pt; margin: 0 0 0.3em; }
h2 { font-size: 11pt; margin: 1em 0 0.3em; border-bottom: 1px solid #000; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #ccc; vertical-align: top; }
th { font-weight: bold; border-bottom: 1px solid #000; }
.num { text-align: right; white-space: nowrap; }
footer { margin-top: 1em; font-size: 8pt; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { margin: 0; font-size: 9pt; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
</style>
</head>
<body>
)html";
    ctx.out << fmt::format("<h1>产品目录 · {}</h1>\n", render::html_escape(cat.currency));
    for (auto& [key, title] : cat.categories) {
        std::vector<const catalog::Product*> here;
        for (auto* p : products)
            if (p->category == key) here.push_back(p);
        if (here.empty()) continue;
        ctx.out << fmt::format("<section>\n<h2>{}</h2>\n", render::html_escape(title));
        auto writer = render::make_row_writer(render::Format::html, ctx.out);
        auto cols = columns(quantity.has_value());
        cols.erase(cols.begin());  // the section heading names the category
        writer->begin(cols);
        for (auto* p : here) {
            auto r = row(*p, title, quantity);
            r.erase(r.begin());
            writer->row(r);
        }
        writer->end();
        ctx.out << "</section>\n";
    }
    ctx.out << "<footer>价格单位：元；批量优惠按单次订购数量计。</footer>\n</body>\n</html>\n";
}

void run_catalog(Context& ctx, const CatalogOptions& o) {
    catalog::Catalog cat = load_catalog(ctx);
    auto products = catalog::select(cat, {.search = o.search, .category = o.category});
    if (ctx.format() == render::Format::html) return print_html(ctx, cat, products, o.quantity);
    auto title_of = [&](const std::string& key) {
        for (auto& [k, title] : cat.categories)
            if (k == key) return title;
        return key;
    };
    if (ctx.format() == render::Format::md) {
        // The written sheet: one section per category.
        std::string current;
        std::unique_ptr<render::RowWriter> writer;
        for (auto* p : products) {
            if (p->category != current) {
                if (writer) writer->end();
                ctx.out << (current.empty() ? "" : "\n") << "## " << title_of(p->category)
                        << "\n\n";
                current = p->category;
                writer = ctx.row_writer();
                auto cols = columns(o.quantity.has_value());
                cols.erase(cols.begin());
                writer->begin(cols);
            }
            auto r = row(*p, "", o.quantity);
            r.erase(r.begin());
            writer->row(r);
        }
        if (writer) writer->end();
        return;
    }
    auto writer = ctx.row_writer();
    writer->begin(columns(o.quantity.has_value()));
    std::string current;
    for (auto* p : products) {
        // People read the category once at the head of its group; scripts get it on every row.
        std::string category = ctx.format() == render::Format::table
                                   ? (p->category == current ? "" : title_of(p->category))
                                   : p->category;
        current = p->category;
        writer->row(row(*p, category, o.quantity));
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
    cmd->add_option("--category", o->category, "Only this category (key or title, e.g. 纸张)");
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
