// fieldbook order: deals, payments and the balance still to collect.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/customers.hpp"
#include "domain/orders.hpp"
#include "domain/workflows/cancel_order.hpp"
#include "domain/workflows/place_order.hpp"
#include "domain/workflows/take_payment.hpp"
#include "errors.hpp"
#include "output.hpp"
#include "render/json.hpp"
#include "templates.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct OrderOptions {
    std::string reference;  // customer for add, order id for pay and show
    std::optional<std::string> items, amount, cost, prepaid, due, on, note, customer, rep, reason;
    bool open = false;
    bool refund = false;
};

text::Day past_day(Session& s, const std::optional<std::string>& typed, std::string_view flag) {
    if (!typed) return s.today();
    text::Day day = text::parse_day(*typed, s.today(), text::Toward::past, flag);
    if (day > s.today())
        throw UsageError(fmt::format("{}: {} is in the future", flag, text::format_day(day)));
    return day;
}

// An order's lines, in a table under the order and nested in its JSON.
std::vector<render::Column> line_columns() {
    return {
        {"sku"},        {"name"}, {"quantity", true}, {"list_price", true}, {"unit_price", true},
        {"total", true}};
}

std::vector<render::Column> columns() {
    return {{"id", true},
            {"day"},
            {"customer", false, 24},
            {"rep"},
            {"amount", true},
            {"paid", true},
            {"outstanding", true},
            {"due"},
            {"overdue_days", true},
            {"note", false, 30},
            {"cancelled"}};
}

render::Row row(const orders::Order& o) {
    return {cell(o.id),
            o.day,
            o.customer,
            o.rep,
            money::format(o.amount),
            money::format(o.paid),
            money::format(o.outstanding),
            o.due_day,
            cell(o.days_overdue),
            o.note,
            o.cancelled_day};
}

// An order's payments: in a table under the order, nested in its JSON.
std::vector<render::Column> payment_columns() {
    return {{"day"}, {"amount", true}, {"note", false, 30}, {"who"}};
}

render::Row payment_row(const orders::Payment& p) {
    return {p.day, money::format(p.amount), p.note, p.who};
}

// The payments on one line, for the formats that print an order as one row (CSV, TSV, ...):
// "2026-12-04 2000.00 预付 (zhangwei); 2026-12-05 3000.00 银行转账 (zhangwei)".
std::string payments_text(const orders::Order& order) {
    std::string out;
    for (const auto& p : order.payments) {
        if (!out.empty()) out += "; ";
        out += fmt::format("{} {}", p.day, money::format(p.amount));
        if (p.note) out += " " + *p.note;
        if (p.who) out += fmt::format(" ({})", *p.who);
    }
    return out;
}

void run_add(Context& ctx, const OrderOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    orders::NewOrder input;
    input.day = past_day(s, o.on, "--on");
    if (o.items) input.lines = orders::price(load_catalog(ctx), orders::parse_items(*o.items));
    if (o.amount) input.amount = orders::parse_amount(*o.amount, "--amount");
    if (o.cost) input.cost = orders::parse_amount(*o.cost, "--cost");
    if (o.prepaid) input.prepaid = orders::parse_amount(*o.prepaid, "--prepaid");
    if (o.due) input.due = text::parse_day(*o.due, s.today(), text::Toward::future, "--due");
    input.note = o.note;
    input.after_sales_days = ctx.config().after_sales_days;
    auto order = s.store.write([&] {
        input.customer_id = customers::resolve(s, o.reference).id;
        return workflows::place_order(s, me, input);
    });
    for (auto& line : order.lines)
        ctx.note(fmt::format("  {} {} × {} at {} = {}", line.sku, line.name, line.quantity,
                             money::format(line.unit_price), money::format(line.total)));
    ctx.note(fmt::format("order #{} for {}: {} (paid {}, outstanding {}{})", order.id,
                         order.customer, money::format(order.amount), money::format(order.paid),
                         money::format(order.outstanding),
                         order.due_day ? ", due " + *order.due_day : ""));
}

void run_pay(Context& ctx, const OrderOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    if (!o.amount) throw UsageError("--amount: missing (how much was paid)");
    money::Cents amount = orders::parse_amount(*o.amount, "--amount");
    text::Day day = past_day(s, o.on, "--on");
    auto order = s.store.write([&] {
        auto target = orders::require(s, o.reference, s.today());
        return workflows::take_payment(s, me, target.id, amount, day, o.note);
    });
    ctx.note(fmt::format("order #{}: paid {} of {}, outstanding {}", order.id,
                         money::format(order.paid), money::format(order.amount),
                         money::format(order.outstanding)));
}

