// The ledger's canonical encoding (docs/spec/encoding.md): big-endian fixed-width
// integers, u32 length-prefixed byte strings and UTF-8 strings, fixed-size values without a
// prefix, u32-counted arrays, optionals as 0 / 1 + value, enums as one u8 tag.
// The reader checks every length and count against a bound before it allocates, and
// refuses trailing bytes, like the Swift CanonicalDecoder.

import { utf8, fromUtf8 } from "./bytes.js";

const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

/** Appends canonical values; `finish()` gives the result. */
export class Writer {
  constructor() {
    this.parts = [];
    this.length = 0;
  }
  #push(part) {
    this.parts.push(part);
    this.length += part.length;
    return this;
  }
  u8(value) {
    checkInt(value, 0xff, "u8");
    return this.#push(Uint8Array.of(value));
  }
  u16(value) {
    checkInt(value, 0xffff, "u16");
    return this.#push(Uint8Array.of(value >> 8, value & 0xff));
  }
  u32(value) {
    checkInt(value, U32_MAX, "u32");
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value);
    return this.#push(out);
  }
  /** A u64 from a BigInt (or a safe non-negative integer Number). */
  u64(value) {
    const big = typeof value === "bigint" ? value : BigInt(checkInt(value, Number.MAX_SAFE_INTEGER, "u64"));
    if (big < 0n || big > U64_MAX) throw new RangeError(`u64 out of range: ${value}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, big);
    return this.#push(out);
  }
  bool(value) {
    return this.u8(value ? 1 : 0);
  }
  /** Fixed-size bytes, no prefix; `size` is checked when given. */
  fixed(bytes, size, what = "value") {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
    if (size !== undefined && bytes.length !== size) {
      throw new RangeError(`${what} must be ${size} bytes, not ${bytes.length}`);
    }
    return this.#push(bytes);
  }
  /** u32 length, then the bytes. */
  bytes(bytes, what = "bytes") {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
    this.u32(bytes.length);
    return this.#push(bytes);
  }
  /** u32 byte length, then UTF-8. */
  string(str) {
    return this.bytes(utf8(str), "string");
  }
  /** u32 count, then `writeItem(writer, item)` for each item in the given order. */
  array(items, writeItem) {
    this.u32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }
  /** 0, or 1 then `writeValue(writer, value)`. */
  optional(value, writeValue) {
    if (value === undefined || value === null) return this.u8(0);
    this.u8(1);
    writeValue(this, value);
    return this;
  }
  finish() {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Canonical bytes of a sequence of writes: `encode(w => w.string("x").u32(1))`. */
export function encode(build) {
  const writer = new Writer();
  build(writer);
  return writer.finish();
}

/** A decoding error naming the field, like Swift's CanonicalDecodingError. */
export class DecodingError extends Error {
  constructor(field, reason) {
    super(`${field}: ${reason}`);
    this.name = "DecodingError";
    this.field = field;
  }
}

/** Reads canonical values from `bytes`; every read names its field for errors. */
export class Reader {
  constructor(bytes) {
    this.data = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = 0;
  }
  get remaining() {
    return this.data.length - this.offset;
  }
  #need(count, field) {
    if (count > this.remaining) {
      throw new DecodingError(field, `needs ${count} bytes, ${this.remaining} left`);
    }
  }
  u8(field) {
    this.#need(1, field);
    return this.data[this.offset++];
  }
  u16(field) {
    this.#need(2, field);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }
  u32(field) {
    this.#need(4, field);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }
  /** A u64 as a BigInt. */
  u64(field) {
    this.#need(8, field);
    const v = this.view.getBigUint64(this.offset);
    this.offset += 8;
    return v;
  }
  bool(field) {
    const v = this.u8(field);
    if (v > 1) throw new DecodingError(field, "a bool must be 0 or 1");
    return v === 1;
  }
  fixed(field, count) {
    this.#need(count, field);
    const out = this.data.slice(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }
  /** u32 length (at most `maxBytes`, checked before reading), then the bytes. */
  bytes(field, maxBytes) {
    const length = this.u32(field);
    if (length > maxBytes) throw new DecodingError(field, `${length} bytes, limit ${maxBytes}`);
    return this.fixed(field, length);
  }
  string(field, maxBytes) {
    const raw = this.bytes(field, maxBytes);
    try {
      return fromUtf8(raw);
    } catch {
      throw new DecodingError(field, "not valid UTF-8");
    }
  }
  /** u32 count (at most `maxCount`), then `readItem(reader)` for each. */
  array(field, maxCount, readItem) {
    const count = this.u32(field);
    if (count > maxCount) throw new DecodingError(field, `${count} items, limit ${maxCount}`);
    const items = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }
  optional(field, readValue) {
    const tag = this.u8(field);
    if (tag === 0) return null;
    if (tag !== 1) throw new DecodingError(field, "optional tag must be 0 or 1");
    return readValue(this);
  }
  /** Refuses trailing bytes. */
  end(what = "value") {
    if (this.remaining !== 0) throw new DecodingError(what, `${this.remaining} trailing bytes`);
  }
}

function checkInt(value, max, what) {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${what} out of range: ${value}`);
  return value;
}
