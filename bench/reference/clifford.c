/*
 * Calibration reference for bench/clifford.ts: a tight single-threaded C program that reads a flat
 * .ncl file of Clifford gates in one go and conjugates one Pauli observable through it in the
 * Heisenberg picture (gates last to first), printing its expectation in |0…0⟩. It is a measuring
 * stick for the whole `nearclifford simulate` process on the same file, not part of the product.
 * Built by the bench script with
 *   cc -O2 -o clifford clifford.c
 *
 * Input: the file named by argv[1], holding `qubits N;` and flat statements `name q;` /
 * `name q q;` (operands as integers or q[i]) of the IR's Clifford gates, comments `//`, `#` and
 * `/ * … * /`. Anything else is an error (this is a reference for the flat case only).
 * argv[2]: the observable as Pauli factors, e.g. "-Z0 X5 Y999" (an optional leading sign).
 * `--forward` (argv[3]): print the Schrödinger image U·P·U† instead (gates first to last, each by its
 * inverse), as an observable text: the bench uses it to pick an observable whose value is ±1.
 *
 * The gate rules are built from the same Heisenberg images as src/ir/clifford-gates.ts (copied
 * below), multiplied out once into 4- and 16-entry tables; the string is bit-packed X and Z words
 * and a sign, so a gate costs a few bit operations on the words of its qubits.
 * Output: one JSON line {"value", "gates", "qubits", "readSeconds", "parseSeconds", "evalSeconds"}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { G_H, G_S, G_SDG, G_X, G_Y, G_Z, G_SX, G_SXDG, G_CX, G_CY, G_CZ, G_SWAP, NUM_GATES };
static const char *NAMES[NUM_GATES] = { "h", "s", "sdg", "x", "y", "z", "sx", "sxdg", "cx", "cy", "cz", "swap" };
static const int INVERSE[NUM_GATES] = { G_H, G_SDG, G_S, G_X, G_Y, G_Z, G_SXDG, G_SX, G_CX, G_CY, G_CZ, G_SWAP };
/* Images U†·P·U of X0, Z0 (X1, Z1): a sign, then one letter per operand ('_' = identity). */
static const char *IMAGES[NUM_GATES][4] = {
  { "+Z", "+X" }, { "-Y", "+Z" }, { "+Y", "+Z" }, { "+X", "-Z" }, { "-X", "-Z" }, { "-X", "+Z" },
  { "+X", "+Y" }, { "+X", "-Y" },
  { "+XX", "+Z_", "+_X", "+ZZ" }, { "+XY", "+Z_", "+ZX", "+ZZ" }, { "+XZ", "+Z_", "+ZX", "+_Z" }, { "+_X", "+_Z", "+X_", "+Z_" },
};
static int arity(int g) { return g >= G_CX ? 2 : 1; }

/* Tables: code = x0 | z0<<1 | x1<<2 | z1<<3 -> image code, bit 4 = sign flip. */
static uint8_t TABLE[NUM_GATES][16];