void run_list(Context& ctx, const OrderOptions& o) {
    Session& s = ctx.session();
    orders::Filter filter{.open_only = o.open, .today = s.today()};
    if (o.customer) filter.customer_id = customers::resolve(s, *o.customer).id;
    if (o.rep) filter.rep_id = reps::require(s, *o.rep, "--rep").id;
    auto writer = ctx.row_writer();
    writer->begin(columns());
    orders::list(s, filter, [&](const orders::Order& order) { writer->row(row(order)); });
    writer->end();
}

void run_show(Context& ctx, const OrderOptions& o) {
    Session& s = ctx.session();
    auto order = orders::require(s, o.reference, s.today());
    std::vector<Field> fields;
    auto cols = columns();
    auto values = row(order);
    for (std::size_t i = 0; i < cols.size(); ++i) fields.emplace_back(cols[i], values[i]);
    fields.emplace_back(render::Column{"cost", true},
                        order.cost ? std::optional(money::format(*order.cost)) : std::nullopt);
    fields.emplace_back(render::Column{"cancel_reason"}, order.cancel_reason);
    fields.emplace_back(
        render::Column{"refunded", true},
        order.refunded ? std::optional(money::format(*order.refunded)) : std::nullopt);
    if (ctx.format() == render::Format::json) {
        // One object with its lines and payments nested, for scripts that want the whole
        // order. An array of one object, as every `show` prints in JSON.
        std::vector<render::Column> names;
        render::Row cells;
        for (auto& [column, value] : fields) {
            names.push_back(column);
            cells.push_back(value);
        }
        std::vector<std::string> lines;
        for (const auto& line : order.lines)
            lines.push_back(render::json_object(
                line_columns(),
                {line.sku, line.name, cell(line.quantity), money::format(line.list_price),
                 money::format(line.unit_price), money::format(line.total)}));
        std::vector<std::string> payments;
        for (const auto& p : order.payments)
            payments.push_back(render::json_object(payment_columns(), payment_row(p)));
        ctx.out << render::json_array(
                       {render::json_object(names, cells,
                                            {{"lines", render::json_array(lines)},
                                             {"payments", render::json_array(payments)}})})
                << "\n";
        return;
    }
    if (ctx.format() != render::Format::table) {
        // One row: the payments on one line of their own column.
        fields.emplace_back(
            render::Column{"payments", false, 40},
            order.payments.empty() ? std::nullopt : std::optional(payments_text(order)));
        print_record(ctx, fields);
        return;
    }
    print_record(ctx, fields);
    if (!order.lines.empty()) {
        ctx.out << "\nlines\n";
        auto writer = ctx.row_writer();
        writer->begin(line_columns());
        for (auto& line : order.lines)
            writer->row({line.sku, line.name, cell(line.quantity), money::format(line.list_price),
                         money::format(line.unit_price), money::format(line.total)});
        writer->end();
    }
    if (!order.payments.empty()) {
        ctx.out << "\npayments\n";
        auto writer = ctx.row_writer();
        writer->begin(payment_columns());
        for (auto& p : order.payments) writer->row(payment_row(p));
        writer->end();
    }
    std::string totals = fmt::format("paid {} of {}, outstanding {}", money::format(order.paid),
                                     money::format(order.amount), money::format(order.outstanding));
    if (order.cancelled_day)
        totals += fmt::format(
            "; cancelled {}{}", *order.cancelled_day,
            order.refunded ? ", refunded " + money::format(*order.refunded) : std::string());
    ctx.out << "\n" << totals << "\n";
}

void run_cancel(Context& ctx, const OrderOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    if (!o.reason) throw UsageError("--reason: missing (why the order is cancelled)");
    auto done = s.store.write([&] {
        auto target = orders::require(s, o.reference, s.today());
        return workflows::cancel_order(s, me, target.id, *o.reason, s.today(), o.refund);
    });
    std::string message = fmt::format("order #{} for {} cancelled on {}", done.order.id,
                                      done.order.customer, *done.order.cancelled_day);
    if (done.order.refunded && *done.order.refunded > 0)
        message += fmt::format(", {} refunded", money::format(*done.order.refunded));
    if (done.followups_dropped > 0)
        message += fmt::format("; {} open follow-up(s) dropped", done.followups_dropped);
    ctx.note(message);
}

}  // namespace

