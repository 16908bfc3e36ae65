// The node's HTTP API from the browser (docs/spec/api.md): signed requests, problem
// documents as APIError, transaction submission with nonce handling, blob upload, and the
// server-sent event stream read over fetch (EventSource cannot send signature headers).
//
// Signed request (api.md "Signed requests"): Ed25519 over
//   string("medledger/http/v1") ‖ string(chainId) ‖ string(METHOD) ‖ string(pathAndQuery)
//   ‖ u64 timestamp ‖ SHA-256(body)
// where pathAndQuery is the request target exactly as the browser sends it (taken from the
// URL the request is made with, so percent-encoding matches).

import { base64, hex, sha256 } from "./bytes.js";
import { encode } from "./canonical.js";
import { signTransaction } from "./transactions.js";

const HTTP_DOMAIN = "medledger/http/v1";
const STALE_NONCE = 103;

/** An HTTP problem document (RFC 9457) or a network failure (status 0). */
export class APIError extends Error {
  constructor({ status, title, detail, field, code, codeName, type }) {
    super(detail || title || `HTTP ${status}`);
    this.name = "APIError";
    this.status = status;
    this.title = title ?? "";
    this.detail = detail ?? "";
    this.field = field ?? null;
    this.code = code ?? null;
    this.codeName = codeName ?? null;
    this.type = type ?? null;
  }
}

/** The bytes a request signature covers. */
export async function requestSigningBytes({ chainId, method, pathAndQuery, timestamp, body }) {
  const bodyHash = await sha256(body ?? new Uint8Array(0));
  return encode((w) =>
    w.string(HTTP_DOMAIN).string(chainId).string(method.toUpperCase()).string(pathAndQuery).u64(BigInt(timestamp)).fixed(bodyHash),
  );
}

/** The three signature headers for a request. */
export async function signatureHeaders({ identity, chainId, method, pathAndQuery, body, timestamp = Date.now() }) {
  const bytes = await requestSigningBytes({ chainId, method, pathAndQuery, timestamp, body });
  const signature = await identity.sign(bytes);
  return {
    "X-MedLedger-Identity": identity.id,
    "X-MedLedger-Timestamp": String(timestamp),
    "X-MedLedger-Signature": base64(signature),
  };
}

async function problemFrom(response) {
  let doc = null;
  try {
    doc = await response.json();
  } catch {
    // not JSON: fall through to a generic problem
  }
  if (doc && typeof doc === "object") return new APIError({ ...doc, status: response.status });
  return new APIError({ status: response.status, title: response.statusText, detail: `HTTP ${response.status} ${response.statusText}` });
}

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** One node, spoken to as one identity (or anonymously when `identity` is absent). */
export class NodeClient {
  /** `genesis` (GET /v1/genesis, or better the consortium's file) makes vault.readReport
   * check the version record's proof; without it the node is trusted for the record. */
  constructor({ baseURL = location.origin, identity = null, chainId = null, genesis = null } = {}) {
    this.baseURL = baseURL.replace(/\/+$/, "");
    this.identity = identity;
    this.chainId = chainId ?? genesis?.chainId ?? null;
    /** The genesis proofs are checked against (not the genesis() method's answer). */
    this.trustAnchor = genesis;
    /** The next nonce as the node last told us (BigInt), or null. */
    this.nextNonce = null;
  }

  /** The chain id, from the constructor or GET /v1/status once. */
  async chain() {
    if (!this.chainId) this.chainId = (await this.status()).chainId;
    return this.chainId;
  }

  /**
   * One request; returns the Response (ok) or throws APIError. `body` is a Uint8Array or a
   * string (sent as JSON when `json` is set); `signed` adds the signature headers.
   */
  async request(method, pathAndQuery, { body = null, contentType = null, signed = true, headers = {}, signal } = {}) {
    const url = new URL(this.baseURL + pathAndQuery);
    const target = url.pathname + url.search;
    const bodyBytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    const allHeaders = { ...headers };
    if (contentType) allHeaders["Content-Type"] = contentType;
    if (signed) {
      if (!this.identity) throw new Error(`${method} ${pathAndQuery} needs a signed-in identity`);
      Object.assign(
        allHeaders,
        await signatureHeaders({ identity: this.identity, chainId: await this.chain(), method, pathAndQuery: target, body: bodyBytes ?? new Uint8Array(0) }),
      );
    }
    let response;
    try {
      response = await fetch(url, { method, headers: allHeaders, body: bodyBytes, signal, cache: "no-store", credentials: "omit" });
    } catch (error) {
      if (error?.name === "AbortError") throw error;
      throw new APIError({ status: 0, title: "network error", detail: `cannot reach ${this.baseURL}: ${error?.message ?? error}` });
    }
    this.#noteNonce(response);
    if (!response.ok) throw await problemFrom(response);
    return response;
  }

