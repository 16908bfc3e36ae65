import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

/// One worker of the mixed workload: repeats a patient's episode against its home node,
/// with the other nodes as custodians for reads. Its staff are its own, so no two workers
/// race for a signer's nonces.
struct MixedEpisode: Sendable {
    static let category = Code("LAB")!
    /// A worker stops after this many failed episodes, so a broken network ends the run
    /// rather than spinning through the duration.
    static let maxFailures = 3

    let staff: MixedStaff
    let nodes: [URL]
    let home: Int
    let genesis: Genesis
    let body: [UInt8]
    let recorder: OperationRecorder

    func repeatUntil(end: UInt64, maxEpisodes: Int?) async {
        var failures = 0
        while failures < Self.maxFailures, await recorder.claimEpisode(end: end, maxEpisodes: maxEpisodes) {
            do {
                try await once()
                await recorder.completed()
            } catch {
                failures += 1
                await recorder.failed(error)
            }
        }
    }

    /// Register, submit, approve, grant, read with key release, audit: one new patient.
    func once() async throws {
        let patient = ClientIdentity(label: "patient", keys: .generate())
        let patientClient = client(patient)
        try await timed(.registration) { try await patientClient.registerSelfAsPatient() }
        let draft = ReportDraft(title: "Complete blood count", effectiveDate: "2026-11-30", body: body)
        let (report, _) = try await timed(.submission) {
            try await client(staff.author).submitReport(patient: patient.id, category: Self.category, draft: draft)
        }
        try await timed(.approval) { try await client(staff.approver).approve(report, version: 1) }
        _ = try await timed(.grant) {
            try await patientClient.grant(
                patient: patient.id, to: staff.reader.id, scope: .categories([Self.category]), purpose: .treatment)
        }
        let read = try await timed(.read) {
            try await client(staff.reader).read(report, version: 1, purpose: .treatment)
        }
        guard let opened = read.report else { throw ClientError.rejected(read.receipt.receipt) }
        guard opened.plaintext == body else {
            throw ClientError.integrity("the read report differs from the submitted")
        }
        let trail = try await timed(.audit) {
            try await patientClient.gateway.accessTrail(ofPatient: patient.id, caller: patient, page: PageRequest())
        }
        guard trail.items.contains(where: { if case .access = $0.event { true } else { false } }) else {
            throw ClientError.notFound("the read in the patient's audit trail")
        }
    }

    /// A client on the home node that asks the other nodes for key shares.
    private func client(_ identity: ClientIdentity) -> LedgerClient {
        let gateways = nodes.map { HTTPGateway(baseURL: $0, me: identity, trustAnchor: genesis) }
        return LedgerClient(
            gateway: gateways[home], me: identity,
            otherCustodians: gateways.indices.filter { $0 != home }.map { gateways[$0] })
    }

    /// Runs `body` and records how long it took under `operation`.
    @discardableResult
    private func timed<T>(_ operation: MixedOperation, _ body: () async throws -> T) async throws -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try await body()
        await recorder.record(operation, nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        return value
    }
}
