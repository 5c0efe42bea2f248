#include "ow/store/blobs.h"

#include "ow/core/date.h"
#include "ow/store/errors.h"

#include <sodium.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <fstream>

#if !defined(_WIN32)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace ow::store {
namespace {

constexpr char kMagic[4] = {'O', 'W', 'B', '1'};
constexpr std::size_t kSalt = 32;
constexpr std::size_t kCipherChunk = BlobStore::kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;

std::string hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

void file_key(const unsigned char* enc_key, const unsigned char* salt, unsigned char* out) {
    crypto_generichash(out, crypto_secretstream_xchacha20poly1305_KEYBYTES, salt, kSalt, enc_key, 32);
}

bool valid_sha(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

BlobStore::BlobStore(Db& db, std::filesystem::path store_dir, const SecretKey& key) : db_(db), dir_(std::move(store_dir) / "blobs") {
    // Two sub-keys of the store key: one encrypts, one names files.
    crypto_kdf_derive_from_key(enc_key_.data(), SecretKey::kSize, 1, "OWblobs_", key.data());
    crypto_kdf_derive_from_key(name_key_.data(), SecretKey::kSize, 2, "OWblobs_", key.data());
}

BlobStore::~BlobStore() {
    enc_key_.wipe();
    name_key_.wipe();
}

std::filesystem::path BlobStore::file_of(const std::string& sha256) const {
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(sha256.data()), sha256.size(), name_key_.data(),
                       SecretKey::kSize);
    std::string name = hex(mac, sizeof mac);
    return dir_ / name.substr(0, 2) / name;
}

std::string BlobStore::put(std::istream& in, const std::string& media_type) {
    auto staged = stage(in, media_type);
    record(staged);
    return staged.sha256;
}

void BlobStore::record(const StagedBlob& b) {
    Stmt(db_, "INSERT OR IGNORE INTO blobs(sha256, file, size, media_type, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(1, b.sha256).bind(2, b.file).bind(3, b.size).bind(4, b.media_type)
        .bind(5, core::format_instant(core::now()))
        .run();
}

StagedBlob BlobStore::stage(std::istream& in, const std::string& media_type) {
    if (std::error_code ec; std::filesystem::create_directories(dir_, ec))
        std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    unsigned char salt[kSalt];
    randombytes_buf(salt, sizeof salt);
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    file_key(enc_key_.data(), salt, key);
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
    sodium_memzero(key, sizeof key);

    std::filesystem::path tmp = dir_ / ("incoming-" + hex(salt, 8) + ".part");
#if !defined(_WIN32)
    {  // made 0600 before the stream opens it (a stream would make it 0644); the mode survives the rename
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
#endif
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw StoreError("store.io", "cannot write " + tmp.string());
    out.write(kMagic, 4);
    out.write(reinterpret_cast<const char*>(salt), kSalt);
    out.write(reinterpret_cast<const char*>(header), sizeof header);

    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    std::vector<unsigned char> buf(kChunk), next(kChunk), cbuf(kCipherChunk);
    std::int64_t total = 0;
    in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(kChunk));
    std::size_t n = std::size_t(in.gcount());
    // Read one chunk ahead so the last chunk can be tagged FINAL (an empty blob is one empty chunk).
    for (;;) {
        std::size_t m = 0;
        if (n == kChunk) {
            in.read(reinterpret_cast<char*>(next.data()), std::streamsize(kChunk));
            m = std::size_t(in.gcount());
        }
        bool last = m == 0;
        crypto_hash_sha256_update(&hs, buf.data(), n);
        total += std::int64_t(n);
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, cbuf.data(), &clen, buf.data(), n, nullptr, 0,
                                                   last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        out.write(reinterpret_cast<const char*>(cbuf.data()), std::streamsize(clen));
        if (!out) break;
        if (last) break;
        std::swap(buf, next);
        n = m;
    }
    sodium_memzero(&st, sizeof st);
    if (in.bad()) {
        out.close();
        std::remove(tmp.c_str());
        throw StoreError("store.io", "reading the input failed");
    }
    out.flush();
    bool ok = bool(out);
    out.close();
    if (!ok) {
        std::remove(tmp.c_str());
        throw DiskFull("cannot write the blob (disk full?)");
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hs, digest);
    std::string sha = hex(digest, sizeof digest);

    auto dst = file_of(sha);
    bool known = false;
    {
        Stmt q(db_, "SELECT 1 FROM blobs WHERE sha256 = ?");
        q.bind(1, sha);
        known = q.step() && std::filesystem::exists(dst);
    }
    StagedBlob staged{sha, std::filesystem::relative(dst, dir_).string(), total, media_type};
    if (known) {
        std::remove(tmp.c_str());
        return staged;
    }
    std::error_code ec;
    if (std::filesystem::create_directories(dst.parent_path(), ec))
        std::filesystem::permissions(dst.parent_path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    std::filesystem::rename(tmp, dst, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw StoreError("store.io", "cannot store the blob: " + ec.message());
    }
    return staged;
}

std::string BlobStore::put_file(const std::filesystem::path& file, const std::string& media_type) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw core::InvalidData("cannot read " + file.string());
    return put(in, media_type);
}

void BlobStore::decrypt_to(const std::filesystem::path& file, std::ostream* out, std::string& digest_hex) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CorruptStore("blob file missing: " + file.string());
    char magic[4];
    unsigned char salt[kSalt], header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    in.read(magic, 4);
    in.read(reinterpret_cast<char*>(salt), kSalt);
    in.read(reinterpret_cast<char*>(header), sizeof header);
    if (!in || std::memcmp(magic, kMagic, 4) != 0) throw CorruptStore("blob file damaged (header): " + file.string());
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    file_key(enc_key_.data(), salt, key);
    crypto_secretstream_xchacha20poly1305_state st;
    int rc = crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0) throw CorruptStore("blob file damaged (header): " + file.string());
    crypto_hash_sha256_state hs;
    crypto_hash_sha256_init(&hs);
    std::vector<unsigned char> cbuf(kCipherChunk), buf(BlobStore::kChunk);
    bool final_seen = false;
    while (!final_seen) {
        in.read(reinterpret_cast<char*>(cbuf.data()), std::streamsize(kCipherChunk));
        auto got = std::size_t(in.gcount());
        if (got < crypto_secretstream_xchacha20poly1305_ABYTES) throw CorruptStore("blob file truncated: " + file.string());
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, buf.data(), &mlen, &tag, cbuf.data(), got, nullptr, 0) != 0)
            throw CorruptStore("blob file damaged (authentication failed): " + file.string());
        crypto_hash_sha256_update(&hs, buf.data(), std::size_t(mlen));
        if (out) out->write(reinterpret_cast<const char*>(buf.data()), std::streamsize(mlen));
        final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
        if (!final_seen && got < kCipherChunk) throw CorruptStore("blob file truncated: " + file.string());
    }
    if (in.peek() != std::char_traits<char>::eof()) throw CorruptStore("blob file has trailing data: " + file.string());
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hs, digest);
    digest_hex = hex(digest, sizeof digest);
}