  #noteNonce(response) {
    const next = response.headers.get("X-MedLedger-Next-Nonce");
    if (next && /^[0-9]{1,20}$/.test(next) && this.identity) this.nextNonce = BigInt(next);
  }

  /** GET and parse JSON. */
  async get(pathAndQuery, { signed = true, signal } = {}) {
    const response = await this.request("GET", pathAndQuery, { signed, signal });
    return response.json();
  }

  /** POST a JSON body and parse the JSON answer (with its HTTP status as `httpStatus`). */
  async postJSON(pathAndQuery, value, { signed = true, signal } = {}) {
    const response = await this.request("POST", pathAndQuery, { body: JSON.stringify(value), contentType: "application/json", signed, signal });
    const answer = await response.json();
    return { answer, httpStatus: response.status };
  }

  status() {
    return this.get("/v1/status", { signed: false });
  }
  genesis() {
    return this.get("/v1/genesis", { signed: false });
  }
  identityRecord(id) {
    return this.get(`/v1/identities/${id}`, { signed: false });
  }

  /** The nonce for the next transaction: what the node last said, else GET …/nonce. */
  async #nonce(fresh) {
    if (!fresh && this.nextNonce !== null) return this.nextNonce;
    const answer = await this.get(`/v1/identities/${this.identity.id}/nonce`, { signed: false });
    return BigInt(answer.nextNonce);
  }

  /**
   * Signs and submits `payload` ({tag, body} from transactions.js). With `wait` the answer is
   * the committed transaction's view (status, code, codeName, message, facts, events, height,
   * …) plus `id`; a 409 stale nonce is retried once with a fresh nonce.
   */
  async submit(payload, { wait = true } = {}) {
    if (!this.identity) throw new Error("submitting a transaction needs a signed-in identity");
    const chainId = await this.chain();
    for (let attempt = 0; ; attempt++) {
      const nonce = await this.#nonce(attempt > 0);
      const tx = await signTransaction({ chainId, identity: this.identity, nonce, payload });
      try {
        const path = wait ? "/v1/transactions?wait=commit" : "/v1/transactions";
        const { answer } = await this.postJSON(path, { transaction: base64(tx.bytes) });
        if (this.nextNonce === null || this.nextNonce <= nonce) this.nextNonce = nonce + 1n;
        let view = answer;
        // wait=commit answers 202 after 15 s without a commit: ask again a few times.
        for (let i = 0; wait && view.status !== "committed" && i < 4; i++) {
          view = await this.get(`/v1/transactions/${tx.id}?wait=commit`);
        }
        return { ...view, id: tx.id };
      } catch (error) {
        const stale = error instanceof APIError && error.status === 409 && error.code === STALE_NONCE;
        if (!stale || attempt > 0) throw error;
        this.nextNonce = null;
      }
    }
  }

  /** Uploads a blob (signed, body hashed into the signature); returns its address in hex,
   * checked against the SHA-256 of the bytes. */
  async putBlob(bytes) {
    const response = await this.request("PUT", "/v1/blobs", { body: bytes, contentType: "application/octet-stream" });
    const { address } = await response.json();
    const expected = hex(await sha256(bytes));
    if (address !== expected) throw new Error(`the node stored the blob under ${address}, expected ${expected}`);
    return address;
  }

  /**
   * The caller's events as server-sent events over fetch, reconnecting (1 s doubling to
   * 30 s) with Last-Event-ID and a fresh signature. `onEvent({id, type, data})` gets each
   * event (data parsed as JSON). Stops when `signal` aborts or `close()` is called.
   */
  events({ lastEventId = null, onEvent, onError = () => {}, signal } = {}) {
    const controller = new AbortController();
    signal?.addEventListener("abort", () => controller.abort(), { once: true });
    let last = lastEventId;
    const run = async () => {
      let delay = 1000;
      while (!controller.signal.aborted) {
        try {
          const headers = { Accept: "text/event-stream" };
          if (last) headers["Last-Event-ID"] = last;
          const response = await this.request("GET", "/v1/events", { headers, signal: controller.signal });
          delay = 1000;
          await readEventStream(response.body, controller.signal, (evt) => {
            if (evt.id) last = evt.id;
            onEvent(evt);
          });
        } catch (error) {
          if (controller.signal.aborted) break;
          onError(error);
          // Streams are bounded per identity (429) or node (503): wait longer then.
          if (error instanceof APIError && (error.status === 401 || error.status === 403)) delay = Math.max(delay, 10000);
        }
        if (controller.signal.aborted) break;
        await sleep(delay, controller.signal);
        delay = Math.min(delay * 2, 30000);
      }
    };
    run();
    return { close: () => controller.abort(), get lastEventId() { return last; } };
  }
}

/** Parses a text/event-stream body, calling `emit({id, type, data})` per event. */
export async function readEventStream(body, signal, emit) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let event = { id: null, type: "message", data: [] };
  const MAX_BUFFER = 1 << 20; // one event's text is far below this; refuse a runaway line
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.length > MAX_BUFFER) throw new Error("event stream line over 1 MiB");
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          if (event.data.length > 0) {
            const text = event.data.join("\n");
            let data;
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
            emit({ id: event.id, type: event.type, data });
          }
          event = { id: event.id, type: "message", data: [] };
          continue;
        }
        if (line.startsWith(":")) continue; // comment (keep-alive)
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "data") event.data.push(value);
        else if (field === "event") event.type = value;
        else if (field === "id") event.id = value;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
