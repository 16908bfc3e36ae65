import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode
import MedLedgerTesting
import NIOCore
import Testing
@testable import MedLedgerAPI

/// `GET /v1/events` over a real socket: the node's router on a loopback port, read with
/// AsyncHTTPClient as the bytes arrive.
@Suite struct EventStreamTests {
    /// One parsed server-sent event.
    struct SSE: Equatable {
        var id: String
        var type: String
        var data: [String: Any]
        static func == (lhs: SSE, rhs: SSE) -> Bool { lhs.id == rhs.id && lhs.type == rhs.type }
    }

    /// A server on a free port serving `fixture`'s node with `settings`; cancel the task to stop.
    static func serve(_ fixture: APIFixture, settings: EventStreamSettings) async throws -> (
        String, Task<Void, any Error>
    ) {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.events-test")
        logger.logLevel = .critical
        let now = fixture.now
        let app = Application(
            router: buildRouter(node: fixture.node, clock: { now }, eventStreams: settings),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let server = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw FixtureError("server did not start") }
        return ("http://127.0.0.1:\(port)", server)
    }

    /// An open stream: its status and an iterator of its events and comments.
    final class Stream: @unchecked Sendable {
        let status: Int
        let problem: [String: Any]
        var headers: [(String, String)] = []
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var pending = ""

        init(status: Int, problem: [String: Any], body: HTTPClientResponse.Body.AsyncIterator?) {
            self.status = status
            self.problem = problem
            self.body = body
        }

        /// The next block of lines up to a blank line: an event, or nil when the stream ended.
        func nextBlock() async throws -> [String]? {
            while true {
                if let end = pending.range(of: "\n\n") {
                    let block = String(pending[..<end.lowerBound])
                    pending = String(pending[end.upperBound...])
                    return block.split(separator: "\n").map(String.init)
                }
                guard let buffer = try await body?.next() else { return nil }
                pending += String(buffer: buffer)
            }
        }

        /// The next event, skipping `retry:` and comment blocks (`comments` collects these).
        func nextEvent(comments: inout [String]) async throws -> SSE? {
            while let block = try await nextBlock() {
                var event = SSE(id: "", type: "", data: [:])
                for line in block {
                    if line.hasPrefix(":") || line.hasPrefix("retry:") { comments.append(line) }
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { event.type = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") {
                        event.data =
                            (try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) as? [String: Any]
                            ?? [:]
                    }
                }
                if !event.id.isEmpty { return event }
            }
            return nil
        }

        func nextEvent() async throws -> SSE? {
            var ignored: [String] = []
            return try await nextEvent(comments: &ignored)
        }
    }

    static func open(
        _ base: String, _ fixture: APIFixture, as identity: ClientIdentity, lastEventID: String? = nil,
        sign: Bool = true
    ) async throws -> Stream {
        var request = HTTPClientRequest(url: base + EventStreamRoutes.path)
        if sign {
            for field in fixture.signed("GET", EventStreamRoutes.path, as: identity) {
                request.headers.add(name: field.name.rawName, value: field.value)
            }
        }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        guard response.status == .ok else {
            let bytes = try await response.body.collect(upTo: 1 << 16)
            let problem = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
            return Stream(status: Int(response.status.code), problem: problem, body: nil)
        }
        let stream = Stream(status: 200, problem: [:], body: response.body.makeAsyncIterator())
        stream.headers = response.headers.map { ($0.name.lowercased(), $0.value) }
        return stream
    }

    /// The patient's events after `cursor`, oldest first, as the store holds them.
    static func stored(_ fixture: APIFixture, after cursor: String) async throws -> [String] {
        let page = try await fixture.node.events(subject: fixture.patient.id.hash.bytes, limit: 100)
        let after = try #require(EventCursor(cursor))
        return page.events.filter { $0.cursor > after }.reversed().map(\.cursor.description)
    }

