// Zone compilation: RFC 1035 master files in (read with libzscanner), semantic checks, and the
// snapshot file (dataplane/snapshot/format.h) out. Used by ringcastd, `ringcastctl check-zone`
// and the tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ringcast::zone {

// One problem found in a zone, printed as "file:line: message" (line 0: the zone as a whole).
struct Diagnostic {
    std::string file;
    uint64_t line = 0;
    std::string message;

    std::string to_string() const;
};

// One resource record of a master file. Its owner and RDATA live in ParsedZone::bytes (see
// ParsedZone::owner() and rdata()): a million records are two vectors, not two million
// allocations, and a record is 24 bytes (the reader refuses a zone beyond the 32-bit limits).
struct Record {
    uint32_t at = 0; // offset in ParsedZone::bytes of the owner, the RDATA right after it
    uint32_t line = 0;
    uint32_t ttl = 0;
    uint32_t file = 0; // ParsedZone::files index: the file it came from ($INCLUDE aware)
    uint16_t type = 0;
    uint16_t rclass = 0;
    uint16_t rdata_length = 0;
    uint8_t owner_length = 0;
};
static_assert(sizeof(Record) == 24, "a million records are held at once: keep them small");

// Expected bytes of master file per record, to reserve for the records (and estimate their
// memory) from the file's size.
inline constexpr uint64_t kBytesPerRecordGuess = 32;

// What Record's 32-bit fields can count: the bytes of a zone's owners and RDATA, its lines.
inline constexpr uint64_t kMaxZoneBytes = UINT32_MAX;
inline constexpr uint64_t kMaxZoneLines = UINT32_MAX;

struct ZoneSource {
    std::string origin; // presentation form, e.g. "example.net."
    std::string file;   // path of the master file
};

struct ParsedZone {
    ZoneSource source;
    std::vector<uint8_t> origin; // wire form, lowercase
    std::vector<Record> records;
    std::vector<uint8_t> bytes; // each record's owner then RDATA, back to back
    // The master file and the files it includes, as diagnostics name them: one entry per file
    // read, so that a million records do not carry a million copies of a path.
    std::vector<std::string> files;

    const std::string& file_of(const Record& record) const { return files[record.file]; }
    // The owner in wire form, as written (case preserved).
    std::span<const uint8_t> owner(const Record& record) const {
        return {bytes.data() + record.at, record.owner_length};
    }
    // The RDATA in wire form, names uncompressed.
    std::span<const uint8_t> rdata(const Record& record) const {
        return {bytes.data() + record.at + record.owner_length, record.rdata_length};
    }
};

// Parses a zone origin given with or without its final dot ("example.net" or "example.net.").
// `wire` gets the lowercase wire form, `presentation` the canonical text ("example.net.").
bool normalize_origin(const std::string& text, std::vector<uint8_t>& wire,
                      std::string& presentation, std::string& error);

// Reads a master file with libzscanner ($ORIGIN, $TTL, $INCLUDE, parentheses, escapes, relative
// names, RFC 3597 generic records). Returns false when there was any syntax error; every error
// is appended to `errors`.
bool parse_zone_file(const ZoneSource& source, ParsedZone& out, std::vector<Diagnostic>& errors);
// Same, from text in memory; `source.file` is only used to name the text in diagnostics.
bool parse_zone_text(const ZoneSource& source, const std::string& text, ParsedZone& out,
                     std::vector<Diagnostic>& errors);

// Semantic checks (exactly one SOA at the apex, NS at the apex, CNAME beside other data,
// multiple CNAMEs, out-of-zone data, missing glue for in-zone name servers below a cut).
// Returns false when any error was appended.
bool check_zone(const ParsedZone& zone, std::vector<Diagnostic>& errors);

struct ZoneSummary {
    std::string origin;
    std::string file;
    uint32_t serial = 0;
    uint32_t records = 0;
    uint32_t names = 0; // owner names, empty non-terminals excluded
};

struct BuildOptions {
    uint64_t generation = 0;   // written as Header::generation
    uint64_t created_unix = 0; // 0: now
    uint64_t hash_seed = 0;    // 0: random
};

struct CompileResult {
    bool ok = false;
    std::vector<Diagnostic> errors;
    std::vector<ZoneSummary> zones;
    std::vector<uint8_t> snapshot; // the complete snapshot file when ok
};

// Builds one snapshot from already checked zones.
std::vector<uint8_t> build_snapshot(const std::vector<ParsedZone>& zones,
                                    const BuildOptions& options);

// parse + check every zone, then build: compile_zone_set() (compile_pipeline.h) with no zones
// kept. On any error `ok` is false, every error of every zone is in `errors`, and no snapshot is
// produced.
// `memory_limit`: bytes the compile may hold (memory_budget.h), 0 for no limit.
CompileResult compile_zones(const std::vector<ZoneSource>& sources, const BuildOptions& options,
                            uint64_t memory_limit = 0);

// Writes the snapshot next to `path` and renames it into place, so a reader never sees half of
// it. Returns false and sets `error` on failure.
bool write_snapshot_file(const std::vector<uint8_t>& snapshot, const std::string& path,
                         std::string& error);

} // namespace ringcast::zone
