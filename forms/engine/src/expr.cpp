#include "ow/forms/expr.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

namespace ow::forms {

// ---- values -------------------------------------------------------------------------------

bool Value::truthy() const {
    switch (v.index()) {
    case 0: return false;
    case 1: return std::get<bool>(v);
    case 2: return std::get<std::int64_t>(v) != 0;
    case 3: return std::get<double>(v) != 0.0;
    case 4: return !std::get<std::string>(v).empty();
    default: return !std::get<ValueList>(v).empty();
    }
}

std::string Value::debug() const {
    switch (v.index()) {
    case 0: return "null";
    case 1: return std::get<bool>(v) ? "true" : "false";
    case 2: return std::to_string(std::get<std::int64_t>(v));
    case 3: {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, std::get<double>(v));
        return std::string(buf, r.ptr);
    }
    case 4: return "'" + std::get<std::string>(v) + "'";
    default: {
        std::string out = "[";
        for (const auto& e : std::get<ValueList>(v)) out += (out.size() > 1 ? ", " : "") + e.debug();
        return out + "]";
    }
    }
}

namespace {

double as_double(const Value& x) { return x.is_int() ? double(std::get<std::int64_t>(x.v)) : std::get<double>(x.v); }

bool equal(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.is_int() && b.is_int()) return std::get<std::int64_t>(a.v) == std::get<std::int64_t>(b.v);
        return as_double(a) == as_double(b);
    }
    if (a.v.index() != b.v.index()) return false;
    if (a.is_list()) {
        const auto& x = std::get<ValueList>(a.v);
        const auto& y = std::get<ValueList>(b.v);
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!equal(x[i], y[i])) return false;
        return true;
    }
    return a.v == b.v;
}

const char* type_name(const Value& x) {
    static const char* names[] = {"null", "boolean", "integer", "decimal", "string", "list"};
    return names[x.v.index()];
}

}  // namespace

bool Value::operator==(const Value& o) const { return equal(*this, o); }

// ---- parser -------------------------------------------------------------------------------

struct FnInfo {
    const char* name;
    Expression::Fn fn;
    int min_args;
    int max_args;  // -1: any (up to 16)
};

constexpr FnInfo kFunctions[] = {
    {"len", Expression::Fn::len, 1, 1},         {"count", Expression::Fn::count, 1, 1},
    {"sum", Expression::Fn::sum, 1, 1},         {"min", Expression::Fn::min, 1, -1},
    {"max", Expression::Fn::max, 1, -1},        {"empty", Expression::Fn::empty, 1, 1},
    {"any", Expression::Fn::any, 1, 1},         {"all", Expression::Fn::all, 1, 1},
    {"if", Expression::Fn::if_, 3, 3},          {"today", Expression::Fn::today, 0, 0},
    {"age", Expression::Fn::age, 1, 2},         {"days_between", Expression::Fn::days_between, 2, 2},
    {"year", Expression::Fn::year, 1, 1},       {"contains", Expression::Fn::contains, 2, 2},
    {"starts_with", Expression::Fn::starts_with, 2, 2}, {"id_birth", Expression::Fn::id_birth, 1, 1},
};

class ExprParser {
public:
    ExprParser(std::string_view text, Expression& e) : s_(text), e_(e) {}

    void run() {
        skip();
        e_.root_ = parse_expr(0);
        skip();
        if (pos_ < s_.size()) fail("unexpected '" + std::string(s_.substr(pos_, 1)) + "'");
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw ExprSyntaxError("expression at offset " + std::to_string(pos_) + ": " + what);
    }

    void skip() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    bool eat(std::string_view tok) {
        skip();
        if (s_.substr(pos_, tok.size()) == tok) {
            pos_ += tok.size();
            return true;
        }
        return false;
    }
    void expect(std::string_view tok) {
        if (!eat(tok)) fail("expected '" + std::string(tok) + "'");
    }
    static bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
    static bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
    bool keyword(std::string_view kw) {
        skip();
        if (s_.substr(pos_, kw.size()) == kw && (pos_ + kw.size() == s_.size() || !ident_char(s_[pos_ + kw.size()]))) {
            pos_ += kw.size();
            return true;
        }
        return false;
    }

