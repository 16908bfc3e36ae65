import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

/// One worker's practitioners: an author and an approver of the first organization, and a
/// reader the patients grant access to (of the second organization when there is one, so
/// the read goes through the grant rather than the care relationship).
struct MixedStaff: Sendable {
    let author: ClientIdentity
    let approver: ClientIdentity
    let reader: ClientIdentity

    /// Registers `count` workers' staff before the load (not timed). Each organization's admin
    /// submits its registrations with consecutive nonces in one batch, then waits for all,
    /// so setup takes a few blocks rather than one block per practitioner.
    static func register(
        count: Int, organizations: [ClientIdentity], node: URL, genesis: Genesis
    ) async throws -> [MixedStaff] {
        let staff = (0..<count).map { index in
            MixedStaff(
                author: ClientIdentity(label: "author\(index)", keys: .generate()),
                approver: ClientIdentity(label: "approver\(index)", keys: .generate()),
                reader: ClientIdentity(label: "reader\(index)", keys: .generate()))
        }
        let lab = organizations[0]
        let clinic = organizations.count > 1 ? organizations[1] : lab
        var byOrganization: [(ClientIdentity, [(ClientIdentity, Role)])] = [
            (lab, staff.flatMap { [($0.author, Role.author), ($0.approver, .approver)] })
        ]
        let readers = staff.map { ($0.reader, Role.reader) }
        if clinic.id == lab.id { byOrganization[0].1 += readers } else { byOrganization.append((clinic, readers)) }
        for (admin, people) in byOrganization {
            try await registerAll(people, by: admin, node: node, genesis: genesis)
        }
        return staff
    }

    private static func registerAll(
        _ people: [(ClientIdentity, Role)], by admin: ClientIdentity, node: URL, genesis: Genesis
    ) async throws {
        let gateway = HTTPGateway(baseURL: node, me: admin, trustAnchor: genesis)
        let first = try await gateway.nextNonce(for: admin.id).rawValue
        let transactions = people.enumerated().map { offset, entry in
            let (person, role) = entry
            return Transaction(
                chainID: genesis.chainID, signer: admin.id, keys: admin.keys, nonce: Nonce(first + UInt64(offset)),
                payload: .registerPractitioner(
                    RegisterPractitioner(
                        organization: admin.id, signingKey: person.keys.publicSigningKey,
                        encryptionKey: person.keys.publicEncryptionKey, roles: [role])))
        }
        // One batch, so the nonces travel in order: sent one by one they can reach another
        // proposer out of order, and a block with a later nonce makes the earlier ones stale.
        let refused = try await BenchHTTP(nodes: [node]).submit(batch: transactions[...], node: 0)
        guard refused.isEmpty else {
            throw ClientError.integrity(
                "the node refused \(refused.count) of \(admin.label)'s practitioner registrations")
        }
        let hashes = transactions.map(\.hash)
        for hash in hashes {
            let committed = try await gateway.waitForCommit(hash)
            guard committed.receipt.code.isSuccess else { throw ClientError.rejected(committed.receipt) }
        }
    }
}
