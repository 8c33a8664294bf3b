#include "controlplane/ringcastd/interface_addresses.h"

#include "dataplane/util/unique_fd.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ringcast::daemon {
namespace {

constexpr size_t kRequestBytes = 256;   // a header, ifaddrmsg and three attributes at most
constexpr size_t kReplyBytes = 4096;    // an NLMSG_ERROR ack echoes the request
constexpr int kReplyTimeoutSeconds = 2; // the kernel answers at once; never block the loop long

struct Request {
    alignas(nlmsghdr) unsigned char buffer[kRequestBytes] = {};
    nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buffer); }

    Request(uint16_t type, uint16_t flags, size_t body) {
        header()->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(body));
        header()->nlmsg_type = type;
        header()->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
    }
    void* body() { return NLMSG_DATA(header()); }
    void attribute(uint16_t type, const void* data, size_t size) {
        auto* attr = reinterpret_cast<rtattr*>(buffer + NLMSG_ALIGN(header()->nlmsg_len));
        attr->rta_type = type;
        attr->rta_len = static_cast<uint16_t>(RTA_LENGTH(size));
        std::memcpy(RTA_DATA(attr), data, size);
        header()->nlmsg_len =
            static_cast<uint32_t>(NLMSG_ALIGN(header()->nlmsg_len) + RTA_ALIGN(attr->rta_len));
    }
};

// Sends one request and waits for its ack: "" or the kernel's error.
std::string transact(int fd, Request& request, uint32_t sequence) {
    request.header()->nlmsg_seq = sequence;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(fd, request.buffer, request.header()->nlmsg_len, 0,
               reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0)
        return fmt::format("netlink send: {}", std::strerror(errno));
    alignas(nlmsghdr) unsigned char reply[kReplyBytes];
    for (;;) {
        const ssize_t n = recv(fd, reply, sizeof(reply), 0);
        if (n < 0) return fmt::format("netlink receive: {}", std::strerror(errno));
        auto length = static_cast<unsigned>(n);
        for (auto* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, length);
             h = NLMSG_NEXT(h, length)) {
            if (h->nlmsg_seq != sequence || h->nlmsg_type != NLMSG_ERROR) continue;
            const int error = -static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
            return error == 0 ? "" : std::strerror(error);
        }
    }
}

std::string link_up(int fd, int index, uint32_t sequence) {
    Request request(RTM_NEWLINK, 0, sizeof(ifinfomsg));
    auto* link = static_cast<ifinfomsg*>(request.body());
    link->ifi_family = AF_UNSPEC;
    link->ifi_index = index;
    link->ifi_flags = IFF_UP;
    link->ifi_change = IFF_UP;
    return transact(fd, request, sequence);
}

std::string add_address(int fd, int index, const config::InterfaceAddress& address,
                        uint32_t sequence) {
    Request request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof(ifaddrmsg));
    auto* message = static_cast<ifaddrmsg*>(request.body());
    message->ifa_family = static_cast<unsigned char>(address.family);
    message->ifa_prefixlen = static_cast<unsigned char>(address.prefix_length);
    message->ifa_scope = RT_SCOPE_UNIVERSE;
    message->ifa_index = static_cast<unsigned>(index);
    const size_t size = address.family == AF_INET ? 4 : 16;
    request.attribute(IFA_LOCAL, address.bytes, size);
    request.attribute(IFA_ADDRESS, address.bytes, size);
    // No duplicate address detection (RFC 4862 section 5.4): the address is this host's, held
    // on the previous TAP a moment ago; DAD would only hold BGP back by a second.
    const uint32_t flags = address.family == AF_INET6 ? IFA_F_NODAD : 0;
    request.attribute(IFA_FLAGS, &flags, sizeof(flags));
    return transact(fd, request, sequence);
}

// A namespace may start interfaces with IPv6 off (net.ipv6.conf.default.disable_ipv6 = 1).
std::string enable_ipv6(const std::string& interface) {
    const std::string path = fmt::format("/proc/sys/net/ipv6/conf/{}/disable_ipv6", interface);
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd || write(fd.get(), "0", 1) != 1)
        return fmt::format("enabling IPv6 ({}): {}", path, std::strerror(errno));
    return "";
}

std::string describe(const config::InterfaceAddress& address) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(address.family, address.bytes, text, sizeof(text));
    return fmt::format("{}/{}", text, address.prefix_length);
}

} // namespace

std::string assign_interface_addresses(const std::string& interface,
                                       const std::vector<config::InterfaceAddress>& addresses) {
    const int index = static_cast<int>(if_nametoindex(interface.c_str()));
    if (index == 0) return fmt::format("{}: {}", interface, std::strerror(errno));
    UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd) return fmt::format("netlink socket: {}", std::strerror(errno));
    const timeval timeout{kReplyTimeoutSeconds, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));

    std::string errors;
    auto note = [&](const std::string& what, const std::string& error) {
        if (!error.empty())
            errors += fmt::format("{}{}: {}", errors.empty() ? "" : "; ", what, error);
    };
    uint32_t sequence = 0;
    note(fmt::format("{} up", interface), link_up(fd.get(), index, ++sequence));
    if (std::any_of(addresses.begin(), addresses.end(),
                    [](const auto& a) { return a.family == AF_INET6; }))
        note(interface, enable_ipv6(interface));
    for (const config::InterfaceAddress& address : addresses)
        note(describe(address), add_address(fd.get(), index, address, ++sequence));
    return errors;
}

} // namespace ringcast::daemon
