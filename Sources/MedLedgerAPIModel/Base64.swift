import Foundation

extension Array where Element == UInt8 {
    /// Standard base64 (RFC 4648 §4), as used for every byte string in the API.
    public var base64: String { Data(self).base64EncodedString() }
}