void BlobStore::get(const std::string& sha256, std::ostream& out) {
    if (!valid_sha(sha256) || !has(sha256)) throw core::InvalidData("no blob " + sha256.substr(0, 64));
    std::string digest;
    decrypt_to(file_of(sha256), &out, digest);
    if (digest != sha256) throw CorruptStore("blob " + sha256 + " does not match its digest");
}

bool BlobStore::has(const std::string& sha256) {
    Stmt q(db_, "SELECT 1 FROM blobs WHERE sha256 = ?");
    q.bind(1, sha256);
    return q.step();
}

BlobInfo BlobStore::info(const std::string& sha256) {
    Stmt q(db_, "SELECT size, media_type, uploaded FROM blobs WHERE sha256 = ?");
    q.bind(1, sha256);
    if (!q.step()) throw core::InvalidData("no blob " + sha256.substr(0, 64));
    return {sha256, q.int64(0), q.text(1), q.int64(2) != 0};
}

std::vector<BlobProblem> BlobStore::verify_all() {
    std::vector<BlobProblem> problems;
    std::vector<std::string> all;
    {
        Stmt q(db_, "SELECT sha256 FROM blobs ORDER BY sha256");
        while (q.step()) all.push_back(q.text(0));
    }
    for (const auto& sha : all) {
        try {
            std::string digest;
            decrypt_to(file_of(sha), nullptr, digest);
            if (digest != sha) problems.push_back({sha, "content does not match its digest"});
        } catch (const CorruptStore& e) {
            problems.push_back({sha, e.what()});
        }
    }
    return problems;
}

