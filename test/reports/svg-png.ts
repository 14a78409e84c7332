/**
 * Structural checks of rendered plots, independent of the renderer: a small XML tokenizer that
 * verifies an SVG is well formed (balanced tags, one <svg> root) and reads PNG headers.
 */
export interface SvgInfo {
  readonly width: number;
  readonly height: number;
  /** Every text node's content, decoded. */
  readonly texts: string[];
  /** class attributes of all elements. */
  readonly classes: string[];
}

export function parseSvg(svg: string): SvgInfo {
  const stack: string[] = [];
  const texts: string[] = [];
  const classes: string[] = [];
  let root: string | null = null;
  let rootAttrs = '';
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let pos = 0;
  while (pos < svg.length) {
    token.lastIndex = pos;
    const m = token.exec(svg);
    if (!m) throw new Error(`malformed SVG at offset ${pos}: ${svg.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    if (m[5] !== undefined) {
      if (stack.length === 0 && m[5].trim() !== '') throw new Error('text outside the root element');
      if (stack[stack.length - 1] === 'text' || stack[stack.length - 1] === 'tspan') texts.push(decode(m[5]));
      continue;
    }
    const [, close, name, attrs, selfClose] = m as unknown as [string, string, string, string, string];
    const cls = /\sclass="([^"]*)"/.exec(attrs);
    if (cls) classes.push(cls[1]!);
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    if (root === null) {
      root = name;
      rootAttrs = attrs;
    } else if (stack.length === 0) {
      throw new Error('more than one root element');
    }
    if (!selfClose) stack.push(name);
  }
  if (stack.length !== 0) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (root !== 'svg') throw new Error(`root element is <${root}>, not <svg>`);
  if (!/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(rootAttrs)) throw new Error('root <svg> lacks the SVG namespace');
  const num = (a: string) => Number(new RegExp(`\\s${a}="([\\d.]+)"`).exec(rootAttrs)?.[1] ?? NaN);
  return { width: num('width'), height: num('height'), texts, classes };
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, after checking the signature and chunk layout. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  PNG_SIGNATURE.forEach((b, i) => {
    if (png[i] !== b) throw new Error('not a PNG signature');
  });
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') throw new Error('first chunk is not IHDR');
  if (String.fromCharCode(...png.subarray(png.length - 8, png.length - 4)) !== 'IEND') throw new Error('no IEND chunk at the end');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
