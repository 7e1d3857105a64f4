import Foundation

/// Strict RFC 3339 timestamps (`2026-04-01T09:00:00Z`, `2026-04-01T09:00:00.250+09:00`).
///
/// Foundation's ISO 8601 parser is lenient: it reads `2026-02-30` as 2 March and `25:00`
/// as 01:00 the next day, so a time could be stored as another than the one sent. This
/// parser checks every field's range itself: month 01-12, day within its month (leap years
/// counted), hour 00-23, minute 00-59, second 00-59 (no leap second: the gateway's clock
/// has none), at most 9 fraction digits, an offset `Z` or `+hh:mm`/`-hh:mm` with hh 00-23 and
/// mm 00-59. `T` and `Z` may be lower case (RFC 3339 section 5.6). Nothing else is read: no
/// surrounding spaces, no basic format (`20260401T090000Z`), no missing seconds or offset.
public enum RFC3339 {
    /// The instant `text` names, or nil when it is not exactly an RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: UInt8...) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2),
              expect(0x54, 0x74), let hour = digits(2), expect(0x3A), let minute = digits(2), expect(0x3A),
              let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - start < 10 {
                nanoseconds = nanoseconds * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            guard index > start, index - start <= 9 else { return nil }
            for _ in (index - start)..<9 { nanoseconds *= 10 }
        }
        var offset = 0
        if expect(0x5A, 0x7A) {
            offset = 0
        } else {
            guard index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D else { return nil }
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let hours = digits(2), expect(0x3A), let minutes = digits(2),
                  (0...23).contains(hours), (0...59).contains(minutes) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }

    /// Whether `year` (proleptic Gregorian) has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of `month` (1-12) in `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian; negative before 1970).
    /// Howard Hinnant's `days_from_civil`; `year` is 0...9999, so nothing overflows.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
