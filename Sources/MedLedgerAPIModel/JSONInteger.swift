/// Ledger counters (heights, nonces, milliseconds, sizes, powers) are `UInt64`; the API's JSON
/// integers are `Int`, as the generated interface declares them.
extension Int {
    /// `value` as a JSON integer. Every counter the ledger serves stays far below 2^63 (a
    /// height needs a block per block interval, a nonce may rise by at most
    /// `Limits.nonceMaxJump` per transaction, milliseconds reach 2^63 in 292 million years),
    /// so this saturates instead of trapping on a value that cannot occur.
    public init(ledger value: UInt64) { self = Int(clamping: value) }
}

extension UInt64 {
    /// A JSON integer from a node as a ledger counter; nil for a negative one.
    public init?(json value: Int) { self.init(exactly: value) }
}
