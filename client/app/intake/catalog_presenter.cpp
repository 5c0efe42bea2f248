#include "intake/catalog_presenter.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace ow::app {
namespace {

bool starts_with_ci(const std::string& hay, const std::string& needle) {
    if (needle.size() > hay.size()) return false;
    return std::equal(needle.begin(), needle.end(), hay.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

}  // namespace

std::vector<CatalogRow> CatalogPresenter::rows(const CatalogFilter& filter, const std::string& query) const {
    std::vector<CatalogRow> out;
    // Bundles (一件事) under their own filter, and first under all items: a clerk who types
    // 新生儿 or xsecs there finds the bundle too.
    if (filter.kind != CatalogFilter::Kind::zone) {
        for (const auto& b : catalogue_.bundles()) {
            if (!query.empty() && b.name.find(query) == std::string::npos && !starts_with_ci(b.code, query) &&
                !starts_with_ci(b.pinyin_initials, query))
                continue;
            CatalogRow r;
            r.code = b.code;
            r.name = b.name;
            r.is_bundle = true;
            r.promised_days = b.promised_limit_days;
            r.item_count = b.items.size();
            out.push_back(std::move(r));
        }
        if (filter.kind == CatalogFilter::Kind::bundles) return out;
    }
    std::optional<core::Zone> zone;
    if (filter.kind == CatalogFilter::Kind::zone) zone = filter.zone;
    for (const auto* it : catalogue_.search(query, zone)) {
        CatalogRow r;
        r.code = it->code;
        r.name = it->name;
        r.kind = it->kind;
        r.promised_days = it->spec.promised_limit_days;
        r.legal_days = it->spec.legal_limit_days;
        r.depth = it->spec.depth;
        r.department = it->department;
        out.push_back(std::move(r));
    }
    return out;
}

std::size_t CatalogPresenter::count(const CatalogFilter& filter) const {
    switch (filter.kind) {
    case CatalogFilter::Kind::bundles:
        return catalogue_.bundles().size();
    case CatalogFilter::Kind::zone:
        return catalogue_.search("", filter.zone).size();
    default:  // all items lists the bundles too
        return catalogue_.items().size() + catalogue_.bundles().size();
    }
}

std::vector<const core::ServiceItem*> CatalogPresenter::bundle_items(const core::Bundle& b) const {
    std::vector<const core::ServiceItem*> out;
    for (const auto& code : b.items)
        if (const auto* it = catalogue_.item(code)) out.push_back(it);
    return out;
}

std::string CatalogPresenter::format_yuan(std::int64_t fen) { return core::format_yuan(fen); }

TodayInfo today_info(const core::WorkCalendar& calendar, core::Date today) {
    TodayInfo info;
    info.date = core::format_date(today);
    if (!calendar.covers(today) && !calendar.is_provisional(core::year_of(today))) return info;
    info.calendar_known = true;
    auto w = calendar.workday_answer(today);
    info.workday = w.value;
    info.provisional = w.provisional;
    if (auto h = calendar.holiday_name(today)) info.holiday = *h;
    return info;
}

}  // namespace ow::app
