/// Shamir secret sharing over GF(2^8) (Shamir 1979), byte by byte: each byte of the secret
/// is the constant term of its own random polynomial of degree k − 1, and share x holds
/// every polynomial's value at x. Any k shares give the secret back by Lagrange
/// interpolation at 0; any k − 1 shares are uniformly random and say nothing about it.
///
/// The field is GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
/// Multiplication is a fixed sequence of shifts and masks, with no table lookups and no
/// branches on secret bytes, so its timing does not depend on them. Specified with test
/// vectors in `docs/spec/custody.md`.
public enum Shamir {
    /// One share: its x coordinate (1-255; never 0, where the secret is) and the values.
    public struct Share: Hashable, Sendable {
        public let x: UInt8
        public let y: [UInt8]
        public init(x: UInt8, y: [UInt8]) {
            self.x = x
            self.y = y
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case badParameters(String)
        case badShares(String)

        public var description: String {
            switch self {
            case .badParameters(let why), .badShares(let why): why
            }
        }
    }

    /// Splits `secret` into `count` shares at x = 1...count, any `threshold` of which
    /// rebuild it. `coefficients(byteIndex)` gives the k − 1 random coefficients of that
    /// byte's polynomial (highest degree last); pass a CSPRNG (`ReportCrypto` does), or fixed
    /// bytes for test vectors.
    public static func split(
        _ secret: [UInt8], threshold: Int, count: Int,
        coefficients: (Int) -> [UInt8]
    ) throws(Failure) -> [Share] {
        guard (1...255).contains(count), (1...count).contains(threshold) else {
            throw .badParameters("need 1 <= threshold (\(threshold)) <= count (\(count)) <= 255")
        }
        guard !secret.isEmpty else { throw .badParameters("the secret is empty") }
        var values = [[UInt8]](repeating: [UInt8](repeating: 0, count: secret.count), count: count)
        for (index, byte) in secret.enumerated() {
            let higher = coefficients(index)
            guard higher.count == threshold - 1 else {
                throw .badParameters("byte \(index): \(higher.count) coefficients, need \(threshold - 1)")
            }
            let polynomial = [byte] + higher
            for share in 0..<count {
                values[share][index] = evaluate(polynomial, at: UInt8(share + 1))
            }
        }
        return values.enumerated().map { Share(x: UInt8($0.offset + 1), y: $0.element) }
    }

    /// The secret from `shares` (at least the threshold's worth; exactly k are used if more
    /// are given, the first k). Throws for duplicate or zero x, or values of unequal length.
    /// With fewer than k shares the result is a wrong secret, not an error: the caller checks
    /// it (a report key against its ciphertext, each share against its commitment).
    public static func combine(_ shares: [Share]) throws(Failure) -> [UInt8] {
        guard let length = shares.first?.y.count, length > 0 else { throw .badShares("no shares") }
        guard shares.allSatisfy({ $0.y.count == length }) else { throw .badShares("shares differ in length") }
        guard shares.allSatisfy({ $0.x != 0 }) else { throw .badShares("a share has x = 0") }
        guard Set(shares.map(\.x)).count == shares.count else { throw .badShares("two shares have the same x") }
        var secret = [UInt8](repeating: 0, count: length)
        for (j, share) in shares.enumerated() {
            // Lagrange basis at 0: prod over m != j of x_m / (x_m - x_j); minus is xor.
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for (m, other) in shares.enumerated() where m != j {
                numerator = multiply(numerator, other.x)
                denominator = multiply(denominator, other.x ^ share.x)
            }
            let basis = multiply(numerator, inverse(denominator))
            for index in 0..<length { secret[index] ^= multiply(share.y[index], basis) }
        }
        return secret
    }

    /// Horner's rule: coefficients lowest degree first.
    static func evaluate(_ polynomial: [UInt8], at x: UInt8) -> UInt8 {
        var result: UInt8 = 0
        for coefficient in polynomial.reversed() { result = multiply(result, x) ^ coefficient }
        return result
    }

    /// Multiplication in GF(2^8) mod 0x11B: eight rounds of shift-and-add with masks
    /// instead of branches.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            let carry = 0 &- (a >> 7)
            a = (a << 1) ^ (0x1B & carry)
            b >>= 1
        }
        return product
    }

    /// a^254 = a^-1 for a != 0 (the multiplicative group has order 255); 0 for 0.
    static func inverse(_ a: UInt8) -> UInt8 {
        var result: UInt8 = 1
        var base = a
        var exponent = 254
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }
}
