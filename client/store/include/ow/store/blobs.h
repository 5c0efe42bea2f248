// Encrypted, content-addressed blobs (scans, PDFs). One copy per content: the id is the SHA-256
// of the plaintext. Files live under <store>/blobs/<xx>/<name>, where the name is a keyed hash of
// the digest (so file names do not reveal which known document is stored). Each file is
// "OWB1" + a random 32-byte salt + a libsodium secretstream (XChaCha20-Poly1305) in 64 KiB
// chunks, the last one tagged FINAL: truncation, reordering and edits are detected. Blobs are
// streamed in and out in chunks, so a 50 MB scan never needs 50 MB of memory.
#pragma once

#include "ow/store/db.h"
#include "ow/store/keys.h"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace ow::store {

struct BlobInfo {
    std::string sha256;
    std::int64_t size = 0;
    std::string media_type;
    bool uploaded = false;
};

struct BlobProblem {
    std::string sha256;
    std::string problem;
};

/// A blob whose encrypted file is in place but which the database does not list yet (see stage()).
struct StagedBlob {
    std::string sha256;
    std::string file;  ///< relative to the store folder
    std::int64_t size = 0;
    std::string media_type;
};

class BlobStore {
public:
    static constexpr std::size_t kChunk = 64 * 1024;

    BlobStore(Db& db, std::filesystem::path store_dir, const SecretKey& key);
    ~BlobStore();
    BlobStore(const BlobStore&) = delete;
    BlobStore& operator=(const BlobStore&) = delete;

    /// Streams `in` into the store; returns the SHA-256 (hex). Known content is not stored twice.
    std::string put(std::istream& in, const std::string& media_type);
    std::string put_file(const std::filesystem::path& file, const std::string& media_type);
    /// put() in two steps, for a blob that belongs to an act: stage() writes the encrypted file
    /// (outside any transaction: a large scan holds no lock while it is written); record() lists it
    /// in the database and is called inside the act's transaction, with the row that links it to
    /// the case. A crash between the two leaves an unreferenced encrypted file and nothing else: no
    /// row, so it is never uploaded, listed or verified (a later stage() of the same content reuses
    /// the file name). Same errors as put(); record() throws StoreError.
    StagedBlob stage(std::istream& in, const std::string& media_type);
    void record(const StagedBlob& blob);
    /// Streams the plaintext to `out`, checking every chunk and the digest at the end.
    /// CorruptStore when the file is missing, damaged or does not match its digest.
    void get(const std::string& sha256, std::ostream& out);
    bool has(const std::string& sha256);
    BlobInfo info(const std::string& sha256);
    /// Checks every blob (authentication and digest). Empty when all are intact.
    std::vector<BlobProblem> verify_all();
    std::filesystem::path file_of(const std::string& sha256) const;

private:
    friend class BlobReader;
    void decrypt_to(const std::filesystem::path& file, std::ostream* out, std::string& digest_hex);

    Db& db_;
    std::filesystem::path dir_;
    SecretKey enc_key_;   // derived from the store key: guarded, locked, not dumped, wiped
    SecretKey name_key_;
};

/// Reads one blob's plaintext sequentially in pieces of any size (for resumable uploads), with
/// the same checks as BlobStore::get: every 64 KiB chunk is authenticated as it is read, and
/// reaching the end checks the digest (CorruptStore when anything does not match). skip() moves
/// forward without returning data; a reader never goes back (open a new one).
class BlobReader {
public:
    BlobReader(BlobStore& blobs, const std::string& sha256);
    ~BlobReader();
    BlobReader(const BlobReader&) = delete;
    BlobReader& operator=(const BlobReader&) = delete;

    /// Up to `n` bytes into `out`; fewer only at the end (0 at the end).
    std::size_t read(char* out, std::size_t n);
    void skip(std::uint64_t n);
    std::uint64_t position() const { return pos_; }
    std::uint64_t size() const { return size_; }

private:
    bool fill();  // decrypts the next chunk into buf_; false at the end
    struct State;
    std::unique_ptr<State> st_;
    std::string sha256_;
    std::uint64_t pos_ = 0, size_ = 0;
    std::vector<unsigned char> buf_;
    std::size_t buf_pos_ = 0;
    bool final_ = false;
};

}  // namespace ow::store
