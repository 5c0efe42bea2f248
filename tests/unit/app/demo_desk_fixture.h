// The demo desk (shell/demo_desk.h) for the presenter tests: seeded once per process for each
// case count and copied into each test's own folder — seeding through the acts takes seconds (ten
// times that under ASan), copying a closed store takes milliseconds and gives the same store
// (the same cases, users, seals and keys). Each test still works on a store of its own.
#pragma once

#include "fixture.h"
#include "shell/demo_desk.h"
#include "shell/desk_services.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace ow::test {

/// A copy of the demo desk with `cases` cases in `dir` (which must not exist yet).
inline app::DemoDesk demo_desk_copy(const std::filesystem::path& dir, int cases) {
    struct Made {
        TempDir tmp;  // removed at the process's exit
        app::DemoDesk desk;
    };
    static std::map<int, std::unique_ptr<Made>> made;
    auto& m = made[cases];
    if (!m) {
        auto fresh = std::make_unique<Made>();
        fresh->desk = app::make_demo_desk(fresh->tmp.path / "store", cases);
        m = std::move(fresh);
    }
    std::filesystem::copy(m->desk.dir, dir, std::filesystem::copy_options::recursive);
    app::DemoDesk d = m->desk;
    d.dir = dir;
    return d;
}

/// The desk's services on a demo desk, `user` signed in with the demo password, the clock pinned
/// to the demo's day, no sync (as the screenshots run).
inline std::unique_ptr<app::DeskServices> demo_services(const app::DemoDesk& demo, const std::string& user) {
    app::DeskConfig config;
    config.store_dir = demo.dir;
    config.start_sync = false;
    const core::Instant now = demo.now;
    config.now = [now] { return now; };
    auto services = std::make_unique<app::DeskServices>(config);
    services->sign_in(store::Store::open(demo.dir, user, demo.password));
    return services;
}

/// A test's own demo desk with `Cases` cases and its services (sign_in: as whom; the
/// constructor signs in the window clerk).
template <int Cases>
struct DemoDeskFixture {
    TempDir tmp;
    app::DemoDesk demo = demo_desk_copy(tmp.path / "store", Cases);
    std::unique_ptr<app::DeskServices> services = demo_services(demo, demo.user);

    void sign_in(const std::string& user) {
        services.reset();
        services = demo_services(demo, user);
    }
};

}  // namespace ow::test
