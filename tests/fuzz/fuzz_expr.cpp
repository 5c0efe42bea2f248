// libFuzzer: any bytes as a rule. Parsing either succeeds or throws ExprSyntaxError; evaluation
// either returns or throws EvalError, within its step budget.
#include "ow/forms/expr.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace {

struct FuzzScope : ow::forms::Scope {
    std::map<std::string, ow::forms::Value, std::less<>> values{
        {"a", ow::forms::Value(7)},
        {"b", ow::forms::Value(2.5)},
        {"s", ow::forms::Value("张三")},
        {"d", ow::forms::Value("2000-02-29")},
        {"t", ow::forms::Value(true)},
        {"l", ow::forms::Value(ow::forms::ValueList{ow::forms::Value(1), ow::forms::Value(), ow::forms::Value("x")})},
        {"big", ow::forms::Value(ow::forms::ValueList(1000, ow::forms::Value(std::int64_t(9223372036854775807))))},
    };
    ow::forms::Value lookup(std::string_view name) const override {
        auto it = values.find(name);
        return it == values.end() ? ow::forms::Value() : it->second;
    }
    ow::core::Date today() const override { return ow::core::parse_date("2025-10-09"); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const FuzzScope scope;
    try {
        auto e = ow::forms::Expression::parse(text);
        try {
            (void)e.evaluate(scope).debug();
        } catch (const ow::forms::EvalError&) {
        }
        e.rename([](const std::string& n) { return n + "_x"; });
        try {
            (void)e.evaluate(scope);
        } catch (const ow::forms::EvalError&) {
        }
    } catch (const ow::forms::ExprSyntaxError&) {
    }
    return 0;
}
