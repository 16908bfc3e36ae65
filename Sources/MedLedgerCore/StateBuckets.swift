/// How state entries are spread over the state tree's buckets: by the first two bytes of
/// SHA-256 of the entry's key, over 65,536 buckets.
///
/// Ids are client-chosen (report and grant ids) or cheap to make (identity keys), so a
/// bucket picked by an id byte could be filled on purpose, and every later touch of that
/// bucket re-sorts and rehashes all of it. Through a hash over 65,536 buckets, landing one
/// entry in a chosen bucket takes about 65,536 hashes, and a bucket holds about 1/65,536 of
/// the state. The top tree over the bucket roots has a fixed shape, so a touched bucket costs
/// 16 hashes up to the root (see `docs/spec/contracts.md`).
public enum StateBuckets {
    public static let levels = 16
    public static let count = 1 << levels

    /// The bucket of the entry with `key` (its full key bytes, table tag included).
    public static func index(ofKey key: [UInt8]) -> Int {
        let digest = Hash256.of(key).bytes
        return Int(digest[0]) << 8 | Int(digest[1])
    }
}