void setup_order(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("order", "Orders, payments and outstanding balances");
    group->require_subcommand(1);

    auto add = std::make_shared<OrderOptions>();
    auto* cmd = group->add_subcommand("add", "Record an order (its customer becomes a customer)");
    cmd->add_option("customer", add->reference, "Customer id, name or unique part")->required();
    cmd->add_option("--items", add->items,
                    "SKU:QTY,... priced from the catalog at each product's bulk tier");
    cmd->add_option("--amount", add->amount, "The order's amount in yuan (instead of --items)");
    cmd->add_option("--cost", add->cost, "What it cost us, for ranking by profit");
    cmd->add_option("--prepaid", add->prepaid, "Paid up front (recorded as a payment)");
    cmd->add_option("--due", add->due,
                    "When the balance is due; a collection follow-up is planned for that day");
    cmd->add_option("--on", add->on, "The order's day (default today)");
    cmd->add_option("--note", add->note, "A note");
    cmd->footer(
        "Amounts are exact to the fen (two decimals), never rounded through floating point.\n\n"
        "Example:\n  fieldbook order add 蓝海 --items PA-A4-70:20,PR-HP-CF228A:2 "
        "--prepaid 1000 --due +30d");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto pay = std::make_shared<OrderOptions>();
    cmd = group->add_subcommand("pay", "Record a payment (more than is outstanding is refused)");
    cmd->add_option("id", pay->reference, "Order id")->required();
    cmd->footer(
        "Payments are recorded by the order's rep, a manager or a leader, who is named as\n"
        "having taken it (order show, report payments). A cancelled order takes none; a\n"
        "payment entered wrongly is taken back with `fieldbook undo`.");
    cmd->add_option("--amount", pay->amount, "Amount paid, in yuan")->required();
    cmd->add_option("--on", pay->on, "The day it was paid (default today)");
    cmd->add_option("--note", pay->note, "A note, e.g. 银行转账");
    cmd->callback([&ctx, pay] { run_pay(ctx, *pay); });

    auto list = std::make_shared<OrderOptions>();
    cmd = group->add_subcommand("list", "List orders with what is paid and outstanding");
    cmd->footer(
        "A cancelled order is listed with its day in the cancelled column; it owes nothing.");
    cmd->add_flag("--open", list->open, "Only orders with a balance left");
    cmd->add_option("--customer", list->customer, "Only this customer's");
    cmd->add_option("--rep", list->rep, "Only this rep's");
    cmd->callback([&ctx, list] { run_list(ctx, *list); });

    auto show = std::make_shared<OrderOptions>();
    cmd = group->add_subcommand("show", "Show one order with its lines and payments");
    cmd->add_option("id", show->reference, "Order id")->required();
    cmd->footer(
        "Each payment shows its day, amount, note and who took it; paid and outstanding\n"
        "follow. In JSON the lines and payments are nested; in CSV, TSV, Markdown, HTML and\n"
        "xlsx the payments are one column, \"DAY AMOUNT NOTE (WHO); ...\".");
    cmd->callback([&ctx, show] { run_show(ctx, *show); });

    auto cancel = std::make_shared<OrderOptions>();
    cmd = group->add_subcommand("cancel", "Cancel an order (it no longer counts as a sale)");
    cmd->add_option("id", cancel->reference, "Order id")->required();
    cmd->add_option("--reason", cancel->reason, "Why it is cancelled")->required();
    cmd->add_flag("--refund", cancel->refund,
                  "The money paid on it was given back (needed while any is paid)");
    cmd->footer(
        "A cancelled order stays on record (order list marks it) but is out of balances,\n"
        "receivables, reports and rankings, and takes no payment. Its open follow-ups are\n"
        "dropped. While money is paid on it, it is cancelled only with --refund, which\n"
        "records the paid amount as refunded; the payments stay as history. `fieldbook undo`\n"
        "takes a cancellation back. An order is cancelled by its rep, a manager or a leader.\n\n"
        "Example:\n  fieldbook order cancel 2 --reason 客户改签 --refund");
    cmd->callback([&ctx, cancel] { run_cancel(ctx, *cancel); });
}

}  // namespace fieldbook::app
