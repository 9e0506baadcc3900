#include "render/catalog_sheet.hpp"

#include <memory>

namespace fieldbook::render {

// The written sheet: one section per category.
void write_catalog_sheet_markdown(std::ostream& out, const catalog::Catalog& cat,
                                  const std::vector<const catalog::Product*>& products,
                                  std::optional<std::int64_t> quantity) {
    auto title_of = [&](const std::string& key) {
        for (auto& [k, title] : cat.categories)
            if (k == key) return title;
        return key;
    };
    std::string current;
    std::unique_ptr<RowWriter> writer;
    for (auto* p : products) {
        if (p->category != current) {
            if (writer) writer->end();
            out << (current.empty() ? "" : "\n") << "## " << title_of(p->category) << "\n\n";
            current = p->category;
            writer = make_row_writer(Format::md, out);
            auto cols = catalog_columns(quantity.has_value());
            cols.erase(cols.begin());
            writer->begin(cols);
        }
        auto r = catalog_row(*p, "", quantity);
        r.erase(r.begin());
        writer->row(r);
    }
    if (writer) writer->end();
}

}  // namespace fieldbook::render
