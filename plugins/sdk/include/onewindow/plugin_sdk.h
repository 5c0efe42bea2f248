// onewindow/plugin_sdk.h — a small, header-only C++ helper for writing a plugin against the C ABI
// of onewindow/plugin.h. It lives on the plugin's side only: the ABI itself stays C.
//
// A plugin class is constructed from the create() config (a JSON object) and answers calls:
//
//   class MyReader : public ow::plugin_sdk::Plugin {
//   public:
//       explicit MyReader(const nlohmann::json& config);
//       nlohmann::json call(const std::string& action, const nlohmann::json& request) override;
//   };
//   OW_PLUGIN_DEFINE(MyReader, "my-reader", "1.0.0")
//
// Throw ow::plugin_sdk::Failure to report a status other than OK; any other exception becomes
// OW_PLUGIN_FAILED. Nothing is thrown across the ABI.
#pragma once

#include "onewindow/plugin.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

namespace ow::plugin_sdk {

/// A failure with an ABI status, a stable code and an English message (no personal data).
class Failure : public std::exception {
public:
    Failure(int status, std::string code, std::string message)
        : status_(status), code_(std::move(code)), message_(std::move(message)) {}
    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    int status_;
    std::string code_;
    std::string message_;
};

inline Failure unavailable(std::string code, std::string message) {
    return {OW_PLUGIN_UNAVAILABLE, std::move(code), std::move(message)};
}
inline Failure bad_request(std::string message) {
    return {OW_PLUGIN_BAD_REQUEST, "bad_request", std::move(message)};
}
inline Failure unknown_action(const std::string& action) {
    return {OW_PLUGIN_UNKNOWN_ACTION, "unknown_action", "no action '" + action + "'"};
}
inline Failure failed(std::string code, std::string message) {
    return {OW_PLUGIN_FAILED, std::move(code), std::move(message)};
}

class Plugin {
public:
    virtual ~Plugin() = default;
    /// Performs an action; returns the answer object or throws Failure.
    virtual nlohmann::json call(const std::string& action, const nlohmann::json& request) = 0;
};

namespace detail {

inline char* dup_string(const std::string& s) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

inline char* error_json(const std::string& code, const std::string& message) {
    nlohmann::json j = {{"code", code}, {"message", message}};
    return dup_string(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

inline void free_string(char* text) {
    std::free(text);
}

template <class T>
int create(const char* config_json, void** instance, char** error) noexcept {
    try {
        auto config = nlohmann::json::parse(config_json ? config_json : "{}");
        *instance = new T(config);
        return OW_PLUGIN_OK;
    } catch (const Failure& f) {
        if (error) *error = error_json(f.code(), f.what());
        return f.status();
    } catch (const std::exception& e) {
        if (error) *error = error_json("create_failed", e.what());
        return OW_PLUGIN_FAILED;
    } catch (...) {
        if (error) *error = error_json("create_failed", "unknown error");
        return OW_PLUGIN_FAILED;
    }
}

template <class T>
void destroy(void* instance) noexcept {
    delete static_cast<T*>(instance);
}

template <class T>
int call(void* instance, const char* action, const char* request_json, char** answer) noexcept {
    try {
        nlohmann::json request;
        try {
            request = nlohmann::json::parse(request_json && *request_json ? request_json : "{}");
        } catch (const nlohmann::json::exception&) {
            throw bad_request("the request is not JSON");
        }
        if (!request.is_object()) throw bad_request("the request must be a JSON object");
        nlohmann::json result = static_cast<T*>(instance)->call(action ? action : "", request);
        *answer = dup_string(result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return *answer ? OW_PLUGIN_OK : OW_PLUGIN_FAILED;
    } catch (const Failure& f) {
        *answer = error_json(f.code(), f.what());
        return f.status();
    } catch (const nlohmann::json::type_error&) {
        *answer = error_json("bad_request", "a request value has the wrong type");
        return OW_PLUGIN_BAD_REQUEST;
    } catch (const std::bad_alloc&) {
        *answer = error_json("out_of_memory", "out of memory");
        return OW_PLUGIN_FAILED;
    } catch (const std::exception& e) {
        *answer = error_json("failed", e.what());
        return OW_PLUGIN_FAILED;
    } catch (...) {
        *answer = error_json("failed", "unknown error");
        return OW_PLUGIN_FAILED;
    }
}

}  // namespace detail
}  // namespace ow::plugin_sdk

/// Defines the exported entry point of a plugin whose class is TYPE.
#define OW_PLUGIN_DEFINE(TYPE, NAME, VERSION)                                                      \
    extern "C" OW_PLUGIN_EXPORT const OwPluginV1* ow_plugin_entry(uint32_t /*host_abi_version*/) { \
        static const OwPluginV1 table = {OW_PLUGIN_ABI_VERSION,                                    \
                                         sizeof(OwPluginV1),                                       \
                                         NAME,                                                     \
                                         VERSION,                                                  \
                                         &ow::plugin_sdk::detail::create<TYPE>,                    \
                                         &ow::plugin_sdk::detail::destroy<TYPE>,                   \
                                         &ow::plugin_sdk::detail::call<TYPE>,                      \
                                         &ow::plugin_sdk::detail::free_string};                    \
        return &table;                                                                             \
    }
