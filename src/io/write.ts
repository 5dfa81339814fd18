/**
 * Writing a long file in pieces: a fleet's report or cache can outgrow the longest string V8 can
 * make (~512 MiB), so they are never built as one string. Parts are encoded straight into one
 * buffer of a MiB (no Buffer per part, no join), written when it is full; each write loops until
 * the kernel has taken every byte.
 */
import { closeSync, openSync, writeSync } from "node:fs";

const CHUNK = 1 << 20;

export class FileWriter {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  /** Opens (creates or truncates) `path`; errors are the caller's (ENOENT, EACCES, EISDIR …). */
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(part: string | Buffer): void {
    // a UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair: 4 bytes for 2 units)
    const most = typeof part === "string" ? part.length * 3 : part.length;
    if (this.used + most > CHUNK) this.flush();
    if (most > CHUNK) return this.put(typeof part === "string" ? Buffer.from(part) : part);
    this.used += typeof part === "string" ? this.buf.write(part, this.used) : part.copy(this.buf, this.used);
  }

  /** Writes what is gathered and closes the file (also after an error: the descriptor is never leaked). */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    this.put(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private put(b: Buffer): void {
    for (let at = 0; at < b.length; ) at += writeSync(this.fd, b, at);
  }
}
