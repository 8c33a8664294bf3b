#include "dataplane/runtime/stats_file.h"

#include "dataplane/stats/render.h"

#include <cstdio>

namespace ringcast::runtime {

StatsFileWriter::StatsFileWriter(const SharedState& state, std::string path,
                                 std::chrono::milliseconds interval)
    : state_(state), path_(std::move(path)), interval_(interval) {
    if (!path_.empty()) thread_.start("rc-stats", [this] { run(); });
}

StatsFileWriter::~StatsFileWriter() {
    stop();
}

void StatsFileWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
        write_once();
    }
}

void StatsFileWriter::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        write_once();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

void StatsFileWriter::write_once() {
    // Counters are read while lcores write them: each 64-bit load is atomic on the platforms DPDK
    // supports, and a total a few packets stale is what a periodic reader expects.
    const std::string text = stats::render_text(state_.total());
    const std::string temp = path_ + ".tmp";
    FILE* file = std::fopen(temp.c_str(), "w");
    if (!file) return;
    const bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    if (std::fclose(file) == 0 && ok) std::rename(temp.c_str(), path_.c_str());
}

} // namespace ringcast::runtime
