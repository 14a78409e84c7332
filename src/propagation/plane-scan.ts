/**
 * The scan both term stores run for a noise channel (collectChannel): per-qubit bit planes hold
 * one bit per entry, 32 entries per word. For each probe k the planes listed in
 * chPlanes[chStart[k] … chStart[k+1]) are XORed, giving one bit per entry: whether the entry's
 * string anticommutes with the probe. Entries with any bit set are listed in `out` with their
 * 4-bit letter code (probe k → bit k) in `codes`; the rest are unchanged by the channel.
 * `planes[p + w]` is word w of the plane starting at p.
 */
export function scanProbePlanes(
  planes: Int32Array, chPlanes: Int32Array, chStart: Int32Array, size: number, out: Int32Array, codes: Uint8Array,
): number {
  const s0 = chStart[0]!, s1 = chStart[1]!, s2 = chStart[2]!, s3 = chStart[3]!, s4 = chStart[4]!;
  let m = 0;
  for (let w = 0, wEnd = (size + 31) >>> 5; w < wEnd; w++) {
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    for (let i = s0; i < s1; i++) b0 ^= planes[chPlanes[i]! + w]!;
    for (let i = s1; i < s2; i++) b1 ^= planes[chPlanes[i]! + w]!;
    for (let i = s2; i < s3; i++) b2 ^= planes[chPlanes[i]! + w]!;
    for (let i = s3; i < s4; i++) b3 ^= planes[chPlanes[i]! + w]!;
    let any = b0 | b1 | b2 | b3;
    const base = w << 5;
    if (base + 32 > size) any &= (1 << (size - base)) - 1;
    while (any !== 0) {
      const t = any & -any;
      const j = 31 - Math.clz32(t);
      codes[m] = ((b0 >>> j) & 1) | (((b1 >>> j) & 1) << 1) | (((b2 >>> j) & 1) << 2) | (((b3 >>> j) & 1) << 3);
      out[m++] = base + j;
      any ^= t;
    }
  }
  return m;
}
