/// Formats and parses UTC timestamps without Foundation's locale-dependent formatters, so the
/// output is identical on every machine (days-from-civil algorithm, H. Hinnant).
public enum ISO8601 {
    /// `2026-11-21T10:00:00.000Z`
    public static func format(milliseconds: UInt64) -> String {
        let totalSeconds = Int64(milliseconds / 1000)
        let millis = Int(milliseconds % 1000)
        let days = totalSeconds / 86_400
        let secondsOfDay = Int(totalSeconds % 86_400)
        let (year, month, day) = civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(millis, 3))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.mmm]Z` or `YYYY-MM-DD` (midnight UTC).
    public static func parse(_ text: String) -> UInt64? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= chars.count else { return nil }
            var value = 0
            for char in chars[from..<from + length] {
                guard char >= 48, char <= 57 else { return nil }
                value = value * 10 + Int(char - 48)
            }
            return value
        }
        guard let year = number(0, 4), chars.count >= 10, chars[4] == 45, chars[7] == 45,
            let month = number(5, 2), let day = number(8, 2),
            (1...12).contains(month), (1...31).contains(day), year >= 1970
        else { return nil }
        var seconds = 0
        var millis = 0
        if chars.count > 10 {
            guard chars.count >= 20, chars[10] == 84, chars[13] == 58, chars[16] == 58, chars.last == 90,
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                hour < 24, minute < 60, second < 60
            else { return nil }
            seconds = hour * 3600 + minute * 60 + second
            if chars.count > 20 {
                guard chars.count == 24, chars[19] == 46, let ms = number(20, 3) else { return nil }
                millis = ms
            } else {
                guard chars.count == 20 else { return nil }
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        // Reject days that do not exist (2026-02-30) instead of rolling them over.
        guard civil(fromDays: days) == (year, month, day) else { return nil }
        return UInt64(days * 86_400 + Int64(seconds)) * 1000 + UInt64(millis)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
