/**
 * Writing a long file in pieces: a fleet's report or cache can outgrow the longest string V8 can
 * make (~512 MiB), so they are never built as one string. Parts are gathered into writes of about
 * a MiB, and each write loops until the kernel has taken every byte.
 */
import { closeSync, openSync, writeSync } from "node:fs";

const CHUNK = 1 << 20;

export class FileWriter {
  private readonly fd: number;
  private parts: Buffer[] = [];
  private size = 0;

  /** Opens (creates or truncates) `path`; errors are the caller's (ENOENT, EACCES, EISDIR …). */
  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(part: string | Buffer): void {
    const b = typeof part === "string" ? Buffer.from(part) : part;
    this.parts.push(b);
    this.size += b.length;
    if (this.size >= CHUNK) this.flush();
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
    const b = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    for (let at = 0; at < b.length; ) at += writeSync(this.fd, b, at);
  }
}
