// Authoritative lookup, after RFC 1034 §4.3.2 with the facts the snapshot precomputes (zone
// cuts, wildcard children, empty non-terminals), so each step is a hash lookup or a flag test.
#include "dataplane/dns/answer.h"

#include "dataplane/dns/dnssec_records.h"
#include "dataplane/dns/name.h"
#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire.h"

#include <cstring>

namespace ringcast::dns {
namespace {

using snapshot::kNone;
using snapshot::Node;
using snapshot::Rrset;
using snapshot::View;
using snapshot::Zone;

// Where a name leads inside its zone.
struct Location {
    enum Kind : uint8_t {
        kExact,    // `node` owns the name
        kWildcard, // `node` is the "*" node synthesising the name (RFC 4592 §3.3.1)
        kReferral, // `node` is the zone cut the name is at or below (RFC 1034 §4.3.2 3b)
        kDname,    // `node` owns a DNAME that redirects the name (RFC 6672 §3.2)
        kNxdomain, // nothing owns it
    } kind;
    uint32_t node;
};

// View::find_node() of `name`, with what the burst prefetch learnt of its lookup (`hint`, or
// nullptr).
uint32_t find_node(const View& view, uint32_t zone, const uint8_t* name, size_t len,
                   const LookupHint* hint) {
    if (hint == nullptr) return view.find_node(zone, name, len);
    if (hint->checked) return hint->node;
    if (hint->node != kNone && view.is_node_of(zone, hint->node, name, len)) return hint->node;
    return view.find_node(zone, name, len, hint->hash);
}

// `hint` and `parent_hint`: the burst prefetch's lookups of `lower` and of its parent, or nullptr.
Location locate(const View& view, uint32_t zone_index, const uint8_t* lower, NameInfo info,
                uint16_t qtype, const LookupHint* hint, const LookupHint* parent_hint) {
    const Zone& zone = view.zones[zone_index];
    // Closest encloser: the longest existing ancestor-or-self. The name is inside the zone, so
    // at worst the apex; the loop is bounded by the label count (at most 127).
    const uint8_t* encloser = lower;
    size_t encloser_len = info.length;
    uint32_t node = find_node(view, zone_index, lower, info.length, hint);
    for (bool parent = true; node == kNone; parent = false) {
        if (encloser_len <= zone.origin_len) {
            node = zone.apex_node; // unreachable with a verified snapshot; stay safe
            break;
        }
        encloser_len -= 1 + encloser[0];
        encloser = parent_name(encloser);
        // The ancestor as long as the origin is the origin: the apex, found without a lookup.
        node = encloser_len == zone.origin_len ? zone.apex_node
                                               : find_node(view, zone_index, encloser, encloser_len,
                                                           parent ? parent_hint : nullptr);
    }
    const bool exact = encloser == lower;

    // A zone cut at or above the encloser, the apex excepted; with nested cuts the topmost one
    // is the real one (what lies below it is not ours).
    // Most names are under no cut at all: the flags say so (the verifier checks the below-cut
    // flag against each parent) without walking the ancestors, each a potential cache miss.
    uint32_t cut = kNone;
    if (view.node(node).flags & (snapshot::kNodeDelegation | snapshot::kNodeBelowCut)) {
        for (uint32_t n = node; !(view.node(n).flags & snapshot::kNodeApex);
             n = view.node(n).parent)
            if (view.node(n).flags & snapshot::kNodeDelegation) cut = n;
    }
    // DS at the cut itself is parent-side, authoritative data (RFC 4035 §3.1.4.1).
    if (cut != kNone && !(exact && cut == node && qtype == kTypeDs))
        return {Location::kReferral, cut};

    if (exact) return {Location::kExact, node};

    // RFC 6672 §3.2: a DNAME at the closest encloser redirects the name, before any wildcard.
    const Node& closest = view.node(node);
    if (closest.flags & snapshot::kNodeDname) return {Location::kDname, node};
    // RFC 4592 §3.3.1: the wildcard "*.<closest encloser>" synthesises the answer.
    if (closest.flags & snapshot::kNodeWildcardChild)
        return {Location::kWildcard, View::wildcard_child_of(closest)};
    return {Location::kNxdomain, node};
}

// Builds one response: answer records as the chain is followed, then the authority record the
// last step calls for, then additional data.
class AnswerBuilder {
  public:
    AnswerBuilder(const View& view, const Query& query, ResponseWriter& writer)
        : view_(view), query_(query), writer_(writer), dnssec_(view, writer) {}

