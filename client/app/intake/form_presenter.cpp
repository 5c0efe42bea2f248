#include "intake/form_presenter.h"

namespace ow::app {

FormPresenter::FormPresenter(forms::FormSession& session, forms::Lang lang) : session_(session), lang_(lang) {}

FormChanges FormPresenter::reload() { return {}; }
const forms::FormDefinition& FormPresenter::definition() const { return session_.definition(); }
int FormPresenter::row_of(const std::string&) const { return -1; }
FormChanges FormPresenter::set_text(const std::string&, const std::string&, const std::string&) { return {}; }
FormChanges FormPresenter::set_bool(const std::string&, std::optional<bool>) { return {}; }
FormChanges FormPresenter::set_selected(const std::string&, const std::vector<std::string>&) { return {}; }
FormChanges FormPresenter::add_row(const std::string&) { return {}; }
FormChanges FormPresenter::remove_row(const std::string&, std::size_t) { return {}; }
std::optional<std::string> FormPresenter::next_field(const std::string&) const { return std::nullopt; }
std::optional<std::string> FormPresenter::first_field() const { return std::nullopt; }

}  // namespace ow::app
