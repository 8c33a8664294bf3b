// Puts host addresses on a kernel interface through rtnetlink (RFC 3549): brings the link up,
// lets it hold IPv6 if an IPv6 address is wanted, and adds each address. ringcastd does this for
// the exception TAP each time a dataplane starts, since the TAP and its addresses die with it.
#pragma once

#include "controlplane/config/config.h"

#include <string>
#include <vector>

namespace ringcast::daemon {

// "" when the link is up with every address on it, else what failed (the remaining addresses
// are still tried). Adding an address it already holds is no error (NLM_F_REPLACE).
std::string assign_interface_addresses(const std::string& interface,
                                       const std::vector<config::InterfaceAddress>& addresses);

} // namespace ringcast::daemon
