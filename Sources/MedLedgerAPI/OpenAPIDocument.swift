/// The API's OpenAPI 3.0.3 description, written by hand and served at `/openapi.json`.
/// A test checks that its paths and methods are exactly the router's routes.
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "MedLedger API",
            "version": "1.0.0",
            "description": "Permissioned ledger of encrypted medical reports. Ids are lower-case hex, byte strings base64. Errors are RFC 9457 problem documents (application/problem+json). Routes marked with the signed-request security scheme need the three X-MedLedger-* headers: the signature is Ed25519, by the caller's current signing key, over the canonical encoding of \"medledger/http/v1\", chain id, method, path with query, timestamp (UInt64 ms) and SHA-256 of the body; the timestamp must be within 300 s of the node's clock."
          },
          "servers": [{ "url": "/" }],
          "paths": {
            "/v1/status": {
              "get": {
                "operationId": "getStatus", "summary": "Chain status and validators",
                "responses": { "200": { "description": "Status", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Status" } } } } }
              }
            },
            "/v1/blocks/{height}": {
              "get": {
                "operationId": "getBlock", "summary": "A committed block's header, transaction hashes and commit certificate",
                "parameters": [{ "name": "height", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "responses": {
                  "200": { "description": "Block", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Block" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/transactions": {
              "post": {
                "operationId": "submitTransaction", "summary": "Submit a signed transaction",
                "security": [{}, { "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/Wait" }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SubmitTransaction" } } } },
                "responses": {
                  "200": { "description": "Committed (wait=commit): the transaction's view, with the full receipt when the request is signed by its signer", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Transaction" } } } },
                  "202": { "description": "Admitted to the mempool", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TransactionPending" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "409": { "$ref": "#/components/responses/Conflict" },
                  "413": { "$ref": "#/components/responses/TooLarge" },
                  "503": { "$ref": "#/components/responses/Unavailable" }
                }
              }
            },
            "/v1/transaction-batches": {
              "post": {
                "operationId": "submitTransactionBatch", "summary": "Submit up to 500 signed transactions; each gets its own outcome",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SubmitTransactionBatch" } } } },
                "responses": {
                  "200": { "description": "One outcome per transaction, in order", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TransactionBatchResult" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "413": { "$ref": "#/components/responses/TooLarge" }
                }
              }
            },
            "/v1/transactions/{hash}": {
              "get": {
                "operationId": "getTransaction", "summary": "Where a transaction stands, with an inclusion proof; its signer (signed request) also sees message, facts, events, receipt and transaction",
                "security": [{}, { "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/Hash" }, { "$ref": "#/components/parameters/Wait" }],
                "responses": {
                  "200": { "description": "Pending or committed", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Transaction" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/identities/{id}": {
              "get": {
                "operationId": "getIdentity", "summary": "An identity's public record",
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }],
                "responses": {
                  "200": { "description": "Identity", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Identity" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/identities/{id}/nonce": {
              "get": {
                "operationId": "getNextNonce", "summary": "The nonce to sign the next transaction with (1 for an unregistered id)",
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }],
                "responses": {
                  "200": { "description": "Next nonce", "content": { "application/json": { "schema": { "type": "object", "required": ["nextNonce"], "properties": { "nextNonce": { "type": "integer" } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" }
                }
              }
            },
            "/v1/identities/{id}/proof": {
              "get": {
                "operationId": "getIdentityProof", "summary": "The identity record at the latest block with its header, commit certificate and state proof (base64 canonical bytes)",
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }],
                "responses": {
                  "200": { "description": "Proven record", "content": { "application/json": { "schema": { "type": "object", "required": ["height", "header", "certificate", "record", "proof"], "properties": { "height": { "type": "integer" }, "header": { "type": "string", "format": "byte" }, "certificate": { "type": "string", "format": "byte" }, "record": { "type": "string", "format": "byte" }, "proof": { "type": "string", "format": "byte" } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/blobs": {
              "put": {
                "operationId": "putBlob", "summary": "Upload a report ciphertext (content-addressed)",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": {
                  "201": { "description": "Stored", "content": { "application/json": { "schema": { "type": "object", "required": ["address"], "properties": { "address": { "$ref": "#/components/schemas/Hash" } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "413": { "$ref": "#/components/responses/TooLarge" }
                }
              }
            },
            "/v1/reports/{id}": {
              "get": {
                "operationId": "getReport", "summary": "A report and its versions (patient, guardian, authoring organization, or a reader with a granted receipt)",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }],
                "responses": {
                  "200": { "description": "Report", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Report" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/v1/reports/{id}/blobs/{address}": {
              "get": {
                "operationId": "getReportBlob", "summary": "The ciphertext of one of the report's versions",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }, { "name": "address", "in": "path", "required": true, "schema": { "$ref": "#/components/schemas/Hash" } }],
                "responses": {
                  "200": { "description": "Ciphertext", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/reports/{id}/history": {
              "get": {
                "operationId": "getReportHistory", "summary": "Every event filed under the report, newest first (the patient, a guardian, the authoring organization's approvers and privacy officers)",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }, { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Cursor" }],
                "responses": {
                  "200": { "description": "History", "content": { "application/json": { "schema": { "type": "object", "required": ["report", "entries"], "properties": { "report": { "type": "string" }, "nextCursor": { "type": "string", "nullable": true }, "entries": { "type": "array", "items": { "$ref": "#/components/schemas/IndexedEvent" } } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/v1/reports/{id}/proof": {
              "get": {
                "operationId": "getReportProof", "summary": "The report record at the latest block with its header, commit certificate and state proof (base64 canonical bytes)",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }],
                "responses": {
                  "200": { "description": "Proven record", "content": { "application/json": { "schema": { "type": "object", "required": ["height", "header", "certificate", "record", "proof"], "properties": { "height": { "type": "integer" }, "header": { "type": "string", "format": "byte" }, "certificate": { "type": "string", "format": "byte" }, "record": { "type": "string", "format": "byte" }, "proof": { "type": "string", "format": "byte" } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/v1/reports/{id}/versions/{version}/content": {
              "get": {
                "operationId": "getVersionContent", "summary": "One version ready to open: its proven record, the data key wrapped to the caller, the ciphertext",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }, { "name": "version", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "responses": {
                  "200": { "description": "Version content", "content": { "application/json": { "schema": { "type": "object", "required": ["report", "versionNumber", "version", "envelope", "ciphertext"], "properties": { "report": { "type": "string" }, "versionNumber": { "type": "integer" }, "version": { "type": "object", "required": ["height", "header", "certificate", "record", "proof"], "properties": { "height": { "type": "integer" }, "header": { "type": "string", "format": "byte" }, "certificate": { "type": "string", "format": "byte" }, "record": { "type": "string", "format": "byte" }, "proof": { "type": "string", "format": "byte" } } }, "envelope": { "type": "string", "format": "byte" }, "ciphertext": { "type": "string", "format": "byte" } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/reports/{id}/versions/{version}/key": {
              "post": {
                "operationId": "releaseKey", "summary": "The version's data key re-wrapped to the caller, against the caller's committed granted access receipt",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/ReportId" }, { "name": "version", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1 } }],
                "responses": {
                  "200": { "description": "Key envelope", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/KeyEnvelope" } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "404": { "$ref": "#/components/responses/NotFound" }
                }
              }
            },
            "/v1/patients/{id}/reports": {
              "get": {
                "operationId": "getPatientReports", "summary": "The patient's reports (the patient or a guardian)",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }, { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Cursor" }],
                "responses": {
                  "200": { "description": "Reports", "content": { "application/json": { "schema": { "type": "object", "required": ["patient", "reports"], "properties": { "patient": { "type": "string" }, "nextCursor": { "type": "string", "nullable": true }, "reports": { "type": "array", "items": { "$ref": "#/components/schemas/Report" } } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/v1/patients/{id}/grants": {
              "get": {
                "operationId": "getPatientGrants", "summary": "The patient's grants with their status at the node's consensus time",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }, { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Cursor" }],
                "responses": {
                  "200": { "description": "Grants", "content": { "application/json": { "schema": { "type": "object", "required": ["patient", "time", "grants"], "properties": { "patient": { "type": "string" }, "nextCursor": { "type": "string", "nullable": true }, "time": { "type": "string", "format": "date-time" }, "grants": { "type": "array", "items": { "$ref": "#/components/schemas/Grant" } } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/v1/patients/{id}/audit": {
              "get": {
                "operationId": "getPatientAudit", "summary": "Every read attempt on the patient's reports, allowed or denied, newest first",
                "security": [{ "identity": [], "timestamp": [], "signature": [] }],
                "parameters": [{ "$ref": "#/components/parameters/IdentityId" }, { "$ref": "#/components/parameters/Limit" }, { "$ref": "#/components/parameters/Cursor" }],
                "responses": {
                  "200": { "description": "Audit trail", "content": { "application/json": { "schema": { "type": "object", "required": ["patient", "entries"], "properties": { "patient": { "type": "string" }, "nextCursor": { "type": "string", "nullable": true }, "entries": { "type": "array", "items": { "$ref": "#/components/schemas/AuditEntry" } } } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "getOpenAPI", "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3.0.3 document", "content": { "application/json": { "schema": { "type": "object" } } } } }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "getMetrics", "summary": "Prometheus metrics (text exposition 0.0.4)",
                "responses": { "200": { "description": "Metrics", "content": { "text/plain": { "schema": { "type": "string" } } } } }
              }
            },
            "/fhir/metadata": {
              "get": {
                "operationId": "getFHIRCapabilityStatement", "summary": "FHIR R4 CapabilityStatement (no FHIR resources are served yet)",
                "responses": { "200": { "description": "CapabilityStatement", "content": { "application/fhir+json": { "schema": { "type": "object" } } } } }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "identity": { "type": "apiKey", "in": "header", "name": "X-MedLedger-Identity", "description": "The caller's identity id (64 hex)" },
              "timestamp": { "type": "apiKey", "in": "header", "name": "X-MedLedger-Timestamp", "description": "Milliseconds since the epoch, decimal; within 300 s of the node's clock" },
              "signature": { "type": "apiKey", "in": "header", "name": "X-MedLedger-Signature", "description": "Base64 Ed25519 signature over the canonical request bytes" }
            },
            "parameters": {
              "IdentityId": { "name": "id", "in": "path", "required": true, "schema": { "$ref": "#/components/schemas/Hash" } },
              "ReportId": { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9a-f]{32}$" } },
              "Hash": { "name": "hash", "in": "path", "required": true, "schema": { "$ref": "#/components/schemas/Hash" } },
              "Wait": { "name": "wait", "in": "query", "required": false, "description": "commit: answer once the transaction is committed (up to 15 s; otherwise as without it). `true` is an older spelling", "schema": { "type": "string", "enum": ["commit", "true"] } },
              "Limit": { "name": "limit", "in": "query", "required": false, "description": "Page size (default 100)", "schema": { "type": "integer", "minimum": 1, "maximum": 500 } },
              "Cursor": { "name": "cursor", "in": "query", "required": false, "description": "The nextCursor of the previous page", "schema": { "type": "string", "maxLength": 64 } }
            },
            "responses": {
              "BadRequest": { "description": "Malformed request; `field` names the part at fault", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "Unauthorized": { "description": "Missing or invalid request signature", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "Forbidden": { "description": "The caller may not do this", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "NotFound": { "description": "No such thing", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "Conflict": { "description": "Conflicts with ledger state (a replayed or stale-nonce transaction)", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "TooLarge": { "description": "Body over the limit", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "Unavailable": { "description": "The node cannot take work now", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            },
            "schemas": {
              "Hash": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
              "Problem": {
                "type": "object", "required": ["type", "title", "status", "detail"],
                "properties": {
                  "type": { "type": "string", "format": "uri-reference" }, "title": { "type": "string" },
                  "status": { "type": "integer" }, "detail": { "type": "string" },
                  "field": { "type": "string", "description": "The request part at fault" },
                  "code": { "type": "integer", "description": "Ledger result code" }, "codeName": { "type": "string" }
                }
              },
              "Status": {
                "type": "object", "required": ["chainId", "nodeId", "height", "appHash", "latestBlockHash", "latestBlockTime", "pendingTransactions", "validators"],
                "properties": {
                  "chainId": { "type": "string" }, "nodeId": { "$ref": "#/components/schemas/Hash" }, "height": { "type": "integer" },
                  "appHash": { "$ref": "#/components/schemas/Hash" }, "latestBlockHash": { "$ref": "#/components/schemas/Hash" },
                  "latestBlockTime": { "type": "string", "format": "date-time" }, "latestBlockTimeMs": { "type": "integer" },
                  "pendingTransactions": { "type": "integer" },
                  "validators": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string" }, "name": { "type": "string" }, "power": { "type": "integer" }, "signingKey": { "type": "string" }, "encryptionKey": { "type": "string" } } } }
                }
              },
              "Block": {
                "type": "object",
                "properties": {
                  "height": { "type": "integer" }, "hash": { "type": "string" }, "appHash": { "type": "string" }, "previousHash": { "type": "string" },
                  "time": { "type": "string", "format": "date-time" }, "timeMs": { "type": "integer" }, "transactionsRoot": { "type": "string" },
                  "resultsRoot": { "type": "string" }, "validatorsHash": { "type": "string" }, "proposer": { "type": "string" },
                  "transactions": { "type": "array", "items": { "type": "string" } },
                  "certificate": { "type": "object", "properties": { "round": { "type": "integer" }, "signatures": { "type": "array", "items": { "type": "object", "properties": { "validator": { "type": "string" }, "signature": { "type": "string", "format": "byte" } } } } } }
                }
              },
              "SubmitTransaction": { "type": "object", "required": ["transaction"], "properties": { "transaction": { "type": "string", "format": "byte", "description": "Canonical transaction bytes" } } },
              "SubmitTransactionBatch": { "type": "object", "required": ["transactions"], "properties": { "transactions": { "type": "array", "minItems": 1, "maxItems": 500, "items": { "type": "string", "format": "byte" } } } },
              "TransactionBatchResult": { "type": "object", "required": ["results"], "properties": { "results": { "type": "array", "items": { "type": "object", "required": ["index", "status", "httpStatus"], "properties": { "index": { "type": "integer" }, "hash": { "type": "string" }, "status": { "type": "string", "enum": ["pending", "refused"] }, "httpStatus": { "type": "integer" }, "detail": { "type": "string" }, "code": { "type": "integer" } } } } } },
              "TransactionPending": { "type": "object", "required": ["hash", "status"], "properties": { "hash": { "type": "string" }, "status": { "type": "string", "enum": ["pending"] } } },
              "ReceiptFact": {
                "type": "object", "required": ["type", "value"],
                "description": "One structured detail of a receipt, in receipt order (docs/spec/encoding.md)",
                "properties": {
                  "type": { "type": "string", "enum": ["field", "problem", "identity", "organization", "kind", "role", "report", "version", "latestVersion", "status", "grant", "purpose", "nonce", "lastNonce", "limit", "time"] },
                  "value": { "oneOf": [{ "type": "string" }, { "type": "integer" }], "description": "Integer for version, latestVersion, nonce, lastNonce, limit; otherwise a hex id, an enum name or an ISO 8601 time" }
                }
              },
              "Transaction": {
                "type": "object", "required": ["hash", "status"],
                "properties": {
                  "hash": { "type": "string" }, "status": { "type": "string", "enum": ["pending", "committed"] },
                  "height": { "type": "integer" }, "position": { "type": "integer" }, "code": { "type": "integer" }, "codeName": { "type": "string" },
                  "type": { "type": "string" }, "transactionsRoot": { "type": "string" },
                  "proof": { "type": "object", "properties": { "leafIndex": { "type": "integer" }, "treeSize": { "type": "integer" }, "path": { "type": "array", "items": { "type": "string" } } } },
                  "message": { "type": "string", "description": "Signer only: a sentence rendered from code, facts and events; not part of the receipt" },
                  "facts": { "type": "array", "items": { "$ref": "#/components/schemas/ReceiptFact" }, "description": "Signer only: the receipt's structured facts" },
                  "events": { "type": "array", "items": { "$ref": "#/components/schemas/Event" }, "description": "Signer only" },
                  "receipt": { "type": "string", "format": "byte", "description": "Signer only: canonical receipt bytes" },
                  "transaction": { "type": "string", "format": "byte", "description": "Signer only: canonical transaction bytes" }
                }
              },
              "Identity": {
                "type": "object", "required": ["id", "kind", "roles", "status", "signingKey", "encryptionKey", "lastNonce", "registeredAt"],
                "properties": {
                  "id": { "type": "string" }, "kind": { "type": "string", "enum": ["organization", "practitioner", "patient", "node"] },
                  "organization": { "type": "string" }, "roles": { "type": "array", "items": { "type": "string" } },
                  "status": { "type": "string", "enum": ["active", "suspended"] }, "signingKey": { "type": "string" }, "encryptionKey": { "type": "string" },
                  "lastNonce": { "type": "integer" }, "registeredAt": { "type": "integer" }
                }
              },
              "Report": {
                "type": "object",
                "properties": {
                  "id": { "type": "string" }, "patient": { "type": "string" }, "organization": { "type": "string" }, "category": { "type": "string" },
                  "recipients": { "type": "array", "items": { "type": "string" } }, "distributed": { "type": "boolean" },
                  "versions": { "type": "array", "items": { "type": "object", "properties": {
                    "version": { "type": "integer" }, "status": { "type": "string" }, "author": { "type": "string" }, "submittedAt": { "type": "string" },
                    "contentAddress": { "type": "string" }, "sizeBytes": { "type": "integer" }, "commitment": { "type": "string" },
                    "approvals": { "type": "array", "items": { "type": "object", "properties": { "approver": { "type": "string" }, "time": { "type": "string" } } } },
                    "revision": { "type": "object", "properties": { "kind": { "type": "string" }, "reason": { "type": "string" } } },
                    "withdrawal": { "type": "string" }, "envelopeRecipients": { "type": "array", "items": { "type": "string" } } } } },
                  "canonical": { "type": "string", "format": "byte", "description": "Canonical ReportRecord bytes" }
                }
              },
              "Grant": {
                "type": "object",
                "properties": {
                  "id": { "type": "string" }, "patient": { "type": "string" }, "grantee": { "type": "string" },
                  "scope": { "type": "object", "properties": { "kind": { "type": "string", "enum": ["all-reports", "reports", "categories"] }, "reports": { "type": "array", "items": { "type": "string" } }, "categories": { "type": "array", "items": { "type": "string" } } } },
                  "purpose": { "type": "string" }, "validFrom": { "type": "string" }, "validUntil": { "type": "string" }, "origin": { "type": "string" },
                  "grantedBy": { "type": "string" }, "grantedAt": { "type": "string" }, "revokedAt": { "type": "string" },
                  "status": { "type": "string", "enum": ["pending", "active", "revoked", "expired"] },
                  "canonical": { "type": "string", "format": "byte", "description": "Canonical GrantRecord bytes" }
                }
              },
              "Event": { "type": "object", "required": ["type"], "properties": { "type": { "type": "string", "enum": ["identity-registered", "identity-updated", "report", "grant-changed", "access"] } }, "additionalProperties": true },
              "IndexedEvent": {
                "type": "object",
                "properties": {
                  "height": { "type": "integer" }, "position": { "type": "integer" }, "eventIndex": { "type": "integer" }, "time": { "type": "string" }, "timeMs": { "type": "integer" },
                  "transaction": { "type": "string" }, "event": { "$ref": "#/components/schemas/Event" },
                  "canonical": { "type": "string", "format": "byte", "description": "Canonical LedgerEvent bytes" }
                }
              },
              "AuditEntry": {
                "type": "object",
                "properties": {
                  "height": { "type": "integer" }, "position": { "type": "integer" }, "eventIndex": { "type": "integer" }, "time": { "type": "string" }, "timeMs": { "type": "integer" },
                  "transaction": { "type": "string" }, "report": { "type": "string" }, "version": { "type": "integer" }, "reader": { "type": "string" }, "purpose": { "type": "string" },
                  "outcome": { "type": "string", "enum": ["allowed", "denied"] }, "basis": { "type": "string", "enum": ["relationship", "grant", "denied"] },
                  "grant": { "type": "string" }, "code": { "type": "integer" }, "codeName": { "type": "string" },
                  "canonical": { "type": "string", "format": "byte", "description": "Canonical LedgerEvent bytes" }
                }
              },
              "KeyEnvelope": {
                "type": "object",
                "properties": { "recipient": { "type": "string" }, "encapsulatedKey": { "type": "string", "format": "byte" }, "wrappedKey": { "type": "string", "format": "byte" }, "canonical": { "type": "string", "format": "byte" } }
              }
            }
          }
        }
        """#
}
