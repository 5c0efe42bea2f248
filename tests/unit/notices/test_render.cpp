// Every notice kind, rendered for a realistic and an extreme case, checked with independent tools:
// pdftotext (text, reading order), pdffonts (embedded fonts), pdfinfo (pages), zbarimg (QR).
#include "fixtures.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <regex>

using namespace ow::notices;
using namespace ow::notices::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kAllKinds = {
    "acceptance_receipt", "acceptance_notice", "one_time_notice", "correction_notice",
    "refusal_notice", "deferred_commitment", "notification_commitment", "approval_decision",
    "denial_decision", "pickup_receipt", "mail_receipt", "approval_result", "denial_result", "fee_receipt"};
const std::vector<std::string> kWithQr = {"acceptance_receipt", "acceptance_notice", "mail_receipt"};

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Asserts that the strings occur in `text` in this order (reading order).
void expect_in_order(const std::string& text, const std::vector<std::string>& strings, const std::string& what) {
    std::size_t pos = 0;
    for (const auto& s : strings) {
        auto found = text.find(squeeze(s), pos);
        BOOST_TEST_CONTEXT(what << ": '" << s << "'") { BOOST_TEST(found != std::string::npos); }
        if (found == std::string::npos) return;
        pos = found + squeeze(s).size();
    }
}

// What a rendered kind must show, in reading order.
std::vector<std::string> expected_text(const std::string& kind, const NoticeInput& in) {
    const auto& c = in.case_data;
    const std::string& title = shipped_templates().find(kind)->title;
    std::vector<std::string> s;
    if (kind != "deferred_commitment") s.push_back(in.envelope.issuing_body);
    s.push_back(title == "准予许可决定书" ? "准予行政许可决定书" : title == "不予许可决定书" ? "不予行政许可决定书" : title);
    if (kind == "acceptance_receipt") {
        s.insert(s.end(), {c.receipt_no, c.item_name, c.applicant.name, "2025年10月9日", "2025年10月16日前",
                           "综合窗口当场领取", kProgressUrl});
    } else if (kind == "acceptance_notice") {
        s.insert(s.end(), {c.applicant.name, c.item_name, "决定予以受理", "2025年10月16日", c.receipt_no, kProgressUrl});
    } else if (kind == "one_time_notice" || kind == "correction_notice") {
        s.insert(s.end(), {c.applicant.name, c.item_name});
        for (const auto& e : c.checklist.entries)
            if (e.status == ow::core::MaterialStatus::missing || e.status == ow::core::MaterialStatus::defective)
                s.push_back(e.name);
    } else if (kind == "refusal_notice") {
        s.insert(s.end(), {c.applicant.name, c.item_name, "不予受理", c.refusal_reason, c.refusal_basis, "行政复议"});
    } else if (kind == "deferred_commitment") {
        s.insert(s.end(), {in.envelope.issuing_body, c.applicant.name, c.applicant.doc_number, c.item_name});
        for (const auto& e : c.checklist.entries)
            if (e.status == ow::core::MaterialStatus::deferred) s.push_back(e.name);
        s.insert(s.end(), {"2025年10月20日前", "承诺人（签字/盖章）："});
    } else if (kind == "notification_commitment") {
        s.insert(s.end(), {"行政机关告知", c.item_name, in.item->spec.conditions.front(), c.commitments.front().text,
                           "申请人承诺", c.applicant.name, "申请人（签字/盖章）："});
    } else if (kind == "approval_decision") {
        s.insert(s.end(), {c.applicant.name, c.item_name, c.decision->legal_basis, "决定准予行政许可", "营业执照"});
    } else if (kind == "denial_decision") {
        s.insert(s.end(), {c.applicant.name, c.item_name, c.decision->opinion, c.decision->legal_basis, "决定不予行政许可"});
    } else if (kind == "pickup_receipt") {
        s.insert(s.end(), {c.receipt_no, c.item_name, c.applicant.name, "营业执照", "窗口领取", c.handover->recipient,
                           "2025年10月15日", "领取人（签字）："});
    } else if (kind == "mail_receipt") {
        s.insert(s.end(), {c.receipt_no, c.item_name, c.applicant.name, "邮寄送达", c.handover->recipient,
                           c.handover->address, c.handover->carrier, c.handover->tracking_no, "2025年10月15日"});
    } else if (kind == "fee_receipt") {
        s.insert(s.end(), {c.receipt_no, c.item_name, c.applicant.name, "营业执照工本费", "380.00元", "380.00元（叁佰捌拾元整）",
                           "微信支付", "4200001234567", c.fees[0].payer, "证照工本费收费标准", "2025年10月9日", "本件收费情况",
                           "营业执照工本费", "380.00", "已缴", "登记费", "80.00", "待缴",
                           "合计应缴460.00元，已缴380.00元，减免0.00元，尚欠80.00元。", "不作为财政票据"});
    }
    // The seal: the issuing body's name, the anchor text, the date — in this order, at the end.
    if (kind != "deferred_commitment") s.insert(s.end(), {in.envelope.issuing_body, "（盖章）", "2025年10月9日"});
    return s;
}