    @Test func liveEventArrivesAndResumeReplaysExactlyTheMissedOnes() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (report, _) = try await fixture.submitReport()
        // Chunks of 2, so the replay below crosses chunk boundaries.
        let (base, server) = try await Self.serve(fixture, settings: EventStreamSettings(chunkEvents: 2))
        defer { server.cancel() }

        let stream = try await Self.open(base, fixture, as: fixture.patient)
        #expect(stream.status == 200)
        #expect(stream.headers.contains { $0 == ("content-type", "text/event-stream; charset=utf-8") })
        #expect(stream.headers.contains { $0 == ("access-control-allow-origin", "*") })
        #expect(try await stream.nextBlock() == ["retry: 3000"])
        // Live from now: the submission before the stream opened is not replayed.
        let read = try await fixture.commit(
            .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: fixture.patient)
        #expect(read.code == .ok)
        let live = try #require(try await stream.nextEvent())
        #expect(live.type == "access")
        #expect((live.data["event"] as? [String: Any])?["reader"] as? String == fixture.patient.id.hex)
        #expect((live.data["event"] as? [String: Any])?["report"] as? String == report.hex)
        #expect(live.data["height"] as? Int == Int(await fixture.node.height.rawValue))
        #expect(live.data["transaction"] as? String != nil)
        #expect(live.id == "\(live.data["height"]!).\(live.data["position"]!).\(live.data["eventIndex"]!)")

        // While disconnected: a denied read by the clinic, a grant, an allowed read.
        let grant = GrantID.randomConsentGrantID()
        try await fixture.commit(
            .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: fixture.clinicReader)
        let granted = try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: grant, patient: fixture.patient.id, grantee: fixture.clinicReader.id,
                    scope: .allReports, purpose: .treatment, validFrom: nil, validUntil: nil)),
            by: fixture.patient)
        #expect(granted.code == .ok)
        try await fixture.commit(
            .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: fixture.clinicReader)
        let missed = try await Self.stored(fixture, after: live.id)
        #expect(missed.count >= 3)

        let resumed = try await Self.open(base, fixture, as: fixture.patient, lastEventID: live.id)
        var replayed: [SSE] = []
        while replayed.count < missed.count, let event = try await resumed.nextEvent() { replayed.append(event) }
        #expect(replayed.map(\.id) == missed)
        #expect(replayed.map(\.type).contains("grant-changed"))
        #expect(replayed.filter { $0.type == "access" }.count == 2)
        // Then live again: the next event is the next commit's, nothing repeated.
        try await fixture.commit(
            .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: fixture.patient)
        let next = try #require(try await resumed.nextEvent())
        #expect(try await Self.stored(fixture, after: missed.last!) == [next.id])
    }

    @Test func streamsAreBoundedPerIdentityAndPerNode() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let settings = EventStreamSettings(streamsPerIdentity: 2, streamsPerNode: 3)
        let (base, server) = try await Self.serve(fixture, settings: settings)
        defer { server.cancel() }
        var open: [Stream] = []
        for _ in 0..<2 {
            let stream = try await Self.open(base, fixture, as: fixture.patient)
            #expect(stream.status == 200)
            _ = try await stream.nextBlock()
            open.append(stream)
        }
        let third = try await Self.open(base, fixture, as: fixture.patient)
        #expect(third.status == 429)
        #expect(third.problem["status"] as? Int == 429)
        let author = try await Self.open(base, fixture, as: fixture.author)
        #expect(author.status == 200)
        let stranger = try await Self.open(base, fixture, as: fixture.stranger)
        #expect(stranger.status == 503)
        #expect(stranger.problem["status"] as? Int == 503)
        withExtendedLifetime((open, author)) {}
    }

    @Test func keepAliveCommentsAndTheStreamEndsAfterItsMaximumDuration() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let settings = EventStreamSettings(
            streamsPerIdentity: 1, keepAlive: .milliseconds(100), maximumDuration: .milliseconds(700))
        let (base, server) = try await Self.serve(fixture, settings: settings)
        defer { server.cancel() }
        let stream = try await Self.open(base, fixture, as: fixture.patient)
        var comments: [String] = []
        let event = try await stream.nextEvent(comments: &comments)
        #expect(event == nil, "the stream ends by itself")
        #expect(comments.first == "retry: 3000")
        #expect(comments.contains(": keep-alive"))
        // Its slot is free again (per identity 1): a new stream opens.
        var status = 0
        for _ in 0..<50 where status != 200 {
            status = try await Self.open(base, fixture, as: fixture.patient).status
            if status != 200 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(status == 200)
    }

    @Test func malformedLastEventIDAndUnsignedRequestsAreRefused() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (base, server) = try await Self.serve(fixture, settings: EventStreamSettings())
        defer { server.cancel() }
        for bad in ["1.2", "a.b.c", "1.2.3.4", "-1.0.0", "99999999999999999999.0.0", ""] {
            let stream = try await Self.open(base, fixture, as: fixture.patient, lastEventID: bad)
            #expect(stream.status == 400, "\(bad)")
            #expect(stream.problem["field"] as? String == "Last-Event-ID", "\(bad)")
        }
        let unsigned = try await Self.open(base, fixture, as: fixture.patient, sign: false)
        #expect(unsigned.status == 401)
    }

    @Test func officersAndAdministratorsAlsoFollowTheirOrganization() {
        func practitioner(_ roles: [Role]) -> IdentityRecord {
            let keys = IdentityKeys.generate(suite: .x25519)
            return IdentityRecord(
                id: keys.identityID, kind: .practitioner, signingKey: keys.publicSigningKey,
                encryptionKey: keys.publicEncryptionKey, organization: IdentityID(hash: .of([1])), roles: roles,
                registeredAt: 1)
        }
        let organization = IdentityID(hash: .of([1])).hash.bytes
        for roles: [Role] in [[.privacyOfficer], [.admin], [.reader, .admin]] {
            let record = practitioner(roles)
            #expect(EventStreamRoutes.subjects(of: record) == [record.id.hash.bytes, organization])
        }
        for roles: [Role] in [[.reader], [.author, .approver], []] {
            let record = practitioner(roles)
            #expect(EventStreamRoutes.subjects(of: record) == [record.id.hash.bytes])
        }
    }
}

