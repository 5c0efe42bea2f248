// PdfPrintout and the print helpers over wx's printing framework (GTK printing under wxGTK).
#include "common/pdf_print.h"

#include "common/labels.h"
#include "common/pdf_view.h"

#include "ow/core/error.h"
#include "ow/core/i18n.h"

#include <wx/frame.h>
#include <wx/intl.h>
#include <wx/dcgraph.h>
#include <wx/graphics.h>
#include <wx/msgdlg.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <system_error>

namespace ow::app {

namespace {

// Pages are printed as images: at the printer's resolution up to this (a 300 dpi A4 page is
// 2480 × 3508 pixels, 35 MB in memory while it prints).
constexpr double kMaxPrintDpi = 300;

wxString translated(const core::Error& e) { return wxGetTranslation(u8(e.what())); }

}  // namespace

PdfPrintout::PdfPrintout(std::string bytes, const std::string& title)
    : wxPrintout(u8(title)), pages_(std::make_unique<PdfPages>(std::move(bytes), 0)) {}

PdfPrintout::~PdfPrintout() = default;

int PdfPrintout::page_count() const { return pages_->page_count(); }

bool PdfPrintout::HasPage(int page) { return page >= 1 && page <= pages_->page_count(); }

void PdfPrintout::GetPageInfo(int* min_page, int* max_page, int* from, int* to) {
    *min_page = *from = 1;
    *max_page = *to = pages_->page_count();
}

bool PdfPrintout::OnPrintPage(int page) {
    wxDC* dc = GetDC();
    if (!dc || !HasPage(page)) return false;
    // Device units per page pixel: 1 on the printer; the preview draws into a smaller bitmap (its
    // zoom). A DC over a graphics context (print_to_file) may not know its size: then it is 1.
    int pw = 0, ph = 0, dw = 0, dh = 0;
    GetPageSizePixels(&pw, &ph);
    dc->GetSize(&dw, &dh);
    if (pw <= 0 || ph <= 0) return false;
    if (dw <= 0 || dh <= 0) dw = pw, dh = ph;
    const double kx = double(dw) / pw, ky = double(dh) / ph;
    // The page fits the paper (aspect kept, centred): `fit` device units per PDF point.
    const PageSize size = pages_->page_size(page - 1);
    const wxRect paper = GetPaperRectPixels();
    const double fit = std::min(paper.width * kx / size.width_pt, paper.height * ky / size.height_pt);
    // Rendered at the device's resolution (so the preview is sharp at every zoom), at most 300 dpi
    // (a printer DC of 600 or 1200 dpi gets the image scaled up).
    int ppi_x = 0, ppi_y = 0;
    GetPPIPrinter(&ppi_x, &ppi_y);
    const double device_dpi = (ppi_x > 0 ? ppi_x : kMaxPrintDpi) * kx;
    const double render_scale = fit * std::min(1.0, kMaxPrintDpi / device_dpi);
    RgbImage img;
    try {
        img = pages_->render(page - 1, render_scale);
    } catch (const core::Error&) {
        return false;  // wx reports a failed page as a failed print
    }
    const double user_scale = fit / render_scale;
    dc->SetUserScale(user_scale, user_scale);
    dc->SetDeviceOrigin(0, 0);
    dc->SetLogicalOrigin(0, 0);
    const double x = paper.x * kx + (paper.width * kx - size.width_pt * fit) / 2;
    const double y = paper.y * ky + (paper.height * ky - size.height_pt * fit) / 2;
    dc->DrawBitmap(wxBitmap(to_wx_image(img)), int(std::lround(x / user_scale)), int(std::lround(y / user_scale)), false);
    return true;
}

// ---------------------------------------------------------------------------------------------

namespace {

/// A printout over `bytes`, or null after telling the user why not.
std::unique_ptr<PdfPrintout> printout_or_tell(wxWindow* parent, const std::string& bytes, const std::string& title) {
    try {
        return std::make_unique<PdfPrintout>(bytes, title);
    } catch (const core::Error& e) {
        wxMessageBox(wxString::Format(_("This document cannot be printed: %s"), translated(e)), _("Print"), wxOK | wxICON_ERROR, parent);
        return nullptr;
    }
}

wxPrintData a4() {
    wxPrintData d;
    d.SetPaperId(wxPAPER_A4);  // notices are A4
    d.SetOrientation(wxPORTRAIT);
    d.SetQuality(wxPRINT_QUALITY_LOW);  // 300 dpi on the GTK printer DC (the render cap above)
    return d;
}

/// The desk's print settings: A4 first, then what the clerk chose in the print dialog.
wxPrintData& desk_print_data() {
    static wxPrintData data = a4();
    return data;
}

}  // namespace

void use_print_setup(const std::string& printer, const std::string& paper) {
    wxPrintData d = a4();
    d.SetPrinterName(u8(printer));
    if (paper == "A5") d.SetPaperId(wxPAPER_A5);
    else if (paper == "A3") d.SetPaperId(wxPAPER_A3);
    else if (paper == "B5") d.SetPaperId(wxPAPER_B5);  // 182 x 257 mm, as printer drivers offer B5
    else if (paper == "Letter") d.SetPaperId(wxPAPER_LETTER);
    desk_print_data() = d;
}

wxPrintData current_print_data() { return desk_print_data(); }

wxFrame* print_preview(wxWindow* parent, std::string bytes, const std::string& title) {
    auto preview_printout = printout_or_tell(parent, bytes, title);
    if (!preview_printout) return nullptr;
    auto print_printout = std::make_unique<PdfPrintout>(bytes, title);
    wxPrintDialogData dialog_data(desk_print_data());
    auto* preview = new wxPrintPreview(preview_printout.release(), print_printout.release(), &dialog_data);
    if (!preview->IsOk()) {
        delete preview;
        wxMessageBox(_("The print preview cannot be shown."), _("Print preview"), wxOK | wxICON_ERROR, parent);
        return nullptr;
    }
    auto* frame = new wxPreviewFrame(preview, parent, wxString::Format(_("Print preview: %s"), u8(title)), wxDefaultPosition,
                                     parent ? parent->FromDIP(wxSize(900, 700)) : wxSize(900, 700));
    frame->SetName("pdf.preview");
    frame->Centre();
    frame->Initialize();
    frame->Show();
    return frame;
}

bool print(wxWindow* parent, std::string bytes, const std::string& title, bool show_dialog) {
    auto printout = printout_or_tell(parent, bytes, title);
    if (!printout) return false;
    wxPrintDialogData dialog_data(desk_print_data());
    wxPrinter printer(&dialog_data);
    if (printer.Print(parent, printout.get(), show_dialog)) {
        desk_print_data() = printer.GetPrintDialogData().GetPrintData();  // the clerk's choices, for next time
        return true;
    }
    if (wxPrinter::GetLastError() == wxPRINTER_ERROR)
        wxMessageBox(_("The document could not be printed. Check the printer and try again."), _("Print"), wxOK | wxICON_ERROR, parent);
    return false;
}

// ---------------------------------------------------------------------------------------------
// Print to a file, without a dialog. GTK's own "Print to File" printer cannot be used for this:
// GTK prints without its dialog only to a real printer (find_printer in gtkprintoperation-unix.c
// skips virtual printers such as "Print to File"), and wx does not expose GTK's export action.
// So the printout is driven here as wxGtkPrinter drives it (prepare, begin, each page, end), on
// a wx graphics context over a cairo PDF surface: the same cairo drawing GTK's file printer does.

namespace {

[[noreturn]] void print_failed(const std::string& why) {
    throw core::Error("print.failed", OW_N_("the document could not be printed") + std::string(": ") + why);
}

struct CairoDone {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

}  // namespace

void print_to_file(std::string bytes, const std::string& title, const std::filesystem::path& out) {
    PdfPrintout printout(std::move(bytes), title);  // throws pdf.* for bad bytes
    std::error_code ec;
    const std::filesystem::path target = std::filesystem::absolute(out, ec);
    if (ec) print_failed(ec.message());
    const std::filesystem::path part = target.string() + ".part";
    std::filesystem::remove(part, ec);
    auto fail = [&](const std::string& why) {
        std::filesystem::remove(part, ec);
        print_failed(why);
    };

    // A4 at 300 dpi, the paper without margins (as the GTK printer DC reports it).
    constexpr double kDpi = 300, kWidthPt = 595.2756, kHeightPt = 841.8898;
    const int pw = int(std::lround(kWidthPt / 72 * kDpi)), ph = int(std::lround(kHeightPt / 72 * kDpi));
    {
        std::unique_ptr<cairo_surface_t, CairoDone> surface(cairo_pdf_surface_create(part.c_str(), kWidthPt, kHeightPt));
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) fail("cannot write " + part.string());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
        std::unique_ptr<cairo_t, CairoDone> cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), 72.0 / kDpi, 72.0 / kDpi);  // DC units: printer pixels
        // The graphics context destroys the cairo context it is given: it gets a reference of its own.
        wxGraphicsContext* gc = wxGraphicsRenderer::GetCairoRenderer()->CreateContextFromNativeContext(cairo_reference(cr.get()));
        if (!gc) fail("no cairo graphics context");
        {
            wxGCDC dc(gc);  // owns gc
            printout.SetDC(&dc);
            printout.SetPPIScreen(wxGetDisplayPPI().x, wxGetDisplayPPI().y);
            printout.SetPPIPrinter(int(kDpi), int(kDpi));
            printout.SetPageSizePixels(pw, ph);
            printout.SetPaperRectPixels(wxRect(0, 0, pw, ph));
            printout.SetPageSizeMM(210, 297);
            printout.OnPreparePrinting();
            int min_page = 0, max_page = 0, from = 0, to = 0;
            printout.GetPageInfo(&min_page, &max_page, &from, &to);
            printout.OnBeginPrinting();
            if (!printout.OnBeginDocument(from, to)) fail("the printout refused to begin");
            for (int page = from; page <= to; ++page) {
                if (!printout.HasPage(page)) continue;
                dc.StartPage();
                const bool ok = printout.OnPrintPage(page);
                dc.EndPage();
                gc->Flush();
                cairo_show_page(cr.get());
                if (!ok) fail("page " + std::to_string(page) + " could not be drawn");
            }
            printout.OnEndDocument();
            printout.OnEndPrinting();
            printout.SetDC(nullptr);
        }
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            fail(std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
    }
    std::filesystem::rename(part, target, ec);
    if (ec) fail("cannot write " + target.string());
}

}  // namespace ow::app
