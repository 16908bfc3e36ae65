import Hummingbird
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

extension FHIRRoutes {
    /// `PractitionerRole/{practitioner id}`: which organization a practitioner acts for and
    /// with which ledger roles (both public on the ledger, like the identity itself).
    func readRole(id: String, _ request: Request) async throws -> Response {
        guard let identity = IdentityID(hex: id), let record = await node.identity(identity),
            let role = await mapper(request, ids: []).practitionerRole(record)
        else { throw FHIRFailure.notFound(PractitionerRole.resourceType, String(id.prefix(80))) }
        return try FHIRResponse.resource(role)
    }

    /// PractitionerRole by `practitioner` or `_id` (the registry, public), or by
    /// `organization`: the organization's practitioners, listed for who oversees it (its key,
    /// privacy officers, admins), as the API's practitioner list is; empty for anyone else.
    func searchRoles(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> FHIRMatches {
        let mapper = await mapper(request, ids: [])
        let organization = try query.single("organization").map {
            try FHIRQuery.identity($0, parameter: "organization", type: "Organization")
        }
        var named: [IdentityID] = []
        for value in query.values("practitioner") + query.values("_id") {
            for alternative in value.split(separator: ",") {
                named.append(
                    try FHIRQuery.identity(String(alternative), parameter: "practitioner", type: "Practitioner"))
            }
        }
        var records: [IdentityRecord] = []
        if let organization {
            guard await node.mayOverseeOrganization(organization, caller: caller) else { return FHIRMatches([]) { $0 } }
            records = try await scan(
                advice: "search by practitioner=Practitioner/ID",
                page: { cursor in
                    let page = try await node.practitioners(
                        ofOrganization: organization, before: cursor, limit: PageLimits.maxItems)
                    return (page.practitioners, page.next)
                },
                keep: { named.isEmpty || named.contains($0.id) })
        } else {
            guard !named.isEmpty else {
                throw FHIRFailure.invalid(
                    "a PractitionerRole search needs practitioner, organization or _id", parameter: "practitioner")
            }
            for id in Set(named).sorted(by: { $0.hex < $1.hex }) {
                if let record = await node.identity(id) { records.append(record) }
            }
        }
        let roles = records.compactMap(mapper.practitionerRole).map(AnyResource.practitionerRole)
        return FHIRMatches(roles) { $0 }
    }
}