    std::uint32_t add(Expression::Node n) {
        if (e_.nodes_.size() >= Expression::kMaxNodes) fail("too many operations (at most " + std::to_string(Expression::kMaxNodes) + ")");
        // the height of the tree bounds the recursion of evaluation
        int h = 1;
        for (auto k : n.kids) h = std::max(h, heights_[k] + 1);
        if (h > Expression::kMaxHeight) fail("nested too deeply (tree height over " + std::to_string(Expression::kMaxHeight) + ")");
        heights_.push_back(h);
        e_.nodes_.push_back(std::move(n));
        return std::uint32_t(e_.nodes_.size() - 1);
    }
    std::uint32_t node(Expression::Op op, std::vector<std::uint32_t> kids) {
        Expression::Node n;
        n.op = op;
        n.kids = std::move(kids);
        return add(std::move(n));
    }

    struct DepthGuard {
        ExprParser& p;
        explicit DepthGuard(ExprParser& pp) : p(pp) {
            if (++p.depth_ > Expression::kMaxDepth) p.fail("nested too deeply (at most " + std::to_string(Expression::kMaxDepth) + " levels)");
        }
        ~DepthGuard() { --p.depth_; }
    };

    // precedence: 0 ?:, 1 ||, 2 &&, 3 == !=, 4 < <= > >= in, 5 + -, 6 * / %, 7 unary
    std::uint32_t parse_expr(int) {
        DepthGuard g(*this);
        std::uint32_t c = parse_binary(1);
        if (eat("?")) {
            std::uint32_t a = parse_expr(0);
            expect(":");
            std::uint32_t b = parse_expr(0);
            return node(Expression::Op::cond, {c, a, b});
        }
        return c;
    }

    bool binary_op(int level, Expression::Op& op) {
        skip();
        auto at = [&](std::string_view t) { return s_.substr(pos_, t.size()) == t; };
        switch (level) {
        case 1: if (at("||")) { pos_ += 2; op = Expression::Op::or_; return true; } return false;
        case 2: if (at("&&")) { pos_ += 2; op = Expression::Op::and_; return true; } return false;
        case 3:
            if (at("==")) { pos_ += 2; op = Expression::Op::eq; return true; }
            if (at("!=")) { pos_ += 2; op = Expression::Op::ne; return true; }
            return false;
        case 4:
            if (at("<=")) { pos_ += 2; op = Expression::Op::le; return true; }
            if (at(">=")) { pos_ += 2; op = Expression::Op::ge; return true; }
            if (at("<")) { pos_ += 1; op = Expression::Op::lt; return true; }
            if (at(">")) { pos_ += 1; op = Expression::Op::gt; return true; }
            if (keyword("in")) { op = Expression::Op::in; return true; }
            return false;
        case 5:
            if (at("+")) { pos_ += 1; op = Expression::Op::add; return true; }
            if (at("-")) { pos_ += 1; op = Expression::Op::sub; return true; }
            return false;
        case 6:
            if (at("*")) { pos_ += 1; op = Expression::Op::mul; return true; }
            if (at("/")) { pos_ += 1; op = Expression::Op::div; return true; }
            if (at("%")) { pos_ += 1; op = Expression::Op::mod; return true; }
            return false;
        default: return false;
        }
    }

    std::uint32_t parse_binary(int level) {
        if (level > 6) return parse_unary();
        std::uint32_t lhs = parse_binary(level + 1);
        Expression::Op op{};
        while (binary_op(level, op)) {
            std::uint32_t rhs = parse_binary(level + 1);
            lhs = node(op, {lhs, rhs});
        }
        return lhs;
    }

