// Master-file reading with libzscanner. The scanner is driven one record at a time
// (zs_parse_record) rather than with zs_parse_all, for two reasons:
//  - zs_parse_all treats any error inside an $INCLUDEd file as fatal for the including file, so
//    one bad include would hide every later error; handling ZS_STATE_INCLUDE ourselves lets us
//    report the included file's errors under its own name and carry on.
//  - between records we can see where the scanner resumed, which gives a record's first line
//    (libzscanner only knows the line a multi-line record ends on).
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

// libzscanner's headers carry no extern "C" guards of their own.
extern "C" {
#include <libzscanner/scanner.h>
}

#include "controlplane/zone/dname.h"
#include "controlplane/zone/huge_pages.h"
#include "controlplane/zone/rr_types.h"
#include "controlplane/zone/zone_compiler.h"

namespace ringcast::zone {

namespace {

// RFC 1035 leaves the TTL of a record without one and without $TTL to the implementation; 3600
// is what BIND and Knot use as the usual default.
constexpr uint32_t kDefaultTtl = 3600;
// $INCLUDE nesting cap: a file that includes itself must end in a diagnostic, not a stack overflow.
constexpr unsigned kMaxIncludeDepth = 16;

struct ScannerDeleter {
    void operator()(zs_scanner_t* s) const {
        zs_deinit(s);
        delete s;
    }
};
using ScannerPtr = std::unique_ptr<zs_scanner_t, ScannerDeleter>;

// zs_scanner_t holds ~200 KiB of buffers: always on the heap.
ScannerPtr make_scanner(const std::string& origin, uint32_t default_ttl, std::string& error) {
    ScannerPtr s(new zs_scanner_t{});
    if (zs_init(s.get(), origin.c_str(), kClassIn, default_ttl) != 0) {
        error = zs_strerror(s->error.code);
        delete s.release(); // zs_init failed: nothing to deinit
        return nullptr;
    }
    return s;
}

// Why `path` cannot be read as a zone file, or "" when it can.
std::string unreadable_reason(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    if (::access(path.c_str(), R_OK) != 0) return std::strerror(errno);
    return {};
}

// libzscanner expands a relative $INCLUDE path against the absolute directory of the including
// file. Diagnostics read better in the operator's own terms, so put the including file's
// directory back as it was written: "zones/inc/a.zone" rather than "/srv/ringcast/zones/inc/...".
std::string display_include_path(const std::string& expanded, const char* parent_abs_dir,
                                 const std::string& parent_display) {
    if (parent_abs_dir == nullptr) return expanded;
    std::string prefix = parent_abs_dir;
    if (prefix.empty() || prefix.back() != '/') prefix.push_back('/');
    if (expanded.compare(0, prefix.size(), prefix) != 0) return expanded;
    const size_t slash = parent_display.rfind('/');
    const std::string display_dir =
        slash == std::string::npos ? std::string() : parent_display.substr(0, slash + 1);
    return display_dir + expanded.substr(prefix.size());
}

class Reader {
  public:
    Reader(ParsedZone& out, std::vector<Diagnostic>& errors) : out_(out), errors_(errors) {}

    bool ok() const { return ok_; }

    // Scans everything `s` was set up to read, following includes.
    void scan(zs_scanner_t& s, const std::string& display, unsigned depth) {
        const uint32_t file = static_cast<uint32_t>(out_.files.size());
        out_.files.push_back(display);
        for (;;) {
            const Resume resume{s.input.start, s.input.end, s.input.current, s.line_counter};
            const int rc = zs_parse_record(&s);
            switch (s.state) {
            case ZS_STATE_DATA:
                add_record(s, display, file, start_line(s, resume));
                break;
            case ZS_STATE_ERROR:
                error(display, s.line_counter, zs_strerror(s.error.code));
                // A fatal error leaves the scanner unable to resynchronise (an unclosed
                // parenthesis, for instance): nothing after it can be trusted.
                if (s.error.fatal) return;
                break;
            case ZS_STATE_INCLUDE:
                include(s, display, depth);
                break;
            default: // ZS_STATE_EOF, ZS_STATE_STOP, ZS_STATE_NONE
                return;
            }
            if (rc != 0 || full_) return; // the scanner refuses to go on, or the zone is full
        }
    }

