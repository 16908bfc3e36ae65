import MedLedgerClient
import MedLedgerCore

extension FHIRProblem {
    /// Any error as the OperationOutcome the gateway answers with.
    public static func from(_ error: any Error) -> FHIRProblem {
        switch error {
        case let problem as FHIRProblem: return problem
        case let error as NodeError:
            switch error.kind {
            case .invalid: return FHIRProblem(422, .processing, "the ledger refused: \(error)", expression: error.field)
            case .unauthenticated, .forbidden:
                return FHIRProblem(403, .forbidden, "the ledger refused: \(error)", expression: error.field)
            case .notFound: return FHIRProblem(404, .notFound, "\(error)", expression: error.field)
            case .conflict: return FHIRProblem(409, .conflict, "\(error)", expression: error.field)
            case .unavailable: return FHIRProblem(503, .transient, "the node is unavailable: \(error)")
            default: return FHIRProblem(502, .exception, "the node failed: \(error)")
            }
        case let error as ClientError:
            switch error {
            case .rejected(let receipt):
                // Who may do what is a 403; a state the ledger cannot move from is a 422.
                let forbidden =
                    (200..<300).contains(receipt.code.rawValue) || (100..<200).contains(receipt.code.rawValue)
                return FHIRProblem(
                    forbidden ? 403 : 422, forbidden ? .forbidden : .businessRule,
                    "the ledger refused the transaction: \(error)")
            case .notFound: return FHIRProblem(404, .notFound, "\(error)")
            case .integrity: return FHIRProblem(502, .exception, "\(error)")
            }
        default: return FHIRProblem(500, .exception, "\(error)")
        }
    }
}
