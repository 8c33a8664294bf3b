// CHAOS-class queries (class 3): "which server answered me?". On anycast that is the first
// question an operator asks, so TXT id.server. (RFC 4892) and hostname.bind. answer with the
// PoP name. Everything else in CHAOS, version.bind. included, is REFUSED.
#pragma once

#include "dataplane/dns/answer.h"
#include "dataplane/dns/query.h"
#include "dataplane/dns/responder.h"
#include "dataplane/dns/writer.h"

namespace ringcast::dns {

AnswerResult answer_chaos(const ResponderConfig& config, const Query& query,
                          ResponseWriter& writer);

} // namespace ringcast::dns
