import { createHash } from "node:crypto";
import { once } from "node:events";
import { createGzip, type Gzip } from "node:zlib";

/** Text is gzipped in slices of this size; the compressed bytes are stored in chunks of CHUNK_BYTES. */
const TEXT_SLICE_CHARS = 64 * 1024;
export const CHUNK_BYTES = 1024 * 1024;

export interface WrittenBlob {
  bytes: number;
  gzipBytes: number;
  /** SHA-256 of the uncompressed bytes: the feed's ETag, equal for equal content whatever the build. */
  etag: string;
  chunks: number;
}

/**
 * Streams a feed's text into gzip and hands the compressed bytes to `storeChunk` in ordered chunks of
 * about 1 MiB, so a build of any size holds one slice of text and one chunk in memory.
 */
export class FeedBlobWriter {
  private readonly gzip: Gzip = createGzip({ level: 6 });
  private readonly hash = createHash("sha256");
  private pending: string[] = [];
  private pendingChars = 0;
  private compressed: Buffer[] = [];
  private compressedBytes = 0;
  private bytes = 0;
  private gzipBytes = 0;
  private seq = 0;
  private storing: Promise<void> = Promise.resolve();

  constructor(private readonly storeChunk: (seq: number, data: Buffer) => Promise<void>) {
    this.gzip.on("data", (data: Buffer) => {
      this.compressed.push(data);
      this.compressedBytes += data.length;
      this.gzipBytes += data.length;
      if (this.compressedBytes >= CHUNK_BYTES) this.queueStore();
    });
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= TEXT_SLICE_CHARS) await this.pump();
  }

  async end(): Promise<WrittenBlob> {
    await this.pump();
    const ended = once(this.gzip, "end");
    this.gzip.end();
    this.gzip.resume();
    await ended;
    this.queueStore();
    await this.storing;
    return { bytes: this.bytes, gzipBytes: this.gzipBytes, etag: `"${this.hash.digest("hex").slice(0, 32)}"`, chunks: this.seq };
  }

  private async pump(): Promise<void> {
    if (this.pendingChars === 0) return;
    const slice = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingChars = 0;
    this.hash.update(slice);
    this.bytes += slice.length;
    if (!this.gzip.write(slice)) await once(this.gzip, "drain");
    // Back-pressure on the database too: never let more than one chunk write run ahead.
    await this.storing;
  }

  private queueStore(): void {
    if (this.compressedBytes === 0) return;
    const data = Buffer.concat(this.compressed);
    this.compressed = [];
    this.compressedBytes = 0;
    const seq = this.seq;
    this.seq += 1;
    this.storing = this.storing.then(() => this.storeChunk(seq, data));
  }
}
