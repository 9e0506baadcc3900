// fieldbook meeting: the end-of-day meeting, from report to archived and approved summary.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/meeting_report.hpp"
#include "domain/meetings.hpp"
#include "editor.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "render/meeting_summary.hpp"
#include "text/dates.hpp"
#include "text/sha256.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {
namespace {

struct MeetingOptions {
    std::optional<std::string> date, for_day, since, until;
    std::optional<std::string> rep, kind, goal, comment;
    std::string text;
    std::int64_t visits = 0;
    bool empty = false;
};

text::Day day_of(Context& ctx, const std::optional<std::string>& typed, std::string_view flag) {
    Session& s = ctx.session();
    return typed ? text::parse_day(*typed, s.today(), text::Toward::past, flag) : s.today();
}

// Reports have their own formats: the terminal text, the written Markdown, HTML and JSON.
std::string report_format(Context& ctx) {
    std::string f = ctx.options.format;
    if (f.empty() || f == "table") return "txt";
    if (f == "txt" || f == "md" || f == "html" || f == "json") return f;
    throw UsageError(
        fmt::format("--format: '{}' is not one of txt, md, html, json for a report", f));
}

std::string local_time(const std::optional<std::string>& utc, const text::TimeZone& zone) {
    if (!utc) return "?";
    return text::format_local_time(text::parse_iso_instant(*utc, zone, "stored time"), zone);
}

// The one warning for a closed day whose records have moved on since its summary was archived:
// `meeting show` says it under the archive it prints (`day` none), a command that makes such a
// change names the day.
void warn_changed_since_closing(Context& ctx, std::string_view what,
                                const std::optional<std::string>& day = std::nullopt) {
    ctx.err << fmt::format(
        "warning: {} changed since the summary{} was closed; the archive{} is as it was closed "
        "(see `meeting report{}` for now)\n",
        what, day ? " of " + *day : "", day ? "" : " above", day ? " --date " + *day : "");
}

meeting_report::Report build(Context& ctx, text::Day day) {
    return meeting_report::build(ctx.session(), day, ctx.config().stale_days);
}

void run_report(Context& ctx, const MeetingOptions& o) {
    text::Day day = day_of(ctx, o.date, "--date");
    std::string format = report_format(ctx);
    auto report = build(ctx, day);
    if (format == "txt")
        ctx.out << render::meeting_summary_text(report);
    else if (format == "md")
        ctx.out << render::meeting_summary_markdown(report);
    else if (format == "json")
        ctx.out << render::meeting_summary_json(report);
    else
        ctx.out << render::meeting_summary_html(render::meeting_summary_markdown(report),
                                                "End-of-day meeting " + report.day);
}

void run_note(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    reps::Rep subject = o.rep ? reps::require(s, *o.rep, "--rep") : me;
    text::Day day = day_of(ctx, o.date, "--date");
    if (!o.kind) throw UsageError("--kind: missing (self-review, tool-feedback, idea or manager)");
    std::string note = o.text;
    if (note.empty()) {
        if (!ctx.can_prompt())
            throw UsageError("meeting note: missing TEXT (the note)",
                             "give it as an argument, or run on a terminal to write it in "
                             "$VISUAL or $EDITOR");
        note = edit_text(ctx.env, "note");
        // An editor leaves a final newline; a note left empty is a change of mind, as an empty
        // commit message is to git.
        while (!note.empty() && (note.back() == '\n' || note.back() == '\r' || note.back() == ' '))
            note.pop_back();
        if (text::match_key(note).empty())
            throw UsageError("meeting note: the note is empty; nothing written");
    }
    s.store.write([&] { meetings::add_note(s, me, subject, day, *o.kind, note); });
    ctx.note(fmt::format("noted for {} on {}", subject.handle, text::format_day(day)));
}

void run_plan(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    if (!o.rep) throw UsageError("--rep: missing (whose quota)");
    reps::Rep rep = reps::require(s, *o.rep, "--rep");
    text::Day day = o.for_day ? text::parse_coming_day(*o.for_day, s.today(), "--for")
                              : meetings::next_working_day(s.today());
    s.store.write([&] { meetings::set_plan(s, me, rep, day, o.visits, o.goal); });
    ctx.note(fmt::format("{}: {} visit{} on {}{}", rep.handle, o.visits, o.visits == 1 ? "" : "s",
                         text::format_day(day), o.goal ? " — " + *o.goal : ""));
    // The plan is set; an archived summary that lists the plans for this day keeps the ones it
    // was closed with.
    for (const auto& closed : meetings::closed_days_showing_plans_for(s, day))
        warn_changed_since_closing(ctx, fmt::format("the plans for {} have", text::format_day(day)),
                                   closed);
}

void run_close(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    text::Day day = day_of(ctx, o.date, "--date");
    auto sha = s.store.write([&] {
        // Rendered inside the transaction: what is archived is exactly what the store held.
        auto report = build(ctx, day);
        std::string markdown = render::meeting_summary_markdown(report);
        meetings::close(s, me, day, markdown);
        // A day with nothing in it is more often the wrong --date than a day off. Checked once
        // closing is allowed at all (who, which day); thrown, it takes the closing back with it.
        if (meeting_report::nothing_recorded(report) && !o.empty)
            throw UsageError(
                fmt::format("meeting close: {} has no visits and no notes", text::format_day(day)),
                "check --date, or give --empty to archive the empty day");
        return text::sha256_hex(markdown);
    });
    ctx.note(
        fmt::format("meeting of {} closed and archived (sha256 {})", text::format_day(day), sha));
}

void run_approve(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    text::Day day = day_of(ctx, o.date, "--date");
    if (!o.comment) throw UsageError("--comment: missing (the review and instructions)");
    s.store.write([&] { meetings::approve(s, me, day, *o.comment); });
    ctx.note(fmt::format("meeting of {} approved by {}", text::format_day(day), me.handle));
}

void run_show(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    if (report_format(ctx) != "txt" && report_format(ctx) != "md")
        throw UsageError(
            "--format: meeting show prints the archived Markdown (use `meeting report "
            "--format json|html` for other forms)");
    text::Day day = day_of(ctx, o.date, "--date");
    auto meeting = meetings::get(s, day);
    if (meeting.status == "open" || !meeting.markdown) {
        ctx.note(fmt::format("the meeting of {} is not closed yet: this is the live report",
                             text::format_day(day)));
        ctx.out << render::meeting_summary_markdown(build(ctx, day));
        return;
    }
    ctx.out << *meeting.markdown;
    ctx.out << fmt::format("\n---\n\nClosed by {} at {} · sha256 {}\n",
                           meeting.closed_by.value_or("?"), local_time(meeting.closed_at, s.zone),
                           meeting.sha256.value_or("?"));
    if (meeting.status == "approved")
        ctx.out << fmt::format(
            "\nApproved by {} at {}:\n\n> {}\n", meeting.approved_by.value_or("?"),
            local_time(meeting.approved_at, s.zone), meeting.approval_comment.value_or(""));
    else
        ctx.out << "\nAwaiting approval.\n";
    if (text::sha256_hex(*meeting.markdown) != meeting.sha256)
        ctx.err << "warning: the archived text does not match its sha256\n";
    // Compared on the day's records, not on a re-rendered summary: a new heading or layout is
    // no change to the day.
    // A rep on a team server sees only their part of the day, which cannot match the whole
    // day's fingerprint: only someone who sees the whole team can tell whether it changed.
    auto viewer = ctx.login_rep();
    bool sees_the_whole_day = !viewer || viewer->role != "rep";
    if (sees_the_whole_day && meetings::records_changed_since_closing(s, meeting))
        warn_changed_since_closing(ctx, "the day's visits, notes, quotas, orders or payments have");
}

void run_list(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    text::Day today = s.today();
    text::Day until =
        o.until ? text::parse_day(*o.until, today, text::Toward::past, "--until") : today;
    text::Day since = o.since ? text::parse_day(*o.since, today, text::Toward::past, "--since")
                              : until - std::chrono::days{30};
    auto writer = ctx.row_writer();
    writer->begin({{"day"},
                   {"kind"},
                   {"status"},
                   {"reps", true},
                   {"visits", true},
                   {"intents", true},
                   {"orders", true},
                   {"notes", true}});
    for (auto& d : meetings::days(s, since, until))
        writer->row({d.day, d.kind, d.status, cell(d.reps), cell(d.visits), cell(d.intents),
                     cell(d.orders), cell(d.notes)});
    writer->end();
}

void run_kind(Context& ctx, const MeetingOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    text::Day day = day_of(ctx, o.date, "--date");
    s.store.write([&] { meetings::set_kind(s, me, day, o.text); });
    ctx.note(fmt::format("the meeting of {} is a {} meeting", text::format_day(day), o.text));
}

}  // namespace

