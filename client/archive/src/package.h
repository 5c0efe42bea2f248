// Internals shared by export and verify: the package's fixed names, digests, manifests, safe
// paths, files written privately, and zip files (libzip).
#pragma once

#include "ow/archive/archive.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ow::archive::detail {

namespace fs = std::filesystem;

inline constexpr const char* kMetadata = "metadata.xml";
inline constexpr const char* kManifestSha256 = "manifest-sha256.txt";
inline constexpr const char* kManifestSm3 = "manifest-sm3.txt";
inline constexpr const char* kNamespace = "urn:onewindow:archive:1";

struct Digests {
    std::string sha256;  // lower-case hex
    std::string sm3;
    std::uintmax_t size = 0;
};
/// Both digests of a file, read once in chunks. Throws core::Error("io.read").
Digests digest_file(const fs::path& file);
Digests digest_bytes(std::string_view bytes);

/// XML text and attribute escaping (&, <, >, ", '; control characters other than tab/newline dropped).
std::string xml_escape(std::string_view text);

/// "HEX  PATH\n" per entry, sorted by path.
std::string format_manifest(const std::map<std::string, std::string>& hex_by_path);

struct Manifest {
    std::map<std::string, std::string> entries;  // path -> hex
    std::vector<std::string> problems;           // malformed lines, duplicates (with line numbers)
};
/// Parses a manifest; `hex_len` is 64 for both SHA-256 and SM3.
Manifest parse_manifest(const std::string& text);

/// A path inside a package: relative, '/'-separated, no empty, "." or ".." part, no backslash or
/// control character. `why` says what is wrong.
bool safe_relative_path(std::string_view path, std::string* why = nullptr);

/// Creates `path` (which must not exist) 0600 with `bytes`, fsync-ed. Throws core::Error("io.write").
void write_private_file(const fs::path& path, std::string_view bytes);
/// Creates an empty 0600 file to stream into (std::ofstream on it keeps the mode).
void create_private_file(const fs::path& path);
/// fsync of a file or directory (best effort for directories).
void sync_path(const fs::path& path);
/// A new 0700 directory beside `target`, named ".NAME.partial-XXXXXX". Throws core::Error("io.write").
fs::path make_temp_sibling_dir(const fs::path& target);
/// A name for a new file beside `target` (".NAME.partial-XXXXXX.zip"), created 0600 and empty.
fs::path make_temp_sibling_file(const fs::path& target);

/// Every regular file under `dir` as a package path, sorted; other things (links, devices,
/// folders with nothing in them) go to `odd` with what they are.
std::vector<std::string> list_files(const fs::path& dir, std::vector<std::pair<std::string, std::string>>* odd = nullptr);

/// Writes the files of `dir` (as list_files gives them) into a new zip file `zip` (deflated,
/// each entry 0600). Throws core::Error("io.write").
void zip_folder(const fs::path& dir, const std::vector<std::string>& files, const fs::path& zip);

/// Extracts a zip into the empty folder `dir`, refusing unsafe entries: every problem is a failed
/// Check (security: absolute or ".." names, links, encrypted entries; integrity: duplicate names,
/// CRC or data errors; usability: a file that is not a zip). Returns the checks made.
std::vector<Check> unzip_to(const fs::path& zip, const fs::path& dir, int* entries);

}  // namespace ow::archive::detail
