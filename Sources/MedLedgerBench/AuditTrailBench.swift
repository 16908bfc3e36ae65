import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

/// How fast a patient's access trail is served (issue 11, item 6): the patient, signing its
/// requests, reads its trail through `GET /v1/patients/{id}/audit` in the largest pages the
/// API gives (`PageLimits.maxItems`), newest first, to the oldest event, as the client
/// library does. Timed end to end (request signing, the node's index query and JSON, the
/// client's decoding of every event), several times; the figures are the median run.
///
/// Then the same trail as one export (`GET /v1/patients/{id}/audit/export`, canonical
/// records): the time from the signed request to the body's last byte (what the node
/// serves, undecoded), and apart from it the client's decoding and checking of the records.
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
        /// The newest page at the API's default size (`PageLimits.defaultItems`): what the
        /// portal shows a patient first.
        public let defaultPageMedianMilliseconds: Double
        /// The export: its events and bytes, request to last byte (median, best), and the
        /// client's decode of the body (median).
        public let export: ExportFigures

        public struct ExportFigures: Sendable {
            public let events: Int
            public let bytes: Int
            public let wireMedianMilliseconds: Double
            public let wireBestMilliseconds: Double
            public let decodeMedianMilliseconds: Double
        }

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
                    format: "  one page of %d: newest %.1f ms, oldest %.1f ms; newest page of %d: %.1f ms (medians)",
                    PageLimits.maxItems, firstPageMedianMilliseconds, lastPageMedianMilliseconds,
                    PageLimits.defaultItems, defaultPageMedianMilliseconds),
                String(
                    format:
                        "  export (one body, %d events, %d bytes): request to last byte median %.1f ms, best %.1f ms; "
                        + "client decode %.1f ms (medians)",
                    export.events, export.bytes, export.wireMedianMilliseconds, export.wireBestMilliseconds,
                    export.decodeMedianMilliseconds),
            ]
        }

        public var resultLine: String {
            String(
                format:
                    "RESULT_AUDIT events=%d pages=%d whole_trail_ms=%.1f whole_trail_best_ms=%.1f first_page_ms=%.1f last_page_ms=%.1f default_page_ms=%.1f export_events=%d export_bytes=%d export_wire_ms=%.1f export_wire_best_ms=%.1f export_decode_ms=%.1f",
                events, pages, wholeTrailMedianMilliseconds, wholeTrailBestMilliseconds, firstPageMedianMilliseconds,
                lastPageMedianMilliseconds, defaultPageMedianMilliseconds, export.events, export.bytes,
                export.wireMedianMilliseconds, export.wireBestMilliseconds, export.decodeMedianMilliseconds)
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
        var defaults = [Double]()
        var shape = (events: 0, pages: 0)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let walked = try await walk(gateway)
            wholes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            firsts.append(walked.pageMilliseconds.first ?? 0)
            lasts.append(walked.lastFullPageMilliseconds)
            shape = (walked.events, walked.pageMilliseconds.count)
            let pageStart = DispatchTime.now().uptimeNanoseconds
            _ = try await gateway.accessTrail(ofPatient: patient.id, caller: patient, page: PageRequest())
            defaults.append(Double(DispatchTime.now().uptimeNanoseconds - pageStart) / 1e6)
        }
        let export = try await timeExport(gateway, expectedEvents: shape.events)
        return Result(
            events: shape.events, pages: shape.pages, runs: runs,
            wholeTrailMedianMilliseconds: Self.median(wholes), wholeTrailBestMilliseconds: wholes.min() ?? 0,
            firstPageMedianMilliseconds: Self.median(firsts), lastPageMedianMilliseconds: Self.median(lasts),
            defaultPageMedianMilliseconds: Self.median(defaults), export: export)
    }

    /// The export, `runs` times after one untimed download: the body on the wire, then its
    /// decode, timed apart. Refuses an export whose event count differs from the pages'.
    private func timeExport(_ gateway: HTTPGateway, expectedEvents: Int) async throws -> Result.ExportFigures {
        let first = try await gateway.auditTrailExportBytes(ofPatient: patient.id, caller: patient)
        let trail = try HTTPGateway.decodeAuditTrailExport(first, patient: patient.id)
        guard trail.events.count == expectedEvents else {
            throw BenchError("the export holds \(trail.events.count) events, the JSON pages \(expectedEvents)")
        }
        var wires = [Double]()
        var decodes = [Double]()
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let bytes = try await gateway.auditTrailExportBytes(ofPatient: patient.id, caller: patient)
            wires.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            let decodeStart = DispatchTime.now().uptimeNanoseconds
            let decoded = try HTTPGateway.decodeAuditTrailExport(bytes, patient: patient.id)
            decodes.append(Double(DispatchTime.now().uptimeNanoseconds - decodeStart) / 1e6)
            guard decoded.events.count == trail.events.count else {
                throw BenchError("the export changed between runs on an idle chain")
            }
        }
        return Result.ExportFigures(
            events: trail.events.count, bytes: first.count, wireMedianMilliseconds: Self.median(wires),
            wireBestMilliseconds: wires.min() ?? 0, decodeMedianMilliseconds: Self.median(decodes))
    }

    /// Reads every page; returns the event count, each page's time, and the time of the
    /// oldest page that held events (a trail of a multiple of the page size ends with an
    /// empty page, which says nothing about the deepest cursor).
    private func walk(_ gateway: HTTPGateway) async throws -> (
        events: Int, pageMilliseconds: [Double], lastFullPageMilliseconds: Double
    ) {
        var cursor: String?
        var events = 0
        var times = [Double]()
        var lastFull = 0.0
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            let page = try await gateway.accessTrail(
                ofPatient: patient.id, caller: patient, page: PageRequest(cursor: cursor, limit: PageLimits.maxItems))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if !page.items.isEmpty { lastFull = times[times.count - 1] }
            events += page.items.count
            cursor = page.nextCursor
            guard times.count <= 100_000 else { throw BenchError("the audit trail does not end") }
        } while cursor != nil
        return (events, times, lastFull)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
