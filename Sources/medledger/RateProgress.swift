import Foundation

/// A progress report for long commands (`testnet preload`, `verify`): on a terminal one line
/// rewritten in place; otherwise (a log, a pipe) a full line at most every `quietSeconds`, so
/// a log of a long run stays short.
final class RateProgress {
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private let quietSeconds: Double
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastPrinted: UInt64 = 0
    private var pending = false

    init(quietSeconds: Double = 10) { self.quietSeconds = quietSeconds }

    /// Seconds since this progress line was made.
    var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Shows `text`: on a terminal at most ten times a second, otherwise every `quietSeconds`.
    func update(_ text: @autoclosure () -> String) {
        let now = DispatchTime.now().uptimeNanoseconds
        let interval = isTerminal ? 0.1 : quietSeconds
        guard lastPrinted == 0 || Double(now - lastPrinted) / 1e9 >= interval else { return }
        lastPrinted = now
        if isTerminal {
            print("\r\u{1B}[K" + text(), terminator: "")
            fflush(nil)
            pending = true
        } else {
            print(text())
            fflush(nil)  // a log or a pipe is block-buffered: show the line now
        }
    }

    /// Ends the rewritten line, so what follows starts on a line of its own.
    func finish() {
        guard pending else { return }
        print("")
        pending = false
    }

    /// "12,345" for 12345.
    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}
