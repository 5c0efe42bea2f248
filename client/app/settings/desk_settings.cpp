#include "settings/desk_settings.h"

#include "ow/core/error.h"
#include "ow/core/ids.h"
#include "ow/store/repositories.h"

#include <algorithm>

namespace ow::app {
namespace {

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

const char* to_code(Problem p) {
    switch (p) {
    case Problem::none: return "none";
    case Problem::empty: return "empty";
    case Problem::too_long: return "too_long";
    case Problem::control_character: return "control_character";
    case Problem::mismatch: return "mismatch";
    case Problem::too_short: return "too_short";
    case Problem::bad_user_name: return "bad_user_name";
    case Problem::bad_centre: return "bad_centre";
    case Problem::bad_terminal: return "bad_terminal";
    case Problem::out_of_range: return "out_of_range";
    }
    return "unknown";
}

Problem check_idle_lock(std::chrono::minutes m) {
    return m < kIdleLockMin || m > kIdleLockMax ? Problem::out_of_range : Problem::none;
}

std::chrono::minutes idle_lock(store::Store& store) {
    auto s = store::Settings(store.db()).idle_lock();
    auto m = std::chrono::ceil<std::chrono::minutes>(s);
    return std::clamp(m, kIdleLockMin, kIdleLockMax);
}

Problem set_idle_lock(store::Store& store, std::chrono::minutes m) {
    if (auto p = check_idle_lock(m); p != Problem::none) return p;
    store::Settings(store.db()).set_idle_lock(m);
    return Problem::none;
}

Problem check_window_label(std::string_view label) {
    label = trim(label);
    auto n = utf8_length(label);
    if (!n || has_control(label)) return Problem::control_character;
    if (*n > kWindowLabelMaxChars) return Problem::too_long;
    return Problem::none;
}

std::string window_label(store::Store& store) { return store::Settings(store.db()).window_label(); }

PrintSetup print_setup(store::Store& store) {
    store::SettingValues values(store);
    return {values.get("print.printer"), values.get("print.paper")};
}

Problem set_window_label(store::Store& store, std::string_view label) {
    if (auto p = check_window_label(label); p != Problem::none) return p;
    store::Settings(store.db()).set_window_label(std::string(trim(label)));
    return Problem::none;
}

Problem check_user_name(std::string_view name) {
    if (name.empty()) return Problem::empty;
    if (name.size() > store::kMaxUserNameBytes) return Problem::too_long;
    if (!utf8_length(name) || has_control(name)) return Problem::control_character;
    if (name.find(' ') != std::string_view::npos || name == "recovery") return Problem::bad_user_name;
    return Problem::none;
}

Problem check_display_name(std::string_view name) {
    name = trim(name);
    if (name.empty()) return Problem::empty;
    auto n = utf8_length(name);
    if (!n || has_control(name)) return Problem::control_character;
    if (*n > 32 || name.size() > 100) return Problem::too_long;
    return Problem::none;
}

Problem check_passphrase(std::string_view passphrase) {
    if (passphrase.empty()) return Problem::empty;
    if (passphrase.size() > kMaxPassphraseBytes) return Problem::too_long;
    auto n = utf8_length(passphrase);
    if (!n || has_control(passphrase)) return Problem::control_character;
    if (*n < kMinPassphraseChars || passphrase.size() < store::kMinPasswordBytes) return Problem::too_short;
    return Problem::none;
}

Problem check_centre(std::string_view centre) {
    if (centre.empty()) return Problem::empty;
    try {
        core::InMemorySequence probe;
        core::ReceiptNumberIssuer check(std::string(centre), "T1", probe);
        return Problem::none;
    } catch (const core::InvalidData&) {
        return Problem::bad_centre;
    }
}

Problem check_terminal(std::string_view terminal) {
    if (terminal.empty()) return Problem::empty;
    try {
        core::InMemorySequence probe;
        core::ReceiptNumberIssuer check("DEMO01", std::string(terminal), probe);
        return Problem::none;
    } catch (const core::InvalidData&) {
        return Problem::bad_terminal;
    }
}

std::string normalise_code(std::string_view code) {
    std::string out(trim(code));
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    return out;
}

std::string_view trim(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace ow::app
