/**
 * Character-level helpers of the fast paths (dsl/fast-path.ts, qasm/fast-path.ts): they read the
 * text with charCodeAt and look names up without taking substrings where they can.
 */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isAsciiIdentPart(c: number): boolean {
  return isAsciiIdentStart(c) || isDigit(c);
}

/** The identifier rule both lexers share (Unicode letters, digits, combining marks, `_`). */
const IDENT = /[\p{L}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*/uy;

/**
 * End of the identifier that starts at `start`, as both lexers delimit it, or -1 when none starts
 * there. ASCII identifiers are scanned by character; the pattern runs only where a non-ASCII
 * character starts or continues one.
 */
export function identifierEnd(text: string, start: number): number {
  let i = start;
  if (isAsciiIdentStart(text.charCodeAt(i))) {
    i++;
    while (isAsciiIdentPart(text.charCodeAt(i))) i++;
    if (!(text.charCodeAt(i) >= 128)) return i;
  } else if (!(text.charCodeAt(i) >= 128)) {
    return -1;
  }
  IDENT.lastIndex = start;
  return IDENT.test(text) ? IDENT.lastIndex : -1;
}

export function hashRange(text: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Whether `text[start, end)` is `word`. */
export function sameText(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

const CACHE_SIZE = 64;

/**
 * Names resolved recently, keyed by their characters in the text: a hit costs a hash and a
 * comparison, no substring. Only for resolutions that never change once made (declarations are
 * unique and permanent in both languages).
 */
export class NameCache<T> {
  private readonly names: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE);
  private readonly values: (T | undefined)[] = new Array<T | undefined>(CACHE_SIZE);

  /** The value cached for `text[start, end)`, or undefined. */
  get(text: string, start: number, end: number, hash: number): T | undefined {
    const slot = hash & (CACHE_SIZE - 1);
    const name = this.names[slot];
    return name !== undefined && sameText(name, text, start, end) ? this.values[slot] : undefined;
  }

  set(name: string, hash: number, value: T): void {
    const slot = hash & (CACHE_SIZE - 1);
    this.names[slot] = name;
    this.values[slot] = value;
  }
}

/**
 * `NEARCLIFFORD_PARSE_FAST_PATH=0` turns both fast paths off unless a call asks for them (the
 * `fastPath` options of parseDsl and parseQasm), to compare the two paths from the command line.
 */
export const FAST_PATH_ENV = 'NEARCLIFFORD_PARSE_FAST_PATH';

export function fastPathDefault(): boolean {
  const v = typeof process === 'undefined' ? undefined : process.env[FAST_PATH_ENV]?.trim().toLowerCase();
  return v === undefined || !(v === '0' || v === 'false' || v === 'off' || v === 'no');
}
