import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

extension AuditCommand {
    /// `audit --export FILE`: downloads the patient's whole trail as one export, checks every
    /// record (`AuditTrailExport.decode`), and writes the bytes as the node sent them, so the
    /// file is what a privacy officer keeps and can check again later.
    func writeExport(of patient: IdentityID, to path: String, me: ClientIdentity) async throws {
        let gateway = try options.gateway(options.node, me: me)
        let bytes = try await gateway.auditTrailExportBytes(ofPatient: patient, caller: me)
        let trail = try HTTPGateway.decodeAuditTrailExport(bytes, patient: patient)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write the export to \(path): \(error.localizedDescription)")
        }
        let denied = trail.events.filter {
            if case .access(_, _, _, _, _, let basis, _) = $0.event { !basis.isGranted } else { false }
        }.count
        print(
            "Wrote \(trail.events.count) access(es) to reports of patient \(patient.hex) (\(denied) denied), "
                + "as of block \(trail.height), \(bytes.count) bytes, to \(path)")
    }
}
