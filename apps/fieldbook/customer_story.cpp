// fieldbook customer show and customer merge: a customer's whole story, and mending a customer
// entered twice.
#include "customer_story.hpp"

#include <fmt/format.h>

#include <memory>

#include "change_rows.hpp"
#include "domain/customer_story.hpp"
#include "domain/workflows/merge_customers.hpp"
#include "output.hpp"
#include "render/json.hpp"

namespace fieldbook::app {
namespace {

struct ShowOptions {
    std::string reference;
    bool all = false;
    bool history = false;
};

struct MergeOptions {
    std::string from, into;
};

// The company's own facts. Nested in the story's JSON, the visits are a list and who referred
// it an object of their own, so the count is visit_count and the referrer's name is left out.
std::vector<Field> facts(const customers::Customer& c, bool nested = false) {
    std::vector<Field> fields{{{"id", true}, cell(c.id)},
                              {{"uuid"}, c.uuid},
                              {{"name"}, c.name},
                              {{"building"}, c.building},
                              {{"floor"}, c.floor},
                              {{"room"}, c.room},
                              {{"industry"}, c.industry},
                              {{"headcount", true}, cell(c.headcount)},
                              {{"office_size"}, c.office_size},
                              {{"brands"}, c.brands},
                              {{"usage"}, c.usage},
                              {{"source"}, c.source},
                              {{"referred_by"}, c.referred_by},
                              {{"owner"}, c.owner},
                              {{"status"}, c.status},
                              {{"no_solicitation"}, cell(c.no_solicitation)},
                              {{"notes"}, c.notes},
                              {{"visits", true}, cell(c.visits)},
                              {{"last_visit"}, c.last_visit_day},
                              {{"best_outcome"}, c.best_outcome},
                              {{"created_at"}, c.created_at}};
    if (nested) {
        std::erase_if(fields, [](const Field& f) { return f.first.name == "referred_by"; });
        for (auto& f : fields)
            if (f.first.name == "visits") f.first.name = "visit_count";
    }
    return fields;
}

render::Cell money_cell(money::Cents cents) {
    return money::format(cents);
}
render::Cell money_cell(const std::optional<money::Cents>& cents) {
    return cents ? money_cell(*cents) : std::nullopt;
}

std::string links_text(const std::vector<customer_story::Link>& links) {
    std::string text;
    for (const auto& l : links)
        text += fmt::format("{}#{} {}", text.empty() ? "" : ", ", l.id, l.name);
    return text;
}

// Each part of the story as a listing: its columns and rows, the same for the table and the
// JSON.
struct Listing {
    std::vector<render::Column> columns;
    std::vector<render::Row> rows;
};

Listing contact_listing(const customer_story::Story& story) {
    Listing l{{{"id", true}, {"name"}, {"title"}, {"role"}, {"phone"}, {"email"}, {"card"}}, {}};
    for (const auto& p : story.contacts)
        l.rows.push_back({cell(p.id), p.name, p.title, p.role, p.phone, p.email, cell(p.card)});
    return l;
}

Listing visit_listing(const customer_story::Story& story) {
    Listing l{{{"id", true},
               {"day"},
               {"rep"},
               {"kind"},
               {"contact"},
               {"outcome"},
               {"next_due"},
               {"note", false, 30}},
              {}};
    for (const auto& v : story.visits)
        l.rows.push_back(
            {cell(v.id), v.day, v.rep, v.kind, v.contact, v.outcome, v.next_due, v.note});
    return l;
}

Listing followup_listing(const customer_story::Story& story) {
    Listing l{{{"id", true},
               {"due"},
               {"state"},
               {"rep"},
               {"channel"},
               {"reason"},
               {"note", false, 30},
               {"result", false, 30}},
              {}};
    for (const auto& f : story.followups)
        l.rows.push_back(
            {cell(f.id), f.due_day, f.state, f.rep, f.channel, f.reason, f.note, f.result});
    return l;
}

std::vector<render::Column> order_columns() {
    return {{"id", true},          {"day"}, {"rep"},       {"amount", true},  {"paid", true},
            {"outstanding", true}, {"due"}, {"cancelled"}, {"cancel_reason"}, {"refunded", true},
            {"note", false, 30}};
}

render::Row order_row(const customer_story::Order& o) {
    return {cell(o.id),
            o.day,
            o.rep,
            money_cell(o.amount),
            money_cell(o.paid),
            money_cell(o.outstanding),
            o.due_day,
            o.cancelled_day,
            o.cancel_reason,
            money_cell(o.refunded),
            o.note};
}

std::vector<render::Column> line_columns() {
    return {
        {"sku"},        {"name"}, {"quantity", true}, {"list_price", true}, {"unit_price", true},
        {"total", true}};
}

render::Row line_row(const orders::Line& line) {
    return {line.sku,
            line.name,
            cell(line.quantity),
            money_cell(line.list_price),
            money_cell(line.unit_price),
            money_cell(line.total)};
}

std::vector<render::Column> payment_columns() {
    return {{"id", true}, {"day"}, {"amount", true}, {"rep"}, {"note", false, 30}};
}

render::Row payment_row(const customer_story::Payment& p) {
    return {cell(p.id), p.day, money_cell(p.amount), p.rep, p.note};
}

std::vector<Field> balance_fields(const customer_story::Balance& b) {
    return {{{"outstanding", true}, money_cell(b.outstanding)},
            {{"unpaid_orders", true}, cell(b.unpaid_orders)},
            {{"age_days", true}, cell(b.age_days)},
            {{"aged_from"}, b.aged_from}};
}

void print_table(Context& ctx, const std::string& heading, const Listing& listing) {
    if (listing.rows.empty()) return;
    ctx.out << "\n" << heading << "\n";
    auto writer = ctx.row_writer();
    writer->begin(listing.columns);
    for (const auto& row : listing.rows) writer->row(row);
    writer->end();
}

void print_orders(Context& ctx, const customer_story::Story& story) {
    if (story.orders.empty()) return;
    Listing orders{order_columns(), {}};
    for (const auto& o : story.orders) orders.rows.push_back(order_row(o));
    print_table(ctx, "orders", orders);
    for (const auto& o : story.orders) {
        Listing lines{line_columns(), {}};
        for (const auto& line : o.lines) lines.rows.push_back(line_row(line));
        print_table(ctx, fmt::format("lines of order #{}", o.id), lines);
    }
    Listing payments{payment_columns(), {}};
    payments.columns.insert(payments.columns.begin() + 1, {"order", true});
    for (const auto& o : story.orders)
        for (const auto& p : o.payments) {
            auto row = payment_row(p);
            row.insert(row.begin() + 1, cell(o.id));
            payments.rows.push_back(row);
        }
    print_table(ctx, "payments", payments);
}

void print_balance(Context& ctx, const customer_story::Balance& b) {
    if (b.unpaid_orders == 0) return;
    ctx.out << "\nbalance\n"
            << fmt::format("{} outstanding on {} order{}, {} days since {}\n",
                           money::format(b.outstanding), b.unpaid_orders,
                           b.unpaid_orders == 1 ? "" : "s", *b.age_days, *b.aged_from);
}

void print_text(Context& ctx, const customer_story::Story& story) {
    const auto& c = story.customer;
    auto fields = facts(c);
    if (!story.referrals.empty()) fields.push_back({{"referred"}, links_text(story.referrals)});
    if (!story.merged_from.empty())
        fields.push_back({{"merged_from"}, links_text(story.merged_from)});
    print_record(ctx, fields);
    print_table(ctx, "contacts", contact_listing(story));
    if (!story.visits.empty()) {
        print_table(ctx,
                    story.visits_left_out > 0
                        ? fmt::format("visits (the latest {} of {})", story.visits.size(), c.visits)
                        : "visits",
                    visit_listing(story));
        if (story.visits_left_out > 0)
            ctx.out << fmt::format("{} older visit{} left out; --all shows every one\n",
                                   story.visits_left_out, story.visits_left_out == 1 ? "" : "s");
    }
    print_table(ctx, "follow-ups", followup_listing(story));
    print_orders(ctx, story);
    print_balance(ctx, story.balance);
    if (!story.brief.empty()) {
        ctx.out << "\nnegotiation brief\n";
        std::vector<Field> brief;
        for (const auto& f : story.brief) brief.push_back({{f.label}, f.value});
        print_record(ctx, brief);
    }
    if (story.history.empty()) return;
    ctx.out << "\nhistory\n";
    auto writer = ctx.row_writer();
    writer->begin(change_columns());
    for (const auto& command : story.history) write_change_rows(*writer, command, ctx.zone());
    writer->end();
}

// Rows gathered as JSON objects, for a listing nested in the customer's object.
class JsonRows : public render::RowWriter {
  public:
    void begin(const std::vector<render::Column>& columns) override { columns_ = columns; }
    void row(const render::Row& cells) override {
        objects_.push_back(render::json_object(columns_, cells));
    }
    void end() override {}
    std::string array() const { return render::json_array(objects_); }

