#include "controlplane/ringcastctl/check_zone.h"

#include "controlplane/zone/zone_compiler.h"

#include <fmt/format.h>

namespace ringcast::ctl {

int check_zone(const std::string& file, const std::string& origin, std::ostream& out,
               std::ostream& err) {
    // The snapshot is built too (and thrown away) so that anything the builder would refuse is
    // caught here, not at reload time.
    const zone::CompileResult result = zone::compile_zones({zone::ZoneSource{origin, file}}, {});
    const std::string name = result.zones.empty() ? origin : result.zones.front().origin;
    if (result.ok) {
        const zone::ZoneSummary& z = result.zones.front();
        out << fmt::format("{}: OK, serial {}, {} records, {} names ({})\n", name, z.serial,
                           z.records, z.names, z.file);
        return kExitOk;
    }
    for (const zone::Diagnostic& d : result.errors)
        err << d.to_string() << '\n';
    const size_t n = result.errors.size();
    err << fmt::format("{}: {} error{}\n", name, n, n == 1 ? "" : "s");
    return kExitFailure;
}

} // namespace ringcast::ctl
