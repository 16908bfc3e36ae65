import MedLedgerCore
import Testing

/// A certificate checked against one verified before (`problem(…, checked:)`): a node's own
/// certificate of its latest block lets it skip the precommits that a proposal's last commit
/// repeats, and nothing else.
@Suite struct CommitCertificateCheckedTests {
    let base = CommitCertificateTests()

    /// `entry` with its signature's last byte flipped: a forgery.
    func forged(_ entry: CommitSignature) -> CommitSignature {
        var bytes = entry.signature.rawBytes
        bytes[bytes.count - 1] ^= 1
        return CommitSignature(validator: entry.validator, time: entry.time, signature: Signature(rawBytes: bytes)!)
    }

    /// The skip is real: an entry repeated from the checked certificate is taken without
    /// verifying it, so a (deliberately broken) checked certificate's forgery passes, while
    /// the same certificate checked alone fails.
    @Test func entriesOfTheCheckedCertificateAreNotVerifiedAgain() throws {
        let set = base.validators()
        let header = base.header(validators: set)
        let entries = base.keys.prefix(3).map { base.sign($0, header: header) }
        let withForgery = base.certificate([forged(entries[0]), entries[1], entries[2]], header: header)
        let problem = try #require(withForgery.problem(chainID: base.chainID, header: header, validators: set))
        #expect(problem.contains("bad signature"))
        #expect(
            withForgery.problem(chainID: base.chainID, header: header, validators: set, checked: withForgery) == nil)
    }

    /// An entry the checked certificate does not hold, even from a validator it names, is
    /// verified: a forgery is refused.
    @Test func anEntryNotInTheCheckedCertificateIsVerified() throws {
        let set = base.validators()
        let header = base.header(validators: set)
        let entries = base.keys.map { base.sign($0, header: header) }
        let checked = base.certificate(Array(entries.prefix(3)), header: header)
        let extraForged = base.certificate(Array(entries.prefix(3)) + [forged(entries[3])], header: header)
        let problem = try #require(
            extraForged.problem(chainID: base.chainID, header: header, validators: set, checked: checked))
        #expect(problem.contains("bad signature"))
        let sameSignerForged = base.certificate([forged(entries[0]), entries[1], entries[2]], header: header)
        #expect(
            sameSignerForged.problem(chainID: base.chainID, header: header, validators: set, checked: checked) != nil)
        let otherSubset = base.certificate(Array(entries.suffix(3)), header: header)
        #expect(otherSubset.problem(chainID: base.chainID, header: header, validators: set, checked: checked) == nil)
    }

    /// A checked certificate of another round (or block) vouches for nothing here.
    @Test func aCheckedCertificateOfAnotherRoundIsIgnored() throws {
        let set = base.validators()
        let header = base.header(validators: set)
        let entries = base.keys.prefix(3).map { base.sign($0, header: header) }
        let withForgery = base.certificate([forged(entries[0]), entries[1], entries[2]], header: header)
        let otherRound = CommitCertificate(
            height: header.height, round: 1, blockHash: header.hash, signatures: withForgery.signatures)
        let problem = try #require(
            withForgery.problem(chainID: base.chainID, header: header, validators: set, checked: otherRound))
        #expect(problem.contains("bad signature"))
    }

    /// The other rules still hold for repeated entries: too little power is too little.
    @Test func repeatedEntriesStillNeedMoreThanTwoThirds() {
        let set = base.validators()
        let header = base.header(validators: set)
        let entries = base.keys.map { base.sign($0, header: header) }
        let checked = base.certificate(entries, header: header)
        let two = base.certificate(Array(entries.prefix(2)), header: header)
        #expect(two.problem(chainID: base.chainID, header: header, validators: set, checked: checked) != nil)
    }
}
