// onewindow-cli calendar is-workday|add|between|holidays|years|import — the working-day calendar.
// The counting commands take --calendar-dir DIR (other calendar files than the shipped ones),
// --calendar FILE (repeatable: adds or replaces one year) and --json ({"date"|"workday"|"count": …,
// "provisional": bool}: true when a day the answer depended on lies in a provisional year).
#include "cli.h"
#include "i18n.h"
#include "options.h"
#include "store_access.h"

#include "ow/core/calendar.h"
#include "ow/core/error.h"
#include "ow/store/audit.h"
#include "ow/store/cases.h"
#include "ow/store/db.h"
#include "ow/store/repositories.h"
#include "ow/store/settings_registry.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ow::cli {
namespace {

using ordered_json = nlohmann::ordered_json;

struct CalendarArgs {
    core::WorkCalendar calendar;
    std::vector<std::string> positional;
    bool json = false;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::InvalidData(subst(tr("calendar file %1 cannot be read"), path));
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw core::InvalidData(subst(tr("calendar file %1 cannot be read"), path));
    return ss.str();
}

CalendarArgs parse(const std::vector<std::string>& args, std::size_t expected) {
    CalendarArgs out;
    std::string dir;
    std::vector<std::string> files;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--calendar-dir") {
            if (i + 1 >= args.size()) throw UsageError{tr("--calendar-dir needs a directory")};
            dir = args[++i];
        } else if (args[i] == "--calendar") {
            if (i + 1 >= args.size()) throw UsageError{tr("--calendar needs a calendar file")};
            files.push_back(args[++i]);
        } else if (args[i] == "--json") {
            out.json = true;
        } else if (args[i].rfind("--", 0) == 0) {
            throw UsageError{subst(tr("unknown option %1"), args[i])};
        } else {
            out.positional.push_back(args[i]);
        }
    }
    if (out.positional.size() != expected)
        throw UsageError{subst(tr("expected %1 argument(s)"), std::to_string(expected))};
    out.calendar = dir.empty() ? core::WorkCalendar::load_shipped() : core::WorkCalendar::load_directory(dir);
    for (const auto& f : files) out.calendar.add_year(core::CalendarYear::parse(read_text(f), f));
    return out;
}

core::Date date_arg(const std::string& s) {
    auto d = core::try_parse_date(s);
    if (!d) throw UsageError{subst(tr("not a date (YYYY-MM-DD): %1"), s)};
    return *d;
}

int count_arg(const std::string& s) {
    int n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size() || n < 0 || n > 3650)
        throw UsageError{subst(tr("not a number of working days (0%2%3): %1"), s, "–", "3650")};
    return n;
}

// A date outside the calendar (no official year, and outside 2000–2099) is an error of its own
// kind (exit 2, named clearly).
template <class F>
int range_guarded(F&& f) {
    try {
        return f();
    } catch (const core::CalendarRangeError& e) {
        std::cerr << "onewindow-cli: " << error_text(e) << "\n";
        return kUsage;
    }
}

template <class T>
void print(const CalendarArgs& a, const char* key, const core::CalendarAnswer<T>& answer, const std::string& plain) {
    if (!a.json) {
        std::cout << plain << "\n";
        return;
    }
    ordered_json j;
    if constexpr (std::is_same_v<T, core::Date>)
        j[key] = core::format_date(answer.value);
    else
        j[key] = answer.value;
    j["provisional"] = answer.provisional;
    std::cout << j.dump() << "\n";
}

// calendar holidays YEAR: the statutory days off and the worked weekend days of one year, official
// or provisional (so that what a provisional year assumes can be read).
int calendar_holidays(const CalendarArgs& a) {
    const std::string& text = a.positional[0];
    int year = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
    if (ec != std::errc() || p != text.data() + text.size() || year < 1 || year > 9999)
        throw UsageError{subst(tr("not a year: %1"), text)};
    const core::Date first{std::chrono::year{year} / std::chrono::January / 1};
    const core::Date end{std::chrono::year{year + 1} / std::chrono::January / 1};
    ordered_json off = ordered_json::array(), worked = ordered_json::array();
    bool provisional = false;
    for (core::Date d = first; d < end; d += std::chrono::days{1}) {
        auto w = a.calendar.workday_answer(d);  // CalendarRangeError outside the calendar
        provisional = w.provisional;
        if (auto name = a.calendar.holiday_name(d)) off.push_back({{"date", core::format_date(d)}, {"name", *name}});
        else if (w.value && core::is_weekend(d)) worked.push_back(core::format_date(d));
    }
    if (a.json) {
        std::cout << ordered_json{{"year", year}, {"provisional", provisional}, {"days_off", off}, {"workdays", worked}}.dump()
                  << "\n";
        return kOk;
    }
    std::cout << year << (provisional ? " provisional" : " official") << "\n";
    for (const auto& o : off) std::cout << o["date"].get<std::string>() << " " << o["name"].get<std::string>() << "\n";
    for (const auto& w : worked) std::cout << w.get<std::string>() << " workday\n";
    return kOk;
}

