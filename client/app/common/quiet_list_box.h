// A wxListBox without GTK's type-ahead search popup. GTK's tree view (what wxListBox is on GTK)
// opens a search entry when a letter or Ctrl+F is typed while it has focus; on the desk Ctrl+F is
// "find a case" and letters belong to the search box, so the popup only gets in the way. wx offers
// no switch for it; the view's "enable-search" property is turned off through GObject, looked up
// at run time (the GTK headers are not needed to build the desk).
#pragma once

#include <wx/listbox.h>

#if defined(__WXGTK__)
#include <dlfcn.h>
#endif

namespace ow::app {

class QuietListBox : public wxListBox {
public:
    QuietListBox(wxWindow* parent, const wxSize& size, const wxString& name)
        : wxListBox(parent, wxID_ANY, wxDefaultPosition, size, 0, nullptr, wxLB_SINGLE, wxDefaultValidator, name) {
#if defined(__WXGTK__)
        using SetProperty = void (*)(void*, const char*, ...);
        if (auto set = reinterpret_cast<SetProperty>(dlsym(RTLD_DEFAULT, "g_object_set")); set && m_treeview)
            set(m_treeview, "enable-search", 0, static_cast<void*>(nullptr));
#endif
    }
};

}  // namespace ow::app