    std::uint32_t parse_unary() {
        DepthGuard g(*this);
        skip();
        if (pos_ < s_.size() && s_[pos_] == '!' && s_.substr(pos_, 2) != "!=") {
            ++pos_;
            return node(Expression::Op::not_, {parse_unary()});
        }
        if (pos_ < s_.size() && s_[pos_] == '-') {
            ++pos_;
            return node(Expression::Op::neg, {parse_unary()});
        }
        return parse_primary();
    }

    std::uint32_t parse_primary() {
        skip();
        if (pos_ >= s_.size()) fail("unexpected end of expression");
        char c = s_[pos_];
        if (c == '(') {
            ++pos_;
            std::uint32_t inner = parse_expr(0);
            expect(")");
            return inner;
        }
        if (c == '[') {
            ++pos_;
            std::vector<std::uint32_t> kids;
            if (!eat("]")) {
                do {
                    if (kids.size() >= 256) fail("list literal too long");
                    kids.push_back(parse_expr(0));
                } while (eat(","));
                expect("]");
            }
            return node(Expression::Op::list, std::move(kids));
        }
        if (c == '\'' || c == '"') return parse_string(c);
        if (c >= '0' && c <= '9') return parse_number();
        if (ident_start(c)) {
            std::size_t start = pos_;
            while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
            std::string name(s_.substr(start, pos_ - start));
            if (name.size() > 64) fail("name too long");
            Expression::Node n;
            if (name == "true" || name == "false") {
                n.lit = Value(name == "true");
                return add(std::move(n));
            }
            if (name == "null") return add(std::move(n));
            if (name == "in") fail("'in' needs a value on its left");
            if (eat("(")) {
                const FnInfo* fi = nullptr;
                for (const auto& f : kFunctions)
                    if (name == f.name) fi = &f;
                if (!fi) {
                    pos_ = start;
                    fail("unknown function '" + name + "'");
                }
                n.op = Expression::Op::call;
                n.fn = fi->fn;
                if (!eat(")")) {
                    do {
                        if (n.kids.size() >= 16) fail("too many arguments");
                        n.kids.push_back(parse_expr(0));
                    } while (eat(","));
                    expect(")");
                }
                int argc = int(n.kids.size());
                if (argc < fi->min_args || (fi->max_args >= 0 && argc > fi->max_args))
                    fail("wrong number of arguments for " + name + "()");
                return add(std::move(n));
            }
            n.op = Expression::Op::ref;
            n.name = name;
            if (std::find(e_.refs_.begin(), e_.refs_.end(), name) == e_.refs_.end()) e_.refs_.push_back(name);
            return add(std::move(n));
        }
        fail("unexpected '" + std::string(1, c) + "'");
    }

    std::uint32_t parse_string(char quote) {
        ++pos_;
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) fail("unterminated string");
            char c = s_[pos_++];
            if (c == quote) break;
            if (c == '\\') {
                if (pos_ >= s_.size()) fail("unterminated string");
                char e = s_[pos_++];
                if (e != '\\' && e != '\'' && e != '"') fail("unknown escape \\" + std::string(1, e));
                out.push_back(e);
                continue;
            }
            out.push_back(c);
        }
        Expression::Node n;
        n.lit = Value(std::move(out));
        return add(std::move(n));
    }

    std::uint32_t parse_number() {
        std::size_t start = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        bool is_dec = false;
        if (pos_ + 1 < s_.size() && s_[pos_] == '.' && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9') {
            is_dec = true;
            ++pos_;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        }
        if (pos_ < s_.size() && ident_char(s_[pos_])) fail("bad number");
        std::string_view t = s_.substr(start, pos_ - start);
        Expression::Node n;
        if (is_dec) {
            double d = 0;
            auto r = std::from_chars(t.data(), t.data() + t.size(), d);
            if (r.ec != std::errc() || !std::isfinite(d)) fail("bad number");
            n.lit = Value(d);
        } else {
            std::int64_t i = 0;
            auto r = std::from_chars(t.data(), t.data() + t.size(), i);
            if (r.ec != std::errc()) fail("number out of range");
            n.lit = Value(i);
        }
        return add(std::move(n));
    }

    std::string_view s_;
    Expression& e_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    std::vector<int> heights_;
};

