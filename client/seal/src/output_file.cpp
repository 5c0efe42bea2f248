#include "output_file.h"

#include "ow/seal/errors.h"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>

namespace ow::seal {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void write_error(const fs::path& target) {
    throw SealInputError("seal.write", "cannot write the output file " + target.string());
}

fs::path dir_of(const fs::path& target) {
    fs::path d = target.parent_path();
    return d.empty() ? fs::path(".") : d;
}

constexpr std::size_t kSuffixLength = 6;  // as mkstemp's XXXXXX

std::string random_suffix() {
    static const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::string s;
    for (std::size_t i = 0; i < kSuffixLength; ++i) s += chars[rd() % 62];
    return s;
}

}  // namespace

int OutputFile::remove_stale(const fs::path& target) {
    const std::string prefix = target.filename().string() + ".tmp-";
    std::error_code ec;
    int removed = 0;
    for (fs::directory_iterator it(dir_of(target), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != prefix.size() + kSuffixLength || name.compare(0, prefix.size(), prefix) != 0) continue;
        const int fd = ::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        struct stat held {}, now {};
        // Ours (same owner, a regular file) and no live writer holds its lock: its writer died.
        if (::fstat(fd, &held) == 0 && S_ISREG(held.st_mode) && held.st_uid == ::geteuid() &&
            ::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::lstat(it->path().c_str(), &now) == 0 &&
            now.st_ino == held.st_ino && now.st_dev == held.st_dev && ::unlink(it->path().c_str()) == 0)
            ++removed;
        ::close(fd);
    }
    return removed;
}

OutputFile::OutputFile(const fs::path& target) : target_(target) {
    remove_stale(target);
    fd_ = ::open(dir_of(target).c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
        anonymous_ = true;
    } else if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
        // No O_TMPFILE on this filesystem: a named temporary, locked while we write it.
        std::string tmpl = target.string() + ".tmp-XXXXXX";
        fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
        if (fd_ < 0) throw SealInputError("seal.write", "cannot create the output file " + target.string());
        path_ = tmpl;
    } else {
        throw SealInputError("seal.write", "cannot create the output file " + target.string());
    }
    ::flock(fd_, LOCK_EX);  // held until closed: remove_stale() leaves a live writer's file alone
}

OutputFile::~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !path_.empty()) ::unlink(path_.c_str());
}

void OutputFile::write(const char* data, std::size_t n) {
    while (n) {
        const ssize_t w = ::write(fd_, data, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            write_error(target_);
        }
        data += w;
        n -= std::size_t(w);
    }
}

void OutputFile::commit() {
    if (::fsync(fd_) != 0 || ::fchmod(fd_, 0644) != 0) write_error(target_);
    if (anonymous_) {
        // Give the complete file a (temporary, still locked) name, then rename it over the target:
        // linkat cannot replace an existing file.
        const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
        for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
            const std::string name = target_.string() + ".tmp-" + random_suffix();
            if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0 ||
                ::linkat(fd_, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH) == 0)
                path_ = name;
            else if (errno != EEXIST)
                write_error(target_);
        }
        if (path_.empty()) write_error(target_);
    }
    if (std::rename(path_.c_str(), target_.c_str()) != 0)
        throw SealInputError("seal.write", "cannot create the output file " + target_.string());
    committed_ = true;
    const int dir = ::open(dir_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);  // the new name survives a power cut
        ::close(dir);
    }
    ::close(fd_);
    fd_ = -1;
}

void check_written(int fd, const WrittenRevision& expected) {
    auto fail = [](const std::string& what) {
        throw SealInputError("seal.write_check", "the written file does not read back as written (" + what +
                                                     "); nothing was saved");
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0 || std::uint64_t(st.st_size) != expected.file_size) fail("its size differs");
    // The whole file as it is on disk, read at once (qpdf reading a FILE* seeks before every read).
    std::string written(static_cast<std::size_t>(st.st_size), '\0');
    for (std::size_t got = 0; got < written.size();) {
        const ssize_t n = ::pread(fd, written.data() + got, written.size() - got, off_t(got));
        if (n <= 0) fail("it cannot be read");
        got += std::size_t(n);
    }
    try {
        QPDF q;
        q.setSuppressWarnings(true);
        q.setAttemptRecovery(false);
        q.processMemoryFile("the output file", written.data(), written.size());
        if (q.getRoot().getObjGen() != expected.root) fail("another catalog");
        if (q.getAllPages().size() != expected.pages) fail("another number of pages");
        QPDFObjectHandle size = q.getTrailer().getKey("/Size");
        if (!size.isInteger() || size.getIntValue() != expected.size) fail("the trailer's /Size");
        for (const auto& [og, entry] : q.getXRefTable()) {
            if (og.getObj() <= 0 || og.getObj() >= expected.size) fail("object number " + og.unparse(' ') + " out of range");
            if (entry.getType() == 1 && std::uint64_t(entry.getOffset()) >= expected.previous_size &&
                q.getObject(og).isNull())
                fail("object " + og.unparse(' ') + " does not parse");
        }
        bool found = false;
        for (auto& field : QPDFAcroFormDocumentHelper(q).getFormFields()) {
            if (field.getFullyQualifiedName() != expected.field_name) continue;
            QPDFObjectHandle v = field.getValue();
            QPDFObjectHandle br = v.isDictionary() ? v.getKey("/ByteRange") : QPDFObjectHandle::newNull();
            if (field.getFieldType() != "/Sig" || !br.isArray() || br.getArrayNItems() != 4) fail("the new signature field");
            for (int i = 0; i < 4; ++i) {
                QPDFObjectHandle x = br.getArrayItem(i);
                if (!x.isInteger() || std::uint64_t(x.getIntValue()) != expected.byte_range[std::size_t(i)])
                    fail("the new signature's /ByteRange");
            }
            found = true;
        }
        if (!found) fail("the new signature field is missing");
    } catch (const SealInputError&) {
        throw;
    } catch (const std::exception& e) {
        fail(std::string("qpdf: ") + e.what());
    }
}

}  // namespace ow::seal
