// The desk's log: wx's log messages (wxLogError, wxLogWarning, wxLogMessage …) are technical and
// in English — what failed and why, for the administrator and for us — so they go to a log file
// and to stderr, never into a dialog in front of the clerk (wx's default GUI target pops them up,
// English words in the Chinese desk). What the clerk must know, the views say in the desk's
// language beside the work (each view's message line, or a translated message box).
//
// The file: $XDG_STATE_HOME/onewindow/desk.log (else ~/.local/state/onewindow/desk.log), folder
// 0700, file 0600, kept under 1 MiB (the old one becomes desk.log.1 at start). Log messages carry
// codes, ids and English reasons, never an applicant's personal data (the views log ids only).
#pragma once

#include <wx/log.h>

#include <filesystem>
#include <fstream>

namespace ow::app {

/// Where desk.log goes ($XDG_STATE_HOME/onewindow, else ~/.local/state/onewindow).
std::filesystem::path desk_log_dir();

class DeskLog : public wxLog {
public:
    /// Opens (appends to) `dir`/desk.log, made 0700/0600; without a usable file only stderr is written.
    explicit DeskLog(const std::filesystem::path& dir = desk_log_dir(), bool to_stderr = true);
    std::filesystem::path file() const { return file_; }

protected:
    void DoLogRecord(wxLogLevel level, const wxString& msg, const wxLogRecordInfo& info) override;

private:
    std::filesystem::path file_;
    std::ofstream out_;
    bool to_stderr_;
};

}  // namespace ow::app