    void error(const std::string& file, uint64_t line, std::string message) {
        errors_.push_back(Diagnostic{file, line, std::move(message)});
        ok_ = false;
    }

  private:
    // Where the scanner stood before parsing a record.
    struct Resume {
        const char* input_start;
        const char* input_end;
        const char* current;
        uint64_t line;
    };

    // libzscanner reports a record on the line where it ends. Its first line is the first line
    // after the previous stop (the newline ending the previous record or error) that holds
    // something other than blanks, a comment or a $-directive.
    static uint64_t start_line(const zs_scanner_t& s, const Resume& resume) {
        const uint64_t end_line = s.line_counter;
        // At the very end libzscanner swaps in a one-newline input of its own to finish a last
        // line without a newline; the text of that record is then no longer ours to look at.
        if (s.input.start != resume.input_start || resume.current == nullptr ||
            resume.current < resume.input_start || resume.current >= resume.input_end)
            return end_line;
        uint64_t line = resume.line;
        bool line_start = resume.current == resume.input_start;
        for (const char* p = resume.current; p < resume.input_end && line < end_line; ++p) {
            const char c = *p;
            if (c == '\n') {
                ++line;
                line_start = true;
            } else if (c == ';' || (c == '$' && line_start)) {
                while (p + 1 < resume.input_end && p[1] != '\n')
                    ++p;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                line_start = false;
            } else {
                return line;
            }
        }
        return end_line;
    }

    void add_record(const zs_scanner_t& s, const std::string& display, uint32_t file,
                    uint64_t line) {
        // libzscanner only knows the IN class mnemonic, so this is belt and braces for a scanner
        // that learns others: the dataplane answers IN only.
        if (s.r_class != kClassIn) {
            error(display, line, fmt::format("class CLASS{} is not supported, only IN", s.r_class));
            return;
        }
        const size_t bytes = size_t{s.r_owner_length} + s.r_data_length;
        if (out_.bytes.size() + bytes > kMaxZoneBytes || line > kMaxZoneLines) {
            error(display, line,
                  fmt::format("zone too large: beyond {} bytes of records in wire form or {} lines",
                              kMaxZoneBytes, kMaxZoneLines));
            full_ = true; // one diagnostic, not one for every record after
            return;
        }
        Record& r = out_.records.emplace_back();
        r.at = static_cast<uint32_t>(out_.bytes.size());
        r.owner_length = static_cast<uint8_t>(s.r_owner_length); // <= 255 (RFC 1035 §2.3.4)
        r.rdata_length = s.r_data_length;
        out_.bytes.insert(out_.bytes.end(), s.r_owner, s.r_owner + s.r_owner_length);
        out_.bytes.insert(out_.bytes.end(), s.r_data, s.r_data + s.r_data_length);
        r.type = s.r_type;
        r.rclass = s.r_class;
        r.ttl = s.r_ttl;
        r.file = file;
        r.line = static_cast<uint32_t>(line);
    }

    // RFC 1035 §5.1: $INCLUDE <file> [<origin>]; the included file starts with that origin (or
    // the current one) and the current default TTL, and does not change the including file's.
    void include(zs_scanner_t& s, const std::string& display, unsigned depth) {
        const std::string expanded = s.include_filename;
        const std::string shown = display_include_path(expanded, s.path, display);
        if (depth + 1 >= kMaxIncludeDepth) {
            error(display, s.line_counter,
                  fmt::format("$INCLUDE {}: nested deeper than {} files", shown, kMaxIncludeDepth));
            return;
        }
        if (std::string why = unreadable_reason(expanded); !why.empty()) {
            error(display, s.line_counter,
                  fmt::format("cannot read included file {}: {}", shown, why));
            return;
        }
        std::string init_error;
        ScannerPtr sub =
            make_scanner(reinterpret_cast<const char*>(s.buffer), s.default_ttl, init_error);
        if (!sub) {
            error(display, s.line_counter, fmt::format("$INCLUDE {}: {}", shown, init_error));
            return;
        }
        if (zs_set_input_file(sub.get(), expanded.c_str()) != 0) {
            error(display, s.line_counter,
                  fmt::format("cannot read included file {}: {}", shown,
                              zs_strerror(sub->error.code)));
            return;
        }
        scan(*sub, shown, depth + 1);
    }

