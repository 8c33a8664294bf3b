// ringcastctl: the operator's command-line tool. Human output by default, --json on request;
// exit codes in exit_codes.h (and --help).
#include "controlplane/ringcastctl/commands.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char** argv) {
    ringcast::ctl::RunOptions options;
    options.progress_terminal = isatty(STDERR_FILENO) == 1;
    return ringcast::ctl::run(argc, argv, std::cout, std::cerr, options);
}
