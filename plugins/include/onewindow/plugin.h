/* onewindow/plugin.h — the versioned C ABI between OneWindow and a device plugin.
 *
 * A plugin is a shared library plus a manifest (plugin.json, see docs/plugins.md) in a folder of
 * its own. OneWindow never loads a plugin into the desk: a helper process (onewindow-plugin-host)
 * loads it, so a plugin that crashes or hangs takes only the helper down.
 *
 * Only C types cross this interface. Every piece of data that crosses it is a NUL-terminated
 * UTF-8 JSON text. Strings the plugin returns are owned by the plugin and released through its
 * free_string(). No exception, longjmp or C++ object may cross it.
 *
 * Threading: the host calls create, call and destroy from one thread, one call at a time.
 *
 * Versioning: OW_PLUGIN_ABI_VERSION changes whenever this file changes incompatibly. The
 * manifest names the ABI a plugin was built for, and the library reports it again from
 * ow_plugin_entry(); the host refuses a plugin when either differs from its own.
 */
#ifndef ONEWINDOW_PLUGIN_H
#define ONEWINDOW_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. */
#define OW_PLUGIN_ABI_VERSION 1u

/** The name of the one symbol a plugin library exports (type: OwPluginEntryFn). */
#define OW_PLUGIN_ENTRY_SYMBOL "ow_plugin_entry"

#if defined(_WIN32)
#define OW_PLUGIN_EXPORT __declspec(dllexport)
#else
#define OW_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** Results of create() and call(). */
enum OwPluginStatus {
    OW_PLUGIN_OK = 0,             /* done; the answer is a JSON object */
    OW_PLUGIN_UNAVAILABLE = 1,    /* the device or its vendor library is not there (a manual fallback applies) */
    OW_PLUGIN_BAD_REQUEST = 2,    /* the request JSON does not fit the action */
    OW_PLUGIN_UNKNOWN_ACTION = 3, /* the plugin has no such action */
    OW_PLUGIN_FAILED = 4          /* the device or plugin failed */
};

/** Capabilities a plugin may declare in its manifest ("capabilities": [...]). */
#define OW_CAPABILITY_ID_READER "id_reader"         /* actions: read */
#define OW_CAPABILITY_SCANNER "scanner"             /* actions: scan */
#define OW_CAPABILITY_RATING_DEVICE "rating_device" /* actions: rate */
#define OW_CAPABILITY_SIGNATURE "signature"         /* actions: sign */
/* Deprecated: the name reserved before signature pads shipped. Hosts still read "signature_pad"
 * in a manifest as "signature". */
#define OW_CAPABILITY_SIGNATURE_PAD OW_CAPABILITY_SIGNATURE

/** The function table of ABI version 1. Fields are only ever appended in later versions. */
typedef struct OwPluginV1 {
    /** Must be OW_PLUGIN_ABI_VERSION of the header the plugin was built with. */
    uint32_t abi_version;
    /** sizeof(OwPluginV1) as the plugin saw it. */
    uint32_t struct_size;
    /** The plugin's name and version; both must equal the manifest's. */
    const char* name;
    const char* version;

    /** Makes an instance. config_json: {"plugin_dir": "...", "settings": {...manifest settings}}.
     *  On OW_PLUGIN_OK sets *instance; otherwise may set *error_json to
     *  {"code": "...", "message": "..."} (freed with free_string). */
    int (*create)(const char* config_json, void** instance, char** error_json);

    /** Releases an instance made by create(). */
    void (*destroy)(void* instance);

    /** Performs an action (e.g. "read", "scan", "rate") with a JSON object as request.
     *  Sets *answer_json (freed with free_string): on OW_PLUGIN_OK the answer object, otherwise
     *  {"code": "...", "message": "..."} saying why (English, no personal data). */
    int (*call)(void* instance, const char* action, const char* request_json, char** answer_json);

    /** Releases a string the plugin returned. */
    void (*free_string)(char* text);
} OwPluginV1;

/** The exported entry point. host_abi_version is the host's OW_PLUGIN_ABI_VERSION; a plugin
 *  returns its table even when they differ (the host then refuses it with a clear message). */
typedef const OwPluginV1* (*OwPluginEntryFn)(uint32_t host_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* ONEWINDOW_PLUGIN_H */
