// The line protocol between PluginHost and onewindow-plugin-host (internal; see docs/plugins.md).
// Each message is one JSON object on one line (JSON text never holds a raw newline).
//   helper → host, once:  {"ready":true,"name":N,"version":V}
//                     or  {"ready":false,"code":C,"message":M}      (then the helper exits)
//   host → helper:        {"id":I,"action":A,"request":{...}}
//   helper → host:        {"id":I,"status":0,"answer":{...}}
//                     or  {"id":I,"status":S,"code":C,"message":M}  (S = OwPluginStatus)
//                     or  {"id":I,"status":-1,"code":C,"message":M} (fatal: the helper exits after it)
// The host closes the helper's stdin to stop it.
#pragma once

namespace ow::plugins::protocol {

inline constexpr int kFatal = -1;
/// Exit status of a helper that refused to load its plugin.
inline constexpr int kExitRefused = 3;
/// Exit status of a helper that stopped after a fatal answer (garbage, too large).
inline constexpr int kExitFatal = 4;

}  // namespace ow::plugins::protocol
