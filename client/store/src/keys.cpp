#include "ow/store/keys.h"

#include "ow/core/json_reader.h"
#include "ow/store/audit.h"
#include "ow/store/errors.h"

#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#if !defined(_WIN32)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace ow::store {
namespace {

void init_sodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw StoreError("store.crypto", "libsodium could not be initialised");
}

std::string b64(const std::vector<unsigned char>& v) {
    std::string out(sodium_base64_ENCODED_LEN(v.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), v.data(), v.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::vector<unsigned char> unb64(const std::string& s, const std::string& what) {
    std::vector<unsigned char> out(s.size());
    std::size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), s.data(), s.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        throw CorruptStore("key file: " + what + " is not base64");
    out.resize(len);
    return out;
}

// Crockford base32 for the recovery key: no I, L, O, U; easy to read aloud and type.
constexpr char kB32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string recovery_display(const unsigned char* bytes, std::size_t n) {
    std::string raw;
    unsigned buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        buffer = (buffer << 8) | bytes[i];
        bits += 8;
        while (bits >= 5) {
            raw.push_back(kB32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0) raw.push_back(kB32[(buffer << (5 - bits)) & 31]);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (i && i % 4 == 0) out.push_back('-');
        out.push_back(raw[i]);
    }
    return out;
}

bool recovery_parse(std::string_view text, unsigned char* out, std::size_t n) {
    unsigned buffer = 0;
    int bits = 0;
    std::size_t k = 0;
    for (char c : text) {
        if (c == '-' || c == ' ') continue;
        char u = char(std::toupper(static_cast<unsigned char>(c)));
        if (u == 'O') u = '0';
        if (u == 'I' || u == 'L') u = '1';
        const char* p = std::strchr(kB32, u);
        if (!p || !*p) return false;
        buffer = (buffer << 5) | unsigned(p - kB32);
        bits += 5;
        if (bits >= 8) {
            if (k >= n) return false;
            out[k++] = static_cast<unsigned char>((buffer >> (bits - 8)) & 0xFF);
            bits -= 8;
        }
    }
    return k == n;
}

std::string ad_for(const std::string& store_id, const std::string& user, core::Role role) {
    return "onewindow-key/1|" + store_id + "|" + user + "|" + std::string(core::to_code(role));
}

void derive(std::string_view password, const std::vector<unsigned char>& salt, const KdfParams& p, unsigned char* out) {
    if (crypto_pwhash(out, SecretKey::kSize, password.data(), password.size(), salt.data(), p.ops, p.mem_bytes,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw StoreError("store.kdf", "Argon2id failed (out of memory?)");
}

std::vector<unsigned char> seal(const unsigned char* kek, const unsigned char* key, const std::string& ad,
                                std::vector<unsigned char>& nonce) {
    nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    randombytes_buf(nonce.data(), nonce.size());
    std::vector<unsigned char> out(SecretKey::kSize + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, key, SecretKey::kSize,
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
                                               nonce.data(), kek);
    out.resize(std::size_t(len));
    return out;
}

bool open_wrap(const unsigned char* kek, const std::vector<unsigned char>& wrapped, const std::vector<unsigned char>& nonce,
               const std::string& ad, SecretKey& out) {
    if (nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
        wrapped.size() != SecretKey::kSize + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return false;
    unsigned long long len = 0;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, wrapped.data(), wrapped.size(),
                                                      reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                                                      nonce.data(), kek) == 0 &&
           len == SecretKey::kSize;
}

}  // namespace

SecretKey::SecretKey() {
    init_sodium();
    p_ = static_cast<unsigned char*>(sodium_malloc(kSize));
    if (!p_) throw std::bad_alloc();
}

SecretKey::~SecretKey() { sodium_free(p_); }
void SecretKey::wipe() { sodium_memzero(p_, kSize); }

std::unique_ptr<SecretKey> SecretKey::random() {
    auto k = std::make_unique<SecretKey>();
    randombytes_buf(k->data(), kSize);
    return k;
}

SecretText::SecretText(std::size_t capacity) : capacity_(capacity) {
    init_sodium();
    p_ = static_cast<char*>(sodium_malloc(capacity + 1));
    if (!p_) throw std::bad_alloc();
    sodium_memzero(p_, capacity + 1);
}

SecretText::~SecretText() {
    if (p_) sodium_free(p_);  // sodium_free wipes before it frees
}

SecretText::SecretText(SecretText&& o) noexcept : p_(o.p_), size_(o.size_), capacity_(o.capacity_) {
    o.p_ = nullptr;
    o.size_ = o.capacity_ = 0;
}

SecretText& SecretText::operator=(SecretText&& o) noexcept {
    if (this != &o) {
        if (p_) sodium_free(p_);
        p_ = o.p_;
        size_ = o.size_;
        capacity_ = o.capacity_;
        o.p_ = nullptr;
        o.size_ = o.capacity_ = 0;
    }
    return *this;
}

void SecretText::push_back(char c) {
    if (size_ >= capacity_) throw core::InvalidData("a secret is longer than " + std::to_string(capacity_) + " bytes");
    p_[size_++] = c;
}

void SecretText::append(std::string_view s) {
    for (char c : s) push_back(c);
}

void SecretText::clear() {
    if (p_) sodium_memzero(p_, capacity_ + 1);
    size_ = 0;
}

KeyFile KeyFile::create(const std::string& store_id, const std::string& user, core::Role role, std::string_view password,
                        const KdfParams& kdf, std::unique_ptr<SecretKey>& key_out, std::string& recovery_out) {
    init_sodium();
    KeyFile kf;
    kf.store_id_ = store_id;
    key_out = SecretKey::random();
    kf.set_user(*key_out, user, role, password, kdf);
    SecretKey recovery;
    randombytes_buf(recovery.data(), SecretKey::kSize);
    recovery_out = recovery_display(recovery.data(), SecretKey::kSize);
    kf.recovery_wrapped_ = seal(recovery.data(), key_out->data(), "onewindow-recovery/1|" + store_id, kf.recovery_nonce_);
    return kf;
}

void KeyFile::set_user(const SecretKey& key, const std::string& user, core::Role role, std::string_view password,
                       const KdfParams& kdf) {
    init_sodium();
    if (user.empty() || user.size() > kMaxUserNameBytes) throw core::InvalidData("a user name has 1-64 characters");
    if (password.size() < kMinPasswordBytes) throw core::InvalidData("a password has at least 8 characters");
    if (kdf.ops < crypto_pwhash_OPSLIMIT_MIN || kdf.mem_bytes < crypto_pwhash_MEMLIMIT_MIN)
        throw core::InvalidData("Argon2id parameters below the minimum");
    UserWrap w;
    w.user = user;
    w.role = role;
    w.kdf = kdf;
    w.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(w.salt.data(), w.salt.size());
    SecretKey kek;
    derive(password, w.salt, kdf, kek.data());
    w.wrapped = seal(kek.data(), key.data(), ad_for(store_id_, user, role), w.nonce);
    for (auto& existing : users_)
        if (existing.user == user) {
            existing = std::move(w);
            return;
        }
    users_.push_back(std::move(w));
}

bool KeyFile::remove_user(const std::string& user) {
    for (auto it = users_.begin(); it != users_.end(); ++it)
        if (it->user == user) {
            users_.erase(it);
            return true;
        }
    return false;
}

int KeyFile::admin_count() const {
    int n = 0;
    for (const auto& w : users_) n += w.role == core::Role::admin;
    return n;
}

bool KeyFile::has_user(const std::string& user) const {
    for (const auto& w : users_)
        if (w.user == user) return true;
    return false;
}

core::Role KeyFile::role_of(const std::string& user) const {
    for (const auto& w : users_)
        if (w.user == user) return w.role;
    throw AuthError("unknown user");
}

std::unique_ptr<SecretKey> KeyFile::unlock(const std::string& user, std::string_view password) const {
    init_sodium();
    for (const auto& w : users_) {
        if (w.user != user) continue;
        SecretKey kek;
        derive(password, w.salt, w.kdf, kek.data());
        auto key = std::make_unique<SecretKey>();
        if (!open_wrap(kek.data(), w.wrapped, w.nonce, ad_for(store_id_, w.user, w.role), *key))
            throw AuthError("wrong password for user '" + user + "'");
        return key;
    }
    throw AuthError("wrong user name or password");
}

std::unique_ptr<SecretKey> KeyFile::unlock_recovery(std::string_view recovery) const {
    init_sodium();
    SecretKey rk;
    if (!recovery_parse(recovery, rk.data(), SecretKey::kSize)) throw AuthError("this is not a recovery key");
    auto key = std::make_unique<SecretKey>();
    if (!open_wrap(rk.data(), recovery_wrapped_, recovery_nonce_, "onewindow-recovery/1|" + store_id_, *key))
        throw AuthError("wrong recovery key");
    return key;
}

std::string KeyFile::text() const {
    nlohmann::json users = nlohmann::json::array();
    for (const auto& w : users_)
        users.push_back({{"user", w.user},
                         {"role", core::to_code(w.role)},
                         {"kdf", {{"alg", "argon2id13"}, {"ops", w.kdf.ops}, {"mem_bytes", w.kdf.mem_bytes}, {"salt", b64(w.salt)}}},
                         {"aead", "xchacha20poly1305-ietf"},
                         {"nonce", b64(w.nonce)},
                         {"wrapped", b64(w.wrapped)}});
    nlohmann::json doc = {{"format", "onewindow-keys"},
                          {"format_version", 1},
                          {"store_id", store_id_},
                          {"users", users},
                          {"recovery", {{"aead", "xchacha20poly1305-ietf"}, {"nonce", b64(recovery_nonce_)}, {"wrapped", b64(recovery_wrapped_)}}}};
    return doc.dump(2) + "\n";
}

namespace {

void fsync_dir(const std::filesystem::path& dir) {
#if !defined(_WIN32)
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
#else
    (void)dir;
#endif
}

/// Writes `text` to `path` (0600, fsync); removes it and throws on failure (DiskFull on ENOSPC).
void write_synced(const std::filesystem::path& path, const std::string& text) {
#if !defined(_WIN32)
    ::unlink(path.c_str());  // a stale one may have other permissions
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw StoreError("store.io", "cannot write " + path.string() + ": " + std::strerror(errno));
    bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
    int err = ok ? 0 : errno;
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        err = errno;
    }
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        if (err == ENOSPC || err == EDQUOT || err == 0) throw DiskFull("disk full: cannot write " + path.string());
        throw StoreError("store.io", "cannot write " + path.string() + ": " + std::strerror(err));
    }
#else
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw StoreError("store.io", "cannot write " + path.string());
#endif
}

void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::error_code ec;
    std::filesystem::rename(from, to, ec);
    if (ec) throw StoreError("store.io", "cannot replace " + to.string() + ": " + ec.message());
    fsync_dir(to.parent_path());
}

}  // namespace

