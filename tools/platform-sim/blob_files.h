// Blob bytes on disk beside the database: complete blobs as FILE.blobs/<aa>/<sha256> (made by an
// fsync'd rename, so a blob file is whole or absent), uploads in progress as
// FILE.blobs/uploads/<upload_id>.part. The database says how many bytes of a .part file count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ow::sim {

class BlobFiles {
public:
    explicit BlobFiles(std::string dir) : dir_(std::move(dir)) {}

    std::string blob_path(const std::string& sha256) const;
    std::string part_path(const std::string& upload_id) const;

    /// Writes a chunk at `offset` of the upload's .part file (cut to `offset` first, so bytes of
    /// a chunk that was never acknowledged are overwritten). Throws on I/O errors.
    void write_chunk(const std::string& upload_id, std::int64_t offset, std::string_view data) const;
    /// SHA-256 (hex) of the first `size` bytes of a .part file; nothing when it is shorter.
    std::optional<std::string> hash_part(const std::string& upload_id, std::int64_t size) const;
    /// Flushes a .part file to disk (before promote, outside the database lock).
    void sync_part(const std::string& upload_id) const;
    /// Makes the .part file the blob (fsync + rename).
    void promote(const std::string& upload_id, const std::string& sha256) const;
    void discard(const std::string& upload_id) const;

    /// SHA-256 (hex) and size of a whole file; nothing when it cannot be read.
    static std::optional<std::pair<std::string, std::int64_t>> hash_file(const std::string& path);

private:
    std::string dir_;
};

}  // namespace ow::sim
