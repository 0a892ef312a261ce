/**
 * Images of a CCS contest package (organizations/<id>/logo*.png|jpg, persons/<id>/photo*.jpg): read
 * once at the start, each capped in size, its width and height taken from the PNG or JPEG header
 * itself (the API's FILE references must state them; a name like logo56x56.png is not proof), so
 * the daemon serves exactly the bytes it checked. SVG is not read: its size is not in a fixed header.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../config-files/diagnostics.ts';

/** One image of an organization or person, in memory. */
export interface PackageImage {
  filename: string;
  mime: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** MD5 of the bytes, as the FILE reference's `hash` (the spec names MD5). */
  md5: string;
  bytes: Buffer;
}

/** Larger images are refused (a logo or a photo for a scoreboard is tens of KiB). */
export const MAX_IMAGE_BYTES = 1024 * 1024;
/** At most this many images per object (a logo in a few sizes). */
export const MAX_IMAGES_PER_OBJECT = 8;

/** Width and height from a PNG's IHDR or a JPEG's first SOF marker; null when neither parses. */
export function imageSize(b: Buffer): { mime: PackageImage['mime']; width: number; height: number } | null {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.toString('latin1', 12, 16) === 'IHDR') {
    const width = b.readUInt32BE(16);
    const height = b.readUInt32BE(20);
    return width > 0 && height > 0 ? { mime: 'image/png', width, height } : null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      // Markers without a length: RSTn, SOI, TEM.
      if ((marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
        i += 2;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      if (len < 2) return null;
      // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (i + 9 > b.length) return null;
        const height = b.readUInt16BE(i + 5);
        const width = b.readUInt16BE(i + 7);
        return width > 0 && height > 0 ? { mime: 'image/jpeg', width, height } : null;
      }
      if (marker === 0xda) return null; // scan data before any frame header
      i += 2 + len;
    }
  }
  return null;
}

/**
 * The images in `dir` whose names match `pattern` (e.g. logo.png, logo56x56.png), sorted by name.
 * A missing dir is no images; anything else wrong is a warning naming the file (the contest runs
 * without that image rather than not at all).
 */
export function readPackageImages(dir: string, pattern: RegExp, diag: Diagnostics): PackageImage[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => pattern.test(n)).sort();
  } catch {
    return [];
  }
  const out: PackageImage[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const st = fs.lstatSync(file);
    if (!st.isFile()) {
      diag.warn(file, 'not a plain file (a link or a directory): not served; copy the image here');
      continue;
    }
    if (st.size > MAX_IMAGE_BYTES) {
      diag.warn(file, `${st.size} bytes, more than ${MAX_IMAGE_BYTES}: not served; shrink the image`);
      continue;
    }
    if (out.length >= MAX_IMAGES_PER_OBJECT) {
      diag.warn(file, `more than ${MAX_IMAGES_PER_OBJECT} images in ${path.basename(dir)}: not served`);
      continue;
    }
    const bytes = fs.readFileSync(file);
    const size = imageSize(bytes);
    if (!size) {
      diag.warn(file, 'not a PNG or JPEG image (its header does not say a size): not served');
      continue;
    }
    out.push({ filename: name, ...size, md5: createHash('md5').update(bytes).digest('hex'), bytes });
  }
  return out;
}
