#include "shell/demo_desk.h"

#include "settings/desk_settings.h"

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
    // A fixed working day, so that screenshots are the same from run to run; the seed fills every
    // queue as it stands on that day (SeedOptions::today).
    d.now = core::parse_instant("2026-11-24T02:40:00Z");  // Tuesday 10:40 in China
    const store::KdfParams cheap{1, std::size_t(8) << 20};  // a throw-away store: fast to open
    store::Store::init(dir, d.user, core::Role::admin, d.password, cheap);
    auto st = store::Store::open(dir, d.user, d.password);
    st->set_user_profile(d.user, core::Post::none, "王晓梅");
    store::Settings settings(st->db());
    settings.set_terminal({"JN0102", "T3"});
    set_window_label(*st, "3号窗口");
    auto cal = store::PlatformCalendars(st->db()).calendar();
    auto catalogue = core::Catalogue::load_shipped();
    auto forms = forms::FormCatalogue::load_shipped();
    workflow::SeedOptions o;
    o.cases = cases;
    o.seed = 11;
    o.terminal = settings.terminal();
    o.today = core::china_date(d.now);
    workflow::seed_demo(*st, catalogue, forms, cal, o);
    // A few cases with their notices (sealed decisions): the case screen's notice list.
    notices::NoticeRenderer renderer(notices::TemplateSet::load_shipped());
    workflow::SeedOptions n = o;
    n.cases = 6;
    n.seed = 12;
    n.today.reset();
    n.renderer = &renderer;
    n.envelope = workflow::default_envelope();
    workflow::seed_demo(*st, catalogue, forms, cal, n);
    return d;
}

}  // namespace ow::app
