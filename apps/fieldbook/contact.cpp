// fieldbook contact: people at a customer.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/contacts.hpp"
#include "domain/customers.hpp"
#include "errors.hpp"
#include "output.hpp"

namespace fieldbook::app {
namespace {

struct ContactOptions {
    std::string customer;
    contacts::ContactInput input;
    bool card = false;
};

void run_add(Context& ctx, ContactOptions& o) {
    if (o.card) o.input.card = true;
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto c = s.store.write([&] {
        auto customer = customers::resolve(s, o.customer);
        return contacts::upsert(s, me, customer.id, o.input);
    });
    ctx.note(fmt::format("contact {} ({}) saved for {}", c.name, c.role, c.customer));
}

void run_list(Context& ctx, const ContactOptions& o) {
    Session& s = ctx.session();
    auto customer = customers::resolve(s, o.customer);
    auto writer = ctx.row_writer();
    writer->begin({{"id", true},
                   {"customer"},
                   {"name"},
                   {"title"},
                   {"role"},
                   {"phone"},
                   {"email"},
                   {"card"}});
    for (auto& c : contacts::for_customer(s, customer.id))
        writer->row(
            {cell(c.id), c.customer, c.name, c.title, c.role, c.phone, c.email, cell(c.card)});
    writer->end();
}

}  // namespace

void setup_contact(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("contact", "People at a customer: gatekeeper, purchaser, ...");
    group->require_subcommand(1);

    auto add = std::make_shared<ContactOptions>();
    auto* cmd = group->add_subcommand("add", "Add a contact (or update the one of that name)");
    cmd->add_option("customer", add->customer, "Customer id, name or unique part")->required();
    cmd->add_option("name", add->input.name, "The person's name, e.g. 王芳")->required();
    cmd->add_option(
        "--role", add->input.role,
        "gatekeeper, purchaser, decision-maker, inside or other (default other; kept on update)");
    cmd->add_option("--title", add->input.title, "Job title, e.g. 行政主管");
    cmd->add_option("--phone", add->input.phone, "Phone number");
    cmd->add_option("--email", add->input.email, "Email address");
    cmd->add_flag("--card", add->card, "Their business card was obtained");
    cmd->footer(
        "A customer's contacts are changed by whoever may change the customer: its owner, a\n"
        "manager or a leader (anyone, while nobody owns it).\n\n"
        "Example:\n  fieldbook contact add 蓝海 王芳 --role inside --phone 13800001234");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto list = std::make_shared<ContactOptions>();
    cmd = group->add_subcommand("list", "List a customer's contacts");
    cmd->add_option("customer", list->customer, "Customer id, name or unique part")->required();
    cmd->callback([&ctx, list] { run_list(ctx, *list); });
}

}  // namespace fieldbook::app
