// fieldbook customer: companies, from first door knocked to paying customer.
#include <fmt/format.h>

#include "commands.hpp"
#include "customer_story.hpp"
#include "domain/customers.hpp"
#include "errors.hpp"
#include "lookalike.hpp"
#include "numbers.hpp"
#include "output.hpp"

namespace fieldbook::app {
namespace {

struct CustomerOptions {
    std::string reference;  // NAME for add, ID or NAME otherwise
    customers::CustomerFields fields;
    customers::Filter filter;
    bool force_new = false;
    bool solicitation_ok = false;
    bool no_solicitation = false;
};

void add_field_options(CLI::App* cmd, customers::CustomerFields& f) {
    cmd->add_option("--building", f.building, "Office building, e.g. 天府软件园B座");
    cmd->add_option("--floor", f.floor, "Floor, e.g. 12");
    cmd->add_option("--room", f.room, "Room, e.g. 1203");
    cmd->add_option("--industry", f.industry, "Industry, e.g. 互联网");
    cmd->add_option("--headcount", f.headcount, "Number of staff")->transform(whole_number(0));
    cmd->add_option("--office-size", f.office_size, "Office size, e.g. 约600平方米");
    cmd->add_option("--brands", f.brands, "Supply brands in use, e.g. 得力, 晨光");
    cmd->add_option("--usage", f.usage, "Supply usage, e.g. A4纸每月40箱");
    cmd->add_option("--source", f.source, "sweep, referral, directory, web, press or other");
    cmd->add_option("--referred-by", f.referred_by, "The customer (id or name) who referred it");
    cmd->add_option("--owner", f.owner, "Rep handle responsible for it");
    cmd->add_option("--notes", f.notes, "Free notes");
}

std::vector<render::Column> list_columns() {
    return {{"id", true},    {"name"},     {"building"},        {"floor"},
            {"room"},        {"industry"}, {"headcount", true}, {"status"},
            {"owner"},       {"source"},   {"visits", true},    {"last_visit"},
            {"best_outcome"}};
}

render::Row list_row(const customers::Customer& c) {
    return {cell(c.id),        c.name,   c.building, c.floor,  c.room,         c.industry,
            cell(c.headcount), c.status, c.owner,    c.source, cell(c.visits), c.last_visit_day,
            c.best_outcome};
}

void apply_solicitation_flags(CustomerOptions& o) {
    if (o.no_solicitation && o.solicitation_ok)
        throw UsageError("--no-solicitation and --solicitation-ok exclude each other");
    if (o.no_solicitation) o.fields.no_solicitation = true;
    if (o.solicitation_ok) o.fields.no_solicitation = false;
}

void run_add(Context& ctx, CustomerOptions& o) {
    apply_solicitation_flags(o);
    o.fields.name = o.reference;
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto choice = choose_customer(ctx, s, o.reference, o.fields.building, o.fields.floor,
                                  o.fields.room, o.force_new);
    if (choice.existing)
        return ctx.note(fmt::format("nothing added: #{} {} is the customer", choice.existing->id,
                                    choice.existing->name));
    auto c = s.store.write([&] { return customers::add(s, me, o.fields, choice.create_new); });
    ctx.note(fmt::format("added customer #{} {}", c.id, c.name));
}

void run_list(Context& ctx, const CustomerOptions& o) {
    Session& s = ctx.session();
    auto writer = ctx.row_writer();
    writer->begin(list_columns());
    customers::list(s, o.filter, [&](const customers::Customer& c) { writer->row(list_row(c)); });
    writer->end();
}

void run_edit(Context& ctx, CustomerOptions& o) {
    apply_solicitation_flags(o);
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto c = s.store.write([&] {
        auto target = customers::resolve(s, o.reference);
        return customers::edit(s, me, target.id, o.fields);
    });
    ctx.note(fmt::format("updated customer #{} {}", c.id, c.name));
}

}  // namespace

void setup_customer(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("customer", "Companies: prospects and customers");
    group->require_subcommand(1);

    auto add = std::make_shared<CustomerOptions>();
    auto* cmd = group->add_subcommand("add", "Add a company");
    cmd->add_option("name", add->reference, "Company name, e.g. 蓝海数据科技有限公司")->required();
    add_field_options(cmd, add->fields);
    cmd->add_flag("--no-solicitation", add->no_solicitation, "The door says 谢绝推销");
    cmd->add_flag("--new", add->force_new, "Create it even if it looks like an existing customer");
    cmd->footer(
        "Example:\n  fieldbook customer add 蓝海数据科技有限公司 --building 天府软件园B座 "
        "--floor 12 --room 1203 --industry 互联网");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto list = std::make_shared<CustomerOptions>();
    cmd = group->add_subcommand("list", "List companies, by name");
    cmd->add_option("--building", list->filter.building, "Only in this building");
    cmd->add_option("--industry", list->filter.industry, "Only this industry");
    cmd->add_option("--status", list->filter.status,
                    "prospect, contacted, interested, negotiating, customer, lost or dormant");
    cmd->add_option("--owner", list->filter.owner, "Only those owned by this rep");
    cmd->add_option("--search", list->filter.name_contains, "Name contains this text");
    cmd->callback([&ctx, list] { run_list(ctx, *list); });

    add_customer_story_commands(*group, ctx);

    auto edit = std::make_shared<CustomerOptions>();
    cmd = group->add_subcommand("edit", "Change a company's details (given fields only)");
    cmd->add_option("customer", edit->reference, "Id, name, or a unique part of the name")
        ->required();
    cmd->add_option("--name", edit->fields.name, "New name");
    add_field_options(cmd, edit->fields);
    cmd->add_option("--status", edit->fields.status,
                    "prospect, contacted, interested, negotiating, customer, lost or dormant");
    cmd->add_flag("--no-solicitation", edit->no_solicitation, "The door says 谢绝推销");
    cmd->add_flag("--solicitation-ok", edit->solicitation_ok, "Clear the no-solicitation mark");
    cmd->footer(
        "An empty value clears a text field: --notes \"\"\n"
        "A customer is changed by its owner, a manager or a leader (one nobody owns, by anyone);\n"
        "--owner gives it to a rep: yourself, or anyone for a manager or leader.");
    cmd->callback([&ctx, edit] { run_edit(ctx, *edit); });

    add_customer_prep_command(*group, ctx);
}

}  // namespace fieldbook::app
