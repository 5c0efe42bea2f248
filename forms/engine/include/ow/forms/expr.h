// The rule language of form definitions: one small expression language for required_if,
// visible_if, constraints, cross-field checks, computed fields and material conditions.
//
//   literals    12  3.5  'text'  "text"  true  false  null  [a, b, …]
//   names       field ids (a repeat's children: the value in the current row, or the list of
//               values of all rows when used outside the repeat; a repeat's id: a list with
//               one true per row, so count(repeat) is its number of rows)
//   operators   ! -x   * / %   + -   < <= > >=   == !=   in   &&   ||   c ? a : b
//   functions   len count sum min max empty any all if today age days_between year
//               contains starts_with id_birth
//
// An expression is parsed once (Expression::parse) into a flat node array; evaluation is bounded
// (depth at parse time, a step budget at run time) so no definition can hang or exhaust memory.
// See docs/forms.md for the full semantics. Thread-safety: a parsed Expression is immutable and
// may be evaluated from several threads at once.
#pragma once

#include "ow/core/date.h"
#include "ow/core/error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ow::forms {

/// A syntax error in an expression; the message names the offset in the text.
class ExprSyntaxError : public core::Error {
public:
    explicit ExprSyntaxError(const std::string& message) : Error("forms.expr_syntax", message) {}
};

/// A failure while evaluating (type mismatch, division by zero, overflow, budget exhausted).
class EvalError : public core::Error {
public:
    explicit EvalError(const std::string& message) : Error("forms.eval", message) {}
};

struct Value;
using ValueList = std::vector<Value>;

/// A value of the language: null, boolean, integer, decimal, string (UTF-8; dates are
/// "YYYY-MM-DD" strings) or list.
struct Value {
    std::variant<std::monostate, bool, std::int64_t, double, std::string, ValueList> v;

    Value() = default;
    Value(bool b) : v(b) {}
    Value(std::int64_t i) : v(i) {}
    Value(int i) : v(std::int64_t(i)) {}
    Value(double d) : v(d) {}
    Value(std::string s) : v(std::move(s)) {}
    Value(const char* s) : v(std::string(s)) {}
    Value(ValueList l) : v(std::move(l)) {}

    bool is_null() const { return v.index() == 0; }
    bool is_bool() const { return v.index() == 1; }
    bool is_int() const { return v.index() == 2; }
    bool is_double() const { return v.index() == 3; }
    bool is_number() const { return is_int() || is_double(); }
    bool is_string() const { return v.index() == 4; }
    bool is_list() const { return v.index() == 5; }
    /// null, false, 0, "" and [] are false; everything else is true.
    bool truthy() const;
    /// For messages and tests: a JSON-like rendering.
    std::string debug() const;
    bool operator==(const Value& o) const;
};

/// Where names get their values during evaluation.
class Scope {
public:
    virtual ~Scope() = default;
    /// The value of a field id; null when unknown, empty or hidden.
    virtual Value lookup(std::string_view name) const = 0;
    /// "Today" for today() and age(); fixed by the caller so results are reproducible.
    virtual core::Date today() const = 0;
};

class Expression {
public:
    /// Limits (also documented in docs/forms.md).
    static constexpr std::size_t kMaxText = 2000;    // bytes of source text
    static constexpr int kMaxDepth = 64;             // nesting of parentheses, lists, calls, unary operators
    static constexpr int kMaxHeight = 200;           // height of the parsed tree (e.g. long a || b || … chains)
    static constexpr std::size_t kMaxNodes = 500;
    static constexpr std::int64_t kDefaultBudget = 20000;  // evaluation steps per call
    static constexpr std::size_t kMaxList = 10000;   // elements of any list value
    static constexpr std::size_t kMaxString = 65536; // bytes of any string value

    /// Parses `text`. Throws ExprSyntaxError (with the offset) on bad syntax, unknown functions,
    /// wrong argument counts or exceeded limits.
    static Expression parse(std::string_view text);

    /// Evaluates against `scope`. `budget` (steps) is decremented; EvalError when exhausted,
    /// on a type mismatch, division by zero or integer overflow.
    Value evaluate(const Scope& scope, std::int64_t& budget) const;
    Value evaluate(const Scope& scope) const {
        std::int64_t b = kDefaultBudget;
        return evaluate(scope, b);
    }

    /// The distinct names (field ids) the expression reads, in first-use order.
    const std::vector<std::string>& references() const { return refs_; }
    /// Renames every name (bundles rename item fields to merged ids).
    void rename(const std::function<std::string(const std::string&)>& f);
    /// The source text as written.
    const std::string& text() const { return text_; }

    enum class Op : std::uint8_t {
        lit, ref, list, not_, neg, and_, or_, eq, ne, lt, le, gt, ge, add, sub, mul, div, mod, in, cond, call
    };
    enum class Fn : std::uint8_t {
        len, count, sum, min, max, empty, any, all, if_, today, age, days_between, year, contains, starts_with,
        id_birth
    };
    struct Node {
        Op op = Op::lit;
        Fn fn = Fn::len;
        Value lit;
        std::string name;            // ref
        std::vector<std::uint32_t> kids;
    };

private:
    Value eval(std::uint32_t n, const Scope& s, std::int64_t& budget, int depth) const;
    Value call(const Node& node, const Scope& s, std::int64_t& budget, int depth) const;

    std::string text_;
    std::vector<Node> nodes_;
    std::uint32_t root_ = 0;
    std::vector<std::string> refs_;
    friend class ExprParser;
};

}  // namespace ow::forms
