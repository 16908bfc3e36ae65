import Foundation
import MedLedgerCore

/// Seeds for the FHIR targets: the gateway's test fixtures (in the shape of the HL7 R4
/// examples, good and bad) as bodies, and the facade's queries and a signed client assertion.
func fhirSeeds(root: URL) -> [String: [(String, [UInt8])]] {
    var bodies: [(String, [UInt8])] = []
    for folder in ["Tests/FHIR/fixtures", "Tests/FHIR/fixtures-bad"] {
        let url = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".json") {
            let bytes = try! Data(contentsOf: url.appendingPathComponent(name))
            bodies.append((String(name.dropLast(".json".count)), Array(bytes)))
        }
    }

    let patient = Seeds.callerKeys.identityID.hex
    let queries = [
        ("reports", "patient=Patient/\(patient)&category=LAB&status=final,amended&date=ge2026-01-01&_count=5"),
        ("paging", "subject=\(patient)&_offset=20&_include=DiagnosticReport:subject&_format=json"),
        ("audit", "agent=Organization/\(patient)&outcome=4&date=lt2027-01-01T10:00:00.000Z"),
        ("registry", "_id=\(patient),\(patient)&identifier=urn:medledger:identity%7C\(patient)"),
        ("provenance", "target=DiagnosticReport/00112233445566778899aabbccddeeff/_history/2"),
        ("unsupported", "code:text=glucose&foo=%ZZ"),
    ]
    func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    let header = base64URL(Array(#"{"alg":"EdDSA","typ":"JWT"}"#.utf8))
    let claims = base64URL(
        Array(
            #"{"iss":"\#(patient)","sub":"\#(patient)","aud":"http://127.0.0.1:8080/fhir/auth/token","exp":1800000120,"jti":"seed"}"#
                .utf8))
    let signature = base64URL(Seeds.callerKeys.sign(Array("\(header).\(claims)".utf8)).rawBytes)
    let inputs =
        queries.map { ("query-\($0.0)", [0] + Array($0.1.utf8)) }
        + [("assertion", [1] + Array("\(header).\(claims).\(signature)".utf8))]
    return ["FuzzFHIRBody": bodies, "FuzzFHIRInput": inputs]
}
