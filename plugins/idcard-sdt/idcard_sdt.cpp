// idcard-sdt — reads second-generation resident ID cards through a vendor's SDT API library
// (sdtapi), loaded at run time when present. Without it every read answers "unavailable: no
// reader library" and the desk falls back to typing.
//
// Settings (plugin.json): "libraries": names or paths tried in order; "port": 0 = try USB ports
// 1001..1016, else that port. $ONEWINDOW_SDT_LIBRARY (a path) is tried first.
#include "idcard_text.h"
#include "onewindow/plugin_sdk.h"
#include "ow/core/validators.h"

#include <cstdlib>
#include <string>
#include <vector>

#include <dlfcn.h>

namespace {

using nlohmann::json;
namespace sdk = ow::plugin_sdk;

// The vendor API, as declared by the SDT SDKs.
using OpenPortFn = int (*)(int port);
using ClosePortFn = int (*)(int port);
using StartFindFn = int (*)(int port, unsigned char* mana_info, int if_open);
using SelectFn = int (*)(int port, unsigned char* mana_msg, int if_open);
using ReadBaseMsgFn = int (*)(int port, unsigned char* text, unsigned int* text_len, unsigned char* photo,
                              unsigned int* photo_len, int if_open);

constexpr int kOk = 0x90;
constexpr int kFound = 0x9f;

std::string base64(const unsigned char* data, std::size_t n) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < n; i += 3) {
        unsigned v = unsigned(data[i]) << 16;
        if (i + 1 < n) v |= unsigned(data[i + 1]) << 8;
        if (i + 2 < n) v |= data[i + 2];
        out.push_back(t[(v >> 18) & 63]);
        out.push_back(t[(v >> 12) & 63]);
        out.push_back(i + 1 < n ? t[(v >> 6) & 63] : '=');
        out.push_back(i + 2 < n ? t[v & 63] : '=');
    }
    return out;
}

class IdCardSdt : public sdk::Plugin {
public:
    explicit IdCardSdt(const json& config) {
        const json settings = config.value("settings", json::object());
        std::vector<std::string> names;
        if (const char* env = std::getenv("ONEWINDOW_SDT_LIBRARY"); env && *env) names.emplace_back(env);
        if (settings.contains("libraries") && settings["libraries"].is_array())
            for (const auto& n : settings["libraries"])
                if (n.is_string()) names.push_back(n.get<std::string>());
        if (names.empty()) names = {"libsdtapi.so", "libsdtapi.so.1"};
        port_ = settings.value("port", 0);
        for (const auto& n : names) {
            tried_ += (tried_.empty() ? "" : ", ") + n;
            lib_ = ::dlopen(n.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (lib_) break;
        }
        if (!lib_) return;
        open_ = reinterpret_cast<OpenPortFn>(::dlsym(lib_, "SDT_OpenPort"));
        close_ = reinterpret_cast<ClosePortFn>(::dlsym(lib_, "SDT_ClosePort"));
        find_ = reinterpret_cast<StartFindFn>(::dlsym(lib_, "SDT_StartFindIDCard"));
        select_ = reinterpret_cast<SelectFn>(::dlsym(lib_, "SDT_SelectIDCard"));
        read_ = reinterpret_cast<ReadBaseMsgFn>(::dlsym(lib_, "SDT_ReadBaseMsg"));
        if (!open_ || !close_ || !find_ || !select_ || !read_) incomplete_ = true;
    }

    json call(const std::string& action, const json& request) override {
        if (action == "read") return read(request);
        throw sdk::unknown_action(action);
    }

private:
    json read(const json& request) {
        if (!lib_) throw sdk::unavailable("no_reader_library", "no reader library (tried " + tried_ + ")");
        if (incomplete_) throw sdk::unavailable("no_reader_library", "the reader library lacks SDT_* functions");
        int want = request.value("port", port_);
        int port = 0;
        if (want > 0) {
            if (open_(want) == kOk) port = want;
        } else {
            for (int p = 1001; p <= 1016 && port == 0; ++p)
                if (open_(p) == kOk) port = p;
        }
        if (port == 0) throw sdk::unavailable("no_reader", "no ID card reader is connected");
        struct Closer {
            ClosePortFn close;
            int port;
            ~Closer() { close(port); }
        } closer{close_, port};

        unsigned char mana[8] = {};
        if (find_(port, mana, 0) != kFound) throw sdk::failed("no_card", "no card on the reader");
        if (select_(port, mana, 0) != kOk) throw sdk::failed("no_card", "the card could not be selected");
        unsigned char text[512] = {};
        unsigned char photo[2048] = {};
        unsigned int text_len = 0, photo_len = 0;
        int rc = read_(port, text, &text_len, photo, &photo_len, 0);
        if (rc != kOk)
            throw sdk::failed("read_failed", "the reader could not read the card (code " + std::to_string(rc) + ")");
        if (text_len != ow::idcard::kTextBlockSize || photo_len > sizeof photo)
            throw sdk::failed("read_failed", "the reader returned " + std::to_string(text_len) + " bytes of text");
        ow::idcard::IdCard card;
        try {
            card = ow::idcard::decode_text_block({text, text_len});
        } catch (const ow::idcard::DecodeError& e) {
            throw sdk::failed("decode_failed", e.what());
        }
        json out = ow::idcard::to_json(card, "idcard-sdt");
        out["id_valid"] = ow::core::check_resident_id(card.id_number).valid;
        out["port"] = port;
        if (photo_len > 0) out["photo_wlt_base64"] = base64(photo, photo_len);
        return out;
    }

    void* lib_ = nullptr;  // kept loaded for the helper's lifetime
    std::string tried_;
    int port_ = 0;
    bool incomplete_ = false;
    OpenPortFn open_ = nullptr;
    ClosePortFn close_ = nullptr;
    StartFindFn find_ = nullptr;
    SelectFn select_ = nullptr;
    ReadBaseMsgFn read_ = nullptr;
};

}  // namespace

OW_PLUGIN_DEFINE(IdCardSdt, "idcard-sdt", OW_PLUGIN_VERSION)
