#include "shell/demo_desk.h"

#include "common/private_dir.h"
#include "settings/desk_settings.h"

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"
#include "ow/forms/definition.h"
#include "ow/notices/renderer.h"
#include "ow/seal/seal.h"
#include "ow/store/authorisations.h"
#include "ow/store/appointments.h"
#include "ow/store/blobs.h"
#include "ow/store/applications.h"
#include "ow/store/documents.h"
#include "ow/store/repositories.h"
#include "ow/store/store.h"
#include "ow/workflow/demo.h"
#include "ow/workflow/session.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ow::app {
namespace {

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

namespace {

/// Makes a demo seal (a throw-away CA) in a private scratch folder, removed at once, and assigns it.
void assign_demo_seal(store::Store& st, store::SealAssignment s, const std::string& organisation, const std::string& pin) {
    std::string tmpl = (private_dir() / "demo-seal-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw core::Error("io.write", "cannot make a scratch folder for the demo seal");
    const std::filesystem::path scratch = tmpl;
    struct Remove {
        std::filesystem::path p;
        ~Remove() {
            std::error_code ec;
            std::filesystem::remove_all(p, ec);
        }
    } remove{scratch};
    auto demo = seal::make_demo_seal(organisation, scratch, pin, seal::DemoKey::ec_p256);  // P-256: quick to make
    s.p12 = read_bytes(demo.p12);
    s.pin = read_bytes(demo.pin_file);
    while (!s.pin.empty() && (s.pin.back() == '\n' || s.pin.back() == '\r')) s.pin.pop_back();
    s.signer = seal::SigningKey::from_pkcs12_bytes(s.p12, s.pin, "the demo seal").signer_name();
    s.image = read_bytes(demo.png);
    store::SealAssignments(st.db()).assign(s, st.actor(), core::now());
    std::fill(s.pin.begin(), s.pin.end(), '\0');
}

}  // namespace

void assign_window_seal(store::Store& st, const std::string& user) {
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::user;
    s.holder = user;
    s.name = "窗口受理专用章";
    assign_demo_seal(st, s, "济南市历下区政务服务中心", {});
}

void assign_approval_seal(store::Store& st, const std::string& post, const std::string& pin) {
    store::SealAssignment s;
    s.holder_kind = store::SealAssignment::HolderKind::post;
    s.holder = post;
    s.name = "行政审批专用章";
    assign_demo_seal(st, s, "济南市历下区行政审批服务局", pin);
}

void add_demo_enquiries(workflow::Workflow& wf, const std::string& colleague) {
    struct Asked {
        const char *kind, *channel, *name, *phone, *item, *subject, *reply;
    };
    static const Asked kAsked[] = {
        {"enquiry", "window", "周红", "13905310011", "370102-SC-0001-001", "个体工商户设立登记需要带哪些材料？经营场所是租的可以吗？", ""},
        {"enquiry", "phone", "吴刚", "13805310012", "370102-ZR-0012-001", "二手房转移登记能否在本中心一窗办理，是否需要预约？", ""},
        {"complaint", "hotline", "郑女士", "", "", "上周二下午窗口排队超过一小时，叫号后无人办理。", ""},
        {"suggestion", "window", "", "", "", "建议大厅增设老年人休息座椅和老花镜。", ""},
        {"enquiry", "window", "冯军", "", "", "中心周六是否办公？", "周六上午 9:00–12:00 办理不动产和社保业务。"},
    };
    std::string second;
    for (const auto& a : kAsked) {
        workflow::NewEnquiry e;
        e.kind = a.kind;
        e.channel = a.channel;
        e.asker_name = a.name;
        e.asker_phone = a.phone;
        e.item_code = a.item;
        e.subject = a.subject;
        e.reply = a.reply;
        auto stored = wf.open_enquiry(e);
        if (second.empty() && std::string(a.channel) == "phone") second = stored.id;
    }
    if (!colleague.empty() && !second.empty()) wf.hand_over_enquiry(second, colleague, "不动产登记由首席代表答复");
}

void add_demo_appointments(store::Store& st, core::Instant now) {
    struct Booked {
        const char *name, *doc, *phone, *item, *item_name, *start, *end, *channel;
    };
    static const Booked kBooked[] = {
        {"刘建国", "370102195203150019", "13905310001", "370102-RS-0211-001", "社会保障卡申领", "09:00", "09:30", "3"},
        {"陈晓燕", "370102198807220042", "13805310002", "370102-ZR-0012-001", "二手房转移登记", "09:30", "10:00", "2"},
        {"张伟", "3701**********0031", "13705310003", "370102-SC-0001-001", "个体工商户设立登记", "10:00", "10:30", "3"},
        {"王秀兰", "370102194911080024", "13605310004", "370102-YB-0107-001", "城乡居民基本医疗保险参保登记", "10:30", "11:00", "3"},
        {"赵磊", "370102199001010057", "13505310005", "370102-GA-0220-001", "户口登记（出生）", "14:00", "14:30", "2"},
        {"孙丽", "370102198512120068", "13405310006", "370102-SW-0101-001", "发票申领", "15:00", "15:30", "3"},
    };
    const std::string day = core::format_date(core::china_date(now));
    store::Appointments book(st.db());
    store::Transaction tx(st.db());
    int n = 0;
    for (const auto& b : kBooked) {
        store::Appointment a;
        a.id = "DEMO-YY-" + std::to_string(++n);
        a.applicant_name = b.name;
        a.doc_number = b.doc;
        a.doc_masked = std::string(b.doc).find('*') != std::string::npos;
        a.phone = b.phone;
        a.item_code = b.item;
        a.item_name = b.item_name;
        a.day = day;
        a.slot_start = b.start;
        a.slot_end = b.end;
        a.channel = b.channel;
        book.upsert_from_platform(a, now);
    }
    tx.commit();
}

void add_demo_applications(store::Store& st, core::Instant now) {
    struct Filed {
        const char *name, *doc, *phone, *item, *item_name, *channel;
        int minutes_ago;
    };
    static const Filed kFiled[] = {
        {"周海燕", "370102198203040028", "13905311001", "370102-RS-0211-001", "社会保障卡申领", "mobile", 26 * 60},
        {"吴建军", "370102197511230013", "13805311002", "370102-SC-0001-001", "个体工商户设立登记", "pc", 20 * 60},
        {"郑丽华", "370102199205180045", "13705311003", "370102-YB-0107-001", "城乡居民基本医疗保险参保登记", "mobile", 95},
        {"冯志强", "370102198609090033", "13605311004", "370102-SW-0101-001", "发票申领", "pc", 12},
    };
    // The photo of the first: a tiny grey PNG (8×8), as an upload the sync downloaded.
    static const unsigned char kPng[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x08,
        0x00, 0x00, 0x00, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00, 0xe1, 0x64, 0xe1, 0x57, 0x00, 0x00, 0x00, 0x0e, 0x49, 0x44, 0x41,
        0x54, 0x78, 0xda, 0x63, 0xd8, 0x00, 0x05, 0x0c, 0x94, 0x31, 0x00, 0x30, 0xa2, 0x2c, 0x01, 0x82, 0x89, 0x91, 0x44, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    store::BlobStore blobs(st.db(), st.dir(), st.key());
    std::istringstream png(std::string(reinterpret_cast<const char*>(kPng), sizeof kPng));
    const std::string photo = blobs.put(png, "image/png");
    store::Applications book(st.db());
    store::Transaction tx(st.db());
    int n = 0;
    for (const auto& f : kFiled) {
        store::OnlineApplication a;
        a.id = "DEMO-WS-" + std::to_string(++n);
        a.channel = f.channel;
        a.item_code = f.item;
        a.item_name = f.item_name;
        a.applicant_name = f.name;
        a.doc_number = f.doc;
        a.phone = f.phone;
        a.submitted_at = core::format_instant(now - std::chrono::minutes{f.minutes_ago});
        if (n == 1) a.uploads.push_back({"photo", "证件照.png", photo, std::int64_t(sizeof kPng), "image/png"});
        book.upsert_from_platform(a, now);
    }
    tx.commit();
}

DemoDesk make_demo_desk(const std::filesystem::path& dir, int cases) {
    DemoDesk d;
    d.dir = dir;
    d.user = "wangxm";
    d.password = "demo screenshot password";
    d.admin = "admin";
    // A fixed working day, so that screenshots are the same from run to run; the seed fills every
    // queue as it stands on that day (SeedOptions::today).
    d.now = core::parse_instant("2026-11-24T02:40:00Z");  // Tuesday 10:40 in China
    const store::KdfParams cheap{1, std::size_t(8) << 20};  // a throw-away store: fast to open
    store::Store::init(dir, d.admin, core::Role::admin, d.password, cheap);
    auto st = store::Store::open(dir, d.admin, d.password);
    st->set_user_profile(d.admin, core::Post::none, "系统管理员");
    // Only window clerks take applications (Workflow::start_intake): the desk's user is one.
    st->set_user(d.user, core::Role::clerk, d.password, cheap);
    st->set_user_profile(d.user, core::Post::none, "王晓梅");
    store::Settings settings(st->db());
    settings.set_terminal({"JN0102", "T3"});
    set_window_label(*st, "3号窗口");
    auto cal = store::PlatformCalendars(st->db()).calendar();
    auto catalogue = core::Catalogue::load_shipped();
    auto forms = forms::FormCatalogue::load_shipped();
    // 事进人不进: 区市场监督管理局 has no one in the hall, so the seed's acceptances of its items call
    // its chief representative (the remote-calls queue; those not taken up in the hour are late).
    core::DepartmentPolicy remote;
    remote.department = "区市场监督管理局";
    remote.remote = true;
    remote.contact = "王科长 0531-86001234";
    store::AuthorisationBook(*st).set_department(remote, d.now);
    workflow::SeedOptions o;
    o.cases = cases;
    o.seed = 11;
    o.terminal = settings.terminal();
    o.today = core::china_date(d.now);
    o.assisted_by = d.user;  // her 我帮办的 queue
    workflow::seed_demo(*st, catalogue, forms, cal, o);
    // A few cases with their notices (sealed decisions): the case screen's notice list.
    notices::NoticeRenderer renderer(notices::TemplateSet::load_shipped());
    workflow::SeedOptions n = o;
    n.cases = 6;
    n.seed = 12;
    n.today.reset();
    n.assisted_by.clear();
    n.renderer = &renderer;
    n.envelope = workflow::default_envelope();
    workflow::seed_demo(*st, catalogue, forms, cal, n);
    assign_window_seal(*st, d.user);
    // 网上申报: the online inbox as a sync brings it, one application taken for 预审 and received
    // (接件) an hour ago by the clerk — the acceptance-due queue's case.
    add_demo_applications(*st, d.now);
    {
        workflow::Environment env;
        const core::Instant at = d.now - std::chrono::hours{1};
        env.now = [at] { return at; };
        auto session = workflow::open_session(store::Store::open(dir, d.user, d.password), std::move(env));
        const auto taken = session->workflow->take_application("DEMO-WS-1");
        session->workflow->receive(taken.case_data.id);
    }
    // The chief representatives the seed acts as (on posts A and B) sign in with the demo password,
    // and their posts' approval seal opens with a PIN the trainee is told (kDemoSealPin).
    d.chief_a = "chief-a";
    d.chief_b = "chief-b";
    st->set_user(d.chief_a, core::Role::chief, d.password, cheap);
    st->set_user(d.chief_b, core::Role::chief, d.password, cheap);
    for (const char* post : {"A", "B"}) assign_approval_seal(*st, post, kDemoSealPin);
    return d;
}

}  // namespace ow::app
