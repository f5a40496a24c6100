import { crc32, deflateSync } from 'node:zlib';

/**
 * A tiny PNG progress bar for a project: the done share of its tasks in green, the rest in
 * grey. Given complete: the lesson is about serving binary content, not about encoding images.
 * The same counts always give the same bytes, so a check can compare them exactly.
 */
export const BADGE_WIDTH = 64;
export const BADGE_HEIGHT = 8;

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DONE = [0x2e, 0xa0, 0x43];
const OPEN = [0xd0, 0xd4, 0xd9];

export function progressBadgePng(done: number, total: number): Buffer {
  const filled = total > 0 ? Math.round((done / total) * BADGE_WIDTH) : 0;
  // One scanline: a filter byte (0 = none), then RGB for every pixel.
  const row = Buffer.alloc(1 + BADGE_WIDTH * 3);
  for (let x = 0; x < BADGE_WIDTH; x++) row.set(x < filled ? DONE : OPEN, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: BADGE_HEIGHT }, () => row));

  const header = Buffer.alloc(13);
  header.writeUInt32BE(BADGE_WIDTH, 0);
  header.writeUInt32BE(BADGE_HEIGHT, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: RGB
  // compression, filter and interlace methods stay 0

  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}