/// The client half (`EventStreamClient`, what `medledger watch` runs) against the real stream.
@Suite struct EventStreamClientTests {
    @Test func clientReconnectsAfterTheStreamEndsAndMissesNothing() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (report, _) = try await fixture.submitReport()
        // Streams of 300 ms: the client must reconnect several times while events commit.
        let (base, server) = try await EventStreamTests.serve(
            fixture, settings: EventStreamSettings(maximumDuration: .milliseconds(300)))
        defer { server.cancel() }
        let gateway = HTTPGateway(baseURL: URL(string: base)!, me: fixture.patient)
        // Signed at the router's fixed clock.
        var client = EventStreamClient(gateway: gateway, me: fixture.patient)
        let now = fixture.now
        client.now = { now }
        let received = Received()
        let follower = Task {
            try await client.follow(from: "1.0.0", onEvent: { await received.add($0) }, onReconnect: { _ in })
        }
        defer { follower.cancel() }
        for _ in 0..<3 {
            try await fixture.commit(
                .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: fixture.patient)
            try await Task.sleep(for: .milliseconds(400))
        }
        let expected = try await EventStreamTests.stored(fixture, after: "1.0.0")
        var got: [String] = []
        for _ in 0..<100 {
            got = await received.ids
            if got.count >= expected.count { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(got == expected)
        let events = await received.events
        #expect(events.filter { $0.type == "access" }.count == 3)
        #expect(events.allSatisfy { $0.event != nil })
        let line = events.last!.line
        #expect(line.contains("access"))
        #expect(line.hasSuffix("[\(expected.last!)]"))
    }

    actor Received {
        var events: [StreamedEvent] = []
        var ids: [String] { events.map(\.id) }
        func add(_ event: StreamedEvent) { events.append(event) }
    }
}
