// CatalogPresenter: the logic behind the desk's item browser (事项目录), free of wx so that tests
// can drive it without a display. The view asks for rows and the guide of the selected entry and
// renders them; it never filters or formats domain data itself.
#pragma once

#include "ow/core/calendar.h"
#include "ow/core/catalog.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::app {

/// What the left-hand filter selects: one hall zone, all items, or the bundles (一件事).
struct CatalogFilter {
    enum class Kind { all_items, zone, bundles } kind = Kind::all_items;
    core::Zone zone = core::Zone::public_convenience;
};

/// One line of the centre list.
struct CatalogRow {
    std::string code;
    std::string name;
    bool is_bundle = false;
    core::ItemKind kind = core::ItemKind::promised;         // items only
    int promised_days = 0;
    int legal_days = 0;                                     // items only
    core::HandlingDepth depth = core::HandlingDepth::on_site;  // items only
    std::string department;                                 // 实施主体 (items)
    std::size_t item_count = 0;                             // bundles
};

class CatalogPresenter {
public:
    explicit CatalogPresenter(const core::Catalogue& catalogue) : catalogue_(catalogue) {}

    /// Rows for a filter and a type-to-search query (name, code or pinyin initials). All items
    /// lists the matching bundles first, then the matching items; a zone its items; bundles the
    /// bundles.
    std::vector<CatalogRow> rows(const CatalogFilter& filter, const std::string& query) const;
    /// Number of rows a filter lists without a query (for the filter's labels; all items counts
    /// the bundles too).
    std::size_t count(const CatalogFilter& filter) const;

    const core::ServiceItem* item(const std::string& code) const { return catalogue_.item(code); }
    const core::Bundle* bundle(const std::string& code) const { return catalogue_.bundle(code); }
    /// The items of a bundle, in order (unknown codes are skipped).
    std::vector<const core::ServiceItem*> bundle_items(const core::Bundle& b) const;

    /// A fee in yuan with two decimals, exact: 38000 fen → "380.00".
    static std::string format_yuan(std::int64_t fen);

private:
    const core::Catalogue& catalogue_;
};

/// The working-day facts for the status bar: "2026-11-23 工作日" or a holiday name; for a year
/// without a published schedule, the provisional calendar's answer, flagged (docs/calendar.md).
struct TodayInfo {
    std::string date;
    bool calendar_known = false;
    bool workday = false;
    std::string holiday;  // name when it is a statutory holiday
    bool provisional = false;  // the year is counted with the provisional calendar (not yet published)
};
TodayInfo today_info(const core::WorkCalendar& calendar, core::Date today);

}  // namespace ow::app
