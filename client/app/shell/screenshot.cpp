#include "shell/screenshot.h"

#include <wx/bitmap.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/filename.h>
#include <wx/image.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/listctrl.h>
#include <wx/radiobut.h>
#include <wx/stattext.h>
#include <wx/window.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#ifdef OW_HAVE_X11
#include <wx/utils.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#endif

namespace ow::app {

namespace {

#ifdef OW_HAVE_X11
/// The screen's pixels in `r` read from the X server (XGetImage on wx's own connection, so GTK's
/// drawing requests before it are done). wxScreenDC under GTK 3 reads the root window through a
/// cairo surface that keeps its first snapshot: a second capture in the same process returned the
/// first image again. Nothing under Wayland (the caller falls back to wxScreenDC).
std::optional<wxImage> grab_x11(wxRect r) {
    const wxDisplayInfo info = wxGetDisplayInfo();
    if (info.type != wxDisplayX11 || !info.dpy) return std::nullopt;
    auto* dpy = static_cast<Display*>(info.dpy);
    // XGetImage fails (BadMatch, fatal by default) for a rectangle outside the root window.
    const int sw = DisplayWidth(dpy, DefaultScreen(dpy)), sh = DisplayHeight(dpy, DefaultScreen(dpy));
    r.Intersect(wxRect(0, 0, sw, sh));
    if (r.IsEmpty()) return std::nullopt;
    XImage* xi = XGetImage(dpy, DefaultRootWindow(dpy), r.x, r.y, unsigned(r.width), unsigned(r.height), AllPlanes, ZPixmap);
    if (!xi) return std::nullopt;
    const auto shift = [](unsigned long mask) {
        int n = 0;
        while (mask && !(mask & 1)) mask >>= 1, ++n;
        return n;
    };
    const int rs = shift(xi->red_mask), gs = shift(xi->green_mask), bs = shift(xi->blue_mask);
    wxImage img(r.width, r.height, false);
    unsigned char* out = img.GetData();
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x) {
            const unsigned long px = XGetPixel(xi, x, y);
            *out++ = static_cast<unsigned char>((px & xi->red_mask) >> rs);
            *out++ = static_cast<unsigned char>((px & xi->green_mask) >> gs);
            *out++ = static_cast<unsigned char>((px & xi->blue_mask) >> bs);
        }
    XDestroyImage(xi);
    return img;
}
#endif

wxImage grab(const wxRect& r) {
#ifdef OW_HAVE_X11
    if (auto img = grab_x11(r)) return *img;
#endif
    wxBitmap bmp(r.width, r.height, 24);
    {
        wxScreenDC screen;
        wxMemoryDC mem(bmp);
        mem.Blit(0, 0, r.width, r.height, &screen, r.x, r.y);
    }
    return bmp.ConvertToImage();
}

}  // namespace

bool capture_window_png(wxWindow* window, const std::string& path, std::string& error) {
    if (!window || !window->IsShownOnScreen()) {
        error = "window not shown";
        return false;
    }
    window->Update();
    wxRect r = window->GetScreenRect();
    if (r.width <= 0 || r.height <= 0) {
        error = "window has no size";
        return false;
    }
    wxImage img = grab(r);
    // An unpainted window is one colour: try again later.
    std::set<unsigned> colours;
    const unsigned char* px = img.GetData();
    for (int i = 0; i < img.GetWidth() * img.GetHeight() && colours.size() < 16; i += 97)
        colours.insert(unsigned(px[3 * i]) << 16 | unsigned(px[3 * i + 1]) << 8 | px[3 * i + 2]);
    if (colours.size() < 8) {
        error = "window not painted yet";
        return false;
    }
    // Write to a temporary file and rename, so a failed run leaves no half-written PNG.
    std::string tmp = path + ".part";
    if (!img.SaveFile(wxString::FromUTF8(tmp), wxBITMAP_TYPE_PNG)) {
        std::remove(tmp.c_str());
        error = "cannot write " + tmp;
        return false;
    }
    if (!wxRenameFile(wxString::FromUTF8(tmp), wxString::FromUTF8(path), true)) {
        std::remove(tmp.c_str());
        error = "cannot rename to " + path;
        return false;
    }
    return true;
}

namespace {

void find_clipped(wxWindow* w, std::vector<std::string>& out) {
    if (!w->IsShownOnScreen()) return;
    const auto name = [w] { return w->GetName().utf8_string(); };
    const bool labelled = wxDynamicCast(w, wxStaticText) || wxDynamicCast(w, wxButton) || wxDynamicCast(w, wxCheckBox) ||
                          wxDynamicCast(w, wxRadioButton);
    const bool ellipsized = wxDynamicCast(w, wxStaticText) && (w->GetWindowStyle() & wxST_ELLIPSIZE_MASK);
    if (labelled && !ellipsized && !w->GetLabel().empty()) {
        // The text's own extent in the control's font (mnemonic marks and line breaks counted as
        // drawn) against the room the control gives it: its width, less the box of a check box or
        // radio button.
        wxString text = wxStripMenuCodes(w->GetLabel(), wxStrip_Mnemonics);
        wxCoord tw = 0, th = 0;
        w->GetTextExtent(text.BeforeFirst('\n'), &tw, &th);
        for (wxString rest = text.AfterFirst('\n'); !rest.empty(); rest = rest.AfterFirst('\n')) {
            wxCoord lw = 0, lh = 0;
            w->GetTextExtent(rest.BeforeFirst('\n'), &lw, &lh);
            tw = std::max(tw, lw);
            th += lh;
            if (!rest.Contains('\n')) break;
        }
        const bool boxed = wxDynamicCast(w, wxCheckBox) || wxDynamicCast(w, wxRadioButton);
        const wxSize has = w->GetSize();
        const int room = has.x - (boxed ? w->FromDIP(18) : 0);
        if (tw > room + 1 || th * 3 > has.y * 4) {
            char line[512];
            std::snprintf(line, sizeof line, "%s \"%s\" needs %dx%d, has %dx%d", name().c_str(), w->GetLabel().utf8_string().c_str(), tw, th,
                          room, has.y);
            out.emplace_back(line);
        }
    }
    if (auto* list = wxDynamicCast(w, wxListCtrl); list && list->InReportView()) {
        for (int c = 0; c < list->GetColumnCount(); ++c) {
            wxListItem col;
            col.SetMask(wxLIST_MASK_TEXT | wxLIST_MASK_WIDTH);
            if (!list->GetColumn(c, col) || col.GetText().empty()) continue;
            const int needs = list->GetTextExtent(col.GetText()).x + list->FromDIP(12);  // the header's own padding
            if (col.GetWidth() > 0 && col.GetWidth() < needs) {
                char line[512];
                std::snprintf(line, sizeof line, "%s column \"%s\" needs %d, has %d", name().c_str(), col.GetText().utf8_string().c_str(), needs,
                              col.GetWidth());
                out.emplace_back(line);
            }
        }
    }
    for (auto* child : w->GetChildren()) find_clipped(child, out);
}

}  // namespace

std::vector<std::string> clipped_labels(wxWindow* top) {
    std::vector<std::string> out;
    if (top) find_clipped(top, out);
    return out;
}

}  // namespace ow::app
