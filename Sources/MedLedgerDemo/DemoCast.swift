import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

/// The people and organizations of the demo, with the personal data that must never reach
/// the ledger. Tests scan the chain for every string in `protectedStrings`.
public enum DemoCast {
    public static let patientName = "Maria Gonzalez"
    public static let patientBirthDate = "1984-03-12"
    public static let reportTitle = "Complete blood count for Maria Gonzalez"
    public static let reportBody = """
        Patient: Maria Gonzalez, born 1984-03-12
        Test: Complete blood count (LOINC 58410-2)
        Hemoglobin 13.2 g/dL (ref 12.0-15.5)
        White cell count 6.1 x10^9/L (ref 4.5-11.0)
        Platelets 251 x10^9/L (ref 150-400)
        Interpretation: within normal limits.
        """
    public static let amendedBody = reportBody + "\nAddendum: ferritin 48 ng/mL, iron stores adequate."

    public static var protectedStrings: [String] {
        [patientName, patientBirthDate, reportTitle, "Hemoglobin 13.2", "within normal limits", "ferritin 48"]
    }

    /// LOINC document class for a hematology study.
    public static let category = Code("LP7789-9")!
}
