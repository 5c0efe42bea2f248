#include "package.h"

#include <openssl/evp.h>
#include <zip.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>

namespace ow::archive::detail {

namespace {

std::string hex(const unsigned char* p, unsigned n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (unsigned i = 0; i < n; ++i) {
        s.push_back(d[p[i] >> 4]);
        s.push_back(d[p[i] & 15]);
    }
    return s;
}

struct MdCtx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~MdCtx() { EVP_MD_CTX_free(ctx); }
    MdCtx(const EVP_MD* md) {
        if (!ctx || !md || EVP_DigestInit_ex(ctx, md, nullptr) != 1)
            throw core::Error("archive.digest", "the digest is not available in this OpenSSL");
    }
    void update(const void* p, std::size_t n) { EVP_DigestUpdate(ctx, p, n); }
    std::string final_hex() {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        EVP_DigestFinal_ex(ctx, out, &n);
        return hex(out, n);
    }
};

core::Error io_error(const std::string& code, const std::string& what, const fs::path& p) {
    return core::Error(code, what + " " + p.string() + ": " + std::strerror(errno));
}

}  // namespace

Digests digest_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error("io.read", "cannot read", file);
    MdCtx sha(EVP_sha256()), sm3(EVP_sm3());
    Digests d;
    std::array<char, 64 * 1024> buf{};
    while (in) {
        in.read(buf.data(), buf.size());
        auto n = std::size_t(in.gcount());
        if (n == 0) break;
        sha.update(buf.data(), n);
        sm3.update(buf.data(), n);
        d.size += n;
    }
    if (in.bad()) throw io_error("io.read", "cannot read", file);
    d.sha256 = sha.final_hex();
    d.sm3 = sm3.final_hex();
    return d;
}

Digests digest_bytes(std::string_view bytes) {
    MdCtx sha(EVP_sha256()), sm3(EVP_sm3());
    sha.update(bytes.data(), bytes.size());
    sm3.update(bytes.data(), bytes.size());
    return {sha.final_hex(), sm3.final_hex(), bytes.size()};
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\t': out += "&#9;"; break;
        case '\n': out += "&#10;"; break;
        case '\r': out += "&#13;"; break;
        default:
            if (static_cast<unsigned char>(ch) >= 0x20) out.push_back(ch);  // other controls are not XML 1.0
        }
    }
    return out;
}

std::string format_manifest(const std::map<std::string, std::string>& hex_by_path) {
    std::string out;
    for (const auto& [path, h] : hex_by_path) out += h + "  " + path + "\n";
    return out;
}

Manifest parse_manifest(const std::string& text) {
    Manifest m;
    std::size_t start = 0;
    int line_no = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) {
            m.problems.push_back("line " + std::to_string(line_no + 1) + " does not end with a newline");
            end = text.size();
        }
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        auto bad = [&](const std::string& why) { m.problems.push_back("line " + std::to_string(line_no) + ": " + why); };
        if (line.size() < 67 || line.compare(64, 2, "  ") != 0) {
            bad("not \"HEX  PATH\"");
            continue;
        }
        std::string h = line.substr(0, 64), path = line.substr(66);
        if (h.find_first_not_of("0123456789abcdef") != std::string::npos) {
            bad("the digest is not 64 lower-case hex digits");
            continue;
        }
        std::string why;
        if (!safe_relative_path(path, &why)) {
            bad("the path " + path + " " + why);
            continue;
        }
        if (!m.entries.emplace(path, h).second) bad(path + " is listed twice");
    }
    return m;
}

bool safe_relative_path(std::string_view path, std::string* why) {
    auto fail = [&](const char* w) {
        if (why) *why = w;
        return false;
    };
    if (path.empty()) return fail("is empty");
    if (path.front() == '/') return fail("is absolute");
    for (char ch : path) {
        if (ch == '\\') return fail("has a backslash");
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) return fail("has a control character");
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        auto part = path.substr(start, end - start);
        if (part.empty()) return fail("has an empty part");
        if (part == "..") return fail("climbs out of the package (..)");
        if (part == ".") return fail("has a '.' part");
        start = end + 1;
    }
    return true;
}

void write_private_file(const fs::path& path, std::string_view bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw io_error("io.write", "cannot create", path);
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto e = io_error("io.write", "cannot write", path);
            ::close(fd);
            throw e;
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) throw io_error("io.write", "cannot write", path);
}

void create_private_file(const fs::path& path) { write_private_file(path, {}); }

