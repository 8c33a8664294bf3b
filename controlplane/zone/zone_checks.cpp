// Semantic checks on a parsed zone: what a master file can say that no authoritative server can
// serve consistently. Wording follows kzonecheck where it has an equivalent. Every diagnostic
// points at the offending record's first line, or at line 0 when it is about the zone as a whole
// (something missing).
#include "controlplane/zone/dname.h"
#include "controlplane/zone/rr_types.h"
#include "controlplane/zone/zone_tree.h"
#include "dataplane/snapshot/rdata_layout.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace ringcast::zone {

namespace {

// RFC 2181 §8: a TTL is an unsigned 31-bit number. Resolvers treat a larger value as 0, which is
// never what the operator meant, so refuse it rather than serve it.
constexpr uint32_t kMaxTtl = 0x7fffffffu;
// The snapshot stores an RRset's RR count in 16 bits; a DNS message could not carry more anyway.
constexpr uint32_t kMaxRrsetRecords = 0xffffu;
// Sort key of diagnostics about the zone as a whole: before any record's.
constexpr uint64_t kZoneWide = 0;

class Checker {
  public:
    Checker(const ParsedZone& zone, const ZoneTree& tree)
        : zone_(zone), tree_(tree), origin_(dns::name_info(zone.origin.data())) {}

    std::vector<Diagnostic> run() {
        check_out_of_zone();
        check_ttls();
        check_soa();
        check_apex_ns();
        check_cnames();
        check_dnames();
        check_glue();
        check_rrset_sizes();
        check_rdata_layouts();
        // Report in file order, whichever check found what.
        std::stable_sort(found_.begin(), found_.end(),
                         [](const Found& a, const Found& b) { return a.order < b.order; });
        std::vector<Diagnostic> out;
        out.reserve(found_.size());
        for (auto& f : found_)
            out.push_back(std::move(f.diagnostic));
        return out;
    }

  private:
    struct Found {
        uint64_t order; // record index + 1, or kZoneWide
        Diagnostic diagnostic;
    };

    void zone_error(std::string message) {
        found_.push_back(Found{kZoneWide, Diagnostic{zone_.source.file, 0, std::move(message)}});
    }

    // "file:line: owner TYPE: message", as kzonecheck names the record it complains about.
    void record_error(uint32_t index, std::string_view message) {
        const Record& r = zone_.records[index];
        found_.push_back(
            Found{uint64_t{index} + 1,
                  Diagnostic{zone_.file_of(r), r.line,
                             fmt::format("{} {}: {}", dname::to_presentation(zone_.owner(r)),
                                         type_name(r.type), message)}});
    }

    const Record& record_of(const TreeRrset& rrset, uint32_t i) const {
        return zone_.records[tree_.rrs[rrset.first + i]];
    }

    void check_out_of_zone() {
        const std::string origin = dname::to_presentation(zone_.origin);
        for (uint32_t index : tree_.out_of_zone)
            record_error(index,
                         fmt::format("out-of-zone data, owner is not at or below {}", origin));
    }

    void check_ttls() {
        for (uint32_t index : tree_.rrs) {
            const uint32_t ttl = zone_.records[index].ttl;
            if (ttl > kMaxTtl)
                record_error(index, fmt::format("TTL {} is above {} (RFC 2181 §8)", ttl, kMaxTtl));
        }
    }

    // RFC 1035 §5.2: exactly one SOA, at the top of the zone.
    void check_soa() {
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            const TreeRrset* soa = tree_.find_rrset(id, kTypeSoa);
            if (soa == nullptr) continue;
            if (id != ZoneTree::kApex) {
                for (uint32_t i = 0; i < soa->count; ++i)
                    record_error(tree_.rrs[soa->first + i], "SOA record not at the zone apex");
                continue;
            }
            for (uint32_t i = 1; i < soa->count; ++i)
                record_error(tree_.rrs[soa->first + i],
                             "more than one SOA record at the zone apex");
        }
        if (tree_.find_rrset(ZoneTree::kApex, kTypeSoa) == nullptr)
            zone_error("missing SOA at the zone apex");
    }

