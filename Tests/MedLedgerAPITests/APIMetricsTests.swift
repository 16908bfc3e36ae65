import HummingbirdTesting
import MedLedgerCore
import MedLedgerNode
import Prometheus
import Testing

/// `GET /metrics` through swift-metrics and swift-prometheus: what a scraper reads.
@Suite struct APIMetricsTests {
    /// Scrapes `/metrics` and parses it strictly.
    static func scrape(_ client: some TestClientProtocol) async throws -> PrometheusExposition {
        try await client.execute(uri: "/metrics", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.contentType == "text/plain; version=0.0.4; charset=utf-8")
            return try PrometheusExposition(String(decoding: response.bytes, as: UTF8.self))
        }
    }

    @Test func aServedResponseIncrementsItsStatusCounter() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let before = try await Self.scrape(client)
            #expect(before.types["medledger_http_requests_total"] == nil, "no response counted before the first")
            try await client.execute(uri: "/v1/status", method: .get)
            let after = try await Self.scrape(client)
            #expect(after.types["medledger_http_requests_total"] == "counter")
            // The status request and the first scrape; a scrape is counted after its own text.
            #expect(after.value("medledger_http_requests_total", ["status": "200"]) == 2)
            #expect(after.value("medledger_http_requests_total", ["status": "404"]) == nil)
            try await client.execute(uri: "/v1/blocks/99", method: .get)
            let third = try await Self.scrape(client)
            #expect(third.value("medledger_http_requests_total", ["status": "200"]) == 3)
            #expect(third.value("medledger_http_requests_total", ["status": "404"]) == 1)
        }
    }

    @Test func responsesAreTimedByMethodAndRoutePattern() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.produceBlock()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blocks/1", method: .get)
            try await client.execute(uri: "/v1/blocks/1", method: .get)
            try await client.execute(uri: "/nope", method: .get)
            let metrics = try await Self.scrape(client)
            let name = "medledger_http_request_duration_seconds"
            #expect(metrics.types[name] == "histogram")
            let route = ["method": "GET", "route": "/v1/blocks/{height}"]
            #expect(metrics.value(name + "_count", route) == 2)
            #expect(metrics.value(name + "_bucket", route.merging(["le": "+Inf"]) { $1 }) == 2)
            #expect((metrics.value(name + "_sum", route) ?? -1) >= 0)
            // Unknown paths share one label, so probing cannot grow the label set.
            #expect(metrics.value(name + "_count", ["method": "GET", "route": "NotFound"]) == 1)
            #expect(!metrics.samples.contains { $0.labels["route"] == "/nope" })
        }
    }

    @Test func stateGaugesAreSampledAtScrapeTime() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            #expect(try await Self.scrape(client).value("medledger_block_height") == 0)
            try await fixture.produceBlock()
            try await fixture.produceBlock()
            let metrics = try await Self.scrape(client)
            #expect(metrics.types["medledger_block_height"] == "gauge")
            #expect(metrics.value("medledger_block_height") == 2)
            #expect(metrics.value("medledger_mempool_transactions") == 0)
        }
    }

    @Test func theNodesCountersShareTheRoutersRegistry() async throws {
        let registry = PrometheusCollectorRegistry()
        let fixture = try APIFixture.make(metrics: NodeMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        defer { fixture.cleanUp() }
        try await fixture.produceBlock()
        try await fixture.produceBlock()
        try await fixture.app(metrics: registry).test(.router) { client in
            let metrics = try await Self.scrape(client)
            #expect(metrics.types["medledger_blocks_committed_total"] == "counter")
            #expect(metrics.value("medledger_blocks_committed_total") == 2)
            #expect(metrics.value("medledger_transactions_committed_total") == 0)
        }
    }

    /// Each step of a block is timed, and a client's transaction by how long it waited in
    /// the mempool, in buckets fine enough to tell a 60 ms block from a 75 ms one.
    @Test func blockStepsAndTransactionWaitsAreTimed() async throws {
        let registry = PrometheusCollectorRegistry()
        let fixture = try APIFixture.make(metrics: NodeMetrics(prometheus: registry))
        defer { fixture.cleanUp() }
        try await fixture.produceBlock()
        try await fixture.commit(.registerPatient(RegisterPatient(keys: fixture.patient.keys)), by: fixture.patient)
        try await fixture.app(metrics: registry).test(.router) { client in
            let metrics = try await Self.scrape(client)
            for name in NodeMetrics.timerLabels { #expect(metrics.types[name] == "histogram", "\(name)") }
            #expect(metrics.value("medledger_block_build_seconds_count") == 2)
            #expect(metrics.value("medledger_block_commit_seconds_count") == 2)
            // Two commits in this process make one interval; no proposal came from a peer.
            #expect(metrics.value("medledger_block_interval_seconds_count") == 1)
            #expect(metrics.value("medledger_block_check_seconds_count") == 0)
            let wait = "medledger_transaction_wait_seconds"
            #expect(metrics.value(wait + "_count", ["source": "client"]) == 1)
            #expect(metrics.value(wait + "_count", ["source": "peer"]) == 0)
            #expect(metrics.value(wait + "_bucket", ["source": "client", "le": "0.06"]) != nil)
            #expect(metrics.value(wait + "_bucket", ["source": "client", "le": "+Inf"]) == 1)
        }
    }

    /// Nothing is bootstrapped process-wide: two routers in one process count apart.
    @Test func routersCountApart() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/v1/status", method: .get) }
        }
        try await fixture.app().test(.router) { client in
            let metrics = try await Self.scrape(client)
            #expect(metrics.value("medledger_http_requests_total", ["status": "200"]) == nil)
        }
    }
}
