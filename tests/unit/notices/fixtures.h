// Test inputs for ow_notices: a realistic case and an extreme one, tuned per notice kind, and
// helpers that run Poppler's and zbar's command-line tools on the rendered files.
#pragma once

#include "ow/notices/renderer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace ow::notices::test {

constexpr const char* kProgressUrl = "https://zwfw.example.gov.cn/progress?no=370102A-20251009-T07-00042-K";

/// The realistic case of tests/data/notices/realistic_case.json, adjusted so that `kind` applies
/// (a denial for denial_decision, a mailed result for mail_receipt), with its catalogue item.
NoticeInput realistic(const std::string& kind);
/// The extreme case: very long names and addresses, 60 missing materials, 生僻字 (䶮 𠮷 鍾),
/// mixed Latin. `missing` sets the number of missing or defective materials.
NoticeInput extreme(const std::string& kind, int missing = 60);

/// The shipped templates (from the source tree).
const TemplateSet& shipped_templates();

struct CommandResult {
    int rc = -1;
    std::string out;
};
/// Runs a shell command, capturing stdout (stderr discarded).
CommandResult run(const std::string& command);
std::string quote(const std::filesystem::path& p);

/// A fresh directory, removed by the destructor.
struct TempDir {
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path path;
};

/// pdftotext output with all white space removed (lines wrap anywhere in Chinese text).
std::string text_of(const std::filesystem::path& pdf);
std::string squeeze(const std::string& s);
/// Pages according to pdfinfo.
int page_count(const std::filesystem::path& pdf);
/// pdffonts rows: font name and whether it is embedded.
std::vector<std::pair<std::string, bool>> fonts_of(const std::filesystem::path& pdf);
/// Decodes the QR codes of every page (pdftoppm at 200 dpi, then zbarimg); one entry per code.
std::vector<std::string> qr_codes(const std::filesystem::path& pdf);

}  // namespace ow::notices::test