void sync_path(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

namespace {
std::string temp_template(const fs::path& target, const std::string& suffix) {
    fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    return (parent / ("." + target.filename().string() + ".partial-XXXXXX" + suffix)).string();
}
}  // namespace

fs::path make_temp_sibling_dir(const fs::path& target) {
    std::string t = temp_template(target, "");
    if (!::mkdtemp(t.data())) throw io_error("io.write", "cannot create a folder beside", target);
    ::chmod(t.c_str(), 0700);
    return t;
}

fs::path make_temp_sibling_file(const fs::path& target) {
    std::string t = temp_template(target, ".zip");
    int fd = ::mkstemps(t.data(), 4);
    if (fd < 0) throw io_error("io.write", "cannot create a file beside", target);
    ::fchmod(fd, 0600);
    ::close(fd);
    return t;
}

std::vector<std::string> list_files(const fs::path& dir, std::vector<std::pair<std::string, std::string>>* odd) {
    std::vector<std::string> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string rel = it->path().lexically_relative(dir).generic_string();  // links not followed
        auto st = it->symlink_status();
        if (fs::is_symlink(st)) {
            if (odd) odd->emplace_back(rel, "is a symbolic link");
        } else if (fs::is_regular_file(st)) {
            files.push_back(rel);
        } else if (fs::is_directory(st)) {
            std::error_code e2;
            if (fs::is_empty(it->path(), e2) && odd) odd->emplace_back(rel + "/", "is an empty folder");
        } else if (odd) {
            odd->emplace_back(rel, "is not a regular file");
        }
    }
    if (ec) throw core::Error("io.read", "cannot list " + dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

namespace {
struct ZipCloser {
    void operator()(zip_t* z) const {
        if (z) zip_discard(z);
    }
};
std::string zip_error_text(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string s = zip_error_strerror(&e);
    zip_error_fini(&e);
    return s;
}
}  // namespace

void zip_folder(const fs::path& dir, const std::vector<std::string>& files, const fs::path& zip) {
    int err = 0;
    zip_t* raw = zip_open(zip.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!raw) throw core::Error("io.write", "cannot create " + zip.string() + ": " + zip_error_text(err));
    std::unique_ptr<zip_t, ZipCloser> z(raw);
    for (const auto& name : files) {
        zip_source_t* src = zip_source_file(z.get(), (dir / name).c_str(), 0, -1);
        if (!src) throw core::Error("io.write", "cannot add " + name + " to " + zip.string() + ": " + zip_strerror(z.get()));
        zip_int64_t idx = zip_file_add(z.get(), name.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(src);
            throw core::Error("io.write", "cannot add " + name + " to " + zip.string() + ": " + zip_strerror(z.get()));
        }
        zip_set_file_compression(z.get(), zip_uint64_t(idx), ZIP_CM_DEFLATE, 0);
        zip_file_set_external_attributes(z.get(), zip_uint64_t(idx), 0, ZIP_OPSYS_UNIX, zip_uint32_t(0100600) << 16);
    }
    if (zip_close(z.get()) != 0) throw core::Error("io.write", "cannot write " + zip.string() + ": " + zip_strerror(z.get()));
    z.release();  // closed
    ::chmod(zip.c_str(), 0600);
    sync_path(zip);
}

std::vector<Check> unzip_to(const fs::path& zip, const fs::path& dir, int* entries) {
    std::vector<Check> checks;
    auto fail = [&](Property p, const std::string& file, const std::string& code, const std::string& message) {
        checks.push_back({p, file, false, code, message});
    };
    int err = 0;
    zip_t* raw = zip_open(zip.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!raw) {
        fail(Property::usability, "", "zip_unreadable", "the file is not a readable zip: " + zip_error_text(err));
        return checks;
    }
    std::unique_ptr<zip_t, ZipCloser> z(raw);
    zip_int64_t n = zip_get_num_entries(z.get(), 0);
    if (entries) *entries = int(n);
    std::set<std::string> seen;
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z.get(), zip_uint64_t(i), ZIP_FL_ENC_GUESS, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
            fail(Property::integrity, "", "zip_entry_unreadable", "zip entry " + std::to_string(i) + " cannot be read");
            continue;
        }
        std::string name = st.name;
        if (!name.empty() && name.back() == '/') {  // a folder entry: only its name matters
            std::string why;
            if (!safe_relative_path(name.substr(0, name.size() - 1), &why))
                fail(Property::security, name, "unsafe_path", "the zip entry's name " + why);
            continue;
        }
        std::string why;
        if (!safe_relative_path(name, &why)) {
            fail(Property::security, name, "unsafe_path", "the zip entry's name " + why + " (not extracted)");
            continue;
        }
        if (!seen.insert(name).second) {
            fail(Property::integrity, name, "duplicate_entry", "the zip holds this name twice");
            continue;
        }
        zip_uint8_t opsys = 0;
        zip_uint32_t attr = 0;
        if (zip_file_get_external_attributes(z.get(), zip_uint64_t(i), 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX) {
            unsigned mode = attr >> 16;
            if ((mode & 0170000) == 0120000) {
                fail(Property::security, name, "symbolic_link", "the zip entry is a symbolic link (not extracted)");
                continue;
            }
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            fail(Property::security, name, "encrypted", "the zip entry is encrypted (not extracted)");
            continue;
        }
        fs::path target = dir / name;
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw core::Error("io.write", "cannot extract into " + target.parent_path().string() + ": " + ec.message());
        zip_file_t* f = zip_fopen_index(z.get(), zip_uint64_t(i), 0);
        if (!f) {
            fail(Property::integrity, name, "zip_data_error", std::string("the zip entry cannot be read: ") + zip_strerror(z.get()));
            continue;
        }
        // Streamed to the file (a scan may be large); a damaged entry's file is removed again.
        int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            zip_fclose(f);
            throw io_error("io.write", "cannot extract", target);
        }
        std::array<char, 64 * 1024> buf{};
        bool broken = false, write_failed = false;
        for (;;) {
            zip_int64_t got = zip_fread(f, buf.data(), buf.size());
            if (got < 0) {
                broken = true;
                break;
            }
            if (got == 0) break;
            for (zip_int64_t done = 0; done < got && !write_failed;) {
                ssize_t w = ::write(fd, buf.data() + done, std::size_t(got - done));
                if (w < 0 && errno != EINTR) write_failed = true;
                if (w > 0) done += w;
            }
            if (write_failed) break;
        }
        if (::close(fd) != 0) write_failed = true;
        std::string reason = broken ? zip_file_strerror(f) : "";
        if (zip_fclose(f) != 0 && !broken) {
            broken = true;
            reason = "checksum (CRC) error";
        }
        if (write_failed) throw io_error("io.write", "cannot extract", target);
        if (broken) {
            std::error_code rm;
            fs::remove(target, rm);
            fail(Property::integrity, name, "zip_data_error", "the zip entry's data is damaged: " + reason);
        }
    }
    return checks;
}

}  // namespace ow::archive::detail
