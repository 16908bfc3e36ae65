import HTTPTypes
import Hummingbird
import MedLedgerAPIModel

/// `GET /` (the portal's `index.html`) and `GET /portal/<path>` (its other files), from the
/// files loaded at start (`PortalFiles`). Every answer carries the headers below; anything not
/// in the map is a 404 problem.
struct PortalRoutes: Sendable {
    let portal: PortalFiles

    /// The portal's pages load only their own scripts and styles (no inline code), may be
    /// framed by nobody and may call any node (a custodian's key shares come from other
    /// origins).
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src *; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    static let prefix = "/portal/"

    func register(on router: Router<APIRequestContext>) {
        router.get("/") { _, _ in try serve("index.html") }
        // The raw path, not the router's parsed segments: those drop empty segments, and
        // only the exact name of a loaded file may match.
        router.get("/portal/**") { request, _ in
            try serve(String(request.uri.path.dropFirst(Self.prefix.count)))
        }
    }

    func serve(_ path: String) throws -> Response {
        guard let file = portal.file(at: path) else {
            throw APIProblem(status: .notFound, detail: "no such portal file", field: "path")
        }
        var response = APIEncoding.bytes(file.bytes, contentType: file.contentType)
        Self.addHeaders(&response.headers)
        return response
    }

    static func addHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    }
}
