#include "dataplane/http/http_date.h"

#include "dataplane/http/chars.h"

namespace ringcast::http {
namespace {

constexpr std::string_view kDayNames[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kLongDayNames[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday"};
constexpr std::string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr int64_t kSecondsPerDay = 86400;
constexpr int kEpochWeekday = 4;        // 1970-01-01 was a Thursday
constexpr int kTwoDigitYearWindow = 50; // RFC 9110 §5.6.7

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
    int64_t year;
    unsigned month, day;
};

constexpr Civil civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(11017).year == 2000 && civil_from_days(11017).month == 3);

constexpr bool leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(int64_t y, unsigned m) {
    constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// A cursor over the date text: each step consumes what it matched, or fails.
struct Cursor {
    std::string_view s;

    bool literal(std::string_view lit) {
        if (s.substr(0, lit.size()) != lit) return false;
        s.remove_prefix(lit.size());
        return true;
    }
    bool digits(size_t n, int& out) {
        if (s.size() < n) return false;
        out = 0;
        for (size_t i = 0; i < n; ++i) {
            if (!chars::is_digit(static_cast<uint8_t>(s[i]))) return false;
            out = out * 10 + (s[i] - '0');
        }
        s.remove_prefix(n);
        return true;
    }
    bool one_of(const std::string_view* names, size_t count, unsigned& index) {
        for (size_t i = 0; i < count; ++i)
            if (literal(names[i])) {
                index = static_cast<unsigned>(i);
                return true;
            }
        return false;
    }
    bool month(unsigned& m) {
        if (!one_of(kMonths, 12, m)) return false;
        ++m;
        return true;
    }
    // time-of-day = hour ":" minute ":" second; second may be 60 (a leap second, §5.6.7).
    bool time_of_day(int& h, int& mi, int& sec) {
        return digits(2, h) && literal(":") && digits(2, mi) && literal(":") && digits(2, sec) &&
               h <= 23 && mi <= 59 && sec <= 60;
    }
};

bool to_unix(int64_t y, unsigned m, int d, int h, int mi, int sec, int64_t& out) {
    if (d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) return false;
    out =
        days_from_civil(y, m, static_cast<unsigned>(d)) * kSecondsPerDay + h * 3600 + mi * 60 + sec;
    return true;
}

// The civil year `now_unix` falls in.
int64_t year_of(int64_t now_unix) {
    const int64_t days = now_unix >= 0 ? now_unix / kSecondsPerDay
                                       : (now_unix - (kSecondsPerDay - 1)) / kSecondsPerDay;
    return civil_from_days(days).year;
}

void put2(char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

} // namespace

bool parse_http_date(std::string_view text, int64_t now_unix, int64_t& out) {
    unsigned weekday = 0, m = 0;
    int d = 0, y = 0, h = 0, mi = 0, sec = 0;

    // IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT; date1 = day SP month SP year
    if (Cursor c{text}; c.one_of(kDayNames, 7, weekday) && c.literal(", ")) {
        if (c.digits(2, d) && c.literal(" ") && c.month(m) && c.literal(" ") && c.digits(4, y) &&
            c.literal(" ") && c.time_of_day(h, mi, sec) && c.literal(" GMT") && c.s.empty())
            return to_unix(y, m, d, h, mi, sec, out);
        return false;
    }
    // rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT; date2 = day "-" month "-"
    // 2DIGIT
    if (Cursor c{text}; c.one_of(kLongDayNames, 7, weekday) && c.literal(", ")) {
        if (!(c.digits(2, d) && c.literal("-") && c.month(m) && c.literal("-") && c.digits(2, y) &&
              c.literal(" ") && c.time_of_day(h, mi, sec) && c.literal(" GMT") && c.s.empty()))
            return false;
        // §5.6.7: a two-digit year more than 50 years in the future is in the past century.
        const int64_t now_year = year_of(now_unix);
        int64_t year = now_year - now_year % 100 + y;
        if (year > now_year + kTwoDigitYearWindow) year -= 100;
        return to_unix(year, m, d, h, mi, sec, out);
    }
    // asctime-date = day-name SP date3 SP time-of-day SP year; date3 = month SP ( 2DIGIT /
    // ( SP DIGIT ) )
    if (Cursor c{text}; c.one_of(kDayNames, 7, weekday) && c.literal(" ")) {
        if (!(c.month(m) && c.literal(" "))) return false;
        if (c.literal(" ")) {
            if (!c.digits(1, d)) return false;
        } else if (!c.digits(2, d)) {
            return false;
        }
        if (c.literal(" ") && c.time_of_day(h, mi, sec) && c.literal(" ") && c.digits(4, y) &&
            c.s.empty())
            return to_unix(y, m, d, h, mi, sec, out);
    }
    return false;
}

void format_http_date(int64_t unix, char (&out)[kHttpDateLength]) {
    if (unix < 0) unix = 0;
    if (unix > kLatestHttpDate) unix = kLatestHttpDate;
    const int64_t days = unix / kSecondsPerDay;
    const auto secs = static_cast<unsigned>(unix % kSecondsPerDay);
    const Civil c = civil_from_days(days);
    const std::string_view day = kDayNames[(days + kEpochWeekday) % 7];
    const std::string_view month = kMonths[c.month - 1];
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    //  0123456789012345678901234567 8
    out[0] = day[0], out[1] = day[1], out[2] = day[2], out[3] = ',', out[4] = ' ';
    put2(out + 5, c.day);
    out[7] = ' ';
    out[8] = month[0], out[9] = month[1], out[10] = month[2], out[11] = ' ';
    const auto year = static_cast<unsigned>(c.year);
    put2(out + 12, year / 100);
    put2(out + 14, year % 100);
    out[16] = ' ';
    put2(out + 17, secs / 3600);
    out[19] = ':';
    put2(out + 20, secs / 60 % 60);
    out[22] = ':';
    put2(out + 23, secs % 60);
    out[25] = ' ', out[26] = 'G', out[27] = 'M', out[28] = 'T';
}

} // namespace ringcast::http
