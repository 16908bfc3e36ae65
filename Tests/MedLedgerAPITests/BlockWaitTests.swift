import Foundation
import Hummingbird
import HummingbirdTesting
import MedLedgerCore
import MedLedgerTesting
import Testing

@testable import MedLedgerAPI

/// `GET /v1/blocks/{height}?wait=`: answered when the block commits, bounded in time and in
/// number, and refused with a 400 naming `wait` when the value is not 1-10000.
@Suite struct BlockWaitTests {
    /// What a finished request said.
    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let height: Int?
        let field: String?
        let detail: String?
    }

    static func get(_ uri: String, _ client: some TestClientProtocol) async throws -> Answer {
        try await client.execute(uri: uri, method: .get) { response in
            Answer(
                status: response.status, height: response.json["height"] as? Int,
                field: response.json["field"] as? String, detail: response.json["detail"] as? String)
        }
    }

    /// Returns once `count` requests are parked on the node's height feed.
    /// The bound is generous: with the whole suite running, a task can take seconds to start.
    static func untilWaiting(_ count: Int, _ fixture: APIFixture) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while fixture.node.heights.waiting < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(fixture.node.heights.waiting == count)
    }

    @Test func aWaitingRequestGetsTheBlockAsItCommits() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let waiting = Task { try await Self.get("/v1/blocks/1?wait=10000", client) }
            try await Self.untilWaiting(1, fixture)
            try await fixture.produceBlock()
            let answer = try await waiting.value
            // The request was parked before the block existed, and a wait that runs out is a
            // 404: a 200 with the block is the commit's answer. (No wall-clock bound: under a
            // full test run the tasks' scheduling alone took 24 s once.)
            #expect(answer.status == .ok)
            #expect(answer.height == 1)
            #expect(fixture.node.heights.waiting == 0)
            // A committed block is answered at once, wait or not.
            #expect(try await Self.get("/v1/blocks/1?wait=1", client).status == .ok)
        }
    }

    @Test func aWaitWithoutACommitEndsIn404() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let answer = try await Self.get("/v1/blocks/1?wait=30", client)
            #expect(answer.status == .notFound)
            #expect(answer.field == "height")
            #expect(answer.detail == "no block at height 1 yet")
            #expect(fixture.node.heights.waiting == 0)
            // A block further ahead than the next one is waited for the same way.
            try await fixture.produceBlock()
            #expect(try await Self.get("/v1/blocks/5?wait=20", client).status == .notFound)
        }
    }

    @Test(arguments: ["0", "10001", "99999", "123456", "abc", "-5", "1e3", "", " 5", "18446744073709551617"])
    func aWaitOutsideItsRangeIsNamed(_ wait: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let query = wait.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? wait
            let answer = try await Self.get("/v1/blocks/1?wait=\(query)", client)
            #expect(answer.status == .badRequest)
            #expect(answer.field == "wait")
            #expect(fixture.node.heights.waiting == 0)
        }
    }

    @Test func oneWaitPastTheLimitIs503AndASlotComesBack() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let app = Application(router: buildRouter(node: fixture.node, clock: { fixture.now }, blockWaitLimit: 1))
        try await app.test(.router) { client in
            let waiting = Task { try await Self.get("/v1/blocks/1?wait=10000", client) }
            try await Self.untilWaiting(1, fixture)
            let refused = try await Self.get("/v1/blocks/1?wait=10000", client)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.field == "wait")
            #expect(fixture.node.heights.waiting == 1)
            try await fixture.produceBlock()
            #expect(try await waiting.value.status == .ok)
            // The slot is free again: the next wait runs to its end rather than being refused.
            #expect(try await Self.get("/v1/blocks/2?wait=20", client).status == .notFound)
        }
    }
}