// calendar import FILE: an official year from a file, by an admin, audited; the open cases whose
// promised date was provisional are computed again with it.
int calendar_import(const std::vector<std::string>& args) {
    auto o = Options::parse(args, with_open_options({}), {"--json"});
    if (o.positional.size() != 1) throw UsageError{tr("expected one calendar file")};
    const std::string file = o.positional[0];
    const std::string text = read_text(file);
    (void)core::CalendarYear::parse(text, file);  // checked before the store is opened
    auto s = open_store(o);
    if (s->user().role != core::Role::admin) {
        std::cerr << "onewindow-cli: "
                  << subst(tr("only an admin may import a working-day calendar (%1 is %2)"), s->user().name, core::to_code(s->user().role))
                  << "\n";
        return kNo;
    }
    const auto done = store::import_calendar(*s, text, file);  // the desk's settings screen imports the same way
    if (o.has("--json"))
        std::cout << ordered_json{{"year", done.year}, {"revision", done.revision}, {"recomputed", done.recomputed}}.dump() << "\n";
    else
        std::cout << "calendar " << done.year << " imported; " << done.recomputed << " open case(s) recomputed\n";
    return kOk;
}

}  // namespace

void register_calendar_commands() {
    const std::string opts = " [--json] [--calendar FILE]… [--calendar-dir DIR]";
    commands().push_back({"calendar", "is-workday", "YYYY-MM-DD" + opts,
                          TR_N_("print yes or no (exit 0 / 1): is the day a working day (holidays and make-up workdays "
                          "of the State Council calendar; a provisional calendar for unpublished years)"),
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 1);
                              return range_guarded([&] {
                                  auto w = a.calendar.workday_answer(date_arg(a.positional[0]));
                                  print(a, "workday", w, w.value ? "yes" : "no");
                                  return w.value ? int(kOk) : int(kNo);
                              });
                          }});
    commands().push_back({"calendar", "add", "YYYY-MM-DD N" + opts,
                          TR_N_("print the date N working days after the day (the day itself is not counted; N = 0 gives "
                          "the day if it is a working day, else the next working day)"),
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 2);
                              return range_guarded([&] {
                                  auto d = a.calendar.add_working_days_answer(date_arg(a.positional[0]),
                                                                              count_arg(a.positional[1]));
                                  print(a, "date", d, core::format_date(d.value));
                                  return int(kOk);
                              });
                          }});
    commands().push_back({"calendar", "between", "FROM TO" + opts,
                          TR_N_("print the number of working days in (FROM, TO]"),
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 2);
                              return range_guarded([&] {
                                  auto n = a.calendar.working_days_between_answer(date_arg(a.positional[0]),
                                                                                  date_arg(a.positional[1]));
                                  print(a, "count", n, std::to_string(n.value));
                                  return int(kOk);
                              });
                          }});
    commands().push_back({"calendar", "holidays", "YEAR" + opts,
                          TR_N_("print the year's statutory days off and worked weekend days, and whether the year is "
                          "official or provisional"),
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 1);
                              return range_guarded([&] { return calendar_holidays(a); });
                          }});
    commands().push_back({"calendar", "years", "[--json] [--calendar FILE]… [--calendar-dir DIR]",
                          TR_N_("print the official (published) years the calendar holds"),
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 0);
                              if (a.json) {
                                  std::cout << ordered_json(a.calendar.years()).dump() << "\n";
                                  return int(kOk);
                              }
                              for (int y : a.calendar.years()) std::cout << y << "\n";
                              return int(kOk);
                          }});
    commands().push_back({"calendar", "import", "FILE --store DIR --password-file F [--user ADMIN] [--json]",
                          TR_N_("store an official year from a calendar file (admin; audited) and compute again the "
                          "promised dates of open cases that were provisional"),
                          run_guarded<calendar_import>});
}

}  // namespace ow::cli
