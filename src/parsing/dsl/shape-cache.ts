import type { Tok } from './ast.js';

/**
 * Reuses parses across statements with the same sequence of token types.
 *
 * The DSL grammar tests terminals by token type only (checked by `assertTypeOnlyGrammar`), and
 * its postprocessors only arrange tokens and child nodes, so a statement's syntax tree is fixed by
 * its token types up to which token objects sit at its leaves. A generated 100k-gate file has a
 * handful of statement shapes: after the first statement of a shape is parsed by nearley, the
 * others are built by a compiled template that places their tokens, which is what makes large
 * files parse in linear time with a small constant (an Earley parse of a statement costs tens of microseconds).
 */
type Build = (toks: readonly Tok[]) => unknown;

const MAX_SHAPES = 4096;
const MAX_TOKENS = 256;

/** A trie over token types: walking it costs an array index per token, with no key strings. */
interface Node {
  readonly next: (Node | undefined)[];
  build: Build | undefined;
}

export class ShapeCache<T> {
  private readonly root: Node = { next: [], build: undefined };
  private readonly codes = new Map<string | undefined, number>();
  private size = 0;

  /** A fresh tree for `toks`, if a statement of the same shape was parsed before. */
  get(toks: readonly Tok[]): T | undefined {
    let node: Node | undefined = this.root;
    for (let i = 0; i < toks.length && node !== undefined; i++) {
      const code = this.codes.get(toks[i]!.type);
      node = code === undefined ? undefined : node.next[code];
    }
    return node?.build === undefined ? undefined : (node.build(toks) as T);
  }

  /** Remembers the tree nearley built for `toks`, as a template for later statements. */
  set(toks: readonly Tok[], tree: T): void {
    if (this.size >= MAX_SHAPES || toks.length > MAX_TOKENS) return;
    let node = this.root;
    for (const t of toks) {
      let code = this.codes.get(t.type);
      if (code === undefined) this.codes.set(t.type, (code = this.codes.size));
      node = node.next[code] ??= { next: [], build: undefined };
    }
    const index = new Map<unknown, number>();
    toks.forEach((t, i) => index.set(t, i));
    node.build = compile(tree, index);
    this.size++;
  }
}

/**
 * Compiles a tree into a function that rebuilds it around other tokens. The function is generated
 * as one object-literal expression: V8 builds literals with fixed shapes far faster than generic
 * code copying keys. The source text holds only property names, the tree's constants (node kinds,
 * flags) as JSON and token indices — never anything from the user's input.
 */
function compile(tree: unknown, index: Map<unknown, number>): Build {
  const code = (value: unknown): string => {
    const at = index.get(value);
    if (at !== undefined) return `t[${at}]`;
    if (value === undefined) return 'undefined';
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (Array.isArray(value)) return `[${value.map(code).join(',')}]`;
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const fields = Object.keys(value).map((k) => `${JSON.stringify(k)}:${code((value as Record<string, unknown>)[k])}`);
      return `{${fields.join(',')}}`;
    }
    throw new Error(`DSL syntax tree holds a value a template cannot rebuild: ${String(value)}`);
  };
  const source = `return (${code(tree)});`;
  try {
    return new Function('t', source) as Build;
  } catch {
    // Code generation disabled (--disallow-code-generation-from-strings): rebuild by walking.
    return (toks) => rebuild(tree, index, toks);
  }
}

function rebuild(value: unknown, index: Map<unknown, number>, toks: readonly Tok[]): unknown {
  const at = index.get(value);
  if (at !== undefined) return toks[at];
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => rebuild(v, index, toks));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = rebuild((value as Record<string, unknown>)[k], index, toks);
  return out;
}

/** Throws unless every terminal of the compiled grammar is matched by token type alone. */
export function assertTypeOnlyGrammar(rules: readonly { name: string; symbols: readonly unknown[] }[]): void {
  for (const r of rules) {
    for (const s of r.symbols) {
      if (typeof s === 'string') continue;
      const keys = Object.keys(s as object);
      if (keys.length !== 1 || keys[0] !== 'type') {
        throw new Error(`DSL grammar rule '${r.name}' matches a terminal by more than its type: ${JSON.stringify(s)}`);
      }
    }
  }
}
