#include "dataplane/content/shared_content.h"

namespace ringcast::content {

SharedContent::SharedContent(std::unique_ptr<Snapshot> snapshot, unsigned max_lcores)
    : snapshot_(std::move(snapshot)), max_lcores_(max_lcores), counts_(new Count[max_lcores]) {}

uint64_t SharedContent::pins() const {
    uint64_t sum = 0;
    for (unsigned i = 0; i < max_lcores_; ++i)
        sum += counts_[i].value.load(std::memory_order_acquire);
    return sum;
}

} // namespace ringcast::content
