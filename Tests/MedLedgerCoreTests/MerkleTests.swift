import Foundation
import Testing
import MedLedgerCore

/// RFC 6962 reference data, as published with the Certificate Transparency implementations
/// (transparency-dev/merkle testonly constants): leaves, and the root for sizes 1...8.
enum CTVectors {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { Hex.decode($0)! }

    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static let emptyRoot = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// (0-based leaf index, tree size, audit path)
    static let inclusionProofs: [(index: Int, size: Int, path: [String])] = [
        (
            0, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        (
            5, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
    ]
}

@Suite struct MerkleTests {
    @Test func emptyTreeRootIsSHA256OfNothing() {
        #expect(Merkle.root(leaves: []).hex == CTVectors.emptyRoot)
        #expect(Merkle.root(leafHashes: []) == Hash256.empty)
        #expect(Hash256.empty.hex == CTVectors.emptyRoot)
    }

    @Test(arguments: 1...8)
    func rootMatchesCertificateTransparencyVector(size: Int) {
        #expect(Merkle.root(leaves: Array(CTVectors.leaves.prefix(size))).hex == CTVectors.roots[size - 1])
    }

    @Test func leafAndNodeHashesUseDomainPrefixes() {
        #expect(Merkle.leafHash([]).hex == CTVectors.roots[0])
        #expect(Merkle.leafHash([0x61]) == Hash256.of([0x00, 0x61]))
        let a = Merkle.leafHash([1])
        let b = Merkle.leafHash([2])
        #expect(Merkle.nodeHash(a, b) == Hash256.of([0x01] + a.bytes + b.bytes))
        #expect(Merkle.nodeHash(a, b) != Merkle.nodeHash(b, a))
    }

    @Test func splitIsTheLargestPowerOfTwoBelowTheCount() {
        let l = (0..<7).map { Merkle.leafHash([UInt8($0)]) }
        let n = Merkle.nodeHash
        #expect(Merkle.root(leafHashes: Array(l.prefix(3))) == n(n(l[0], l[1]), l[2]))
        #expect(Merkle.root(leafHashes: Array(l.prefix(5))) == n(n(n(l[0], l[1]), n(l[2], l[3])), l[4]))
        #expect(Merkle.root(leafHashes: l) == n(n(n(l[0], l[1]), n(l[2], l[3])), n(n(l[4], l[5]), l[6])))
    }

    @Test(arguments: 0..<CTVectors.inclusionProofs.count)
    func inclusionProofMatchesCertificateTransparencyVector(vector: Int) throws {
        let (index, size, expected) = CTVectors.inclusionProofs[vector]
        let leafHashes = CTVectors.leaves.prefix(size).map(Merkle.leafHash)
        let proof = Merkle.proof(leafHashes: Array(leafHashes), index: index)
        #expect(proof.path.map(\.hex) == expected)
        #expect(proof.leafIndex == UInt64(index))
        #expect(proof.treeSize == UInt64(size))
        let root = try #require(Hash256(hex: CTVectors.roots[size - 1]))
        #expect(proof.verifies(leafHash: leafHashes[index], root: root))
    }

    static func leafHashes(_ size: Int) -> [Hash256] {
        (0..<size).map { Merkle.leafHash(Array("leaf-\($0)".utf8)) }
    }

    @Test(arguments: 1...20)
    func everyProofVerifiesAndEveryTamperingFails(size: Int) {
        let leaves = Self.leafHashes(size)
        let root = Merkle.root(leafHashes: leaves)
        let other = Merkle.leafHash(Array("not a leaf".utf8))
        for index in 0..<size {
            let proof = Merkle.proof(leafHashes: leaves, index: index)
            #expect(proof.verifies(leafHash: leaves[index], root: root), "size \(size) index \(index)")

            // Modified leaf.
            #expect(!proof.verifies(leafHash: other, root: root))
            if size > 1 {
                #expect(!proof.verifies(leafHash: leaves[(index + 1) % size], root: root))
            }
            // Wrong root.
            #expect(!proof.verifies(leafHash: leaves[index], root: other))
            #expect(!proof.verifies(leafHash: leaves[index], root: .empty))

            // Modified path element (one bit in each).
            for element in proof.path.indices {
                var path = proof.path
                var bytes = path[element].bytes
                bytes[0] ^= 0x08
                path[element] = Hash256(bytes: bytes)!
                let tampered = MerkleProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: path)
                #expect(
                    !tampered.verifies(leafHash: leaves[index], root: root),
                    "size \(size) index \(index) element \(element)")
            }
            // Path with an element removed, added, or prepended.
            if !proof.path.isEmpty {
                let shorter = MerkleProof(
                    leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: proof.path.dropLast())
                #expect(!shorter.verifies(leafHash: leaves[index], root: root))
            }
            let longer = MerkleProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: proof.path + [root])
            #expect(!longer.verifies(leafHash: leaves[index], root: root))
            let prepended = MerkleProof(
                leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: [other] + proof.path)
            #expect(!prepended.verifies(leafHash: leaves[index], root: root))

            // Modified index.
            for wrongIndex in [index - 1, index + 1, index ^ 2, size, size + 5]
            where wrongIndex >= 0 && wrongIndex != index {
                let moved = MerkleProof(leafIndex: UInt64(wrongIndex), treeSize: proof.treeSize, path: proof.path)
                #expect(
                    !moved.verifies(leafHash: leaves[index], root: root), "size \(size) index \(index) as \(wrongIndex)"
                )
            }
            // Modified size. The root does not commit to the size: a size whose tree has the
            // same audit-path shape at this index still verifies (RFC 9162 verifiers bind the
            // size elsewhere, here the block header). Every other size must fail.
            for wrongSize in Set([size - 1, size + 1, size + 2, size * 2, size / 2, 0, index]) where wrongSize != size {
                let resized = MerkleProof(leafIndex: proof.leafIndex, treeSize: UInt64(wrongSize), path: proof.path)
                let sameShape =
                    index < wrongSize
                    && Self.pathShape(index: index, size: wrongSize) == Self.pathShape(index: index, size: size)
                if !sameShape {
                    #expect(
                        !resized.verifies(leafHash: leaves[index], root: root),
                        "size \(size) index \(index) as size \(wrongSize)")
                }
            }
        }
    }

    /// For each path element: whether the sibling is on the left, as RFC 6962 builds the path.
    static func pathShape(index: Int, size: Int) -> [Bool] {
        if size <= 1 { return [] }
        var split = 1
        while split << 1 < size { split <<= 1 }
        return index < split
            ? pathShape(index: index, size: split) + [false]
            : pathShape(index: index - split, size: size - split) + [true]
    }

    @Test func sizeWithTheSameShapeStillVerifies() {
        // Documents the property above: index 0 of 3 and of 4 share a path shape.
        let leaves = Self.leafHashes(3)
        let proof = Merkle.proof(leafHashes: leaves, index: 0)
        let root = Merkle.root(leafHashes: leaves)
        #expect(MerkleProof(leafIndex: 0, treeSize: 4, path: proof.path).verifies(leafHash: leaves[0], root: root))
        #expect(!MerkleProof(leafIndex: 0, treeSize: 5, path: proof.path).verifies(leafHash: leaves[0], root: root))
    }

    @Test func singleLeafTreeHasEmptyProof() {
        let leaf = Merkle.leafHash(Array("data".utf8))
        let proof = Merkle.proof(leafHashes: [leaf], index: 0)
        #expect(proof.path.isEmpty)
        #expect(Merkle.root(leafHashes: [leaf]) == leaf)
        #expect(proof.verifies(leafHash: leaf, root: leaf))
        #expect(!proof.verifies(leafHash: leaf, root: .empty))
    }

    @Test func proofWithOverlongPathIsRejected() {
        let leaf = Merkle.leafHash([1])
        let proof = MerkleProof(leafIndex: 0, treeSize: 1, path: [Hash256](repeating: leaf, count: 65))
        #expect(!proof.verifies(leafHash: leaf, root: leaf))
        let maxProof = MerkleProof(leafIndex: 0, treeSize: .max, path: [Hash256](repeating: leaf, count: 64))
        #expect(!maxProof.verifies(leafHash: leaf, root: leaf))
    }

    @Test func proofCodableAndCanonicalRoundTrip() throws {
        let proof = Merkle.proof(leafHashes: Self.leafHashes(13), index: 11)
        let json = try JSONEncoder().encode(proof)
        #expect(try JSONDecoder().decode(MerkleProof.self, from: json) == proof)
        #expect(try MerkleProof.decode(canonical: proof.canonicalBytes) == proof)
        #expect(proof.canonicalBytes.count == 8 + 8 + 4 + 32 * proof.path.count)
    }

    @Test func blockTransactionInclusionProofs() {
        let keys = T.keys("block")
        let txs = (1...7).map {
            Transaction(
                chainID: "c", signer: keys.identityID, keys: keys, nonce: Nonce(UInt64($0)),
                payload: .approveReport(ApproveReport(report: T.id(UInt8($0)), version: 1)))
        }
        let root = Block.transactionsRoot(txs)
        #expect(root == Merkle.root(leaves: txs.map(\.hash.bytes)))
        let header = BlockHeader(
            chainID: "c", height: 1, time: ConsensusTime(milliseconds: 0), previousBlockHash: .zero,
            lastCommitHash: .zero,
            transactionsRoot: root, resultsRoot: .empty, stateRoot: .empty,
            validatorsHash: .empty, proposer: keys.identityID)
        let block = Block(header: header, lastCommit: nil, transactions: txs)
        for (index, tx) in txs.enumerated() {
            let proof = block.inclusionProof(index: index)
            #expect(proof.verifies(leafHash: Merkle.leafHash(tx.hash.bytes), root: header.transactionsRoot))
        }
        #expect(Block.transactionsRoot([]) == .empty)
    }
}
