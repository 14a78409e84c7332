/** A 32-bit seed derived from parts (FNV-1a over their text), so each cell or record of a study gets
 * its own reproducible random stream, independent of the order in which cells are computed. */
export function seedFor(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