// The text without page furniture (footers, running headers), which interrupts text that flows
// from one page to the next.
std::string body_text(std::string text, const std::string& kind, const NoticeInput& in) {
    text = std::regex_replace(text, std::regex("第[0-9]+页共[0-9]+页"), "");
    std::string doc_no = in.envelope.document_no.empty() ? in.case_data.receipt_no : in.envelope.document_no;
    std::string header = squeeze(shipped_templates().find(kind)->title + "（续页）编号：" + doc_no);
    for (auto pos = text.find(header); pos != std::string::npos; pos = text.find(header, pos)) text.erase(pos, header.size());
    return text;
}

void check_rendered(const std::string& kind, const NoticeInput& in, const fs::path& pdf, int pages) {
    std::string text = text_of(pdf);
    BOOST_TEST_CONTEXT(kind << " " << pdf.filename()) {
        expect_in_order(body_text(text, kind, in), expected_text(kind, in), kind);
        // Page numbers on every page, and pdfinfo agrees with the renderer.
        BOOST_TEST(page_count(pdf) == pages);
        for (int p = 1; p <= pages; ++p)
            BOOST_TEST(text.find("第" + std::to_string(p) + "页共" + std::to_string(pages) + "页") != std::string::npos);
        // The seal anchor text appears exactly once where a seal belongs, never elsewhere.
        auto anchor = text.find("（盖章）");
        bool sealed = shipped_templates().find(kind)->sealed;
        BOOST_TEST((anchor != std::string::npos) == sealed);
        if (sealed) {
            auto before = text.substr(0, anchor);
            BOOST_TEST(before.ends_with(squeeze(in.envelope.issuing_body)));
            BOOST_TEST(text.substr(anchor + std::string("（盖章）").size()).starts_with("2025年10月9日"));
        }
        // Fonts: at least one, all embedded.
        auto fonts = fonts_of(pdf);
        BOOST_TEST(!fonts.empty());
        for (const auto& [name, embedded] : fonts) BOOST_TEST_CONTEXT(name) { BOOST_TEST(embedded); }
        // QR code decodes to the progress URL.
        if (contains(kWithQr, kind)) {
            auto codes = qr_codes(pdf);
            BOOST_TEST(codes.size() == 1u);
            if (!codes.empty()) BOOST_TEST(codes.front() == kProgressUrl);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(render)

BOOST_AUTO_TEST_CASE(shipped_templates_cover_every_kind) {
    std::vector<std::string> kinds;
    for (const auto& t : shipped_templates().all()) kinds.push_back(t.kind);
    BOOST_TEST(kinds == kAllKinds, boost::test_tools::per_element());
    for (const auto& k : kAllKinds) BOOST_TEST_CONTEXT(k) {
        bool signed_by_applicant = k == "deferred_commitment";
        BOOST_TEST(shipped_templates().find(k)->sealed == !signed_by_applicant);
    }
}

BOOST_AUTO_TEST_CASE(every_kind_realistic_case_one_page) {
    NoticeRenderer renderer(shipped_templates());
    TempDir dir;
    for (const auto& kind : kAllKinds) {
        auto in = realistic(kind);
        auto pdf = dir.path / (kind + ".pdf");
        auto r = renderer.render_to_file(kind, in, pdf);
        BOOST_TEST_CONTEXT(kind) { BOOST_TEST(r.pages == 1); }
        check_rendered(kind, in, pdf, r.pages);
    }
}

BOOST_AUTO_TEST_CASE(every_kind_extreme_case) {
    // Pages on this stack (Debian 12: pango 1.50, cairo 1.16, fonts-noto-cjk 20220127): the
    // 60 missing materials flow over many pages; long names push a few others to a second page.
    const std::map<std::string, std::pair<int, int>> pages = {
        {"acceptance_receipt", {2, 2}}, {"acceptance_notice", {1, 1}}, {"one_time_notice", {9, 9}},
        {"correction_notice", {6, 6}},  {"refusal_notice", {1, 1}},   {"deferred_commitment", {2, 2}},
        {"notification_commitment", {2, 2}}, {"approval_decision", {1, 1}}, {"denial_decision", {1, 1}},
        {"pickup_receipt", {1, 1}},     {"mail_receipt", {2, 2}},      {"approval_result", {1, 1}},
        {"denial_result", {1, 1}},      {"fee_receipt", {1, 1}}};
    NoticeRenderer renderer(shipped_templates());
    TempDir dir;
    for (const auto& kind : kAllKinds) {
        auto in = extreme(kind);
        auto pdf = dir.path / (kind + ".pdf");
        auto r = renderer.render_to_file(kind, in, pdf);
        BOOST_TEST_CONTEXT(kind << " pages " << r.pages) {
            BOOST_TEST(r.pages >= pages.at(kind).first);
            BOOST_TEST(r.pages <= pages.at(kind).second);
        }
        check_rendered(kind, in, pdf, r.pages);
        // The rare characters come back out of the PDF.
        std::string text = text_of(pdf);
        for (const char* ch : {"䶮", "𠮷", "鍾"}) BOOST_TEST_CONTEXT(kind << " " << ch) {
            BOOST_TEST(text.find(ch) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(long_tables_repeat_their_header_and_number_rows) {
    NoticeRenderer renderer(shipped_templates());
    TempDir dir;
    auto pdf = dir.path / "otn.pdf";
    auto r = renderer.render_to_file("one_time_notice", extreme("one_time_notice"), pdf);
    std::string text = text_of(pdf);
    std::size_t headers = 0;
    for (auto pos = text.find("需要补正的内容"); pos != std::string::npos; pos = text.find("需要补正的内容", pos + 1)) ++headers;
    BOOST_TEST(headers >= 3u);  // repeated on every page the table runs over
    BOOST_TEST(headers <= std::size_t(r.pages));
    BOOST_TEST(text.find("一次性告知书（续页）") != std::string::npos);
    // Hints: the envelope's "where" wins, the default names the missing material's status.
    BOOST_TEST(text.find("向霍尔果斯市市场监督管理局") != std::string::npos);
    BOOST_TEST(text.find("未提交该材料") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(output_is_deterministic_in_size_and_pages) {
    NoticeRenderer renderer(shipped_templates());
    BOOST_CHECK_NO_THROW(renderer.warm_up());
    auto a = renderer.render("acceptance_receipt", realistic("acceptance_receipt"));
    auto b = renderer.render("acceptance_receipt", realistic("acceptance_receipt"));
    BOOST_TEST(a.pages == b.pages);
    BOOST_TEST(a.pdf.starts_with("%PDF-"));
    BOOST_TEST(a.pdf.size() > 10'000u);
}

// A promised date counted with a provisional calendar year (docs/calendar.md) reads 预计 on the
// acceptance receipt and notice, and the notice says it will be computed again; an official one does not.
BOOST_AUTO_TEST_CASE(a_provisional_promised_date_reads_yuji) {
    NoticeRenderer renderer(shipped_templates());
    TempDir tmp;
    const std::string note = "上述日期按该年度尚未公布的节假日安排预计推算";
    for (const std::string kind : {"acceptance_receipt", "acceptance_notice"}) {
        for (bool provisional : {false, true}) {
            NoticeInput in = realistic(kind);
            in.case_data.promised_provisional = provisional;
            auto pdf = tmp.path / (kind + (provisional ? "-p.pdf" : ".pdf"));
            std::ofstream(pdf, std::ios::binary) << renderer.render(kind, in).pdf;
            std::string text = text_of(pdf);
            BOOST_TEST_CONTEXT(kind << " provisional=" << provisional) {
                BOOST_TEST((text.find("预计2025年10月16日前") != std::string::npos) == provisional);
                BOOST_TEST(text.find("2025年10月16日前") != std::string::npos);
                if (kind == "acceptance_notice") BOOST_TEST((text.find(squeeze(note)) != std::string::npos) == provisional);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
