// Printing a PDF held in memory with wx's printing framework: a wxPrintout whose pages are the
// PDF's pages, rendered by Poppler at the printer DC's resolution and scaled to the paper's
// printable area (aspect kept, centred), one PDF page per printed page. The bytes never touch the
// disk (except a print-to-file the caller asks for).
#pragma once

#include "common/pdf_pages.h"

#include <wx/print.h>

#include <filesystem>
#include <memory>
#include <string>

class wxWindow;

namespace ow::app {

class PdfPrintout : public wxPrintout {
public:
    /// Opens `bytes`; throws core::Error ("pdf.*", as PdfPages) when they are not a readable PDF.
    PdfPrintout(std::string bytes, const std::string& title);
    ~PdfPrintout() override;

    bool OnPrintPage(int page) override;  ///< wx's pages are 1-based
    bool HasPage(int page) override;
    void GetPageInfo(int* min_page, int* max_page, int* from, int* to) override;
    int page_count() const;

private:
    std::unique_ptr<PdfPages> pages_;
};

/// Opens wx's print preview frame over `bytes` (non-modal; the frame owns its printouts). Returns
/// the frame, or nullptr after telling the user why (unreadable bytes, no preview possible).
wxFrame* print_preview(wxWindow* parent, std::string bytes, const std::string& title);

/// Prints `bytes`: with show_dialog, after wx's (GTK's) print dialog, where the clerk may cancel;
/// without it, to the default printer — GTK then waits for its printer list, and with no CUPS
/// server running its CUPS backend never finishes the list: the call does not return. Use the
/// dialog unless a printer is known to be there. Returns true when printed; false when cancelled
/// or after telling the user why it failed.
bool print(wxWindow* parent, std::string bytes, const std::string& title, bool show_dialog);

/// Starts the desk's print settings (print() and print_preview() begin from them) from the
/// store's: the printer by name (empty: the system's default) and the paper ("A4", "A5", "A3",
/// "B5" — 182 × 257 mm, wx's only B5 sheet — or "Letter"; anything else: A4). What the clerk
/// then chooses in the print dialog is kept until the next call.
void use_print_setup(const std::string& printer, const std::string& paper);
/// The print settings print() and print_preview() start from now (tests).
wxPrintData current_print_data();

/// Prints `bytes` to the PDF file `out` without any dialog (tests, headless runs): the same
/// printout, driven as wx's printer drives it, on A4 at 300 dpi, onto a cairo PDF surface (GTK
/// prints without its dialog only to real printers, never to its "Print to File"). Written to a
/// temporary file beside `out` and renamed, so `out` is never half-written.
/// Throws core::Error: "pdf.*" for bad bytes, "print.failed" when the file cannot be written.
void print_to_file(std::string bytes, const std::string& title, const std::filesystem::path& out);

}  // namespace ow::app