void KeyFile::save(const std::filesystem::path& dir) const {
    auto tmp = dir / (std::string(kFileName) + ".tmp");
    write_synced(tmp, text());
    rename_into_place(tmp, dir / kFileName);
}

std::string KeyFile::stage(const std::filesystem::path& dir) const {
    std::string t = text();
    write_synced(dir / kStagedName, t);
    return sha256_hex(t);
}

void KeyFile::install_staged(const std::filesystem::path& dir) { rename_into_place(dir / kStagedName, dir / kFileName); }

void KeyFile::discard_staged(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::remove(dir / kStagedName, ec);
}

std::string KeyFile::staged_sha256(const std::filesystem::path& dir) { return file_sha256(dir / kStagedName); }

std::string KeyFile::file_sha256(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return "";
    std::stringstream ss;
    ss << in.rdbuf();
    return sha256_hex(ss.str());
}

KeyFile KeyFile::load(const std::filesystem::path& dir) {
    auto path = dir / kFileName;
    if (!std::filesystem::exists(path)) throw CorruptStore("not an OneWindow store: " + path.string() + " is missing");
    nlohmann::json doc;
    try {
        doc = core::read_json_file(path);
    } catch (const core::Error& e) {
        throw CorruptStore("key file damaged: " + std::string(e.what()));
    }
    KeyFile kf;
    try {
        core::JsonReader r(doc, path.string());
        r.object();
        if (r.str("format") != "onewindow-keys") r.fail_at("format", "not an OneWindow key file");
        r.int64("format_version", 1, 1);
        kf.store_id_ = r.str("store_id");
        auto us = r.at("users");
        us.array();
        for (std::size_t i = 0; i < us.size(); ++i) {
            auto u = us.at(i);
            UserWrap w;
            w.user = u.str("user");
            w.role = core::actor_from_json({{"user_id", w.user}, {"role", u.str("role")}}, path.string()).role;
            auto k = u.at("kdf");
            if (k.str("alg") != "argon2id13") k.fail_at("alg", "unsupported KDF");
            w.kdf.ops = std::uint64_t(k.int64("ops", 1, 1000));
            w.kdf.mem_bytes = std::size_t(k.int64("mem_bytes", 8192, std::int64_t(4) << 30));
            w.salt = unb64(k.str("salt"), "salt");
            w.nonce = unb64(u.str("nonce"), "nonce");
            w.wrapped = unb64(u.str("wrapped"), "wrapped key");
            if (w.salt.size() != crypto_pwhash_SALTBYTES) u.fail("bad salt size");
            kf.users_.push_back(std::move(w));
        }
        auto rec = r.at("recovery");
        kf.recovery_nonce_ = unb64(rec.str("nonce"), "recovery nonce");
        kf.recovery_wrapped_ = unb64(rec.str("wrapped"), "recovery key");
    } catch (const CorruptStore&) {
        throw;
    } catch (const core::Error& e) {
        throw CorruptStore("key file damaged: " + std::string(e.what()));
    }
    return kf;
}

