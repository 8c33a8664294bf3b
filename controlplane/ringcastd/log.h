// ringcastd's log: one line per event on stderr, with a UTC timestamp, so it reads the same under
// systemd, in a test log and on a terminal.
#pragma once

#include <fmt/format.h>
#include <string_view>

namespace ringcast::log {

void write(std::string_view level, std::string_view message);

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
    write("info", fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
    write("error", fmt::format(format, std::forward<Args>(args)...));
}

} // namespace ringcast::log
