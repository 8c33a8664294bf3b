// Running ringcastctl's command table in-process, capturing what a script would see.
#pragma once

#include "controlplane/ringcastctl/commands.h"

#include <sstream>
#include <string>
#include <vector>

namespace ringcast::ctl::test {

struct Run {
    int code;
    std::string out, err;
};

// `ringcastctl ARGS...`: exit code, stdout and stderr.
inline Run ctl(std::vector<const char*> args) {
    args.insert(args.begin(), "ringcastctl");
    std::ostringstream out, err;
    const int code = run(static_cast<int>(args.size()), args.data(), out, err);
    return {code, out.str(), err.str()};
}

} // namespace ringcast::ctl::test
