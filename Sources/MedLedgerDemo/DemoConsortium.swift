import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

/// The demo's identities and their private keys (fresh for every run).
struct DemoConsortium {
    let node: IdentityKeys
    let hospital: ClientIdentity
    let lab: ClientIdentity
    let clinic: ClientIdentity
    let labTechnician: ClientIdentity
    let pathologist: ClientIdentity
    let orderingPhysician: ClientIdentity
    let clinicPhysician: ClientIdentity
    /// St. Mary's privacy officer: sees the hospital's access log and the cases patients open.
    let privacyOfficer: ClientIdentity
    let patient: ClientIdentity

    static func generate() -> DemoConsortium {
        func person(_ label: String, _ suite: EncryptionSuite = .x25519) -> ClientIdentity {
            ClientIdentity(label: label, keys: .generate(suite: suite))
        }
        // The patient and the reading physician hold X-Wing keys (ADR 11), everyone else
        // X25519: the story then seals to both suites and a custodian re-seals across them.
        return DemoConsortium(
            node: .generate(), hospital: person("St. Mary's Hospital"), lab: person("Northside Laboratory"),
            clinic: person("Riverside Clinic"), labTechnician: person("lab technician Sam Okafor"),
            pathologist: person("pathologist Dr. Lena Brandt"),
            orderingPhysician: person("Dr. Priya Raman (St. Mary's)"),
            clinicPhysician: person("Dr. Tom Weller (Riverside Clinic)", .xwing),
            privacyOfficer: person("privacy officer Ana Silva (St. Mary's)"),
            patient: person("the patient", .xwing))
    }

    /// Saves every key file so a user can continue with the CLI after the demo.
    func writeKeys(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let all: [(String, ClientIdentity)] = [
            ("hospital", hospital), ("lab", lab), ("clinic", clinic), ("lab-technician", labTechnician),
            ("pathologist", pathologist), ("ordering-physician", orderingPhysician),
            ("clinic-physician", clinicPhysician), ("privacy-officer", privacyOfficer), ("patient", patient),
        ]
        for (file, identity) in all {
            try KeyFile(label: identity.label, keys: identity.keys, identity: identity.id)
                .write(to: folder.appendingPathComponent("\(file).json"))
        }
    }
}
