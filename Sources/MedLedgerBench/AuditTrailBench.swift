import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

/// How fast a patient's access trail is served (issue 11, item 6): the patient, signing its
/// requests, reads its trail through `GET /v1/patients/{id}/audit` in the largest pages the
/// API gives (`PageLimits.maxItems`), newest first, to the oldest event, as the client
/// library does. Timed end to end (request signing, the node's index query and JSON, the
/// client's decoding of every event), several times; the figures are the median run.
public struct AuditTrailBench: Sendable {
    public struct Result: Sendable {
        public let events: Int
        public let pages: Int
        public let runs: Int
        /// Whole trail, every page, median and fastest run.
        public let wholeTrailMedianMilliseconds: Double
        public let wholeTrailBestMilliseconds: Double
        /// One page of `PageLimits.maxItems`: the newest, and the oldest (deepest cursor).
        public let firstPageMedianMilliseconds: Double
        public let lastPageMedianMilliseconds: Double

        public var summaryLines: [String] {
            [
                String(
                    format: "audit trail: %d events in %d pages of up to %d, %d runs", events, pages,
                    PageLimits.maxItems, runs),
                String(
                    format: "  whole trail: median %.1f ms, best %.1f ms (%.0f events/s)",
                    wholeTrailMedianMilliseconds, wholeTrailBestMilliseconds,
                    Double(events) / max(wholeTrailMedianMilliseconds, 0.001) * 1_000),
                String(
                    format: "  one page of %d: newest %.1f ms, oldest %.1f ms (medians)", PageLimits.maxItems,
                    firstPageMedianMilliseconds, lastPageMedianMilliseconds),
            ]
        }

        public var resultLine: String {
            String(
                format:
                    "RESULT_AUDIT events=%d pages=%d whole_trail_ms=%.1f whole_trail_best_ms=%.1f first_page_ms=%.1f last_page_ms=%.1f",
                events, pages, wholeTrailMedianMilliseconds, wholeTrailBestMilliseconds, firstPageMedianMilliseconds,
                lastPageMedianMilliseconds)
        }
    }

    let node: URL
    let genesis: Genesis
    let patient: ClientIdentity
    let runs: Int

    public init(node: URL, genesis: Genesis, patient: ClientIdentity, runs: Int = 20) {
        precondition(runs >= 1)
        self.node = node
        self.genesis = genesis
        self.patient = patient
        self.runs = runs
    }

    public func run() async throws -> Result {
        let gateway = HTTPGateway(baseURL: node, me: patient, trustAnchor: genesis)
        // One untimed walk first: connections open, the node's pages in its cache.
        _ = try await walk(gateway)
        var wholes = [Double]()
        var firsts = [Double]()
        var lasts = [Double]()
        var shape = (events: 0, pages: 0)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let walked = try await walk(gateway)
            wholes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            firsts.append(walked.pageMilliseconds.first ?? 0)
            lasts.append(walked.pageMilliseconds.last ?? 0)
            shape = (walked.events, walked.pageMilliseconds.count)
        }
        return Result(
            events: shape.events, pages: shape.pages, runs: runs,
            wholeTrailMedianMilliseconds: Self.median(wholes), wholeTrailBestMilliseconds: wholes.min() ?? 0,
            firstPageMedianMilliseconds: Self.median(firsts), lastPageMedianMilliseconds: Self.median(lasts))
    }

    /// Reads every page; returns the event count and each page's time.
    private func walk(_ gateway: HTTPGateway) async throws -> (events: Int, pageMilliseconds: [Double]) {
        var cursor: String?
        var events = 0
        var times = [Double]()
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            let page = try await gateway.accessTrail(
                ofPatient: patient.id, caller: patient, page: PageRequest(cursor: cursor, limit: PageLimits.maxItems))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            events += page.items.count
            cursor = page.nextCursor
            guard times.count <= 100_000 else { throw BenchError("the audit trail does not end") }
        } while cursor != nil
        return (events, times)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }
}
