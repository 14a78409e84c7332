/**
 * A tiny WebAssembly binary emitter, just enough for the state-vector kernels: one imported
 * memory, exported functions with i32/f64/v128 locals, structured loops, scalar f64 and f64x2
 * SIMD arithmetic. Kernels are generated from TypeScript templates, so no wasm toolchain is
 * needed at build time. Opcode values follow the WebAssembly core and SIMD specifications.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function f64Bytes(x: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return [...b];
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((c) => [c]));
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const simd = (opcode: number): number[] => [0xfd, ...uleb(opcode)];

/** Instructions as byte arrays. `v*` are f64x2 SIMD forms. */
export const op = {
  get: (l: number) => [0x20, ...uleb(l)],
  set: (l: number) => [0x21, ...uleb(l)],
  tee: (l: number) => [0x22, ...uleb(l)],
  i32: (v: number) => [0x41, ...sleb(v | 0)],
  f64: (x: number) => [0x44, ...f64Bytes(x)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  select: [0x1b],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32Popcnt: [0x69],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32And: [0x71],
  i32Or: [0x72],
  i32Xor: [0x73],
  i32Shl: [0x74],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64Neg: [0x9a],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  vLoad: [...simd(0x00), 3, 0],
  vStore: [...simd(0x0b), 3, 0],
  vSplat: simd(0x14),
  vExtract: (lane: number) => [...simd(0x21), lane],
  vReplace: (lane: number) => [...simd(0x22), lane],
  vNeg: simd(0xed),
  vAdd: simd(0xf0),
  vSub: simd(0xf1),
  vMul: simd(0xf2),
};

/** One function under construction: parameters first, then locals added on demand. */
export class FunctionBuilder {
  readonly params: ValType[];
  readonly results: ValType[];
  private readonly locals: ValType[] = [];
  readonly code: number[] = [];

  constructor(readonly name: string, params: ValType[], results: ValType[] = []) {
    this.params = params;
    this.results = results;
  }

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  emit(...parts: number[][]): this {
    for (const p of parts) for (const b of p) this.code.push(b);
    return this;
  }

  /** Encoded function body (locals + code + end). */
  body(): number[] {
    const groups: number[][] = this.locals.map((t) => [1, t]);
    const bytes = [...vec(groups), ...this.code, ...op.end];
    return [...uleb(bytes.length), ...bytes];
  }
}

/** A module importing memory `env.memory` and exporting every function by its name. */
export function assembleModule(funcs: readonly FunctionBuilder[]): Uint8Array {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(funcs.map((f) => f.body()))),
  ];
  return new Uint8Array(bytes);
}

/**
 * Arithmetic expressions over locals, compiled to scalar f64 or f64x2 code: a number is a local
 * index; ['+', a, b], ['-', a, b], ['*', a, b], ['neg', a].
 */
export type Expr = number | readonly ['+' | '-' | '*', Expr, Expr] | readonly ['neg', Expr];

export function compileExpr(e: Expr, vector: boolean): number[] {
  if (typeof e === 'number') return op.get(e);
  if (e[0] === 'neg') return [...compileExpr(e[1], vector), ...(vector ? op.vNeg : op.f64Neg)];
  const a = compileExpr(e[1], vector);
  const b = compileExpr(e[2], vector);
  const o = e[0] === '+' ? (vector ? op.vAdd : op.f64Add) : e[0] === '-' ? (vector ? op.vSub : op.f64Sub) : vector ? op.vMul : op.f64Mul;
  return [...a, ...b, ...o];
}
