import Foundation
import MedLedgerCore
import Testing

/// The genesis storage section: old genesis files keep their hash, and every node computes
/// the same holders for a blob, within its organization's storage policy.
@Suite struct GenesisStorageTests {
    let nodes = (0..<4).map { IdentityKeys.deterministic(seed: "storage-node-\($0)") }
    let orgs = (0..<4).map { IdentityKeys.deterministic(seed: "storage-org-\($0)") }

    func genesis(_ storage: GenesisStorage?) -> Genesis {
        Genesis(
            chainID: "storage-test", genesisTime: ConsensusTime(milliseconds: 1_795_000_000_000),
            validators: nodes.enumerated().map {
                Validator(
                    name: "node\($0.offset)", signingKey: $0.element.publicSigningKey,
                    encryptionKey: $0.element.publicEncryptionKey, power: 1)
            },
            organizations: orgs.enumerated().map {
                GenesisOrganization(
                    name: "org\($0.offset)", signingKey: $0.element.publicSigningKey,
                    encryptionKey: $0.element.publicEncryptionKey)
            }, storage: storage)
    }

    func storage(replicas: UInt32? = nil, policies: [StoragePolicy] = []) -> GenesisStorage {
        GenesisStorage(
            replicas: replicas,
            nodes: zip(nodes, orgs).map { NodeAffiliation(node: $0.0.identityID, organization: $0.1.identityID) },
            policies: policies)
    }

    @Test func aGenesisWithoutStorageEncodesAsBeforeAndDecodesFromOldJSON() throws {
        let old = genesis(nil)
        var encoder = CanonicalEncoder()
        encoder.write("medledger/genesis/v1")
        encoder.write(old.chainID)
        encoder.write(old.genesisTime)
        encoder.write(array: old.validators)
        encoder.write(array: old.organizations)
        encoder.write(old.custodyThreshold)
        #expect(old.canonicalBytes == encoder.bytes, "a genesis without storage encodes as it did before")
        let json = try JSONEncoder().encode(old)
        #expect(!String(decoding: json, as: UTF8.self).contains("\"storage\""))
        #expect(try Genesis.decode(json: json) == old)
        #expect(old.blobHolders(address: Hash256.of([1]), organization: orgs[0].identityID).count == 4)
    }

    @Test func storageSurvivesCanonicalAndJSONRoundTrips() throws {
        let withStorage = genesis(
            storage(
                replicas: 2,
                policies: [.init(organization: orgs[0].identityID, holderOrganizations: [orgs[1].identityID])]))
        #expect(withStorage.problem() == nil)
        #expect(try Genesis.decode(canonical: withStorage.canonicalBytes) == withStorage)
        #expect(try Genesis.decode(json: JSONEncoder().encode(withStorage)) == withStorage)
        #expect(withStorage.hash != genesis(nil).hash)
    }

    @Test func holdersAreTheFirstReplicasEligibleNodesAndStayWithinThePolicy() {
        let policy = StoragePolicy(
            organization: orgs[0].identityID, holderOrganizations: [orgs[0].identityID, orgs[2].identityID])
        let chain = genesis(storage(replicas: 3, policies: [policy]))
        let allowed = Set([nodes[0].identityID, nodes[2].identityID])
        for seed in 0..<50 {
            let address = Hash256.of([UInt8(seed)])
            let restricted = chain.blobHolders(address: address, organization: orgs[0].identityID)
            #expect(Set(restricted) == allowed, "replicas are capped by the eligible nodes")
            let free = chain.blobHolders(address: address, organization: orgs[1].identityID)
            #expect(free.count == 3 && Set(free).count == 3)
            #expect(free == chain.blobHolders(address: address, organization: orgs[1].identityID), "deterministic")
        }
        #expect(Set(chain.eligibleHolders(organization: orgs[0].identityID)) == allowed)
        #expect(chain.eligibleHolders(organization: orgs[3].identityID).count == 4)
    }

    @Test func storageJSONMayLeaveMembersOut() throws {
        let minimal = try JSONDecoder().decode(GenesisStorage.self, from: Data(#"{"replicas": 2}"#.utf8))
        #expect(minimal == GenesisStorage(replicas: 2))
        let everyone = try JSONDecoder().decode(GenesisStorage.self, from: Data("{}".utf8))
        #expect(genesis(everyone).blobHolders(address: Hash256.of([9]), organization: orgs[0].identityID).count == 4)
    }

    @Test func badStorageSectionsAreNamed() {
        #expect(genesis(storage(replicas: 0)).problem()?.hasPrefix("storage.replicas") == true)
        let stranger = GenesisStorage(nodes: [
            NodeAffiliation(node: orgs[0].identityID, organization: orgs[0].identityID)
        ])
        #expect(genesis(stranger).problem()?.hasPrefix("storage.nodes") == true)
        let empty = storage(policies: [.init(organization: orgs[0].identityID, holderOrganizations: [])])
        #expect(genesis(empty).problem()?.hasPrefix("storage.policies") == true)
    }
}
