import Foundation
import Testing
import MedLedgerCore

@Suite struct GenesisTests {
    let genesis = GoldenFixtures.genesis

    @Test func validGenesisHasNoProblem() {
        #expect(genesis.problem() == nil)
    }

    @Test func hashIsSHA256OfCanonicalBytesWithDomainTag() {
        #expect(genesis.hash == Hash256.of(genesis.canonicalBytes))
        #expect(Array(genesis.canonicalBytes.prefix(24)) == T.str("medledger/genesis/v1"))
        let other = Genesis(
            chainID: "other-chain", genesisTime: genesis.genesisTime, validators: genesis.validators,
            organizations: genesis.organizations)
        #expect(other.hash != genesis.hash)
    }

    @Test func problemsAreFound() {
        let v = genesis.validators[0]
        let o = genesis.organizations[0]
        func make(
            chain: String = GoldenFixtures.chainID, validators: [Validator]? = nil,
            organizations: [GenesisOrganization]? = nil
        ) -> Genesis {
            Genesis(
                chainID: chain, genesisTime: genesis.genesisTime, validators: validators ?? [v],
                organizations: organizations ?? [o])
        }
        #expect(make(chain: "").problem() != nil)
        #expect(make(chain: "has space").problem() != nil)
        #expect(make(chain: String(repeating: "c", count: Limits.chainIDMaxBytes + 1)).problem() != nil)
        #expect(make(validators: []).problem() != nil)
        #expect(make(validators: [v, v]).problem() != nil)
        let zero = Validator(name: "z", signingKey: v.signingKey, encryptionKey: v.encryptionKey, power: 0)
        #expect(make(validators: [zero]).problem() != nil)
        #expect(make(organizations: [o, o]).problem() != nil)
        let orgIsValidator = GenesisOrganization(name: "x", signingKey: v.signingKey, encryptionKey: v.encryptionKey)
        #expect(make(organizations: [orgIsValidator]).problem() != nil)
        let unnamed = GenesisOrganization(name: "", signingKey: o.signingKey, encryptionKey: o.encryptionKey)
        #expect(make(organizations: [unnamed]).problem() != nil)
        #expect(make(organizations: []).problem() == nil)
    }

    @Test func jsonRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("genesis.json")
        try genesis.write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"genesisTime\" : \"2026-01-01T00:00:00.000Z\""))
        #expect(text.contains("\"chainId\" : \"medledger-golden\""))
        let loaded = try Genesis.load(from: url)
        #expect(loaded == genesis)
        #expect(loaded.hash == genesis.hash)
    }

    @Test func loadRejectsBadFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("genesis.json")
        try Data("{}".utf8).write(to: url)
        #expect(throws: GenesisError.self) { try Genesis.load(from: url) }
        let json = String(decoding: try JSONEncoder().encode(genesis), as: UTF8.self)
            .replacingOccurrences(of: "2026-01-01T00:00:00.000Z", with: "yesterday")
        try Data(json.utf8).write(to: url)
        #expect(throws: GenesisError.self) { try Genesis.load(from: url) }
        let empty = Genesis(chainID: "x", genesisTime: genesis.genesisTime, validators: [], organizations: [])
        try JSONEncoder().encode(empty).write(to: url)
        #expect(throws: GenesisError.self) { try Genesis.load(from: url) }
    }

    /// Every other domain-tagged type refuses a wrong tag; a genesis should too, so that its
    /// decode is the exact inverse of its encode.
    @Test
    func decodeRejectsWrongDomainTag() {
        var bytes = genesis.canonicalBytes
        bytes[4] = UInt8(ascii: "X")
        #expect(throws: CanonicalDecodingError.self) { try Genesis.decode(canonical: bytes) }
    }
}
