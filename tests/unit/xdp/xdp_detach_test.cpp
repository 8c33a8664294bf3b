// ringcastd's clean-up before a dataplane start (controlplane/ringcastd/xdp_detach.cpp) on a
// veth in a network namespace of the test's own: ringcast's VIP filter and (the filter off)
// DPDK's own program are detached; an operator's program, loaded with `ip link set dev X xdp
// obj`, survives and is named. Needs root.
#include "controlplane/ringcastd/xdp_detach.h"
#include "dataplane/xdp/attached_program.h"
#include "dataplane/xdp/vip_filter_abi.h"

#include <bpf/libbpf.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mount.h>
#include <xdp/libxdp.h>

using namespace ringcast;

namespace {

constexpr const char* kInterface = "xdpd0";

std::vector<xdp::AttachedProgram> attached() {
    std::vector<xdp::AttachedProgram> programs;
    std::string error;
    REQUIRE(xdp::attached_programs(if_nametoindex(kInterface), programs, error));
    return programs;
}

void ip_link_xdp_obj(const std::string& object, const char* section) {
    REQUIRE(std::system(
                fmt::format("ip link set dev {} xdpdrv obj {} sec {}", kInterface, object, section)
                    .c_str()) == 0);
}

struct Veth {
    Veth() {
        REQUIRE(unshare(CLONE_NEWNET) == 0);
        REQUIRE(std::system(fmt::format("ip link add {} type veth peer name xdpd1 && ip link set "
                                        "{} up && ip link set xdpd1 up",
                                        kInterface, kInterface)
                                .c_str()) == 0);
    }
};

} // namespace

TEST_CASE("ringcastd detaches only ringcast's own XDP program") {
    const char* filter_path = std::getenv("RINGCAST_XDP_PROGRAM");
    const char* foreign_path = std::getenv("RINGCAST_FOREIGN_XDP_PROGRAM");
    const char* dpdk_default = std::getenv("RINGCAST_DPDK_DEFAULT_XDP_PROGRAM");
    REQUIRE(filter_path);
    REQUIRE(foreign_path);
    REQUIRE(dpdk_default);
    Veth veth;
    daemon::DetachResult result;
    std::string error;

    SECTION("an operator's program survives, filter on or off, and is named") {
        ip_link_xdp_obj(foreign_path, "xdp");
        for (bool dpdk_default_is_ours : {false, true}) {
            REQUIRE(daemon::detach_own_xdp(kInterface, dpdk_default_is_ours, result, error));
            CHECK(result.detached == 0);
            REQUIRE(result.left.size() == 1);
            CHECK(result.left[0].rfind("operator_pass (id ", 0) == 0);
            const auto programs = attached();
            REQUIRE(programs.size() == 1);
            CHECK(programs[0].name == "operator_pass");
        }
    }

    SECTION("the VIP filter is detached") {
        ip_link_xdp_obj(filter_path, "xdp");
        REQUIRE(attached().size() == 1);
        CHECK(xdp::is_vip_filter(attached()[0]));
        REQUIRE(daemon::detach_own_xdp(kInterface, false, result, error));
        CHECK(result.detached == 1);
        CHECK(result.left.empty());
        CHECK(attached().empty());
    }

    SECTION("DPDK's own program is detached only when the filter is off") {
        ip_link_xdp_obj(dpdk_default, "xdp");
        REQUIRE(attached().size() == 1);
        CHECK(xdp::is_dpdk_default(attached()[0]));
        REQUIRE(daemon::detach_own_xdp(kInterface, false, result, error));
        CHECK(result.detached == 0);
        CHECK(result.left.size() == 1);
        CHECK(attached().size() == 1);
        REQUIRE(daemon::detach_own_xdp(kInterface, true, result, error));
        CHECK(result.detached == 1);
        CHECK(attached().empty());
    }

    SECTION("libxdp's dispatcher running DPDK's program is detached only when the filter is off") {
        // With a bpffs mounted, libxdp (under DPDK's PMD) puts its dispatcher in front of
        // xsk_def_prog. A mount namespace of the test's own holds that bpffs.
        REQUIRE(unshare(CLONE_NEWNS) == 0);
        REQUIRE(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
        REQUIRE(mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) == 0);
        libxdp_set_print(nullptr); // its fallback notice is reported below, once
        xdp_program* program = xdp_program__open_file(dpdk_default, "xdp", nullptr);
        REQUIRE(libxdp_get_error(program) == 0);
        REQUIRE(xdp_program__attach(program, static_cast<int>(if_nametoindex(kInterface)),
                                    XDP_MODE_NATIVE, 0) == 0);
        xdp_program__close(program);
        REQUIRE(attached().size() == 1);
        // A kernel that refuses libxdp's freplace check (as some sandboxes do) gets the program
        // without the dispatcher: then the plain xsk_def_prog case is what is checked here.
        const std::string name = attached()[0].name;
        CHECK((name == RC_XDP_LIBXDP_DISPATCHER_NAME || name == RC_XDP_DPDK_DEFAULT_PROGRAM_NAME));
        if (name != RC_XDP_LIBXDP_DISPATCHER_NAME)
            WARN("libxdp fell back to attaching " << name << " without its dispatcher");
        REQUIRE(daemon::detach_own_xdp(kInterface, false, result, error));
        CHECK(result.detached == 0);
        CHECK(result.left.size() == 1);
        REQUIRE(daemon::detach_own_xdp(kInterface, true, result, error));
        CHECK(result.detached == 1);
        CHECK(attached().empty());
        umount("/sys/fs/bpf");
    }

    SECTION("nothing attached: nothing to do; no interface: an error naming it") {
        REQUIRE(daemon::detach_own_xdp(kInterface, true, result, error));
        CHECK(result.detached == 0);
        CHECK(result.left.empty());
        CHECK_FALSE(daemon::detach_own_xdp("nosuch0", true, result, error));
        CHECK(error == "nosuch0: no such interface");
    }
}
