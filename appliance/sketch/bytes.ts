/**
 * Little-endian byte writer and reader for sketch serialisation. Every sketch starts with a
 * one-byte kind tag and a one-byte format version, so a reader rejects bytes of another kind.
 */

export class ByteWriter {
  private buffer = new ArrayBuffer(256);
  private view = new DataView(this.buffer);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.byteLength) return;
    const grown = new ArrayBuffer(Math.max(this.buffer.byteLength * 2, this.length + bytes));
    new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown);
  }

  u8(value: number): this {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  f64(value: number): this {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  text(value: string): this {
    const encoded = new TextEncoder().encode(value);
    this.u32(encoded.length);
    this.reserve(encoded.length);
    new Uint8Array(this.buffer, this.length, encoded.length).set(encoded);
    this.length += encoded.length;
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.slice(0, this.length));
  }
}

export class ByteReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.data.byteLength) {
      throw new Error(
        `sketch bytes are truncated: need ${bytes} bytes at offset ${this.offset} of ${this.data.byteLength}`,
      );
    }
  }

  u8(): number {
    this.need(1);
    const value = this.view.getUint8(this.offset);
    this.offset += 1;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  text(): string {
    const length = this.u32();
    this.need(length);
    const value = new TextDecoder().decode(this.data.subarray(this.offset, this.offset + length));
    this.offset += length;
    return value;
  }

  /** Checks the kind tag and format version at the start of a sketch's bytes. */
  header(kind: number, version: number, name: string): void {
    const foundKind = this.u8();
    const foundVersion = this.u8();
    if (foundKind !== kind || foundVersion !== version) {
      throw new Error(
        `bytes are not a ${name} sketch (kind ${foundKind}, version ${foundVersion}; expected kind ${kind}, version ${version})`,
      );
    }
  }
}
