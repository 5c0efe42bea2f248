// Process hardening and files that hold secrets (terminal credentials, private keys, PINs).
// POSIX only; GUI-free.
#pragma once

#include <filesystem>
#include <string_view>

namespace ow::core {

/// Writes `bytes` to `path` as a file only its owner can read or write (0600, whatever the umask):
/// a temporary file beside it is created with O_CREAT|O_EXCL|O_NOFOLLOW, written, fsync-ed and
/// renamed over `path`, then the directory is fsync-ed. Readers see the old file or the whole new
/// one, never a half-written or briefly world-readable one.
/// Throws InvalidData when `path` is a symbolic link (refused, never followed) or a directory, and
/// Error("io.write") when the file cannot be written (the temporary is removed).
void write_secret_file(const std::filesystem::path& path, std::string_view bytes);

/// Turns core dumps off for this process (RLIMIT_CORE 0, soft and hard) and marks it not dumpable
/// (PR_SET_DUMPABLE 0: no core, and other processes of the user cannot ptrace it or read its
/// memory through /proc). Call first thing in main() of every program that holds keys, secrets or
/// personal data. Returns false when either step failed (the program may go on).
bool disable_core_dumps() noexcept;

/// Whether this process is currently dumpable (PR_GET_DUMPABLE), for diagnostics and tests.
bool process_dumpable() noexcept;

}  // namespace ow::core
