import ArgumentParser
import Foundation
import MedLedgerClient
import MedLedgerCore

/// `medledger watch`: the caller's live event stream (`GET /v1/events`) in a terminal.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print your ledger events as they happen (reads of your reports, grants, distributions).",
        discussion: """
            One line per event: block time, type, what happened in plain words, and the event's cursor.
            The node ends a stream after 30 minutes; watch reconnects with a fresh signature and resumes
            after the last event it printed. Stop with Ctrl-C.
            """)
    @OptionGroup var options: ClientOptions
    @Option(name: .long, help: "First print every event after this cursor (a cursor watch printed), then go live.")
    var from: String?

    func validate() throws {
        if let from, EventCursor(from) == nil {
            throw ValidationError(
                "--from must be an event cursor HEIGHT.POSITION.INDEX as watch prints it, got \(from)")
        }
    }

    func run() async throws {
        try await runClient {
            let me = try options.identity()
            let stream = EventStreamClient(gateway: try options.gateway(options.node, me: me), me: me)
            Self.emit("Watching events of \(me.label) (\(me.id.hex)) at \(options.node); Ctrl-C to stop.")
            try await stream.follow(
                from: from,
                onEvent: { event in
                    Self.emit(event.line)
                },
                onReconnect: { reason in
                    FileHandle.standardError.write(Data("watch: \(reason)\n".utf8))
                })
        }
    }

    /// One line to standard output at once, also when it is a pipe (no buffering delay).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
