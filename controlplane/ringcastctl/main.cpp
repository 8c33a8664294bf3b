// ringcastctl: the operator's command-line tool. Human output by default; exit code 0 on
// success, 1 when the command found a problem, 2 on a usage error.
#include "controlplane/ringcastctl/commands.h"

#include <iostream>

int main(int argc, char** argv) {
    return ringcast::ctl::run(argc, argv, std::cout, std::cerr);
}
