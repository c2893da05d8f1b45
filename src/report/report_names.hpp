// Names for a report's configurations: the labels whose values differ between them
// ("precision=nf4 batch=8"), so tables and charts show what was varied and nothing else.
#pragma once

#include "report/report_model.hpp"

namespace joulebench::report {

// Sets report.label_keys (keys that differ, load keys last) and every config's name; a report
// whose configurations differ in no label names them by their first result id.
void name_configs(Report& report);

}  // namespace joulebench::report