    // RFC 1034 §4.2.1: the apex lists the zone's name servers.
    void check_apex_ns() {
        if (tree_.find_rrset(ZoneTree::kApex, kTypeNs) == nullptr)
            zone_error("missing NS at the zone apex");
    }

    // Types RFC 4035 §2.5 lets DNSSEC put beside a CNAME.
    static bool allowed_beside_cname(uint16_t type) {
        return type == kTypeCname || type == kTypeRrsig || type == kTypeNsec;
    }

    void check_cnames() {
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            const TreeNode& node = tree_.nodes[id];
            if (!(node.flags & snapshot::kNodeCname)) continue;
            const TreeRrset& cname = *tree_.find_rrset(id, kTypeCname);
            // RFC 2181 §10.1: a name has at most one canonical name.
            for (uint32_t i = 1; i < cname.count; ++i)
                record_error(tree_.rrs[cname.first + i],
                             "more than one CNAME record (RFC 2181 §10.1)");
            // RFC 1034 §3.6.2: a CNAME owner has no other data. At the apex this is always the
            // case, since the SOA and NS live there.
            std::string others;
            for (uint32_t r = node.first_rrset; r < node.first_rrset + node.rrset_count; ++r) {
                const uint16_t type = tree_.rrsets[r].type;
                if (allowed_beside_cname(type)) continue;
                if (!others.empty()) others += ", ";
                others += type_name(type);
            }
            if (!others.empty())
                record_error(tree_.rrs[cname.first],
                             fmt::format("CNAME beside other data ({}) (RFC 1034 §3.6.2)", others));
        }
    }

    // RFC 6672 §2.4: one DNAME per owner, and no data below it (a query there is redirected, so
    // that data could never be served; Knot refuses it too). Its RDATA is one uncompressed name
    // (§2.5), which the responder substitutes: "\# n hex" input must say so.
    void check_dnames() {
        std::vector<bool> below_dname(tree_.nodes.size(), false);
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            const TreeNode& node = tree_.nodes[id];
            if (id != ZoneTree::kApex) {
                const TreeNode& parent = tree_.nodes[node.parent];
                below_dname[id] = below_dname[node.parent] || (parent.flags & snapshot::kNodeDname);
            }
            if (below_dname[id] && node.rrset_count != 0)
                record_error(tree_.rrs[tree_.rrsets[node.first_rrset].first],
                             "data below a DNAME (RFC 6672 §2.4)");
            if (!(node.flags & snapshot::kNodeDname)) continue;
            const TreeRrset& dname_rrset = *tree_.find_rrset(id, kTypeDname);
            for (uint32_t i = 1; i < dname_rrset.count; ++i)
                record_error(tree_.rrs[dname_rrset.first + i],
                             "more than one DNAME record (RFC 6672 §2.4)");
            const auto rdata = zone_.rdata(record_of(dname_rrset, 0));
            if (!dns::is_whole_name(rdata.data(), rdata.size()))
                record_error(tree_.rrs[dname_rrset.first], "malformed DNAME RDATA");
        }
    }

    // A name server whose name is at or below a zone cut can only be reached through the
    // addresses this zone hands out beside the referral (RFC 1034 §4.2.1 glue): without them
    // the delegation is unresolvable.
    void check_glue() {
        std::array<uint8_t, dname::kMaxNameLength> lower{};
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            const TreeNode& node = tree_.nodes[id];
            // NS records under a cut are occluded and never served; only the apex and cuts count.
            if (node.flags & snapshot::kNodeBelowCut) continue;
            if (!(node.flags & (snapshot::kNodeApex | snapshot::kNodeDelegation))) continue;
            const TreeRrset* ns = tree_.find_rrset(id, kTypeNs);
            if (ns == nullptr) continue;
            for (uint32_t i = 0; i < ns->count; ++i) {
                const auto rdata = zone_.rdata(record_of(*ns, i));
                const dns::NameInfo info = dns::measure_name(rdata.data(), rdata.size());
                if (info.length == 0) continue;
                dns::copy_lowercase(rdata.data(), lower.data());
                const dname::Name target(lower.data(), info.length);
                if (!dns::is_subdomain(lower.data(), info, zone_.origin.data(), origin_)) continue;
                // The closest name of the tree at or above the target decides whether it lies
                // in a delegated part of the namespace.
                dname::Name cursor = target;
                uint32_t closest;
                while ((closest = tree_.names.find(cursor)) == NameTable::kNotFound)
                    cursor = dname::parent(cursor);
                const uint8_t flags = tree_.nodes[closest].flags;
                if (!(flags & (snapshot::kNodeDelegation | snapshot::kNodeBelowCut))) continue;
                const bool exact = cursor.size() == target.size();
                if (exact && tree_.has_address(closest)) continue;
                record_error(tree_.rrs[ns->first + i],
                             fmt::format("missing glue, no A or AAAA for {} below a zone cut",
                                         dname::to_presentation({rdata.data(), info.length})));
            }
        }
    }

    void check_rrset_sizes() {
        for (const TreeRrset& rrset : tree_.rrsets)
            if (rrset.count > kMaxRrsetRecords)
                record_error(tree_.rrs[rrset.first + kMaxRrsetRecords],
                             fmt::format("RRset has more than {} records", kMaxRrsetRecords));
        // The snapshot counts a name's RRsets in 8 bits (snapshot::kMaxNodeRrsets): report the
        // first record of the first type past the limit.
        for (const TreeNode& node : tree_.nodes)
            if (node.rrset_count > snapshot::kMaxNodeRrsets)
                record_error(
                    tree_.rrs[tree_.rrsets[node.first_rrset + snapshot::kMaxNodeRrsets].first],
                    fmt::format("name has more than {} RRsets (record types)",
                                snapshot::kMaxNodeRrsets));
    }

    // libzscanner validates RDATA written in a type's own syntax, but RFC 3597 "\# n hex" is
    // taken as given, even for NS or MX. The dataplane walks the names of the RFC 1035 types to
    // compress them and refuses a snapshot where they do not fit the type's shape
    // (dataplane/snapshot/rdata_layout.h), so catch that here, on the offending line.
    void check_rdata_layouts() {
        for (const TreeRrset& rrset : tree_.rrsets) {
            const snapshot::RdataNameLayout layout =
                snapshot::compressible_rdata_layout(rrset.type);
            if (layout.names == 0) continue;
            for (uint32_t i = 0; i < rrset.count; ++i) {
                const auto rdata = zone_.rdata(record_of(rrset, i));
                if (!snapshot::rdata_fits_layout(rdata.data(), rdata.size(), layout))
                    record_error(tree_.rrs[rrset.first + i],
                                 fmt::format("malformed {} RDATA", type_name(rrset.type)));
            }
        }
    }

    const ParsedZone& zone_;
    const ZoneTree& tree_;
    const dns::NameInfo origin_; // the origin's length and label count, for suffix tests
    std::vector<Found> found_;
};

} // namespace

bool check_zone_tree(const ParsedZone& zone, const ZoneTree& tree,
                     std::vector<Diagnostic>& errors) {
    std::vector<Diagnostic> found = Checker(zone, tree).run();
    const bool ok = found.empty();
    errors.insert(errors.end(), std::make_move_iterator(found.begin()),
                  std::make_move_iterator(found.end()));
    return ok;
}

bool check_zone(const ParsedZone& zone, std::vector<Diagnostic>& errors) {
    if (!dns::is_whole_name(zone.origin.data(), zone.origin.size())) {
        errors.push_back(Diagnostic{zone.source.file, 0, "zone origin is not a valid name"});
        return false;
    }
    return check_zone_tree(zone, build_zone_tree(zone), errors);
}

} // namespace ringcast::zone
