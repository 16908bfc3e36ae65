/// Where report blobs live: how many validators hold each blob, which organization runs each
/// validator node, and per organization which organizations' nodes may hold its blobs (data
/// residency). Part of the genesis, so every node computes the same holders for a blob.
///
/// Absent (the genesis of an older chain): every validator holds every blob.
public struct GenesisStorage: Hashable, Sendable, Codable, CanonicalCodable {
    /// How many eligible validators hold each blob; nil means all of them.
    public let replicas: UInt32?
    /// Which organization runs which validator node (a node named nowhere belongs to none,
    /// and so may hold only blobs of organizations without a policy).
    public let nodes: [NodeAffiliation]
    /// One policy per organization that restricts where its blobs may be held.
    public let policies: [StoragePolicy]

    public init(replicas: UInt32? = nil, nodes: [NodeAffiliation] = [], policies: [StoragePolicy] = []) {
        self.replicas = replicas
        self.nodes = nodes.sorted { $0.node < $1.node }
        self.policies = policies.sorted { $0.organization < $1.organization }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(optional: replicas)
        encoder.write(array: nodes)
        encoder.write(array: policies)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        replicas = try decoder.readOptional(UInt32.self, "storage.replicas")
        nodes = try decoder.readArray(NodeAffiliation.self, "storage.nodes", maxCount: Limits.validatorsMaxCount)
        policies = try decoder.readArray(StoragePolicy.self, "storage.policies", maxCount: Limits.storagePoliciesMax)
    }

    enum CodingKeys: String, CodingKey { case replicas, nodes, policies }

    /// JSON: every member may be left out (`{}` is every validator, no policy); lists are
    /// sorted as the memberwise initializer sorts them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            replicas: try container.decodeIfPresent(UInt32.self, forKey: .replicas),
            nodes: try container.decodeIfPresent([NodeAffiliation].self, forKey: .nodes) ?? [],
            policies: try container.decodeIfPresent([StoragePolicy].self, forKey: .policies) ?? [])
    }

    /// Why this storage section cannot start a chain with `validators`, or nil when it can.
    func problem(validators: [Validator]) -> String? {
        if let replicas, replicas == 0 { return "storage.replicas: must be at least 1 (omit it for every validator)" }
        if nodes.count > Limits.validatorsMaxCount || policies.count > Limits.storagePoliciesMax
            || policies.contains(where: { $0.holderOrganizations.count > Limits.storagePolicyHoldersMax })
        {
            return
                "storage: at most \(Limits.storagePoliciesMax) policies of \(Limits.storagePolicyHoldersMax) organizations each"
        }
        let validatorIDs = Set(validators.map(\.id))
        if Set(nodes.map(\.node)).count != nodes.count { return "storage.nodes: a node is named twice" }
        if let stranger = nodes.first(where: { !validatorIDs.contains($0.node) }) {
            return "storage.nodes: \(stranger.node) is not a validator"
        }
        if Set(policies.map(\.organization)).count != policies.count {
            return "storage.policies: an organization has two policies"
        }
        if policies.contains(where: { $0.holderOrganizations.isEmpty }) {
            return "storage.policies.holderOrganizations: must name at least one organization"
        }
        return nil
    }
}

/// A validator node and the organization that runs it.
public struct NodeAffiliation: Hashable, Sendable, Codable, CanonicalCodable {
    public let node: IdentityID
    public let organization: IdentityID

    public init(node: IdentityID, organization: IdentityID) {
        self.node = node
        self.organization = organization
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(node)
        encoder.write(organization)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        node = try decoder.read(IdentityID.self)
        organization = try decoder.read(IdentityID.self)
    }
}

/// Only nodes run by `holderOrganizations` may hold (receive, store, serve to one another)
/// the blobs of `organization`'s reports.
public struct StoragePolicy: Hashable, Sendable, Codable, CanonicalCodable {
    public let organization: IdentityID
    public let holderOrganizations: [IdentityID]

    public init(organization: IdentityID, holderOrganizations: [IdentityID]) {
        self.organization = organization
        self.holderOrganizations = Array(Set(holderOrganizations)).sorted()
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(organization)
        encoder.write(array: holderOrganizations)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        organization = try decoder.read(IdentityID.self)
        holderOrganizations = try decoder.readArray(
            IdentityID.self, "storage.policies.holderOrganizations", maxCount: Limits.storagePolicyHoldersMax)
    }

    enum CodingKeys: String, CodingKey { case organization, holderOrganizations }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            organization: try container.decode(IdentityID.self, forKey: .organization),
            holderOrganizations: try container.decode([IdentityID].self, forKey: .holderOrganizations))
    }
}

/// Where blobs go, from the genesis alone: the same answer on every node and in the
/// contracts (which refuse attestations from nodes outside a policy).
public struct BlobPlacement: Hashable, Sendable {
    /// Validator ids, sorted.
    let validators: [IdentityID]
    let storage: GenesisStorage?

    public init(genesis: Genesis) {
        validators = genesis.validatorSet.validators.map(\.id)
        storage = genesis.storage
    }

    /// The validators that may hold blobs of `organization`'s reports under its storage
    /// policy (every validator when it has none), sorted by id.
    public func eligibleHolders(organization: IdentityID) -> [IdentityID] {
        guard let storage, let policy = storage.policies.first(where: { $0.organization == organization }) else {
            return validators
        }
        let allowed = Set(policy.holderOrganizations)
        let runBy = Dictionary(
            storage.nodes.map { ($0.node, $0.organization) }, uniquingKeysWith: { first, _ in first })
        return validators.filter { runBy[$0].map(allowed.contains) ?? false }
    }

    /// The validators that should hold the blob at `address` of `organization`'s report: the
    /// first `replicas` eligible holders ranked by SHA-256(address ‖ node id) (rendezvous
    /// hashing: every node computes the same list, and blobs spread evenly over nodes).
    public func holders(address: Hash256, organization: IdentityID) -> [IdentityID] {
        let eligible = eligibleHolders(organization: organization)
        let count = min(Int(storage?.replicas ?? UInt32(eligible.count)), eligible.count)
        let ranked = eligible.map { node in (Hash256.of(address.bytes + node.hash.bytes), node) }
            .sorted { $0.0 < $1.0 }
        return ranked.prefix(count).map(\.1)
    }
}

extension Genesis {
    public var blobPlacement: BlobPlacement { BlobPlacement(genesis: self) }

    /// See `BlobPlacement.eligibleHolders(organization:)`.
    public func eligibleHolders(organization: IdentityID) -> [IdentityID] {
        blobPlacement.eligibleHolders(organization: organization)
    }

    /// See `BlobPlacement.holders(address:organization:)`.
    public func blobHolders(address: Hash256, organization: IdentityID) -> [IdentityID] {
        blobPlacement.holders(address: address, organization: organization)
    }
}