SecretText read_password(const std::string& path) {
    constexpr std::size_t kMax = 1023;
    SecretText line(kMax);
#if !defined(_WIN32)
    // Byte by byte with read(2), straight into guarded memory: no stdio or stream buffer keeps a
    // copy, and stdin is not read past the first line.
    int fd = 0;
    if (path != "-") {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw core::InvalidData("cannot read the password file " + path + ": " + std::strerror(errno));
    }
    for (;;) {
        char* slot = line.data() + line.size();  // inside the buffer: it has room for capacity + 1
        ssize_t r = ::read(fd, slot, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || *slot == '\n') {
            *slot = '\0';
            break;
        }
        if (line.size() == kMax) {
            if (fd != 0) ::close(fd);
            throw core::InvalidData("the password is longer than " + std::to_string(kMax) + " bytes");
        }
        line.push_back(*slot);  // the byte is already in place: this only counts it
    }
    if (fd != 0) ::close(fd);
#else
    std::string tmp;
    if (path == "-") {
        std::getline(std::cin, tmp);
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw core::InvalidData("cannot read the password file " + path);
        std::getline(in, tmp);
    }
    line.append(tmp);
    sodium_memzero(tmp.data(), tmp.size());
#endif
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (line.empty()) throw core::InvalidData("the password is empty");
    return line;
}

}  // namespace ow::store