Expression Expression::parse(std::string_view text) {
    if (text.size() > kMaxText) throw ExprSyntaxError("expression too long (at most " + std::to_string(kMaxText) + " bytes)");
    if (text.find('\0') != std::string_view::npos) throw ExprSyntaxError("expression contains a NUL byte");
    Expression e;
    e.text_ = std::string(text);
    ExprParser p(text, e);
    p.run();
    return e;
}

void Expression::rename(const std::function<std::string(const std::string&)>& f) {
    for (auto& n : nodes_)
        if (n.op == Op::ref) n.name = f(n.name);
    for (auto& r : refs_) r = f(r);
}

// ---- evaluation ---------------------------------------------------------------------------

namespace {

[[noreturn]] void type_error(const char* op, const Value& a, const Value& b) {
    throw EvalError(std::string("cannot apply '") + op + "' to " + type_name(a) + " and " + type_name(b));
}

Value arith(Expression::Op op, const Value& a, const Value& b) {
    static const char* names[] = {"+", "-", "*", "/", "%"};
    const char* name = names[int(op) - int(Expression::Op::add)];
    if (a.is_null() || b.is_null()) return {};
    if (op == Expression::Op::add && a.is_string() && b.is_string()) {
        const auto& x = std::get<std::string>(a.v);
        const auto& y = std::get<std::string>(b.v);
        if (x.size() + y.size() > Expression::kMaxString) throw EvalError("string too long");
        return Value(x + y);
    }
    if (!a.is_number() || !b.is_number()) type_error(name, a, b);
    if (a.is_int() && b.is_int()) {
        std::int64_t x = std::get<std::int64_t>(a.v), y = std::get<std::int64_t>(b.v), r = 0;
        switch (op) {
        case Expression::Op::add: if (__builtin_add_overflow(x, y, &r)) throw EvalError("integer overflow"); return Value(r);
        case Expression::Op::sub: if (__builtin_sub_overflow(x, y, &r)) throw EvalError("integer overflow"); return Value(r);
        case Expression::Op::mul: if (__builtin_mul_overflow(x, y, &r)) throw EvalError("integer overflow"); return Value(r);
        case Expression::Op::div:
            if (y == 0) throw EvalError("division by zero");
            if (x == std::numeric_limits<std::int64_t>::min() && y == -1) throw EvalError("integer overflow");
            if (x % y == 0) return Value(x / y);
            return Value(double(x) / double(y));
        default:
            if (y == 0) throw EvalError("division by zero");
            if (y == -1) return Value(std::int64_t(0));
            return Value(x % y);
        }
    }
    double x = as_double(a), y = as_double(b), r = 0;
    switch (op) {
    case Expression::Op::add: r = x + y; break;
    case Expression::Op::sub: r = x - y; break;
    case Expression::Op::mul: r = x * y; break;
    case Expression::Op::div:
        if (y == 0) throw EvalError("division by zero");
        r = x / y;
        break;
    default:
        if (y == 0) throw EvalError("division by zero");
        r = std::fmod(x, y);
    }
    if (!std::isfinite(r)) throw EvalError("decimal overflow");
    return Value(r);
}

// <0, 0, >0; nullopt when either is null
std::optional<int> compare(const char* name, const Value& a, const Value& b) {
    if (a.is_null() || b.is_null()) return std::nullopt;
    if (a.is_number() && b.is_number()) {
        if (a.is_int() && b.is_int()) {
            auto x = std::get<std::int64_t>(a.v), y = std::get<std::int64_t>(b.v);
            return x < y ? -1 : x > y ? 1 : 0;
        }
        double x = as_double(a), y = as_double(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.is_string() && b.is_string()) {
        int c = std::get<std::string>(a.v).compare(std::get<std::string>(b.v));
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    type_error(name, a, b);
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::optional<core::Date> as_date(const Value& x) {
    if (!x.is_string()) return std::nullopt;
    return core::try_parse_date(std::get<std::string>(x.v));
}

}  // namespace

Value Expression::eval(std::uint32_t idx, const Scope& s, std::int64_t& budget, int depth) const {
    if (--budget < 0) throw EvalError("the rule is too expensive to evaluate");
    if (depth > kMaxHeight) throw EvalError("the rule is nested too deeply");
    const Node& n = nodes_[idx];
    auto kid = [&](std::size_t i) { return eval(n.kids[i], s, budget, depth + 1); };
    switch (n.op) {
    case Op::lit: return n.lit;
    case Op::ref: {
        Value v = s.lookup(n.name);
        if (v.is_list()) budget -= std::int64_t(std::get<ValueList>(v.v).size());
        return v;
    }
    case Op::list: {
        ValueList out;
        out.reserve(n.kids.size());
        for (std::size_t i = 0; i < n.kids.size(); ++i) out.push_back(kid(i));
        return Value(std::move(out));
    }
    case Op::not_: return Value(!kid(0).truthy());
    case Op::neg: {
        Value a = kid(0);
        if (a.is_null()) return {};
        if (a.is_int()) {
            auto x = std::get<std::int64_t>(a.v);
            if (x == std::numeric_limits<std::int64_t>::min()) throw EvalError("integer overflow");
            return Value(-x);
        }
        if (a.is_double()) return Value(-std::get<double>(a.v));
        throw EvalError(std::string("cannot negate ") + type_name(a));
    }
    case Op::and_: return Value(kid(0).truthy() && kid(1).truthy());
    case Op::or_: return Value(kid(0).truthy() || kid(1).truthy());
    case Op::eq: return Value(equal(kid(0), kid(1)));
    case Op::ne: return Value(!equal(kid(0), kid(1)));
    case Op::lt: case Op::le: case Op::gt: case Op::ge: {
        static const char* names[] = {"<", "<=", ">", ">="};
        auto c = compare(names[int(n.op) - int(Op::lt)], kid(0), kid(1));
        if (!c) return {};
        switch (n.op) {
        case Op::lt: return Value(*c < 0);
        case Op::le: return Value(*c <= 0);
        case Op::gt: return Value(*c > 0);
        default: return Value(*c >= 0);
        }
    }
    case Op::add: case Op::sub: case Op::mul: case Op::div: case Op::mod: return arith(n.op, kid(0), kid(1));
    case Op::in: {
        Value a = kid(0), b = kid(1);
        if (a.is_null() || b.is_null()) return Value(false);
        if (b.is_list()) {
            const auto& l = std::get<ValueList>(b.v);
            budget -= std::int64_t(l.size());
            return Value(std::any_of(l.begin(), l.end(), [&](const Value& e) { return equal(a, e); }));
        }
        if (a.is_string() && b.is_string())
            return Value(std::get<std::string>(b.v).find(std::get<std::string>(a.v)) != std::string::npos);
        type_error("in", a, b);
    }
    case Op::cond: return kid(0).truthy() ? kid(1) : kid(2);
    case Op::call: return call(n, s, budget, depth);
    }
    return {};
}

Value Expression::call(const Node& n, const Scope& s, std::int64_t& budget, int depth) const {
    auto arg = [&](std::size_t i) { return eval(n.kids[i], s, budget, depth + 1); };
    auto list_of = [&](const Value& v) -> ValueList {
        if (v.is_list()) {
            budget -= std::int64_t(std::get<ValueList>(v.v).size());
            return std::get<ValueList>(v.v);
        }
        if (v.is_null()) return {};
        return ValueList{v};
    };
    switch (n.fn) {
    case Fn::len: {
        Value a = arg(0);
        if (a.is_null()) return Value(0);
        if (a.is_string()) return Value(std::int64_t(utf8_length(std::get<std::string>(a.v))));
        if (a.is_list()) return Value(std::int64_t(std::get<ValueList>(a.v).size()));
        throw EvalError(std::string("len() of ") + type_name(a));
    }
    case Fn::count: {
        std::int64_t c = 0;
        for (const auto& e : list_of(arg(0)))
            if (!e.is_null() && !(e.is_string() && std::get<std::string>(e.v).empty())) ++c;
        return Value(c);
    }
    case Fn::sum: {
        Value total(std::int64_t(0));
        for (const auto& e : list_of(arg(0))) {
            if (e.is_null()) continue;
            if (!e.is_number()) throw EvalError(std::string("sum() of ") + type_name(e));
            total = arith(Op::add, total, e);
        }
        return total;
    }
    case Fn::min: case Fn::max: {
        ValueList all;
        for (std::size_t i = 0; i < n.kids.size(); ++i)
            for (auto& e : list_of(arg(i)))
                if (!e.is_null()) all.push_back(std::move(e));
        if (all.empty()) return {};
        Value best = all[0];
        for (const auto& e : all) {
            auto c = compare(n.fn == Fn::min ? "min" : "max", e, best);
            if (c && ((n.fn == Fn::min && *c < 0) || (n.fn == Fn::max && *c > 0))) best = e;
        }
        return best;
    }
    case Fn::empty: {
        Value a = arg(0);
        return Value(a.is_null() || (a.is_string() && std::get<std::string>(a.v).empty()) ||
                     (a.is_list() && std::get<ValueList>(a.v).empty()));
    }
    case Fn::any: case Fn::all: {
        auto l = list_of(arg(0));
        if (n.fn == Fn::any) return Value(std::any_of(l.begin(), l.end(), [](const Value& e) { return e.truthy(); }));
        return Value(std::all_of(l.begin(), l.end(), [](const Value& e) { return e.truthy(); }));
    }
    case Fn::if_: return arg(0).truthy() ? arg(1) : arg(2);
    case Fn::today: return Value(core::format_date(s.today()));
    case Fn::age: {
        auto birth = as_date(arg(0));
        core::Date on = s.today();
        if (n.kids.size() > 1) {
            auto d = as_date(arg(1));
            if (!d) return {};
            on = *d;
        }
        if (!birth) return {};
        std::chrono::year_month_day b{*birth}, t{on};
        int years = int(t.year()) - int(b.year());
        if (t.month() < b.month() || (t.month() == b.month() && t.day() < b.day())) --years;
        return Value(std::int64_t(years));
    }
    case Fn::days_between: {
        auto a = as_date(arg(0));
        auto b = as_date(arg(1));
        if (!a || !b) return {};
        return Value(std::int64_t((*b - *a).count()));
    }
    case Fn::year: {
        auto d = as_date(arg(0));
        if (!d) return {};
        return Value(std::int64_t(core::year_of(*d)));
    }
    case Fn::contains: {
        Value a = arg(0), b = arg(1);
        if (a.is_null() || b.is_null()) return Value(false);
        if (a.is_list()) {
            auto l = list_of(a);
            return Value(std::any_of(l.begin(), l.end(), [&](const Value& e) { return equal(e, b); }));
        }
        if (a.is_string() && b.is_string())
            return Value(std::get<std::string>(a.v).find(std::get<std::string>(b.v)) != std::string::npos);
        type_error("contains", a, b);
    }
    case Fn::id_birth: {
        // the birth date in an 18-digit resident ID number (digits 7-14), or null
        Value a = arg(0);
        if (!a.is_string()) return {};
        const auto& id = std::get<std::string>(a.v);
        if (id.size() != 18) return {};
        std::string d = id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
        if (!core::try_parse_date(d)) return {};
        return Value(d);
    }
    case Fn::starts_with: {
        Value a = arg(0), b = arg(1);
        if (a.is_null() || b.is_null()) return Value(false);
        if (!a.is_string() || !b.is_string()) type_error("starts_with", a, b);
        return Value(std::get<std::string>(a.v).rfind(std::get<std::string>(b.v), 0) == 0);
    }
    }
    return {};
}

Value Expression::evaluate(const Scope& scope, std::int64_t& budget) const {
    if (nodes_.empty()) return {};
    return eval(root_, scope, budget, 0);
}

}  // namespace ow::forms
