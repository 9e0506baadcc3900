#include "change_rows.hpp"

#include "output.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

// The words typed after the program's name.
std::string command_line(const command_log::Command& c) {
    std::string line;
    for (std::size_t i = 1; i < c.argv.size(); ++i) {
        if (!line.empty()) line += ' ';
        line += c.argv[i];
    }
    return line;
}

render::Cell value_cell(const store::Value& v) {
    if (store::is_null(v)) return std::nullopt;
    return command_log::display(v);
}

}  // namespace

std::vector<render::Column> change_columns() {
    return {{"command", true},
            {"at"},
            {"rep"},
            {"command_line", false, 36},
            {"record"},
            {"op"},
            {"field"},
            {"old", false, 24},
            {"new", false, 24},
            {"undone_by", true}};
}

void write_change_rows(render::RowWriter& writer, const command_log::Command& c,
                       const text::TimeZone& zone) {
    render::Cell at = text::format_local_time(text::parse_iso_instant(c.at_utc, zone, "log"), zone);
    render::Cell rep = c.actor.empty() ? render::Cell{} : render::Cell{c.actor};
    for (const auto& op : c.operations) {
        // An insert shows its new values; an update and a tombstone old → new, field by field.
        for (std::size_t i = 0; i < op.new_values.size(); ++i) {
            const auto& [field, now] = op.new_values[i];
            // A new record's empty fields say nothing.
            if (op.kind == "insert" && store::is_null(now)) continue;
            render::Cell before;
            for (const auto& [old_field, old_value] : op.old_values)
                if (old_field == field) before = value_cell(old_value);
            writer.row({c.id > 0 ? cell(c.id) : render::Cell{}, at, rep, command_line(c),
                        command_log::record_label(op), op.kind, field, before, value_cell(now),
                        cell(c.undone_by)});
        }
    }
}

void print_history(Context& ctx, const std::string& record) {
    Session& s = ctx.session();
    auto writer = ctx.row_writer();
    s.store.read([&](store::Tx& tx) {
        command_log::Filter filter{.record = command_log::resolve_record(s, tx, record, "record")};
        writer->begin(change_columns());
        command_log::each(s, tx, filter, [&](const command_log::Command& c) {
            write_change_rows(*writer, c, s.zone);
        });
    });
    writer->end();
}

}  // namespace fieldbook::app
