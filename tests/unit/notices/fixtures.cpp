#include "fixtures.h"

#include "ow/core/catalog.h"

#include <cstdio>
#include <random>
#include <sys/wait.h>

namespace ow::notices::test {

namespace fs = std::filesystem;

namespace {

core::ServiceItem catalogue_item(const std::string& code) {
    static const core::Catalogue catalogue = core::Catalogue::load_directory(fs::path(OW_SOURCE_DIR) / "forms/catalog");
    const auto* item = catalogue.item(code);
    if (!item) throw std::runtime_error("test catalogue has no item " + code);
    return *item;
}

void adjust_for(NoticeInput& in, const std::string& kind) {
    if (kind == "denial_decision" || kind == "denial_result") {
        in.case_data.decision->approved = false;
        in.case_data.decision->opinion =
            "经现场核查，经营场所位于居民住宅楼内，将住宅改变为经营性用房未经有利害关系的业主同意，"
            "不符合《中华人民共和国民法典》第二百七十九条的规定。";
    }
    if (kind == "mail_receipt") in.case_data.handover->mode = core::ResultHandover::Mode::mail;
    if (kind == "fee_receipt") {  // one fee paid by WeChat Pay, one still due
        auto& c = in.case_data;
        c.fees = {core::CaseFee::charged(c.item_code, {"营业执照工本费", 38000, "证照工本费收费标准"}),
                  core::CaseFee::charged(c.item_code, {"登记费", 8000, ""})};
        auto& f = c.fees[0];
        f.status = core::FeeStatus::paid;
        f.paid_fen = 38000;
        f.method = core::PaymentMethod::wechat;
        f.payment_no = "4200001234567";
        f.payer = c.applicant.name;
        f.at = core::parse_instant("2025-10-09T02:30:00Z");
        f.by = {"clerk-01", core::Role::clerk, core::Post::none, ""};
    }
}

}  // namespace

const TemplateSet& shipped_templates() {
    static const TemplateSet set = TemplateSet::load_directory(fs::path(OW_SOURCE_DIR) / "assets/notices");
    return set;
}

NoticeInput realistic(const std::string& kind) {
    NoticeInput in = read_notice_input(fs::path(OW_TEST_DATA) / "notices/realistic_case.json");
    in.item = catalogue_item(in.case_data.item_code);
    adjust_for(in, kind);
    return in;
}

NoticeInput extreme(const std::string& kind, int missing) {
    NoticeInput in = realistic(kind);
    core::Case& c = in.case_data;
    const std::string rare = "䶮𠮷鍾";
    c.applicant.kind = core::ApplicantKind::organisation;
    c.applicant.name = "霍尔果斯䶮𠮷鍾·阿卜杜热合曼·买买提明国际贸易与数字科技发展集团有限责任公司"
                       "（Khorgos Abdurahman-Mamatmin O'Brien-Müller International Trade & Digital Technology "
                       "Development Group Co., Ltd.）第一分公司";
    c.applicant.doc_type = core::DocumentType::other;
    c.applicant.doc_number = "91654004MA78XQ2K3D";
    c.applicant.legal_representative = "欧阳䶮𠮷鍾·Jean-Baptiste Grenouille-Saint-Exupéry";
    c.applicant.agent_name = "司马𠮷祥（代理人，Agent for the applicant）";
    c.applicant.address = "新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市合作中心国际贸易区中哈霍尔果斯国际边境合作中心"
                          "中方配套区卡拉苏路与亚欧路交叉口西南角䶮𠮷鍾大厦B座12层1208室（Room 1208, Tower B, "
                          "Yan-Ji-Zhong Building, Karasu Road & Eurasia Road, Khorgos, Xinjiang 835221）";
    c.item_name = "公众聚集场所投入使用、营业前消防安全检查（含装饰装修工程竣工验收备案、特种行业许可证核发和"
                  "食品经营许可 Food Business Licence）一件事联办";
    c.refusal_reason = std::string("申请事项依法不需要取得行政许可，且申请人已在其他地区取得同类许可；") + rare +
                       " 申请材料显示的经营范围（import & export of goods and technology）不属于本机关职权范围";
    c.decision->legal_basis = "《中华人民共和国行政许可法》第三十八条、《中华人民共和国消防法》第十五条、"
                              "《公众聚集场所投入使用营业前消防安全检查规则》第十二条";
    c.handover->recipient = c.applicant.agent_name;
    c.handover->address = c.applicant.address;
    c.handover->carrier = "顺丰速运 SF Express（中国邮政 EMS 备选）";
    c.handover->tracking_no = "SF1234567890123";
    c.commitments.push_back({"fire_safety", "本单位承诺消防设施已经按照国家工程建设消防技术标准施工完毕，并经具有资质的"
                                            "消防技术服务机构检测合格（Fire safety systems tested by a qualified agency）。",
                             c.commitments.front().at});

    // 60 missing or defective materials with long names, a few received and deferred ones.
    std::vector<core::ChecklistEntry> entries;
    for (int i = 1; i <= missing; ++i) {
        core::ChecklistEntry e;
        e.material_code = "m" + std::to_string(i);
        e.name = "第" + std::to_string(i) + "项 " + rare + "证明材料（Certificate No. " + std::to_string(i) +
                 "，含营业执照副本、法定代表人身份证明和授权委托书）";
        e.form = i % 3 == 0 ? core::MaterialForm::original_or_copy : core::MaterialForm::copy;
        e.copies = 1 + i % 2;
        e.status = i % 2 ? core::MaterialStatus::missing : core::MaterialStatus::defective;
        e.note = i % 2 ? "" : "复印件不清晰，未加盖单位公章；日期与原件不一致（date mismatch）";
        entries.push_back(e);
        if (i % 5 == 0) in.envelope.materials[e.material_code] = {"", "向霍尔果斯市市场监督管理局（Market Regulation Bureau）申请出具"};
    }
    for (auto& e : c.checklist.entries)
        if (e.status != core::MaterialStatus::missing && e.status != core::MaterialStatus::defective) entries.push_back(e);
    for (int i = 1; i <= 8; ++i) {
        core::ChecklistEntry e;
        e.material_code = "d" + std::to_string(i);
        e.name = "容缺材料" + std::to_string(i) + "：" + rare + "消防技术服务机构出具的消防设施检测报告（Inspection Report）";
        e.necessity = core::Necessity::deferrable;
        e.form = core::MaterialForm::original;
        e.originals = 1;
        e.status = core::MaterialStatus::deferred;
        e.promised_by = core::parse_date("2025-10-20");
        entries.push_back(e);
    }
    c.checklist.entries = entries;

    in.envelope.issuing_body = "新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市行政审批局（霍尔果斯市政务服务中心）";
    in.envelope.window = "综合受理区 A-07 号窗口（Window A-07）";
    in.envelope.window_address = c.applicant.address;
    in.envelope.clerk = "鍾䶮 / Zhong Yan (T07)";
    in.envelope.commitment_text = "本单位同意将本承诺书在政务服务平台公开，接受社会监督。";
    return in;
}

CommandResult run(const std::string& command) {
    CommandResult r;
    FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string quote(const fs::path& p) {
    std::string out = "'";
    for (char ch : p.string()) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

TempDir::TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("ow-notices-test-" + std::to_string(rd()));
    fs::create_directories(path);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

std::string squeeze(const std::string& s) {
    std::string out;
    for (char ch : s)
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t' && ch != '\f') out.push_back(ch);
    return out;
}

std::string text_of(const fs::path& pdf) { return squeeze(run("pdftotext -enc UTF-8 " + quote(pdf) + " -").out); }

int page_count(const fs::path& pdf) {
    auto out = run("pdfinfo " + quote(pdf)).out;
    auto pos = out.find("Pages:");
    return pos == std::string::npos ? -1 : std::stoi(out.substr(pos + 6));
}

std::vector<std::pair<std::string, bool>> fonts_of(const fs::path& pdf) {
    std::vector<std::pair<std::string, bool>> fonts;
    auto out = run("pdffonts " + quote(pdf)).out;
    std::size_t line_no = 0, start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        std::string line = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? out.size() : end + 1;
        if (++line_no <= 2 || line.empty()) continue;
        std::vector<std::string> tok;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && line[i] == ' ') ++i;
            std::size_t j = i;
            while (j < line.size() && line[j] != ' ') ++j;
            if (j > i) tok.push_back(line.substr(i, j - i));
            i = j;
        }
        if (tok.size() >= 6) fonts.emplace_back(tok.front(), tok[tok.size() - 5] == "yes");
    }
    return fonts;
}

std::vector<std::string> qr_codes(const fs::path& pdf) {
    auto dir = pdf.parent_path() / (pdf.stem().string() + "-qr");
    fs::create_directories(dir);
    run("pdftoppm -r 200 -png " + quote(pdf) + " " + quote(dir / "p"));
    auto out = run("zbarimg --raw -q " + quote(dir) + "/p-*.png").out;
    std::vector<std::string> codes;
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        auto line = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!line.empty()) codes.push_back(line);
        start = end == std::string::npos ? out.size() : end + 1;
    }
    return codes;
}

}  // namespace ow::notices::test
