import ArgumentParser
import Foundation
import MedLedgerAPIModel
import MedLedgerBench
import MedLedgerCore

/// `bench --audit-patient FILE --node URL --genesis FILE`: how fast a patient's access trail
/// is served (`AuditTrailBench`).
extension BenchCommand {
    func validateAuditTrail() throws {
        guard let first = node.first, let url = URL(string: first), url.scheme == "http", url.host != nil else {
            throw ValidationError("--audit-patient needs --node URL (an http URL of a running node)")
        }
        guard let genesis, FileManager.default.fileExists(atPath: genesis) else {
            throw ValidationError("--audit-patient needs --genesis FILE (the network's genesis.json)")
        }
        guard let auditPatient, FileManager.default.fileExists(atPath: auditPatient) else {
            throw ValidationError("--audit-patient \(auditPatient ?? "") does not exist")
        }
    }

    func runAuditTrail(patientKey: String) async throws {
        let anchor: Genesis
        let keys: IdentityKeys
        do {
            anchor = try Genesis.load(from: URL(fileURLWithPath: genesis ?? ""))
            keys = try KeyFile.load(URL(fileURLWithPath: patientKey)).keys()
        } catch {
            throw CLIError("bench --audit-patient: cannot read the genesis or the key file: \(error)")
        }
        do {
            let result = try await AuditTrailBench(
                node: URL(string: node[0])!, genesis: anchor, patient: ClientIdentity(label: "patient", keys: keys)
            ).run()
            for line in result.summaryLines { print(line) }
            print(result.resultLine)
        } catch {
            throw CLIError("bench --audit-patient failed: \(error)")
        }
    }
}
