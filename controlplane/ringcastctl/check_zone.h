// `ringcastctl check-zone FILE ORIGIN`: compile one zone as ringcastd would and say whether it
// would load, in the manner of kzonecheck.
#pragma once

#include "controlplane/ringcastctl/exit_codes.h"

#include <ostream>
#include <string>

namespace ringcast::ctl {

// Clean zone: one line on `out`,
//   example.net.: OK, serial 2026112101, 24 records, 14 names (zones/example.net.zone)
// and kExitOk. Otherwise every problem as "file:line: message" on `err`, then
//   example.net.: 3 errors
// and kExitFailure.
int check_zone(const std::string& file, const std::string& origin, std::ostream& out,
               std::ostream& err);

} // namespace ringcast::ctl
