import MedLedgerContracts
import MedLedgerCore
import Testing

/// `attest-blobs`: only validator nodes, only committed versions, only within the storage
/// policy, all or nothing; the attestation is state (and so under the state root).
@Suite struct ContractEngineAttestationTests {
    let r1 = Ledger.reportID(1)
    let r2 = Ledger.reportID(2)

    func attest(_ holdings: [BlobHolding]) -> TransactionPayload { .attestBlobs(AttestBlobs(holdings: holdings)) }

    @Test func aValidatorNodeAttestsHeldVersionsIntoState() throws {
        var cast = Cast()
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        #expect(cast.ledger.submit(r2, patient: cast.patient, author: cast.authorA).code == .ok)
        let before = cast.ledger.root()
        let holdings = [BlobHolding(report: r1, version: 1), BlobHolding(report: r2, version: 1)].sorted()
        let receipt = cast.ledger.apply(cast.ledger.validator, attest(holdings))
        #expect(receipt.code == .ok)
        for holding in holdings {
            let record = cast.ledger.state.blobHolders(holding)
            #expect(record.holders == [BlobHolder(node: cast.ledger.validator.id, attestedAt: cast.ledger.time)])
        }
        #expect(cast.ledger.root() != before, "attestations are under the state root")
        // Attesting again renews the time, it does not add a second entry.
        cast.ledger.time = cast.ledger.time.adding(milliseconds: 5_000)
        #expect(cast.ledger.apply(cast.ledger.validator, attest([holdings[0]])).code == .ok)
        #expect(cast.ledger.state.blobHolders(holdings[0]).holders.map(\.attestedAt) == [cast.ledger.time])
    }

    @Test func onlyNodesAttest() {
        var cast = Cast()
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        let receipt = cast.ledger.apply(cast.authorA, attest([BlobHolding(report: r1, version: 1)]))
        #expect(receipt.code == .wrongKind && receipt.facts == [.kind(.node)])
        #expect(cast.ledger.state.blobHolders(BlobHolding(report: r1, version: 1)).holders.isEmpty)
    }

    @Test func listsAreNonEmptyStrictlySortedAndNameCommittedVersionsOnly() {
        var cast = Cast()
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        let node = cast.ledger.validator
        #expect(cast.ledger.apply(node, attest([])).facts == [.field(.holdings), .problem(.empty)])
        let twice = [BlobHolding(report: r1, version: 1), BlobHolding(report: r1, version: 1)]
        #expect(cast.ledger.apply(node, attest(twice)).facts == [.field(.holdings), .problem(.notSortedSet)])
        #expect(cast.ledger.apply(node, attest([BlobHolding(report: r1, version: 2)])).code == .unknownVersion)
        // All or nothing: a good version before an unknown report is not recorded either.
        let mixed = [BlobHolding(report: r1, version: 1), BlobHolding(report: r2, version: 1)].sorted()
        #expect(cast.ledger.apply(node, attest(mixed)).code == .unknownReport)
        #expect(cast.ledger.state.blobHolders(BlobHolding(report: r1, version: 1)).holders.isEmpty)
    }

    @Test func aNodeOutsideTheOrganizationsStoragePolicyCannotAttest() {
        // Organization A's blobs may only be held by organization B's nodes; the one
        // validator is run by organization C.
        var cast = Cast(
            Ledger { validator, orgs in
                GenesisStorage(
                    nodes: [NodeAffiliation(node: validator, organization: orgs[2])],
                    policies: [StoragePolicy(organization: orgs[0], holderOrganizations: [orgs[1]])])
            })
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        let receipt = cast.ledger.apply(cast.ledger.validator, attest([BlobHolding(report: r1, version: 1)]))
        #expect(receipt.code == .wrongOrganization)
        #expect(receipt.facts.contains(.organization(cast.ledger.orgA.id)))
        // Organization B's reports are not restricted.
        #expect(cast.ledger.submit(r2, patient: cast.patient, author: cast.authorB).code == .ok)
        #expect(cast.ledger.apply(cast.ledger.validator, attest([BlobHolding(report: r2, version: 1)])).code == .ok)
    }

    @Test func attestationsSurviveAStateReload() throws {
        var cast = Cast()
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        #expect(cast.ledger.apply(cast.ledger.validator, attest([BlobHolding(report: r1, version: 1)])).code == .ok)
        var entries = [(key: [UInt8], value: [UInt8])]()
        for key in [StateKey.blobHolders(r1, 1), .reportVersion(r1, 1), .report(r1)] {
            entries.append((key.bytes, try #require(cast.ledger.state.encodedValue(key))))
        }
        let reloaded = try LedgerState.load(entries: entries)
        #expect(reloaded.blobHolders(BlobHolding(report: r1, version: 1)).holds(cast.ledger.validator.id))
        #expect(StateKey(bytes: StateKey.blobHolders(r1, 1).bytes) == .blobHolders(r1, 1))
    }
}
