#include "render/catalog_sheet.hpp"

#include <fmt/format.h>

namespace fieldbook::render {

// A one-page handout: the categories as sections, no colours that a printer would waste.
void write_catalog_sheet_html(std::ostream& out, const catalog::Catalog& cat,
                              const std::vector<const catalog::Product*>& products,
                              std::optional<std::int64_t> quantity) {
    out << R"html(<!DOCTYPE html>
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
    out << fmt::format("<h1>产品目录 · {}</h1>\n", html_escape(cat.currency));
    for (auto& [key, title] : cat.categories) {
        std::vector<const catalog::Product*> here;
        for (auto* p : products)
            if (p->category == key) here.push_back(p);
        if (here.empty()) continue;
        out << fmt::format("<section>\n<h2>{}</h2>\n", html_escape(title));
        auto writer = make_row_writer(Format::html, out);
        auto cols = catalog_columns(quantity.has_value());
        cols.erase(cols.begin());  // the section heading names the category
        writer->begin(cols);
        for (auto* p : here) {
            auto r = catalog_row(*p, title, quantity);
            r.erase(r.begin());
            writer->row(r);
        }
        writer->end();
        out << "</section>\n";
    }
    out << "<footer>价格单位：元；批量优惠按单次订购数量计。</footer>\n</body>\n</html>\n";
}

}  // namespace fieldbook::render
