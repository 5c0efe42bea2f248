#include "shell/screenshot.h"

#include <wx/bitmap.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/filename.h>
#include <wx/image.h>
#include <wx/window.h>

#include <cstdio>
#include <set>

namespace ow::app {

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
    wxBitmap bmp(r.width, r.height, 24);
    {
        wxScreenDC screen;
        wxMemoryDC mem(bmp);
        mem.Blit(0, 0, r.width, r.height, &screen, r.x, r.y);
    }
    wxImage img = bmp.ConvertToImage();
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

}  // namespace ow::app
