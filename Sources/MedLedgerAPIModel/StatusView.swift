import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Validator {
    public init(_ validator: Validator) {
        self.init(
            id: validator.id.hex, name: validator.name, power: Int(ledger: validator.power),
            signingKey: validator.signingKey.hex, encryptionKey: validator.encryptionKey.hex)
    }
}
