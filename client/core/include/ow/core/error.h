// Typed errors of the GUI-free core. Every failure a user can cause is one of these: it carries a
// stable code (for logs, tests and translation lookup) and an English message that is marked for
// translation (see i18n.h) so the desk can show it in Chinese. Messages never contain secrets.
#pragma once

#include <stdexcept>
#include <string>

namespace ow::core {

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    /// Stable machine-readable code, e.g. "case.illegal_transition".
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

/// Input text that could not be parsed (a date, a JSON document, a number).
class ParseError : public Error {
public:
    using Error::Error;
    explicit ParseError(const std::string& message) : Error("parse", message) {}
};

/// Data that parsed but breaks a rule (e.g. a calendar file listing a weekday as make-up workday).
class InvalidData : public Error {
public:
    explicit InvalidData(const std::string& message) : Error("invalid_data", message) {}
};

/// A date outside the published working-day calendar: no due date is guessed.
class CalendarRangeError : public Error {
public:
    explicit CalendarRangeError(const std::string& message) : Error("calendar.out_of_range", message) {}
};

}  // namespace ow::core
