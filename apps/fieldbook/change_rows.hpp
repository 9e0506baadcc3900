#pragma once
// The operation log as rows: one per changed field (field: old → new) of each command, for
// `log` and for a record's `--history`, in any output format.
#include <vector>

#include "context.hpp"
#include "domain/command_log.hpp"
#include "render/rows.hpp"

namespace fieldbook::app {

std::vector<render::Column> change_columns();
// The command's rows: every field of every operation it holds.
void write_change_rows(render::RowWriter& writer, const command_log::Command& command,
                       const text::TimeZone& zone);
// A record's history, newest command first: `customer show --history` and the like.
void print_history(Context& ctx, const std::string& record);

}  // namespace fieldbook::app
