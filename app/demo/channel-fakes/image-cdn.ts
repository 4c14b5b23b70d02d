/**
 * Image downloads for the fakes. Shelfcast has no image bytes of its own: before a TikTok upload it
 * downloads the product image from Shopify's CDN (or the store's domain). Offline, this answers those
 * GETs with a tiny body that looks like a JPEG (start and end markers and a frame header giving its
 * size), enough for a client to pass along and for the TikTok fake to read the size back.
 */
import { STORE_DOMAIN } from "../catalog-data";
import type { HttpFake } from "./fake-fetch";

export interface ImageCdnOptions {
  /** Hosts served: an exact host, or "*.example.com" for any subdomain. Default Shopify's CDN, *.example.com and the demo store. */
  hosts?: readonly string[];
  /** Size the served images claim. Default 1000×1000 (fits Meta's ≥500 and TikTok's 300..4000). */
  width?: number;
  height?: number;
}

export const DEFAULT_IMAGE_HOSTS: readonly string[] = ["cdn.shopify.com", "*.example.com", STORE_DOMAIN];

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

/**
 * The smallest byte string that reads as a baseline JPEG of the given size: SOI, a JFIF APP0
 * segment, an SOF0 frame header (where readers find the size) and EOI. No pixel data.
 */
export function fakeJpeg(width: number, height: number): Uint8Array {
  const jfif = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const frame = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01];
  return Uint8Array.from([0xff, 0xd8, ...jfif, ...frame, 0xff, 0xd9]);
}

export interface ImageInfo {
  format: "jpeg" | "png";
  width: number;
  height: number;
}

/** Reads a JPEG's frame header (any SOFn marker) for its size. */
function jpegSize(bytes: Uint8Array): ImageInfo | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which are not frame headers.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = ((bytes[offset + 5] ?? 0) << 8) | (bytes[offset + 6] ?? 0);
      const width = ((bytes[offset + 7] ?? 0) << 8) | (bytes[offset + 8] ?? 0);
      return { format: "jpeg", width, height };
    }
    offset += 2 + length;
  }
  return null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format and size of a JPEG or PNG from its bytes; null for anything else. */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  if (PNG_SIGNATURE.every((byte, index) => bytes[index] === byte) && bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { format: "png", width: view.getUint32(16), height: view.getUint32(20) };
  }
  return null;
}

export class ImageCdn implements HttpFake {
  readonly hosts: readonly string[];
  /** URLs (without query) answered 404, to test a broken image link. */
  readonly brokenUrls = new Set<string>();
  /** Images served so far. */
  downloads = 0;
  private readonly body: Uint8Array;

  constructor(options: ImageCdnOptions = {}) {
    this.hosts = options.hosts ?? DEFAULT_IMAGE_HOSTS;
    this.body = fakeJpeg(options.width ?? 1000, options.height ?? 1000);
  }

  owns(url: URL): boolean {
    return this.hosts.some((pattern) => hostMatches(pattern, url.hostname));
  }

  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (!this.owns(url)) return null;
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("Method Not Allowed", { status: 405 });
    if (this.brokenUrls.has(`${url.origin}${url.pathname}`)) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
    this.downloads += 1;
    const headers = { "content-type": "image/jpeg", "content-length": String(this.body.byteLength) };
    return new Response(request.method === "HEAD" ? null : this.body.slice(), { status: 200, headers });
  }
}

/** The fakes take a shared ImageCdn, or options for their own. */
export function toImageCdn(images: ImageCdn | ImageCdnOptions | undefined): ImageCdn {
  return images instanceof ImageCdn ? images : new ImageCdn(images);
}