    AnswerResult run();

  private:
    enum class Authority : uint8_t { kNone, kSoa, kReferral };

    // How a CNAME step relates to the chain so far.
    enum class Seen : uint8_t {
        kNew,      // a node not visited yet
        kSameNode, // a wildcard visited before, now synthesising under another name
        kSameName, // this very CNAME record is already in the answer
    };

    // Writes an answer RRset of `node` (and its RRSIGs); false when it did not fit (TC is
    // then set).
    [[gnu::always_inline]] bool answer(const uint8_t* owner, const Node& node, const Rrset& rrset);
    // The denial proofs of a NODATA answer at `where` for the name `lower` (dnssec_records.h).
    void prove_nodata(Location where, const uint8_t* lower, NameInfo info);
    void note_additional(const Rrset& rrset);
    Seen seen_in_chain(uint32_t node, const uint8_t* owner) const;
    bool is_mandatory_glue(const Rrset& source, const Node& node) const;
    // RFC 6672 §3.2 at `dname_node` for the name `owner` (lowercase `lower`, `info`): answers
    // the DNAME and the CNAME it synthesises, and returns the new name (in synthesized_), or
    // nullptr when the chain ends here (TC, a loop, or YXDOMAIN set in `result`).
    const uint8_t* follow_dname(uint32_t dname_node, const uint8_t* owner, const uint8_t* lower,
                                NameInfo info, AnswerResult& result);
    // Writes the A and AAAA of `node`; false when one did not fit.
    bool write_addresses(const Node& node);
    void write_authority();
    void write_additional();

