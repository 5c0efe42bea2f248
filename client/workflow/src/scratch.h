// A private scratch folder inside the store (0700, like the store): files that must pass through
// the file system (a notice PDF while ow_seal stamps it, the seal's artwork, a demo scan) live
// there, never in /tmp. Removed on every path (a crash leaves a tmp-act-* folder, which holds
// nothing the store depends on).
#pragma once

#include "ow/store/errors.h"

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace ow::workflow::detail {

class Scratch {
public:
    explicit Scratch(const std::filesystem::path& store_dir) {
        std::string tmpl = (store_dir / "tmp-act-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw store::StoreError("store.io", "cannot make a scratch folder in the store");
        dir_ = tmpl;
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return dir_ / name; }
    const std::filesystem::path& path() const { return dir_; }

private:
    std::filesystem::path dir_;
};

}  // namespace ow::workflow::detail
