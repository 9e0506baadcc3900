// fieldbook customer prep: the brief prepared before negotiating with a customer.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/customers.hpp"
#include "domain/negotiation_brief.hpp"
#include "output.hpp"
#include "render/negotiation_brief.hpp"

namespace fieldbook::app {
namespace {

struct PrepOptions {
    std::string customer;
    negotiation::Changes changes;
};

void print_brief(Context& ctx, const negotiation::Sheet& sheet) {
    switch (ctx.format()) {
        case render::Format::table:
            ctx.out << render::negotiation_brief_text(sheet, ctx.text_width());
            return;
        case render::Format::md:
            ctx.out << render::negotiation_brief_markdown(sheet);
            return;
        case render::Format::html:
            ctx.out << render::negotiation_brief_html(sheet);
            return;
        default:
            break;
    }
    // Machine formats: the brief as one record, a column per section.
    std::vector<Field> fields = {{{"customer_id", true}, cell(sheet.customer.id)},
                                 {{"customer"}, sheet.customer.name}};
    for (const auto& section : negotiation::kSections)
        fields.push_back({{std::string(section.column)}, sheet.brief[section.section]});
    fields.push_back({{"updated_at"}, sheet.brief.updated_at});
    print_record(ctx, fields);
}

void run_prep(Context& ctx, const PrepOptions& o) {
    Session& s = ctx.session();
    bool editing = false;
    for (const auto& change : o.changes) editing = editing || change.has_value();
    if (!editing) {
        auto sheet = s.store.read(
            [&] { return negotiation::sheet(s, customers::resolve(s, o.customer), s.today()); });
        return print_brief(ctx, sheet);
    }
    reps::Rep me = ctx.actor();
    auto [name, edited] = s.store.write([&] {
        auto customer = customers::resolve(s, o.customer);
        return std::pair{fmt::format("#{} {}", customer.id, customer.name),
                         negotiation::edit(s, me, customer, o.changes)};
    });
    if (edited.changed.empty()) return ctx.note(fmt::format("brief of {}: nothing changed", name));
    std::string changed;
    for (auto column : edited.changed)
        changed += fmt::format("{}{}", changed.empty() ? "" : ", ", column);
    ctx.note(fmt::format("brief of {}: changed {}", name, changed));
}

}  // namespace

void add_customer_prep_command(CLI::App& customer, Context& ctx) {
    auto prep = std::make_shared<PrepOptions>();
    auto* cmd = customer.add_subcommand(
        "prep", "Prepare a negotiation: record, edit or print the customer's brief");
    cmd->add_option("customer", prep->customer, "Id, name, or a unique part of the name")
        ->required();
    const char* helps[] = {
        "What worries them (price, delivery, invoices...)",
        "What we may give: 满1000减50, free delivery...",
        "What we may not give: our floor price, terms",
        "Our strengths against their current supplier",
        "Our weaknesses, and how to answer them",
        "The manager's guidance (a manager only)",
        "Samples, catalogs, quotes, people we can call on",
        "Who goes, in which role: 张伟 主谈；王芳 记录",
        "Needs we cannot meet yet, e.g. \"碎纸机×20；定制信封\" (also kept one row each)",
    };
    for (std::size_t i = 0; i < negotiation::kSections.size(); ++i)
        cmd->add_option(std::string(negotiation::kSections[i].flag), prep->changes[i], helps[i]);
    cmd->footer(
        "Given sections are set, the others stay; an empty value clears one: --concerns \"\".\n"
        "Without any section option the brief is printed: as text on a terminal, or with\n"
        "--format md or html as a one-page brief to take along (the customer, where it is,\n"
        "its contacts, the last 3 visits, open orders and balance, then each section).\n"
        "Other formats print the brief as one record.\n\n"
        "The brief is changed by whoever may change the customer (its owner, a manager or a\n"
        "leader; anyone while nobody owns it); the guidance only by a manager. The unmet\n"
        "needs are items separated by ；, ;, 、 or a line break, each with an optional volume\n"
        "(×20, x20, *20); each edit of them replaces the customer's list, which\n"
        "`fieldbook report needs` sums up across customers. Every edit is one command that\n"
        "`fieldbook undo` reverts.\n\n"
        "Examples:\n"
        "  fieldbook customer prep 蓝海 --concerns \"价格偏高；担心送货慢\" --team \"张伟 主谈\"\n"
        "  fieldbook customer prep 蓝海 --unmet-needs \"碎纸机×20；定制信封\"\n"
        "  fieldbook customer prep 蓝海 --format html --output 蓝海简报.html");
    cmd->callback([&ctx, prep] { run_prep(ctx, *prep); });
}

}  // namespace fieldbook::app
