// Writing an output PDF so that a failure or a kill never leaves a half-written file (internal to
// ow_seal): an anonymous O_TMPFILE file linked into place only when complete and checked, or, on a
// filesystem without O_TMPFILE, a locked "OUT.tmp-XXXXXX" file that the next run removes if its
// writer died. And the check every output passes before it is put in place.
#pragma once

#include <qpdf/QPDFObjGen.hh>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace ow::seal {

class OutputFile {
public:
    /// Opens an unnamed file in target's directory (a named, locked temporary one where the
    /// filesystem has no O_TMPFILE), after removing stale temporaries of earlier runs for the same
    /// target. Throws SealInputError("seal.write").
    explicit OutputFile(const std::filesystem::path& target);
    ~OutputFile();  // not committed: the file disappears
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    void write(const char* data, std::size_t n);
    /// The file descriptor (readable too), e.g. to check what was written.
    int fd() const { return fd_; }
    /// Whether the file is unnamed (O_TMPFILE) until commit().
    bool anonymous() const { return anonymous_; }
    /// fsync, then the file appears as target (mode 0644), replacing it atomically.
    void commit();

    /// Removes "NAME.tmp-XXXXXX" files next to `target` that no live writer holds (their
    /// writer was killed). Returns how many were removed.
    static int remove_stale(const std::filesystem::path& target);

private:
    std::filesystem::path target_;
    std::string path_;  // the named temporary (fallback), empty when anonymous
    int fd_ = -1;
    bool anonymous_ = false;
    bool committed_ = false;
};

/// What a stamp wrote, to be found again in the output.
struct WrittenRevision {
    std::uint64_t file_size = 0;
    std::uint64_t previous_size = 0;             // where the new revision starts (its objects must parse)
    QPDFObjGen root;
    std::size_t pages = 0;
    std::int64_t size = 0;                       // the new trailer's /Size
    std::string field_name;                      // the new signature field
    std::array<std::uint64_t, 4> byte_range{};   // its signature's /ByteRange
};

/// Re-reads the written file at `fd` with qpdf (strict, no recovery) and checks it against
/// `expected`: readable, same catalog and page count, /Size as written, every object number below it,
/// every object of the new revision parsing, the new field present with its signature and
/// /ByteRange covering the whole file. Throws SealInputError("seal.write_check")
/// naming what differs.
void check_written(int fd, const WrittenRevision& expected);

}  // namespace ow::seal
