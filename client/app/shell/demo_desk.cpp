#include "shell/demo_desk.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/workflow/demo.h"
#include "ow/workflow/session.h"

#include <nlohmann/json.hpp>

namespace ow::app {

DemoDesk make_demo_desk(const std::filesystem::path& dir, int cases) {
    DemoDesk d;
    d.dir = dir;
    d.user = "wangxm";
    d.password = "demo screenshot password";
    // The seed's cases run from January 2025 to late summer 2026: the desk's "today" is a working
    // day near the end of that span, so today's, due-soon and overdue queues all have cases.
    d.now = core::parse_instant("2026-08-25T02:40:00Z");  // 10:40 in China
    const store::KdfParams cheap{1, std::size_t(8) << 20};  // a throw-away store: fast to open
    store::Store::init(dir, d.user, core::Role::admin, d.password, cheap);
    auto st = store::Store::open(dir, d.user, d.password);
    st->set_user_profile(d.user, core::Post::none, "王晓梅");
    store::Settings settings(st->db());
    settings.set_terminal({"JN0102", "T3"});
    settings.put("desk.window_label", nlohmann::json("3号窗口").dump());
    auto cal = store::PlatformCalendars(st->db()).calendar();
    auto catalogue = core::Catalogue::load_shipped();
    auto forms = forms::FormCatalogue::load_shipped();
    workflow::SeedOptions o;
    o.cases = cases;
    o.seed = 11;
    o.terminal = settings.terminal();
    workflow::seed_demo(*st, catalogue, forms, cal, o);
    // A few cases with their notices (sealed decisions): the case screen's notice list.
    notices::NoticeRenderer renderer(notices::TemplateSet::load_shipped());
    workflow::SeedOptions n = o;
    n.cases = 6;
    n.seed = 12;
    n.renderer = &renderer;
    n.envelope = workflow::default_envelope();
    workflow::seed_demo(*st, catalogue, forms, cal, n);
    return d;
}

}  // namespace ow::app
