// Runs a program (no shell) with a deadline and returns its exit status and output. The child
// gets default signal dispositions and an empty mask (ringcastd blocks several), and is
// SIGKILLed at the deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ringcast::bgp {

inline constexpr size_t kMaxCommandOutput = 1 << 20;

struct CommandResult {
    bool ran = false; // started and exited before the deadline
    int exit_status = -1;
    std::string output; // stdout and stderr, interleaved
    std::string error;  // why it did not run or finish
};

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

} // namespace ringcast::bgp
