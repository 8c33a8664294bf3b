// ringcastctl's exit codes, the same for every command, so scripts can rely on them.
#pragma once

namespace ringcast::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the command ran and said no (reload rejected, bad zone)
inline constexpr int kExitUsage = 2;   // bad command line
inline constexpr int kExitUnreachable = 3; // no answer from ringcastd (socket, timeout, hang-up)

} // namespace ringcast::ctl
