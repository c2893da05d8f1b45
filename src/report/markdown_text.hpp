// Text placed in Markdown output. Markdown passes HTML through, so a label or model name
// "<script>...</script>" ran in any viewer that renders the report: every piece of outside
// text goes through these. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace joulebench::report {

// `text` for Markdown prose: & and < as HTML entities (shown as typed, never parsed as HTML;
// a lone '>' opens no tag, so "->" stays readable),
// line breaks as spaces (a newline would end a list item or a table row).
std::string md_text(std::string_view text);

// The same for a table cell: a '|' would also end the cell early.
std::string md_cell(std::string_view text);

}  // namespace joulebench::report