  private:
    std::vector<render::Column> columns_;
    std::vector<std::string> objects_;
};

std::string json_listing(const Listing& listing) {
    JsonRows rows;
    rows.begin(listing.columns);
    for (const auto& row : listing.rows) rows.row(row);
    return rows.array();
}

std::string json_fields(const std::vector<Field>& fields,
                        const std::vector<render::JsonMember>& more = {}) {
    std::vector<render::Column> columns;
    render::Row cells;
    for (const auto& [column, value] : fields) {
        columns.push_back(column);
        cells.push_back(value);
    }
    return render::json_object(columns, cells, more);
}

std::string json_link(const customer_story::Link& link) {
    return json_fields({{{"id", true}, cell(link.id)}, {{"name"}, link.name}});
}

std::string json_links(const std::vector<customer_story::Link>& links) {
    std::vector<std::string> items;
    for (const auto& l : links) items.push_back(json_link(l));
    return render::json_array(items);
}

std::string json_story(Context& ctx, const customer_story::Story& story) {
    std::vector<std::string> orders;
    for (const auto& o : story.orders) {
        std::vector<std::string> lines, payments;
        for (const auto& line : o.lines)
            lines.push_back(render::json_object(line_columns(), line_row(line)));
        for (const auto& p : o.payments)
            payments.push_back(render::json_object(payment_columns(), payment_row(p)));
        orders.push_back(render::json_object(
            order_columns(), order_row(o),
            {{"lines", render::json_array(lines)}, {"payments", render::json_array(payments)}}));
    }
    std::string brief = "null";
    if (!story.brief.empty()) {
        std::vector<Field> fields;
        for (const auto& f : story.brief) fields.push_back({{f.field}, f.value});
        brief = json_fields(fields);
    }
    std::vector<render::JsonMember> more{
        {"contacts", json_listing(contact_listing(story))},
        {"visits", json_listing(visit_listing(story))},
        {"visits_left_out", std::to_string(story.visits_left_out)},
        {"followups", json_listing(followup_listing(story))},
        {"orders", render::json_array(orders)},
        {"balance", json_fields(balance_fields(story.balance))},
        {"brief", brief},
        {"referred_by", story.referred_by ? json_link(*story.referred_by) : "null"},
        {"referrals", json_links(story.referrals)},
        {"merged_from", json_links(story.merged_from)}};
    if (!story.history.empty()) {
        JsonRows rows;
        rows.begin(change_columns());
        for (const auto& command : story.history) write_change_rows(rows, command, ctx.zone());
        more.push_back({"history", rows.array()});
    }
    return json_fields(facts(story.customer, true), more);
}

void run_show(Context& ctx, const ShowOptions& o) {
    Session& s = ctx.session();
    auto format = ctx.format();
    customer_story::Options options;
    if (o.all) options.visit_limit = std::nullopt;
    options.history = o.history;
    auto story = s.store.read([&] {
        auto c = customers::resolve(s, o.reference);
        return customer_story::tell(s, c, options);
    });
    if (format == render::Format::json) {
        // An array of one object, as every `show` prints in JSON.
        ctx.out << render::json_array({json_story(ctx, story)}) << "\n";
        return;
    }
    if (format == render::Format::table) return print_text(ctx, story);
    // A format of one listing holds the company's row, or with --history the history alone.
    if (!o.history) return print_record(ctx, facts(story.customer));
    auto writer = ctx.row_writer();
    writer->begin(change_columns());
    for (const auto& command : story.history) write_change_rows(*writer, command, ctx.zone());
    writer->end();
}

std::string count(std::int64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

void run_merge(Context& ctx, const MergeOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto m = s.store.write([&] { return workflows::merge_customers(s, me, o.from, o.into); });
    std::vector<std::string> moved;
    if (m.visits) moved.push_back(count(m.visits, "visit", "visits"));
    if (m.contacts) moved.push_back(count(m.contacts, "contact", "contacts"));
    if (m.followups) moved.push_back(count(m.followups, "follow-up", "follow-ups"));
    if (m.orders) moved.push_back(count(m.orders, "order", "orders"));
    if (m.unmet_needs) moved.push_back(count(m.unmet_needs, "unmet need", "unmet needs"));
    if (m.referrals) moved.push_back(count(m.referrals, "referral", "referrals"));
    if (m.brief) moved.push_back("the negotiation brief");
    std::string what;
    for (std::size_t i = 0; i < moved.size(); ++i)
        what += (i == 0 ? "" : i + 1 == moved.size() ? " and " : ", ") + moved[i];
    ctx.note(fmt::format("merged customer #{} {} into #{} {}{}", m.from_id, m.from_name, m.into.id,
                         m.into.name, what.empty() ? "" : ": " + what + " moved"));
    ctx.note(fmt::format("#{} and '{}' now find #{}; `fieldbook undo` takes the merge back",
                         m.from_id, m.from_name, m.into.id));
}

}  // namespace

void add_customer_story_commands(CLI::App& customer, Context& ctx) {
    auto show = std::make_shared<ShowOptions>();
    auto* cmd = customer.add_subcommand(
        "show",
        "A company's whole story: facts, contacts, visits, follow-ups, orders, balance, brief");
    cmd->add_option("customer", show->reference,
                    "Id, name, or a unique part of the name (a merged customer's old id or "
                    "name finds the one it went into)")
        ->required();
    cmd->add_flag("--all", show->all, "Every visit (default: the latest 20)");
    cmd->add_flag("--history", show->history,
                  "Also every logged change to the company and its records, newest first (as "
                  "`fieldbook log` shows it)");
    cmd->footer(
        "The balance is what its orders still owe (a cancelled order owes nothing), aged from "
        "the\noldest unpaid order's due day, or its order day when it has none.\n"
        "--format json prints the story as one object with the lists nested; csv, tsv, md, "
        "html and\nxlsx print the company's row (with --history: the history).\n\n"
        "Example:\n  fieldbook customer show 蓝海 --all");
    cmd->callback([&ctx, show] { run_show(ctx, *show); });

    auto merge = std::make_shared<MergeOptions>();
    cmd = customer.add_subcommand("merge", "Merge a customer entered twice into the one to keep");
    cmd->add_option("from", merge->from, "The duplicate (id or name): it is merged away")
        ->required();
    cmd->add_option("into", merge->into, "The customer kept (id or name)")->required();
    cmd->footer(
        "FROM's visits, contacts, follow-ups, orders, unmet needs, referrals and negotiation "
        "brief\n(when INTO has none; else it fills INTO's empty fields) go to INTO, and INTO's "
        "empty\nfacts are filled from FROM's. FROM is then deleted, and its old id and name find "
        "INTO.\nINTO may be named by a merged customer's old name: the customer it went into.\n"
        "Both customers must be yours to change (their owner's, or anyone's while nobody owns "
        "them);\na manager or a leader merges any two. `fieldbook undo` takes the merge back.\n\n"
        "Example:\n  fieldbook customer merge 蓝海科技 蓝海数据科技有限公司");
    cmd->callback([&ctx, merge] { run_merge(ctx, *merge); });
}

}  // namespace fieldbook::app
