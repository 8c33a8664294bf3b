// BIRD 2's control-socket protocol (doc/reply_codes in BIRD's source). A reply is a run of lines
// "DDDD-text" (more follow), " text" (continues the previous code) and ends with "DDDD text".
// 0xxx: done; 1xxx/2xxx: table rows and headings; 8xxx: run-time error; 9xxx: parse error;
// '+' lines are spontaneous printouts and belong to no reply.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::bgp {

inline constexpr size_t kMaxBirdReplyBytes = 1 << 20; // "show protocols" of a big router fits

namespace bird_code {
inline constexpr int kWelcome = 1;
inline constexpr int kReadingConfiguration = 2;
inline constexpr int kReconfigured = 3;
inline constexpr int kReconfigurationInProgress = 4;
inline constexpr int kReconfigurationQueued = 5;
inline constexpr int kReconfigurationIgnoredShuttingDown = 6;
inline constexpr int kAccessRestricted = 16;
inline constexpr int kReconfigurationConfirmed = 18;
inline constexpr int kNothingToDo = 19;
inline constexpr int kConfigurationOk = 20;
inline constexpr int kProtocolList = 1002;
inline constexpr int kProtocolListHeading = 2002;
inline constexpr int kNoProtocolsMatch = 8003;
} // namespace bird_code

struct BirdLine {
    int code = 0;
    std::string text;
};

struct BirdReply {
    std::vector<BirdLine> lines; // continuation lines carry the code of the line they continue
    int final_code() const { return lines.empty() ? -1 : lines.back().code; }
    bool is_error() const { return final_code() >= 8000; }
    std::string text() const; // every line, joined with "; "
};

// Feeds bytes from the socket; complete() once the final line of a reply has arrived.
class BirdReplyParser {
  public:
    // Returns false (with error()) on a line that is not BIRD's protocol or past the size cap.
    bool feed(std::string_view bytes);
    bool complete() const { return complete_; }
    BirdReply take(); // the reply; the parser starts the next one (leftover bytes kept)
    const std::string& error() const { return error_; }

  private:
    bool line(std::string_view text);
    std::string pending_;
    BirdReply reply_;
    bool complete_ = false;
    std::string error_;
    size_t bytes_ = 0;
};

// Whether `configure`'s reply means BIRD took the new configuration (0003, 0004 in progress,
// 0005 queued behind another one, 0018/0019/0020); anything else, 8xxx/9xxx included, is a no.
bool configure_accepted(const BirdReply& reply);

// One session on BIRD's control socket: connects, reads the welcome, runs commands.
class BirdClient {
  public:
    explicit BirdClient(std::string socket_path) : path_(std::move(socket_path)) {}
    ~BirdClient();
    BirdClient(const BirdClient&) = delete;
    BirdClient& operator=(const BirdClient&) = delete;

    bool connect(std::chrono::milliseconds timeout, std::string& error);
    std::optional<BirdReply> command(const std::string& line, std::chrono::milliseconds timeout,
                                     std::string& error);

  private:
    std::optional<BirdReply> read_reply(std::chrono::steady_clock::time_point deadline,
                                        std::string& error);
    std::string path_;
    int fd_ = -1;
    BirdReplyParser parser_;
};

} // namespace ringcast::bgp