void setup_meeting(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("meeting",
                                     "The end-of-day meeting: report, notes, quotas, "
                                     "archive and approval");
    group->require_subcommand(1);

    auto report = std::make_shared<MeetingOptions>();
    auto* cmd = group->add_subcommand("report", "The day's meeting report, rep by rep");
    cmd->add_option("--date", report->date, "The day (default today)");
    cmd->footer(
        "Formats (the global --format): txt (default; table means txt), md (the written\n"
        "summary), html, json. Dates: weekday names mean the last such day.\n\n"
        "Example:\n  fieldbook meeting report --format md > 2026-11-27.md");
    cmd->callback([&ctx, report] { run_report(ctx, *report); });

    auto note = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("note",
                                "Record a self-review, tool feedback, an idea, or a "
                                "manager's note");
    cmd->add_option("text", note->text,
                    "The note; left out on a terminal, it is written in $VISUAL or $EDITOR "
                    "(else vi)");
    cmd->add_option("--kind", note->kind, "self-review, tool-feedback, idea or manager")
        ->required();
    cmd->add_option("--date", note->date, "The meeting's day (default today)");
    cmd->add_option("--rep", note->rep,
                    "Whose note (default you; a manager or leader may write for any rep)");
    cmd->footer(
        "Without TEXT on a terminal the editor opens on an empty file (VISUAL, then EDITOR,\n"
        "then vi; run by the shell, so 'code --wait' works); saving it empty writes nothing.\n"
        "Without TEXT and without a terminal the command fails.\n\n"
        "Example:\n  fieldbook meeting note --kind self-review 开场白太长，下次精简");
    cmd->callback([&ctx, note] { run_note(ctx, *note); });

    auto plan = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("plan", "Set a rep's visit quota (manager or leader)");
    cmd->add_option("--rep", plan->rep, "The rep")->required();
    cmd->add_option("--visits", plan->visits, "Visits to make")
        ->required()
        ->transform(whole_number(0));
    cmd->add_option("--goal", plan->goal, "The day's goal, e.g. 天府软件园B座 12-16层");
    cmd->add_option("--for", plan->for_day, "The day (default the next working day)");
    cmd->footer(
        "Planning the same rep and day again replaces the earlier plan. The day's own meeting\n"
        "must be open; when the summary of the day before (which lists the plans for this\n"
        "day) is already archived, the plan is set and a warning says the archive keeps the\n"
        "plans it was closed with. Only reps are expected to have a quota: a manager or\n"
        "a leader gets one only when named with --rep.");
    cmd->callback([&ctx, plan] { run_plan(ctx, *plan); });

    auto close = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("close", "Archive the day's summary (manager); it is immutable");
    cmd->add_option("--date", close->date, "The day (default today)");
    cmd->add_flag("--empty", close->empty,
                  "Archive a day with no visits and no notes (refused without it)");
    cmd->callback([&ctx, close] { run_close(ctx, *close); });

    auto approve = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("approve", "Review a closed summary with instructions (leader)");
    cmd->add_option("--date", approve->date, "The day (default today)");
    cmd->add_option("--comment", approve->comment, "Review and instructions (批示)")->required();
    cmd->callback([&ctx, approve] { run_approve(ctx, *approve); });

    auto show = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand(
        "show", "Print the archived summary with its approval (an open day: the live report)");
    cmd->add_option("--date", show->date, "The day (default today)");
    cmd->callback([&ctx, show] { run_show(ctx, *show); });

    auto list = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("list", "Days with their meeting status and headline counts");
    cmd->add_option("--since", list->since, "From this day (default 30 days before --until)");
    cmd->add_option("--until", list->until, "Up to this day (default today)");
    cmd->callback([&ctx, list] { run_list(ctx, *list); });

    auto kind = std::make_shared<MeetingOptions>();
    cmd = group->add_subcommand("kind",
                                "Make a day's meeting an experience-sharing session "
                                "(sharing) or a daily one (manager)");
    cmd->add_option("kind", kind->text, "sharing or daily")->required();
    cmd->add_option("--date", kind->date, "The day (default today)");
    cmd->callback([&ctx, kind] { run_kind(ctx, *kind); });
}

}  // namespace fieldbook::app
