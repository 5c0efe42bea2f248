// onewindow-cli calendar is-workday|add|between|years — the working-day calendar.
// Every command takes --calendar-dir DIR to use other calendar files than the shipped ones.
#include "cli.h"

#include "ow/core/calendar.h"
#include "ow/core/error.h"

#include <charconv>
#include <iostream>

namespace ow::cli {
namespace {

struct CalendarArgs {
    core::WorkCalendar calendar;
    std::vector<std::string> positional;
};

CalendarArgs parse(const std::vector<std::string>& args, std::size_t expected) {
    CalendarArgs out;
    std::string dir;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--calendar-dir") {
            if (i + 1 >= args.size()) throw UsageError{"--calendar-dir needs a directory"};
            dir = args[++i];
        } else if (args[i].rfind("--", 0) == 0) {
            throw UsageError{"unknown option " + args[i]};
        } else {
            out.positional.push_back(args[i]);
        }
    }
    if (out.positional.size() != expected)
        throw UsageError{"expected " + std::to_string(expected) + " argument(s)"};
    out.calendar = dir.empty() ? core::WorkCalendar::load_shipped() : core::WorkCalendar::load_directory(dir);
    return out;
}

core::Date date_arg(const std::string& s) {
    auto d = core::try_parse_date(s);
    if (!d) throw UsageError{"not a date (YYYY-MM-DD): " + s};
    return *d;
}

int count_arg(const std::string& s) {
    int n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size() || n < 0 || n > 3650)
        throw UsageError{"not a number of working days (0–3650): " + s};
    return n;
}

// A date outside the published calendar is an error of its own kind (exit 2, named clearly).
template <class F>
int guarded(F&& f) {
    try {
        return f();
    } catch (const core::CalendarRangeError& e) {
        std::cerr << "onewindow-cli: " << e.what() << "\n";
        return kUsage;
    }
}

}  // namespace

void register_calendar_commands() {
    commands().push_back({"calendar", "is-workday", "YYYY-MM-DD",
                          "print yes or no (exit 0 / 1): is the day a working day (holidays and make-up workdays "
                          "of the State Council calendar)",
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 1);
                              return guarded([&] {
                                  bool w = a.calendar.is_workday(date_arg(a.positional[0]));
                                  std::cout << (w ? "yes" : "no") << "\n";
                                  return w ? int(kOk) : int(kNo);
                              });
                          }});
    commands().push_back({"calendar", "add", "YYYY-MM-DD N",
                          "print the date N working days after the day (the day itself is not counted; N = 0 gives "
                          "the day if it is a working day, else the next working day)",
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 2);
                              return guarded([&] {
                                  auto d = a.calendar.add_working_days(date_arg(a.positional[0]), count_arg(a.positional[1]));
                                  std::cout << core::format_date(d) << "\n";
                                  return int(kOk);
                              });
                          }});
    commands().push_back({"calendar", "between", "FROM TO",
                          "print the number of working days in (FROM, TO]",
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 2);
                              return guarded([&] {
                                  std::cout << a.calendar.working_days_between(date_arg(a.positional[0]),
                                                                               date_arg(a.positional[1]))
                                            << "\n";
                                  return int(kOk);
                              });
                          }});
    commands().push_back({"calendar", "years", "", "print the published years the calendar covers",
                          [](const std::vector<std::string>& args) {
                              auto a = parse(args, 0);
                              for (int y : a.calendar.years()) std::cout << y << "\n";
                              return int(kOk);
                          }});
}

}  // namespace ow::cli
