// dns_query_fuzz: the DNS query parser (dataplane/dns/query.h) on a UDP payload. Whatever the
// bytes, it reads only inside them, and what it reports about the question is consistent with
// them: the question lies within the message, the lowercase copy is the name lowercased, the
// name's length and label count agree with its labels.
#include "dataplane/dns/query.h"
#include "tests/fuzz/fuzz_support.h"

#include <cctype>

namespace rc = ringcast;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < rc::dns::kHeaderSize || size > rc::dns::kMaxTcpMessage) return 0;
    rc::fuzz::AlignedCopy msg(data, size); // exact size: a read past the end is caught
    rc::dns::Query query;
    const auto status =
        rc::dns::parse_query(msg.bytes.data(), static_cast<uint32_t>(size), query, nullptr);
    FUZZ_CHECK(status == rc::dns::ParseStatus::kOk || status == rc::dns::ParseStatus::kMalformed);
    FUZZ_CHECK(query.qdcount == rc::fuzz::be16(data + 4));
    FUZZ_CHECK(query.arcount == rc::fuzz::be16(data + 10));
    if (!query.has_question) return 0;
    FUZZ_CHECK(query.qname.length >= 1 && query.qname.length <= rc::dns::kMaxNameLength);
    FUZZ_CHECK(query.question_end == rc::dns::kHeaderSize + query.qname.length + 4u);
    FUZZ_CHECK(query.question_end <= size);
    // The name as it stands in the message, label by label: no compression in a question.
    const uint8_t* name = data + rc::dns::kHeaderSize;
    unsigned at = 0, labels = 0;
    while (name[at] != 0) {
        FUZZ_CHECK(name[at] <= 63);
        at += name[at] + 1u;
        ++labels;
        FUZZ_CHECK(at < query.qname.length);
    }
    FUZZ_CHECK(at + 1u == query.qname.length && labels == query.qname.labels);
    for (unsigned i = 0; i < query.qname.length; ++i)
        FUZZ_CHECK(query.qname_lower[i] ==
                   static_cast<uint8_t>(std::tolower(static_cast<unsigned char>(name[i]))));
    FUZZ_CHECK(query.qtype == rc::fuzz::be16(name + query.qname.length));
    FUZZ_CHECK(query.qclass == rc::fuzz::be16(name + query.qname.length + 2));
    return 0;
}
