#include "controlplane/admin/line_buffer.h"

namespace ringcast::admin {

LineBuffer::Next LineBuffer::next(std::string& line) {
    const size_t newline = data_.find('\n', start_);
    if (newline == std::string::npos) {
        // Compact once the consumed prefix dominates, so appends stay amortised O(n).
        if (start_ > 0 && start_ >= data_.size() / 2) {
            data_.erase(0, start_);
            start_ = 0;
        }
        return pending() > max_line_ ? Next::too_long : Next::need_more;
    }
    if (newline - start_ > max_line_) return Next::too_long;
    size_t end = newline;
    if (end > start_ && data_[end - 1] == '\r') --end;
    line.assign(data_, start_, end - start_);
    start_ = newline + 1;
    if (start_ == data_.size()) {
        data_.clear();
        start_ = 0;
    }
    return Next::line;
}

} // namespace ringcast::admin