    ParsedZone& out_;
    std::vector<Diagnostic>& errors_;
    bool ok_ = true;
    bool full_ = false;
};

// Reserves for the records of `text_bytes` of master file, so that the arena is not copied
// while it doubles. Wire form is shorter than presentation form except for relative names, which
// gain the origin: at most once for the owner of each record, as a guess (RDATA names are rarer).
// Reserved bytes never written are never resident, so a generous guess costs no memory.
void reserve_for_text(size_t text_bytes, ParsedZone& out) {
    const size_t records = text_bytes / kBytesPerRecordGuess;
    reserve_huge(out.records, records);
    reserve_huge(out.bytes, text_bytes + records * out.origin.size());
}

// Common start of both entry points: the origin, and a scanner positioned on it.
ScannerPtr begin(const ZoneSource& source, ParsedZone& out, Reader& reader) {
    out.source = source;
    out.records.clear();
    out.bytes.clear();
    out.files.clear();
    std::string presentation, error;
    if (!normalize_origin(source.origin, out.origin, presentation, error)) {
        reader.error(source.file, 0,
                     fmt::format("invalid zone origin '{}': {}", source.origin, error));
        return nullptr;
    }
    out.source.origin = presentation;
    ScannerPtr s = make_scanner(presentation, kDefaultTtl, error);
    if (!s) reader.error(source.file, 0, fmt::format("cannot start the zone scanner: {}", error));
    return s;
}

} // namespace

bool normalize_origin(const std::string& text, std::vector<uint8_t>& wire,
                      std::string& presentation, std::string& error) {
    std::vector<uint8_t> parsed;
    if (!dname::from_presentation(text, parsed, error)) return false;
    wire.resize(parsed.size());
    dns::copy_lowercase(parsed.data(), wire.data());
    presentation = dname::to_presentation(wire);
    return true;
}

bool parse_zone_file(const ZoneSource& source, ParsedZone& out, std::vector<Diagnostic>& errors) {
    Reader reader(out, errors);
    ScannerPtr s = begin(source, out, reader);
    if (!s) return false;
    if (std::string why = unreadable_reason(source.file); !why.empty()) {
        reader.error(source.file, 0, fmt::format("cannot read zone file: {}", why));
        return false;
    }
    if (zs_set_input_file(s.get(), source.file.c_str()) != 0) {
        reader.error(source.file, 0,
                     fmt::format("cannot read zone file: {}", zs_strerror(s->error.code)));
        return false;
    }
    struct stat st {};
    if (::stat(source.file.c_str(), &st) == 0) {
        reserve_for_text(static_cast<size_t>(st.st_size), out);
    }
    reader.scan(*s, source.file, 0);
    release_unused(out.records);
    release_unused(out.bytes);
    return reader.ok();
}

bool parse_zone_text(const ZoneSource& source, const std::string& text, ParsedZone& out,
                     std::vector<Diagnostic>& errors) {
    Reader reader(out, errors);
    ScannerPtr s = begin(source, out, reader);
    if (!s) return false;
    if (zs_set_input_string(s.get(), text.data(), text.size()) != 0) {
        reader.error(source.file, 0,
                     fmt::format("cannot read zone text: {}", zs_strerror(s->error.code)));
        return false;
    }
    reserve_for_text(text.size(), out);
    reader.scan(*s, source.file, 0);
    release_unused(out.records);
    release_unused(out.bytes);
    return reader.ok();
}

} // namespace ringcast::zone
