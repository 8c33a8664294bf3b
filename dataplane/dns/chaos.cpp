#include "dataplane/dns/chaos.h"

#include "dataplane/dns/protocol.h"

#include <cstring>

namespace ringcast::dns {
namespace {

constexpr uint8_t kIdServer[] = {2, 'i', 'd', 6, 's', 'e', 'r', 'v', 'e', 'r', 0};
constexpr uint8_t kHostnameBind[] = {8,   'h', 'o', 's', 't', 'n', 'a', 'm',
                                     'e', 4,   'b', 'i', 'n', 'd', 0};
constexpr uint32_t kChaosTtl = 0; // the answer is per server: never cache it

bool is_name(const Query& query, const uint8_t* name, size_t len) {
    return query.qname.length == len && std::memcmp(query.qname_lower, name, len) == 0;
}

} // namespace

AnswerResult answer_chaos(const ResponderConfig& config, const Query& query,
                          ResponseWriter& writer) {
    // Knot refuses non-TXT types here as well.
    if (query.qtype != kTypeTxt || pop_name_length(config) == 0 ||
        !(is_name(query, kIdServer, sizeof kIdServer) ||
          is_name(query, kHostnameBind, sizeof kHostnameBind)))
        return {kRcodeRefused, false};

    // TXT RDATA: one <character-string> (RFC 1035 §3.3.14).
    uint8_t rdata[1 + kMaxPopNameLength];
    const uint8_t length = pop_name_length(config);
    rdata[0] = length;
    std::memcpy(rdata + 1, config.pop_name, length);
    // The owner is the question as asked (its case kept, RFC 4343 §4.1).
    if (!writer.put_record(Section::kAnswer, query.qname_asked, kTypeTxt, kClassCh, kChaosTtl,
                           rdata, static_cast<uint16_t>(1 + length)))
        writer.set_truncated();
    // AA clear: no served zone holds these names; the answer describes this server (as Knot).
    return {kRcodeNoError, false};
}

} // namespace ringcast::dns
