#include "blob_files.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "util.h"

namespace ow::sim {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

[[noreturn]] void io_fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

std::optional<std::string> hash_fd(int fd, std::int64_t limit, std::int64_t* total) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    std::vector<char> buf(1 << 20);
    std::int64_t done = 0;
    bool ok = true;
    while (limit < 0 || done < limit) {
        const std::size_t want = limit < 0 ? buf.size() : std::size_t(std::min<std::int64_t>(std::int64_t(buf.size()), limit - done));
        const ssize_t n = ::read(fd, buf.data(), want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0) break;
        EVP_DigestUpdate(ctx, buf.data(), std::size_t(n));
        done += n;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    if (!ok || (limit >= 0 && done != limit)) return std::nullopt;
    if (total) *total = done;
    return hex(md, len);
}

}  // namespace

std::string BlobFiles::blob_path(const std::string& sha256) const { return dir_ + "/" + sha256.substr(0, 2) + "/" + sha256; }

std::string BlobFiles::part_path(const std::string& upload_id) const { return dir_ + "/uploads/" + upload_id + ".part"; }

void BlobFiles::write_chunk(const std::string& upload_id, std::int64_t offset, std::string_view data) const {
    Fd f;
    f.fd = ::open(part_path(upload_id).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (f.fd < 0) io_fail("cannot open an upload file");
    if (::ftruncate(f.fd, off_t(offset)) != 0) io_fail("cannot cut an upload file");
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::pwrite(f.fd, data.data() + done, data.size() - done, off_t(offset + std::int64_t(done)));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) io_fail("cannot write an upload file");
        done += std::size_t(n);
    }
}

std::optional<std::string> BlobFiles::hash_part(const std::string& upload_id, std::int64_t size) const {
    Fd f;
    f.fd = ::open(part_path(upload_id).c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) {
        if (size == 0) return sha256_hex("");
        return std::nullopt;
    }
    return hash_fd(f.fd, size, nullptr);
}

void BlobFiles::sync_part(const std::string& upload_id) const {
    Fd f;
    f.fd = ::open(part_path(upload_id).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (f.fd < 0) io_fail("cannot open an upload file");
    if (::fsync(f.fd) != 0) io_fail("cannot sync an upload file");
}

void BlobFiles::promote(const std::string& upload_id, const std::string& sha256) const {
    const std::string part = part_path(upload_id);
    sync_part(upload_id);  // cheap when already synced
    std::error_code ec;
    std::filesystem::create_directories(dir_ + "/" + sha256.substr(0, 2), ec);
    if (std::rename(part.c_str(), blob_path(sha256).c_str()) != 0) io_fail("cannot store a blob");
}

void BlobFiles::discard(const std::string& upload_id) const { ::unlink(part_path(upload_id).c_str()); }

std::optional<std::pair<std::string, std::int64_t>> BlobFiles::hash_file(const std::string& path) {
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) return std::nullopt;
    std::int64_t total = 0;
    auto h = hash_fd(f.fd, -1, &total);
    if (!h) return std::nullopt;
    return std::make_pair(*h, total);
}

}  // namespace ow::sim
