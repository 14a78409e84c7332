# Grammar of the nearclifford circuit DSL (.ncl files). Compiled by `npm run grammar` into
# src/parsing/dsl/generated/ncl.ts (a build product; never edit it). Full reference: docs/dsl.md.
#
#   // line comment    # line comment    /* block comment */
#   qubits 6;                        exactly one, before any gate or observable
#   param a;  param theta[12];       scalar and vector parameters (also `param a, theta[12];`)
#   h 0;  cx 0 1;  cx q[0] q[1];     gate name, optional (angles), qubit operands
#   rx(theta[0]) 2;  rzz(2*a - pi/4) 0 1;  u3(a, 0, pi/2) 1;
#   rot(2*a - pi/4) X0 Y2 Z5;        exp(-i angle P/2) for any Pauli string; also X[i] Z[i+1]
#   for i in 0..5 { ry(theta[2*i]) i; cx i i+1; }      half-open range: i = 0, 1, 2, 3, 4
#   observable H = 0.5*Z0 Z1 - X3 + 0.25;
#   observable E = sum i in 0..5 { -Z[i] Z[i+1] } - 0.5*sum i in 0..6 { X[i] };
#
# Design notes:
# * Every GATE_LIBRARY name is a `gate` token, so a gate name never reads as an operand and a
#   missing ';' is reported where it is missing. Names (parameters, observables) may still be gate
#   names; loop variables may not.
# * Operands are integer expressions separated by blanks; none may start with a sign, so
#   `cx i i+1` and `cx i -1` have one reading each. The first operand may not start with '(':
#   `h (0);` is the angle list. Write `cx q[(i+1)%6] i` or `cx i (i+1)%6` instead.
# * Repetitions are left-recursive and build immutable cons lists (see ast.ts): linear time.
#   Nearley's EBNF `:*` would be quadratic.
# * The grammar is unambiguous; the parser driver (syntax.ts) asserts exactly one parse.

@preprocessor typescript

@{%
// Postprocessors only arrange tokens and child nodes; nothing may be computed from a token's
// text or position here (see ast.ts: syntax.ts reuses trees across statements).
import { nclLexer } from '../lexer.js';
import { consToArray } from '../ast.js';

const one = (d: any[]) => ({ item: d[0], prev: null });
const cons = (d: any[]) => ({ item: d[1], prev: d[0] });
const consSkip = (d: any[]) => ({ item: d[2], prev: d[0] });
const nil = () => null;
const bin = (d: any[]) => ({ k: 'bin', tok: d[1], left: d[0], right: d[2] });
const leaf = (k: string) => (d: any[]) => ({ k, tok: d[0] });
const indexNode = (d: any[]) => ({ k: 'index', tok: d[0], index: d[2] });
const paren = (d: any[]) => d[1];
const factor = (d: any[]) => ({ tok: d[0], index: d.length > 1 ? d[2] : null });
const term = (coeff: any, factors: any) => ({ coeff, factors: factors === null ? [] : consToArray(factors), loop: null });
const signed = (negative: boolean, t: any) => ({ negative, coeff: t.coeff, factors: t.factors, loop: t.loop });
%}

@lexer nclLexer

# The start rule completes after every statement, so it must stay O(1): the driver converts the list.
program -> topList  {% id %}

topList -> null  {% nil %}
  | topList topStmt  {% cons %}

topStmt -> qubitsDecl  {% id %}
  | paramDecl  {% id %}
  | observableDecl  {% id %}
  | stmt  {% id %}

stmtList -> null  {% nil %}
  | stmtList stmt  {% cons %}

stmt -> gateStmt  {% id %}
  | rotStmt  {% id %}
  | forStmt  {% id %}

# ---- declarations ----

qubitsDecl -> %kw_qubits expr %semi  {% (d) => ({ k: 'qubits', tok: d[0], count: d[1] }) %}

paramDecl -> %kw_param paramList %semi  {% (d) => ({ k: 'param', tok: d[0], items: consToArray(d[1]) }) %}

paramList -> paramItem  {% one %}
  | paramList %comma paramItem  {% consSkip %}

paramItem -> name  {% (d) => ({ tok: d[0], length: null }) %}
  | name %lbrack expr %rbrack  {% (d) => ({ tok: d[0], length: d[2] }) %}

observableDecl -> %kw_observable name %eq obsSum %semi
  {% (d) => ({ k: 'observable', tok: d[0], name: d[1], terms: consToArray(d[3]) }) %}

# A name token: identifiers, and gate names too (`param t;` is fine).
name -> %ident  {% id %}
  | %gate  {% id %}

# ---- gates ----

gateStmt -> gateName operands %semi
    {% (d) => ({ k: 'gate', tok: d[0], angles: null, operands: consToArray(d[1]) }) %}
  | gateName %lparen args %rparen operands %semi
    {% (d) => ({ k: 'gate', tok: d[0], angles: consToArray(d[2]), operands: consToArray(d[4]) }) %}

