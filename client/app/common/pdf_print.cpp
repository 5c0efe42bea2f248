// PdfPrintout and the print helpers: stub (the API compiles; printing comes in a later commit).
#include "common/pdf_print.h"

#include "ow/core/error.h"

namespace ow::app {

PdfPrintout::PdfPrintout(std::string bytes, const std::string& title)
    : wxPrintout(wxString::FromUTF8(title.data(), title.size())), pages_(std::make_unique<PdfPages>(std::move(bytes))) {}
PdfPrintout::~PdfPrintout() = default;
bool PdfPrintout::OnPrintPage(int) { return false; }
bool PdfPrintout::HasPage(int page) { return page >= 1 && page <= pages_->page_count(); }
void PdfPrintout::GetPageInfo(int* min_page, int* max_page, int* from, int* to) {
    *min_page = *from = 1;
    *max_page = *to = pages_->page_count();
}
int PdfPrintout::page_count() const { return pages_->page_count(); }

wxFrame* print_preview(wxWindow*, std::string, const std::string&) { return nullptr; }
bool print(wxWindow*, std::string, const std::string&, bool) { return false; }
void print_to_file(std::string, const std::string&, const std::filesystem::path&) {
    throw core::Error("print.failed", "printing is not built yet");
}

}  // namespace ow::app