/* i^e · X^x Z^z on two operands (bit 2j = x_j, bit 2j+1 = z_j). */
typedef struct { int e; unsigned xz; } Op;
static Op mul(Op a, Op b) {
  /* X^x1 Z^z1 · X^x2 Z^z2 = (-1)^(z1·x2) X^(x1+x2) Z^(z1+z2) per operand. */
  int e = a.e + b.e;
  for (int j = 0; j < 2; j++) if (((a.xz >> (2 * j + 1)) & 1) && ((b.xz >> (2 * j)) & 1)) e += 2;
  Op r = { e & 3, a.xz ^ b.xz };
  return r;
}
static Op image(const char *s) {
  Op r = { s[0] == '-' ? 2 : 0, 0 };
  for (int j = 0; s[1 + j]; j++) {
    char c = s[1 + j];
    if (c == 'X') r.xz |= 1u << (2 * j);
    else if (c == 'Z') r.xz |= 2u << (2 * j);
    else if (c == 'Y') { r.xz |= 3u << (2 * j); r.e = (r.e + 1) & 3; } /* Y = i·X·Z */
  }
  return r;
}
static void buildTables(void) {
  for (int g = 0; g < NUM_GATES; g++) {
    int codes = arity(g) == 2 ? 16 : 4;
    for (int code = 0; code < codes; code++) {
      /* The Hermitian string with these bits is i^(#Y) ∏ X^x Z^z; its image multiplies the images. */
      Op acc = { 0, 0 };
      int ys = 0;
      for (int j = 0; j < arity(g); j++) {
        int x = (code >> (2 * j)) & 1, z = (code >> (2 * j + 1)) & 1;
        if (x) acc = mul(acc, image(IMAGES[g][2 * j]));
        if (z) acc = mul(acc, image(IMAGES[g][2 * j + 1]));
        ys += x & z;
      }
      int ey = 0;
      for (int j = 0; j < 2; j++) ey += ((acc.xz >> (2 * j)) & 1) & ((acc.xz >> (2 * j + 1)) & 1);
      int phase = (acc.e + ys - ey) & 3; /* must be 0 or 2: the image is Hermitian */
      if (phase & 1) { fprintf(stderr, "bad table for %s\n", NAMES[g]); exit(3); }
      TABLE[g][code] = (uint8_t)(acc.xz | (phase == 2 ? 16 : 0));
    }
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static const char *text, *end, *p;
static int line = 1;
static void fail(const char *msg) {
  fprintf(stderr, "line %d: %s\n", line, msg);
  exit(1);
}
static void skip(void) {
  for (;;) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) { if (*p == '\n') line++; p++; }
    if (p < end && (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/'))) {
      while (p < end && *p != '\n') p++;
    } else if (p + 1 < end && *p == '/' && p[1] == '*') {
      p += 2;
      while (p + 1 < end && !(*p == '*' && p[1] == '/')) { if (*p == '\n') line++; p++; }
      if (p + 1 >= end) fail("unterminated comment");
      p += 2;
    } else return;
  }
}
static long integer(void) {
  if (p >= end || *p < '0' || *p > '9') fail("expected an integer");
  long v = 0;
  while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return v;
}
static long operand(void) {
  if (*p == 'q') {
    p++; skip();
    if (*p != '[') fail("expected [");
    p++; skip();
    long v = integer();
    skip();
    if (*p != ']') fail("expected ]");
    p++;
    return v;
  }
  return integer();
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: clifford FILE OBSERVABLE [--forward]\n"); return 2; }
  int forward = argc > 3 && strcmp(argv[3], "--forward") == 0;
  buildTables();
  double t0 = now();
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc(size + 1);
  if (fread(buf, 1, size, f) != (size_t)size) { perror("read"); return 1; }
  fclose(f);
  buf[size] = 0;
  double t1 = now();

  text = p = buf;
  end = buf + size;
  long n = -1, count = 0, cap = 1 << 20;
  uint8_t *ops = malloc(cap);
  int32_t *qs = malloc(2 * cap * sizeof(int32_t));
  for (;;) {
    skip();
    if (p >= end) break;
    const char *w = p;
    while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) p++;
    size_t len = (size_t)(p - w);
    if (len == 0) fail("expected a statement");
    if (len == 6 && memcmp(w, "qubits", 6) == 0) {
      skip();
      n = integer();
      skip();
      if (*p++ != ';') fail("expected ;");
      continue;
    }
    int g = -1;
    for (int k = 0; k < NUM_GATES; k++) if (strlen(NAMES[k]) == len && memcmp(w, NAMES[k], len) == 0) { g = k; break; }
    if (g < 0) fail("not a Clifford gate");
    if (n < 0) fail("gate before `qubits`");
    if (count == cap) {
      cap *= 2;
      ops = realloc(ops, cap);
      qs = realloc(qs, 2 * cap * sizeof(int32_t));
    }
    for (int j = 0; j < arity(g); j++) {
      skip();
      long q = operand();
      if (q >= n) fail("qubit out of range");
      qs[2 * count + j] = (int32_t)q;
    }
    if (arity(g) == 2 && qs[2 * count] == qs[2 * count + 1]) fail("repeated qubit");
    skip();
    if (*p++ != ';') fail("expected ;");
    ops[count++] = (uint8_t)g;
  }
  if (n < 0) fail("no qubits");
  double t2 = now();

  long words = (n + 63) / 64;
  uint64_t *x = calloc(words, 8), *z = calloc(words, 8);
  int sign = 0;
  const char *o = argv[2];
  while (*o == ' ') o++;
  if (*o == '-') { sign = 1; o++; } else if (*o == '+') o++;
  while (*o) {
    while (*o == ' ' || *o == '*') o++;
    if (!*o) break;
    char c = *o++;
    if (c != 'X' && c != 'Y' && c != 'Z' && c != 'I') { fprintf(stderr, "bad observable\n"); return 2; }
    long q = strtol(o, (char **)&o, 10);
    if (q < 0 || q >= n) { fprintf(stderr, "observable qubit out of range\n"); return 2; }
    if (c == 'X' || c == 'Y') x[q >> 6] |= 1ull << (q & 63);
    if (c == 'Z' || c == 'Y') z[q >> 6] |= 1ull << (q & 63);
  }

  for (long k = 0; k < count; k++) {
    long i = forward ? k : count - 1 - k;
    int g = forward ? INVERSE[ops[i]] : ops[i];
    int32_t a = qs[2 * i];
    uint64_t ma = 1ull << (a & 63);
    int wa = a >> 6;
    unsigned code = (unsigned)((x[wa] & ma) != 0) | ((unsigned)((z[wa] & ma) != 0) << 1);
    if (arity(g) == 1) {
      if (!code) continue;
      unsigned out = TABLE[g][code];
      sign ^= out >> 4;
      x[wa] = (x[wa] & ~ma) | ((out & 1) ? ma : 0);
      z[wa] = (z[wa] & ~ma) | ((out & 2) ? ma : 0);
    } else {
      int32_t b = qs[2 * i + 1];
      uint64_t mb = 1ull << (b & 63);
      int wb = b >> 6;
      code |= ((unsigned)((x[wb] & mb) != 0) << 2) | ((unsigned)((z[wb] & mb) != 0) << 3);
      if (!code) continue;
      unsigned out = TABLE[g][code];
      sign ^= out >> 4;
      x[wa] = (x[wa] & ~ma) | ((out & 1) ? ma : 0);
      z[wa] = (z[wa] & ~ma) | ((out & 2) ? ma : 0);
      x[wb] = (x[wb] & ~mb) | ((out & 4) ? mb : 0);
      z[wb] = (z[wb] & ~mb) | ((out & 8) ? mb : 0);
    }
  }
  double t3 = now();

  if (forward) {
    /* The image as observable text, e.g. "-X0 Z3 Y7". */
    if (sign) putchar('-');
    int first = 1;
    for (long q = 0; q < n; q++) {
      int xb = (x[q >> 6] >> (q & 63)) & 1, zb = (z[q >> 6] >> (q & 63)) & 1;
      if (!xb && !zb) continue;
      printf("%s%c%ld", first ? "" : " ", xb && zb ? 'Y' : xb ? 'X' : 'Z', q);
      first = 0;
    }
    if (first) putchar('I');
    putchar('\n');
    return 0;
  }
  int anyX = 0;
  for (long w = 0; w < words; w++) anyX |= x[w] != 0;
  double value = anyX ? 0.0 : (sign ? -1.0 : 1.0);
  printf("{\"value\": %g, \"gates\": %ld, \"qubits\": %ld, \"readSeconds\": %.6f, \"parseSeconds\": %.6f, \"evalSeconds\": %.6f}\n",
         value, count, n, t1 - t0, t2 - t1, t3 - t2);
  return 0;
}
