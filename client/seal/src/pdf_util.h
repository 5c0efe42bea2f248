// Reading PDF structure (with qpdf, read-only) and writing one append-only revision (ours).
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::seal::pdf {

/// The end of a PDF file: where the last cross-reference section starts and what kind it is.
struct Tail {
    std::uint64_t size = 0;       // file size
    std::uint64_t startxref = 0;  // offset of the last cross-reference section
    bool xref_stream = false;     // the last section is an xref stream (else a table)
    bool ends_with_eol = false;
};

/// Checks the header and the trailer end of `data` (the whole file or its last bytes, with
/// `tail_offset` the offset of data[0] in the file) and finds the last xref section.
/// `at_startxref` are a few bytes of the file at the startxref offset (read by the caller).
/// Throws SealInputError for anything that is not a complete PDF.
Tail parse_tail(std::string_view head, std::string_view last_bytes, std::uint64_t file_size);
void classify_xref(Tail& tail, std::string_view at_startxref);

/// The tail of a whole PDF held in memory.
Tail tail_of(std::string_view data);
/// Reads the tail of a file on disk.
Tail read_tail(const std::filesystem::path& file);

/// A whole file's bytes, read at once (SealInputError "seal.read" when it cannot be read). The
/// seal reads its input once: what qpdf parses is what is hashed and copied.
std::string read_file(const std::filesystem::path& file);

/// Opens a PDF held in memory with qpdf, without recovery (a damaged file is an error, not
/// silently repaired). Throws SealInputError for unreadable and encrypted files.
/// `data` must outlive `q` (qpdf reads the buffer in place). With `pages`, the page tree is read
/// too (a loop in it is SealInputError "seal.bad_pdf").
void open_strict_memory(QPDF& q, const std::string& description, const std::string& data, bool pages = false);

/// The DocMDP level of a certified document (the catalog's /Perms /DocMDP signature, its
/// /Reference with /TransformMethod /DocMDP, /TransformParams /P; 2 when absent, and an out-of-range
/// value counts as 1, the strictest); 0 when the document is not certified.
int docmdp_level(QPDF& q);

/// PDF syntax helpers.
std::string text_string(const std::string& utf8);  // (literal) for ASCII, <FEFF…> otherwise
std::string hex_string(const std::string& bytes);
std::string name(const std::string& key);           // "/Key" with # escapes
std::string number(double v);
std::string ref(std::int64_t num, int gen = 0);
std::string pdf_date(std::int64_t unix_seconds);    // D:YYYYMMDDHHmmSSZ (UTC)

/// A dictionary's entries as text, with some keys replaced (value text) or removed (empty text).
std::string dict_with(QPDFObjectHandle dict, const std::map<std::string, std::string>& replace);
std::string array_with_appended(QPDFObjectHandle array, const std::vector<std::string>& extra);

/// One incremental update: new and replaced objects, then an xref section and trailer.
class Revision {
public:
    /// next_number: the first free object number (the previous /Size or more). Object numbers are
    /// 64-bit here; the caller keeps them within kMaxObjectNumber.
    explicit Revision(std::int64_t next_number) : next_(next_number) {}
    std::int64_t reserve() { return next_++; }
    std::int64_t size() const { return next_; }
    /// Object `num gen` with a non-stream body (dictionary, array…).
    void put(std::int64_t num, int gen, std::string body);
    /// A stream object; `dict_entries` are the entries without << >> and without /Length.
    void put_stream(std::int64_t num, int gen, const std::string& dict_entries, const std::string& data);

    struct Trailer {
        std::string root, info, id;  // value texts (info may be empty)
        std::uint64_t prev = 0;
        bool xref_stream = false;
    };
    /// The bytes of the update, to be appended at file offset `base` (prepends an EOL if asked).
    /// Object offsets are recorded so offset_of() can find them.
    std::string assemble(std::uint64_t base, bool prepend_eol, const Trailer& trailer);
    /// Offset within the assembled bytes where object `num` starts.
    std::size_t offset_of(std::int64_t num) const { return local_offsets_.at(num); }

private:
    struct Obj {
        std::int64_t num;
        int gen;
        std::string text;  // "num gen obj\n…\nendobj\n"
    };
    std::int64_t next_;
    std::vector<Obj> objs_;
    std::map<std::int64_t, std::size_t> local_offsets_;
};

/// The largest object number a PDF may use (ISO 32000-1, Annex C: 8,388,607 indirect objects);
/// a /Size beyond it is refused as damaged rather than written.
constexpr std::int64_t kMaxObjectNumber = 8388607;

/// Deflates bytes (via qpdf's Pl_Flate).
std::string deflate(const std::string& data);

}  // namespace ow::seal::pdf