# An unknown identifier in gate position parses, so lowering can say "unknown gate 'foo'".
gateName -> %gate  {% id %}
  | %ident  {% id %}

args -> null  {% nil %}
  | argList  {% id %}

argList -> expr  {% one %}
  | argList %comma expr  {% consSkip %}

operands -> null  {% nil %}
  | operandList  {% id %}

operandList -> firstOperand  {% one %}
  | operandList operand  {% cons %}

rotStmt -> %kw_rot %lparen expr %rparen pauliList %semi
  {% (d) => ({ k: 'rot', tok: d[0], angle: d[2], factors: consToArray(d[4]) }) %}

pauliList -> pauliFactor  {% one %}
  | pauliList pauliFactor  {% cons %}

# `X0`, `Z12`, `I` (checked when lowering), or a letter with an index expression: `Y[i+1]`.
pauliFactor -> %ident  {% factor %}
  | %ident %lbrack expr %rbrack  {% factor %}

forStmt -> %kw_for %ident %kw_in expr %dotdot expr %lbrace stmtList %rbrace
  {% (d) => ({ k: 'for', tok: d[0], variable: d[1], from: d[3], to: d[5], body: consToArray(d[7]) }) %}

# ---- observables ----

obsSum -> obsTerm  {% (d) => ({ item: signed(false, d[0]), prev: null }) %}
  | %minus obsTerm  {% (d) => ({ item: signed(true, d[1]), prev: null }) %}
  | %plus obsTerm  {% (d) => ({ item: signed(false, d[1]), prev: null }) %}
  | obsSum %plus obsTerm  {% (d) => ({ item: signed(false, d[2]), prev: d[0] }) %}
  | obsSum %minus obsTerm  {% (d) => ({ item: signed(true, d[2]), prev: d[0] }) %}

obsTerm -> obsCoeff  {% (d) => term(d[0], null) %}
  | obsLoop  {% id %}
  | obsCoeff pauliProduct  {% (d) => term(d[0], d[1]) %}
  | obsCoeff %times pauliProduct  {% (d) => term(d[0], d[2]) %}
  | pauliProduct  {% (d) => term(null, d[0]) %}

# `sum i in 0..n { 0.5*Z[i] Z[i+1] }`: the body's terms for each i (half-open range, like `for`).
obsLoop -> %kw_sum %ident %kw_in expr %dotdot expr %lbrace obsSum %rbrace
  {% (d) => ({ coeff: null, factors: [], loop: { tok: d[0], variable: d[1], from: d[3], to: d[5], body: consToArray(d[7]) } }) %}
  | obsCoeff %times obsLoop
  {% (d) => ({ coeff: d[0], factors: [], loop: d[2].loop }) %}

obsCoeff -> %number  {% leaf('num') %}
  | %lparen expr %rparen  {% paren %}

pauliProduct -> pauliFactor  {% one %}
  | pauliProduct pauliFactor  {% cons %}
  | pauliProduct %times pauliFactor  {% consSkip %}

# ---- expressions ----
# Angles, indices, bounds. Precedence: unary sign > * / % > + -, all left-associative.

expr -> sum  {% id %}

sum -> sum %plus prod  {% bin %}
  | sum %minus prod  {% bin %}
  | prod  {% id %}

prod -> prod %times unary  {% bin %}
  | prod %divide unary  {% bin %}
  | prod %mod unary  {% bin %}
  | unary  {% id %}

unary -> %minus unary  {% (d) => ({ k: 'neg', tok: d[0], arg: d[1] }) %}
  | %plus unary  {% (d) => d[1] %}
  | atom  {% id %}

atom -> %number  {% leaf('num') %}
  | %kw_pi  {% leaf('pi') %}
  | name  {% leaf('name') %}
  | name %lbrack expr %rbrack  {% indexNode %}
  | %lparen expr %rparen  {% paren %}

# Qubit operands: the same expressions, but not starting with a sign (operands are separated by
# blanks only) and, for the first operand, not with '(' (that is the angle list).
operand -> osum  {% id %}

osum -> osum %plus prod  {% bin %}
  | osum %minus prod  {% bin %}
  | oprod  {% id %}

oprod -> oprod %times unary  {% bin %}
  | oprod %divide unary  {% bin %}
  | oprod %mod unary  {% bin %}
  | oatom  {% id %}

oatom -> fatom  {% id %}
  | %lparen expr %rparen  {% paren %}

firstOperand -> fsum  {% id %}

fsum -> fsum %plus prod  {% bin %}
  | fsum %minus prod  {% bin %}
  | fprod  {% id %}

fprod -> fprod %times unary  {% bin %}
  | fprod %divide unary  {% bin %}
  | fprod %mod unary  {% bin %}
  | fatom  {% id %}

# Gate names are not operands (see the header).
fatom -> %number  {% leaf('num') %}
  | %kw_pi  {% leaf('pi') %}
  | %ident  {% leaf('name') %}
  | %ident %lbrack expr %rbrack  {% indexNode %}
