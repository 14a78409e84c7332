import type { SourceLocation } from '../../ir/types.js';

/** Syntax tree of the OpenQASM 2/3 subset the parser accepts (before any name resolution). */

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly at: SourceLocation }
  | { readonly kind: 'name'; readonly name: string; readonly at: SourceLocation }
  | { readonly kind: 'unary'; readonly op: '-' | '+'; readonly arg: Expr; readonly at: SourceLocation }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/' | '**'; readonly left: Expr; readonly right: Expr; readonly at: SourceLocation }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: SourceLocation }
  /** `θ[3]`: an element of an `input array[float[64], n] θ;`. */
  | { readonly kind: 'index'; readonly name: string; readonly index: Expr; readonly at: SourceLocation };

/** Which qubits of a register an operand selects. */
export type IndexSpec =
  | { readonly kind: 'single'; readonly index: Expr }
  | { readonly kind: 'range'; readonly start: Expr | null; readonly step: Expr | null; readonly end: Expr | null }
  | { readonly kind: 'set'; readonly items: readonly Expr[] };

export type Operand =
  | { readonly kind: 'named'; readonly name: string; readonly index: IndexSpec | null; readonly at: SourceLocation }
  | { readonly kind: 'physical'; readonly index: number; readonly at: SourceLocation };

export type Modifier =
  | { readonly kind: 'inv'; readonly at: SourceLocation }
  | { readonly kind: 'pow'; readonly exponent: Expr; readonly at: SourceLocation }
  | { readonly kind: 'ctrl'; readonly negative: boolean; readonly count: Expr | null; readonly at: SourceLocation };

export interface GateCall {
  readonly kind: 'call';
  readonly name: string;
  readonly modifiers: readonly Modifier[];
  readonly args: readonly Expr[];
  readonly operands: readonly Operand[];
  readonly at: SourceLocation;
  /** Location of the gate name (after any modifiers). */
  readonly nameAt: SourceLocation;
}

/** Statements allowed inside a `gate` body. */
export type BodyStatement = GateCall | { readonly kind: 'barrier'; readonly at: SourceLocation };

export type Statement =
  | GateCall
  | { readonly kind: 'include'; readonly path: string; readonly at: SourceLocation }
  | { readonly kind: 'qubits'; readonly name: string; readonly size: Expr | null; readonly at: SourceLocation }
  | { readonly kind: 'bits'; readonly name: string; readonly size: Expr | null; readonly at: SourceLocation }
  | { readonly kind: 'input'; readonly name: string; readonly length: Expr | null; readonly at: SourceLocation }
  /** `const float[64] a = 0.5;` (numeric constants only); `integer` for int/uint. */
  | { readonly kind: 'const'; readonly name: string; readonly value: Expr; readonly integer: boolean; readonly at: SourceLocation }
  | {
      readonly kind: 'gateDef';
      readonly name: string;
      readonly params: readonly { readonly name: string; readonly at: SourceLocation }[];
      readonly qubits: readonly { readonly name: string; readonly at: SourceLocation }[];
      readonly body: readonly BodyStatement[];
      readonly at: SourceLocation;
      readonly nameAt: SourceLocation;
    }
  | { readonly kind: 'barrier'; readonly operands: readonly Operand[]; readonly at: SourceLocation }
  | { readonly kind: 'measure'; readonly qubits: Operand; readonly target: Operand | null; readonly at: SourceLocation }
  | { readonly kind: 'let'; readonly name: string; readonly parts: readonly Operand[]; readonly at: SourceLocation }
  /** `#pragma nearclifford noise NAME(strengths) operands` (our exporter's noise channels). */
  | NoisePragma;

export interface NoisePragma {
  readonly kind: 'noise';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly operands: readonly Operand[];
  /** Location of the `#pragma`. */
  readonly at: SourceLocation;
  readonly nameAt: SourceLocation;
}
