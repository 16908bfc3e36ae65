import ArgumentParser

@main
struct MedLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medledger",
        abstract: "A permissioned ledger for medical reports: issue, approve, share, revoke, audit and verify.",
        discussion: """
            Start with `medledger demo`, which builds a small consortium on this machine and tells the whole
            story of one lab report. Then run a node (`node init`, `node start`) and use the client commands
            against it with key files made by `keys new`.
            """,
        subcommands: [
            DemoCommand.self, VerifyCommand.self, NodeCommand.self, TestnetCommand.self, BenchCommand.self,
            SimulateCommand.self, KeysCommand.self,
            PatientCommand.self, PractitionerCommand.self, ReportCommand.self, GrantCommand.self, AuditCommand.self,
            CaseCommand.self,
            WatchCommand.self, FHIRCommand.self,
        ]
    )
}
