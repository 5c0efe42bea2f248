// Typed errors of the plugin host. Codes are stable ("plugin.timeout", ...); messages are English
// and never carry request or answer data (an ID card answer is personal data).
#pragma once

#include "ow/core/error.h"

#include <string>

namespace ow::plugins {

/// Base of every plugin error. `plugin()` names the plugin concerned (may be empty).
class PluginError : public core::Error {
public:
    PluginError(std::string code, std::string plugin, const std::string& message)
        : core::Error(std::move(code), message), plugin_(std::move(plugin)) {}
    const std::string& plugin() const noexcept { return plugin_; }

private:
    std::string plugin_;
};

/// No plugin of that name was discovered. Code "plugin.not_found".
class PluginNotFound : public PluginError {
public:
    using PluginError::PluginError;
};

/// The plugin was refused: invalid manifest ("plugin.invalid_manifest"), ABI mismatch
/// ("plugin.abi_mismatch") or a library that cannot be loaded ("plugin.load_failed").
class PluginRefused : public PluginError {
public:
    using PluginError::PluginError;
};

/// The device (or its vendor library) is not there; the desk offers the manual fallback.
/// Code "plugin.unavailable".
class DeviceUnavailable : public PluginError {
public:
    using PluginError::PluginError;
};

/// The plugin failed: it crashed ("plugin.crashed"), did not answer in time ("plugin.timeout"),
/// answered with garbage ("plugin.garbage") or too much ("plugin.too_large"), or reported a
/// failure of its own ("plugin.failed"). After the first four the helper process was killed; the
/// next call starts a new one.
class PluginFailed : public PluginError {
public:
    using PluginError::PluginError;
};

/// The caller asked for something the plugin does not offer or sent a request it rejects:
/// "plugin.unknown_action", "plugin.bad_request".
class PluginRequestError : public PluginError {
public:
    using PluginError::PluginError;
};

}  // namespace ow::plugins