struct BlobReader::State {
    std::ifstream in;
    crypto_secretstream_xchacha20poly1305_state ss;
    crypto_hash_sha256_state hs;
    std::string file;
    ~State() { sodium_memzero(&ss, sizeof ss); }
};

BlobReader::BlobReader(BlobStore& blobs, const std::string& sha256) : st_(std::make_unique<State>()), sha256_(sha256) {
    if (!valid_sha(sha256) || !blobs.has(sha256)) throw core::InvalidData("no blob " + sha256.substr(0, 64));
    size_ = std::uint64_t(blobs.info(sha256).size);
    auto file = blobs.file_of(sha256);
    st_->file = file.string();
    st_->in.open(file, std::ios::binary);
    if (!st_->in) throw CorruptStore("blob file missing: " + st_->file);
    char magic[4];
    unsigned char salt[kSalt], header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    st_->in.read(magic, 4);
    st_->in.read(reinterpret_cast<char*>(salt), kSalt);
    st_->in.read(reinterpret_cast<char*>(header), sizeof header);
    if (!st_->in || std::memcmp(magic, kMagic, 4) != 0) throw CorruptStore("blob file damaged (header): " + st_->file);
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    file_key(blobs.enc_key_.data(), salt, key);
    int rc = crypto_secretstream_xchacha20poly1305_init_pull(&st_->ss, header, key);
    sodium_memzero(key, sizeof key);
    if (rc != 0) throw CorruptStore("blob file damaged (header): " + st_->file);
    crypto_hash_sha256_init(&st_->hs);
}

BlobReader::~BlobReader() {
    if (!buf_.empty()) sodium_memzero(buf_.data(), buf_.size());
}

bool BlobReader::fill() {
    if (final_) return false;
    std::vector<unsigned char> cbuf(kCipherChunk);
    buf_.resize(BlobStore::kChunk);
    st_->in.read(reinterpret_cast<char*>(cbuf.data()), std::streamsize(kCipherChunk));
    auto got = std::size_t(st_->in.gcount());
    if (got < crypto_secretstream_xchacha20poly1305_ABYTES) throw CorruptStore("blob file truncated: " + st_->file);
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st_->ss, buf_.data(), &mlen, &tag, cbuf.data(), got, nullptr, 0) != 0)
        throw CorruptStore("blob file damaged (authentication failed): " + st_->file);
    buf_.resize(std::size_t(mlen));
    buf_pos_ = 0;
    crypto_hash_sha256_update(&st_->hs, buf_.data(), buf_.size());
    final_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (!final_ && got < kCipherChunk) throw CorruptStore("blob file truncated: " + st_->file);
    if (final_) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&st_->hs, digest);
        if (hex(digest, sizeof digest) != sha256_) throw CorruptStore("blob " + sha256_ + " does not match its digest");
    }
    return true;
}

std::size_t BlobReader::read(char* out, std::size_t n) {
    std::size_t done = 0;
    while (done < n) {
        if (buf_pos_ == buf_.size() && !fill()) break;
        std::size_t take = std::min(n - done, buf_.size() - buf_pos_);
        if (out) std::memcpy(out + done, buf_.data() + buf_pos_, take);
        buf_pos_ += take;
        done += take;
        if (buf_pos_ == buf_.size() && final_) break;
    }
    pos_ += done;
    return done;
}

void BlobReader::skip(std::uint64_t n) {
    while (n > 0) {
        std::size_t step = std::size_t(std::min<std::uint64_t>(n, std::uint64_t(1) << 20));
        std::size_t got = read(nullptr, step);
        if (got == 0) throw core::InvalidData("cannot skip past the end of blob " + sha256_);
        n -= got;
    }
}

}  // namespace ow::store
