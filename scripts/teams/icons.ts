/**
 * Draws the two Teams app icons (a magnifying glass, "the scanner") and writes
 * them as PNGs: color.png 192x192 on the accent colour, outline.png 32x32 white
 * on transparent, as Teams requires:
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons
 * Run: npx tsx scripts/teams/icons.ts (the PNGs are committed; rerun only to change them).
 */
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

type Rgba = [number, number, number, number];

/** Distance from point p to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** True when a point of the unit square lies on the glyph: a lens ring and a handle. */
function onGlyph(x: number, y: number): boolean {
  const ring = Math.abs(Math.hypot(x - 0.42, y - 0.42) - 0.26) < 0.075;
  const handle = segmentDistance(x, y, 0.62, 0.62, 0.86, 0.86) < 0.085;
  const scanLine = Math.abs(y - 0.42) < 0.04 && Math.abs(x - 0.42) < 0.15;
  return ring || handle || scanLine;
}

/** Coverage of the glyph over one pixel, 4x4 supersampled for smooth edges. */
function coverage(px: number, py: number, size: number, inset: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const x = ((px + (sx + 0.5) / 4) / size - inset) / (1 - 2 * inset);
      const y = ((py + (sy + 0.5) / 4) / size - inset) / (1 - 2 * inset);
      if (x >= 0 && x <= 1 && y >= 0 && y <= 1 && onGlyph(x, y)) hits++;
    }
  }
  return hits / 16;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels as a PNG (colour type 6, 8 bits, no filtering). */
function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x, y), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const accent: Rgba = [0x0f, 0x6c, 0xbd, 255];
const blend = (a: number, b: number, t: number) => Math.round(a + (b - a) * t);

const color = encodePng(192, (x, y) => {
  const c = coverage(x, y, 192, 0.2);
  return [blend(accent[0], 255, c), blend(accent[1], 255, c), blend(accent[2], 255, c), 255];
});
const outline = encodePng(32, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, 32, 0.04))]);

const dir = new URL("../../manifest/teams/", import.meta.url);
writeFileSync(new URL("color.png", dir), color);
writeFileSync(new URL("outline.png", dir), outline);
process.stdout.write(`wrote color.png (${color.length} bytes) and outline.png (${outline.length} bytes)\n`);