    const View& view_;
    const Query& query_;
    ResponseWriter& writer_;
    DnssecRecords dnssec_;
    uint32_t zone_ = kNone;
    Authority authority_ = Authority::kNone;
    uint32_t cut_ = kNone;
    const Rrset* referral_ns_ = nullptr; // the cut's NS RRset, once in authority
    const Rrset* additional_sources_[kMaxAdditionalSources];
    unsigned additional_source_count_ = 0;
    // The CNAME steps answered so far: the node and the name its CNAME was written with
    // (the question or an earlier CNAME's RDATA: both outlive the builder).
    struct ChainStep {
        uint32_t node;
        const uint8_t* owner;
    };
    ChainStep chain_[kMaxCnameChain];
    unsigned chain_length_ = 0;
    // The names DNAMEs synthesised, one per chain step (owners of later steps point here).
    uint8_t synthesized_[kMaxCnameChain][kMaxNameLength];
};

inline bool AnswerBuilder::answer(const uint8_t* owner, const Node& node, const Rrset& rrset) {
    if (!dnssec_.put_signed(Section::kAnswer, owner, node, rrset, rrset.ttl)) {
        // RFC 4035 §3.1.1: an RRset whose RRSIGs do not fit is truncated too.
        writer_.set_truncated();
        return false;
    }
    note_additional(rrset);
    return true;
}

void AnswerBuilder::prove_nodata(Location where, const uint8_t* lower, NameInfo info) {
    if (where.kind == Location::kWildcard)
        dnssec_.prove_wildcard_no_data(where.node);
    else
        dnssec_.prove_no_data(lower, info, where.node);
}

void AnswerBuilder::note_additional(const Rrset& rrset) {
    if (rrset.additional != kNone && additional_source_count_ < kMaxAdditionalSources)
        additional_sources_[additional_source_count_++] = &rrset;
}

AnswerBuilder::Seen AnswerBuilder::seen_in_chain(uint32_t node, const uint8_t* owner) const {
    Seen seen = Seen::kNew;
    for (unsigned i = 0; i < chain_length_; ++i) {
        if (chain_[i].node != node) continue;
        if (names_equal(chain_[i].owner, owner)) return Seen::kSameName;
        seen = Seen::kSameNode;
    }
    return seen;
}

const uint8_t* AnswerBuilder::follow_dname(uint32_t dname_node, const uint8_t* owner,
                                           const uint8_t* lower, NameInfo info,
                                           AnswerResult& result) {
    const Node& node = view_.node(dname_node);
    const Rrset* dname = view_.find_rrset(node, kTypeDname);
    if (dname == nullptr) return nullptr;
    // The same DNAME for the same name again is a loop, answered once. For another name it
    // synthesises a new CNAME, but the DNAME itself is already in the answer (RFC 2181 §5).
    const Seen seen = seen_in_chain(dname_node, owner);
    if (seen == Seen::kSameName) return nullptr;
    if (seen == Seen::kNew && !answer(view_.name_of(node), node, *dname)) return nullptr;
    // §2.2: the labels of the name above the owner, then the target (one name: the verifier).
    const uint8_t* const target = view_.data + dname->rdata + 2;
    const size_t target_len = load_be16(view_.data + dname->rdata);
    const size_t prefix_len = info.length - node.name_len;
    if (prefix_len + target_len > kMaxNameLength) {
        result.rcode = kRcodeYxDomain;
        return nullptr;
    }
    uint8_t* const synthesized = synthesized_[chain_length_];
    std::memcpy(synthesized, lower, prefix_len);
    std::memcpy(synthesized + prefix_len, target, target_len);
    // §3.1: the CNAME is owned by the name and has the DNAME's TTL.
    if (!writer_.put_name_record(Section::kAnswer, owner, kTypeCname, dname->ttl, synthesized)) {
        writer_.set_truncated();
        return nullptr;
    }
    chain_[chain_length_++] = ChainStep{dname_node, owner};
    return chain_length_ == kMaxCnameChain ? nullptr : synthesized;
}

AnswerResult AnswerBuilder::run() {
    zone_ = query_.lookahead != nullptr
                ? query_.lookahead->zone
                : find_zone_for(view_, query_.qname_lower, query_.qname, query_.qtype);
    if (zone_ == kNone) return {kRcodeRefused, false}; // not ours (RFC 1034 §4.3.2 step 2)
    const Zone& zone = view_.zones[zone_];
    const NameInfo origin{zone.origin_len, zone.origin_labels};
    dnssec_.enable_for(zone_, query_.edns.present && query_.edns.dnssec_ok);

    AnswerResult result{kRcodeNoError, true};
    // The name being resolved: the question, then each CNAME target. `owner` is what answer
    // records are written with: the question as the query spelled it (RFC 4343 §4.1: its case
    // is kept), then the target as its RDATA spells it; `lower` is its lowercase form for
    // lookups.
    const uint8_t* owner = query_.qname_asked;
    const uint8_t* lower = query_.qname_lower;
    NameInfo info = query_.qname;
    uint8_t target_lower[kMaxNameLength];
    // What the burst prefetch learnt of the lookups of the name and of its parent.
    const QueryLookahead* ahead = query_.lookahead;
    const LookupHint* hint = ahead != nullptr ? &ahead->question : nullptr;
    const LookupHint* parent_hint =
        ahead != nullptr && ahead->has_parent ? &ahead->parent : nullptr;
    // Goes on with `name` (a CNAME's target or a name a DNAME synthesised), whose lookup the
    // prefetch learnt `name_hint` of; false when it is out of the zone: only in-zone names are
    // followed, the resolver chases the rest.
    auto restart_at = [&](const uint8_t* name, const LookupHint* name_hint) {
        const NameInfo name_info = copy_lowercase(name, target_lower);
        if (!is_subdomain(target_lower, name_info, view_.origin_of(zone), origin)) return false;
        owner = name;
        lower = target_lower;
        info = name_info;
        hint = name_hint;
        parent_hint = nullptr;
        return true;
    };

    for (;;) {
        const Location where = locate(view_, zone_, lower, info, query_.qtype, hint, parent_hint);
        if (where.kind == Location::kReferral) {
            // AA stays set when a CNAME already answered authoritatively (as Knot does).
            if (chain_length_ == 0) result.authoritative = false;
            authority_ = Authority::kReferral;
            cut_ = where.node;
            break;
        }
        if (where.kind == Location::kDname) {
            const uint8_t* next = follow_dname(where.node, owner, lower, info, result);
            if (next == nullptr || !restart_at(next, nullptr)) break;
            continue;
        }
        if (where.kind == Location::kNxdomain) {
            // RFC 6604: after a CNAME chain the RCODE is the last name's.
            result.rcode = kRcodeNxDomain;
            authority_ = Authority::kSoa;
            dnssec_.prove_name_error(lower, info, where.node);
            break;
        }
        if (where.kind == Location::kWildcard)
            dnssec_.prove_wildcard_answer(lower, info, where.node);
        const Node& node = view_.node(where.node);
        if (query_.qtype == kTypeAny) {
            // RFC 8482 §4.2: answer ANY with one RRset of the node (its lowest type).
            if (node.rrset_count == 0) {
                authority_ = Authority::kSoa;
                prove_nodata(where, lower, info);
            } else {
                answer(owner, node, View::rrsets_of(node)[0]);
            }
            break;
        }
        if (const Rrset* rrset = view_.find_rrset(node, query_.qtype)) {
            answer(owner, node, *rrset);
            break;
        }
        // RRSIG and NSEC live beside a CNAME (RFC 4035 §2.5, RFC 2181 §10.1): asked for, they
        // are the node's own data, and a CNAME is not followed for them.
        const bool follows_cname = query_.qtype != kTypeRrsig && query_.qtype != kTypeNsec;
        const Rrset* cname = (follows_cname && (node.flags & snapshot::kNodeCname))
                                 ? view_.find_rrset(node, kTypeCname)
                                 : nullptr;
        if (cname == nullptr) {
            authority_ = Authority::kSoa; // NODATA (RFC 2308 §2.2), empty non-terminals too
            prove_nodata(where, lower, info);
            break;
        }
        // RFC 1034 §4.3.2 step 3a: answer the CNAME and restart at its target. A loop ends
        // where it closes: at a CNAME record already in the answer, or, for a wildcard, right
        // after the CNAME it synthesises a second time under a new name (the answer then shows
        // the name that loops; Knot ends wildcard loops the same way).
        const Seen seen = seen_in_chain(where.node, owner);
        if (seen == Seen::kSameName || !answer(owner, node, *cname)) break;
        if (seen == Seen::kSameNode) break;
        chain_[chain_length_++] = ChainStep{where.node, owner};
        if (chain_length_ == kMaxCnameChain) break;
        // The prefetch started the lookup of the question node's CNAME target, this very one.
        const bool first_target = chain_length_ == 1 && ahead != nullptr && ahead->has_target &&
                                  ahead->target_rdata == cname->rdata;
        // One CNAME, whose RDATA is a name.
        if (!restart_at(view_.data + cname->rdata + 2, first_target ? &ahead->target : nullptr))
            break;
    }

    if (!writer_.truncated()) write_authority();
    if (!writer_.truncated()) write_additional();
    return result;
}

void AnswerBuilder::write_authority() {
    const Zone& zone = view_.zones[zone_];
    bool fit = true;
    if (authority_ == Authority::kSoa) {
        // RFC 2308 §3: the zone's SOA, with TTL min(SOA TTL, SOA MINIMUM) (§5).
        fit = dnssec_.put_signed(Section::kAuthority, view_.origin_of(zone),
                                 view_.node(zone.apex_node), view_.rrset(zone.soa_rrset),
                                 zone.negative_ttl);
    } else if (authority_ == Authority::kReferral) {
        const Node& cut = view_.node(cut_);
        const Rrset* ns = view_.find_rrset(cut, kTypeNs);
        if (ns == nullptr) return; // a delegation node always has NS in a verified build
        fit = writer_.put_rrset(Section::kAuthority, view_.name_of(cut), *ns, view_.data);
        if (fit) {
            referral_ns_ = ns;
            note_additional(*ns);
        }
        // RFC 4035 §3.1.4: the signed DS RRset of a secure delegation, or the NSEC (NSEC3,
        // RFC 5155 §7.2.7) proving there is none.
        if (fit && dnssec_.enabled()) {
            if (const Rrset* ds = view_.find_rrset(cut, kTypeDs))
                fit =
                    dnssec_.put_signed(Section::kAuthority, view_.name_of(cut), cut, *ds, ds->ttl);
            else
                dnssec_.prove_no_ds(cut_);
        }
    }
    if (fit) fit = dnssec_.write_proofs();
    // A referral without its NS RRset is no referral: TC (as Knot). A negative answer
    // without its SOA cannot be cached for the right time (RFC 2308 §5): TC too, so the
    // client asks again over TCP (Knot leaves the SOA out without TC there).
    if (!fit) writer_.set_truncated();
}

// RFC 9471 §3: the glue of a referral for name servers inside the delegated zone (at or below
// the cut) is not optional. Sibling glue and other additional data are (RFC 9471 §3.2).
bool AnswerBuilder::is_mandatory_glue(const Rrset& source, const Node& node) const {
    if (&source != referral_ns_) return false;
    const Node& cut = view_.node(cut_);
    return is_subdomain(view_.name_of(node), NameInfo{node.name_len, node.labels},
                        view_.name_of(cut), NameInfo{cut.name_len, cut.labels});
}

bool AnswerBuilder::write_addresses(const Node& node) {
    for (const uint16_t type : {kTypeA, kTypeAaaa}) {
        const Rrset* rrset = view_.find_rrset(node, type);
        if (rrset != nullptr && !dnssec_.put_signed(Section::kAdditional, view_.name_of(node), node,
                                                    *rrset, rrset->ttl))
            return false;
    }
    return true;
}

void AnswerBuilder::write_additional() {
    // A/AAAA of the targets the snapshot listed for the answered RRsets, each node once:
    // mandatory glue first, then the rest. Mandatory glue that does not fit sets TC
    // (RFC 9471 §3); other additional data is left out, node by node, while the next may
    // still fit (RFC 2181 §9: additional data never sets TC).
    uint32_t written[kMaxAdditionalNodes];
    unsigned written_count = 0;
    for (const bool mandatory_pass : {true, false}) {
        for (unsigned s = 0; s < additional_source_count_; ++s) {
            const Rrset& source = *additional_sources_[s];
            for (const uint32_t index : view_.additional_nodes(view_.additional_of(source))) {
                const Node& node = view_.node(index);
                if (is_mandatory_glue(source, node) != mandatory_pass) continue;
                bool seen = false;
                for (unsigned w = 0; w < written_count && !seen; ++w)
                    seen = written[w] == index;
                if (seen) continue;
                // Past the cap, glue still owed means the referral is incomplete: TC.
                if (written_count == kMaxAdditionalNodes) {
                    if (mandatory_pass) writer_.set_truncated();
                    return;
                }
                written[written_count++] = index;
                if (!write_addresses(node) && mandatory_pass) {
                    writer_.set_truncated();
                    return;
                }
            }
        }
    }
}

} // namespace

uint32_t find_zone_for(const View& view, const uint8_t* lower, NameInfo info, uint16_t qtype) {
    const uint8_t* const end = lower + info.length;
    // Suffixes from `from` (with `labels` labels) up to the root; only label counts some origin
    // has are looked up.
    auto longest_origin = [&](const uint8_t* from, unsigned labels) {
        for (const uint8_t* p = from;; p = parent_name(p), --labels) {
            if (view.may_be_origin(labels)) {
                const uint32_t zone = view.find_zone(p, static_cast<size_t>(end - p));
                if (zone != kNone) return zone;
            }
            if (*p == 0) return kNone;
        }
    };
    if (qtype == kTypeDs && info.labels > 0) {
        const uint32_t zone = longest_origin(parent_name(lower), info.labels - 1u);
        if (zone != kNone) return zone;
    }
    return longest_origin(lower, info.labels);
}

AnswerResult answer_from_snapshot(const View& view, const Query& query, ResponseWriter& writer) {
    return AnswerBuilder(view, query, writer).run();
}

} // namespace ringcast::dns
