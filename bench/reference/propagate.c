/*
 * Calibration reference for bench/propagation.ts: a tight single-threaded C implementation of
 * the algorithm of src/propagation/core.ts (Heisenberg Pauli propagation with PauliPropagation.jl
 * semantics: gates last to first, apply -> merge -> truncate; weight and |c| truncations).
 * It is a measuring stick, not part of the product. Built by the bench script with
 *   cc -O2 -DNW=<words> -o propagate-<words> propagate.c
 * where NW = 64-bit words per plane (1 up to 64 qubits, 2 up to 128).
 *
 * Same algorithm as the JS core's wide store: strings as 2*NW words in one flat array,
 * coefficients in another; an open-addressing index of [entry, hash] int32 pairs (power-of-two
 * slots, load <= 1/2, linear probing, home = top bits, backward-shift deletion); per rotation,
 * windows of 1024 entries: anticommuting candidates by a parity test on the generator's words,
 * partner hashes, a prefetch pass, then lookup / pair update / insert; deletions at the end of
 * the gate (highest first, swapped with the last entry). The JS narrow store additionally keeps
 * per-qubit bit planes for the scan; this reference does not.
 *
 * Input (text, stdin): n maxWeight minAbs numGates, then per gate (already in Heisenberg order)
 * "w gx gz ... cos sin" with w = number of (word, gx, gz) triples (64-bit words in hex), then the
 * observable: count, then per term 2*NW hex words and a coefficient. Output: one JSON line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#ifndef NW
#define NW 1
#endif
#define STRIDE (2 * NW)
#define WINDOW 1024

typedef struct { int nw; int word[NW]; uint64_t gx[NW], gz[NW]; double c, s; } Gate;

static uint64_t *keys;   /* STRIDE words per entry */
static double *coef;
static int32_t *slots;   /* [entry, hash] */
static uint8_t *done;
static int32_t *del;
static int64_t cap, size, nslots, delCount;
static uint32_t shift, smask;
static int maxWeight;
static double minAbs;

static inline uint32_t hashKey(const uint64_t *k) {
  uint64_t h = 0x9747b28c9e3779b1ull;
  for (int i = 0; i < STRIDE; i++) { h ^= k[i]; h *= 0x9e3779b97f4a7c15ull; h ^= h >> 29; }
  h *= 0xbf58476d1ce4e5b9ull; h ^= h >> 32;
  return (uint32_t)h;
}
static inline int weightOf(const uint64_t *k) {
  int w = 0;
  for (int i = 0; i < NW; i++) w += __builtin_popcountll(k[i] | k[NW + i]);
  return w;
}
static void place(int32_t e, uint32_t h) {
  uint32_t s = h >> shift;
  while (slots[2 * s] >= 0) s = (s + 1) & smask;
  slots[2 * s] = e; slots[2 * s + 1] = (int32_t)h;
}
static void allocIndex(int64_t c) {
  int64_t n = 16; while (n < 2 * c) n *= 2;
  free(slots);
  slots = malloc(sizeof(int32_t) * 2 * n);
  for (int64_t i = 0; i < 2 * n; i++) slots[i] = -1;
  nslots = n; smask = (uint32_t)(n - 1); shift = 32 - (uint32_t)__builtin_ctzll((uint64_t)n);
}
static void grow(void) {
  int64_t nc = cap ? cap * 2 : 1024;
  keys = realloc(keys, sizeof(uint64_t) * STRIDE * nc);
  coef = realloc(coef, sizeof(double) * nc);
  done = realloc(done, nc); memset(done + cap, 0, nc - cap);
  del = realloc(del, sizeof(int32_t) * nc);
  cap = nc;
  allocIndex(cap);
  for (int64_t e = 0; e < size; e++) place((int32_t)e, hashKey(keys + STRIDE * e));
}
static int64_t findSlot(const uint64_t *k, uint32_t h) { /* entry or -(slot+1) */
  uint32_t s = h >> shift;
  for (;;) {
    int32_t e = slots[2 * s];
    if (e < 0) return -(int64_t)s - 1;
    if ((uint32_t)slots[2 * s + 1] == h && memcmp(keys + STRIDE * (int64_t)e, k, sizeof(uint64_t) * STRIDE) == 0) return e;
    s = (s + 1) & smask;
  }
}
static void removeSlot(uint32_t s) {
  uint32_t i = s, j = s;
  for (;;) {
    j = (j + 1) & smask;
    int32_t ej = slots[2 * j];
    if (ej < 0) break;
    uint32_t home = (uint32_t)slots[2 * j + 1] >> shift;
    int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    slots[2 * i] = ej; slots[2 * i + 1] = slots[2 * j + 1]; i = j;
  }
  slots[2 * i] = -1;
}
static uint32_t slotOf(int32_t e) {
  uint32_t s = hashKey(keys + STRIDE * (int64_t)e) >> shift;
  while (slots[2 * s] != e) s = (s + 1) & smask;
  return s;
}
static int cmpDesc(const void *a, const void *b) { return *(const int32_t *)b - *(const int32_t *)a; }
static void flush(void) {
  if (!delCount) return;
  qsort(del, (size_t)delCount, sizeof(int32_t), cmpDesc);
  for (int64_t i = 0; i < delCount; i++) {
    int32_t e = del[i];
    removeSlot(slotOf(e));
    int64_t last = --size;
    if (e != last) {
      slots[2 * slotOf((int32_t)last)] = e;
      memcpy(keys + STRIDE * (int64_t)e, keys + STRIDE * last, sizeof(uint64_t) * STRIDE);
      coef[e] = coef[last];
    }
  }
  delCount = 0;
}
static inline int anti(const uint64_t *k, const Gate *g) {
  uint64_t par = 0;
  for (int i = 0; i < g->nw; i++) par ^= (k[g->word[i]] & g->gz[i]) ^ (k[NW + g->word[i]] & g->gx[i]);
  return __builtin_parityll(par);
}
/* Sign s of iGQ = s*Q' from the cyclic/anticyclic letter pairs. */
static inline int signOf(const uint64_t *k, const Gate *g) {
  int kk = 0;
  for (int i = 0; i < g->nw; i++) {
    uint64_t gx = g->gx[i], gz = g->gz[i], x = k[g->word[i]], z = k[NW + g->word[i]];
    uint64_t gX = gx & ~gz, gY = gx & gz, gZ = ~gx & gz, qX = x & ~z, qY = x & z, qZ = z & ~x;
    kk += __builtin_popcountll((gX & qY) | (gY & qZ) | (gZ & qX)) - __builtin_popcountll((gY & qX) | (gZ & qY) | (gX & qZ));
  }
  return (kk & 3) == 1 ? -1 : 1;
}
static int32_t cand[WINDOW];
static uint32_t candHash[WINDOW];
static int64_t updates;

static void rotate(const Gate *g) {
  int64_t n0 = size;
  uint64_t tmp[STRIDE];
  for (int64_t scan = 0; scan < n0;) {
    int64_t end = scan + WINDOW < n0 ? scan + WINDOW : n0;
    int m = 0;
    for (int64_t e = scan; e < end; e++) {
      if (!anti(keys + STRIDE * e, g)) continue;
      if (done[e]) { done[e] = 0; continue; }
      cand[m++] = (int32_t)e;
    }
    scan = end;
    for (int i = 0; i < m; i++) {
      memcpy(tmp, keys + STRIDE * (int64_t)cand[i], sizeof tmp);
      for (int j = 0; j < g->nw; j++) { tmp[g->word[j]] ^= g->gx[j]; tmp[NW + g->word[j]] ^= g->gz[j]; }
      candHash[i] = hashKey(tmp);
      __builtin_prefetch(slots + 2 * (candHash[i] >> shift));
    }
    for (int i = 0; i < m; i++) {
      int32_t e = cand[i];
      uint64_t *k = keys + STRIDE * (int64_t)e;
      memcpy(tmp, k, sizeof tmp);
      for (int j = 0; j < g->nw; j++) { tmp[g->word[j]] ^= g->gx[j]; tmp[NW + g->word[j]] ^= g->gz[j]; }
      uint32_t h = candHash[i];
      int64_t r = findSlot(tmp, h);
      if (r >= 0 && r < e) continue;
      int sg = signOf(k, g);
      double c = coef[e];
      updates++;
      if (r >= 0) {
        updates++;
        double cp = coef[r];
        double nc = c * g->c + cp * g->s * -sg, ncp = cp * g->c + c * g->s * sg;
        coef[e] = nc; coef[r] = ncp;
        if (r >= scan) done[r] = 1;
        if (fabs(nc) < minAbs) del[delCount++] = e;
        if (fabs(ncp) < minAbs) del[delCount++] = (int32_t)r;
        continue;
      }
      double nc = c * g->c;
      coef[e] = nc;
      if (fabs(nc) < minAbs) del[delCount++] = e;
      double v = c * g->s * sg;
      if (fabs(v) < minAbs || weightOf(tmp) > maxWeight) continue;
      int64_t slot = -r - 1;
      if (size == cap) { grow(); slot = -findSlot(tmp, h) - 1; }
      int64_t ne = size++;
      memcpy(keys + STRIDE * ne, tmp, sizeof tmp);
      coef[ne] = v;
      slots[2 * slot] = (int32_t)ne; slots[2 * slot + 1] = (int32_t)h;
    }
  }
  flush();
}

int main(void) {
  int n, numGates;
  if (scanf("%d %d %lf %d", &n, &maxWeight, &minAbs, &numGates) != 4) return 2;
  Gate *gates = calloc((size_t)numGates, sizeof(Gate));
  for (int i = 0; i < numGates; i++) {
    Gate *g = &gates[i];
    if (scanf("%d", &g->nw) != 1 || g->nw > NW) return 2;
    for (int j = 0; j < g->nw; j++) if (scanf("%d %lx %lx", &g->word[j], (unsigned long *)&g->gx[j], (unsigned long *)&g->gz[j]) != 3) return 2;
    if (scanf("%lf %lf", &g->c, &g->s) != 2) return 2;
  }
  int nt;
  if (scanf("%d", &nt) != 1) return 2;
  grow();
  for (int t = 0; t < nt; t++) {
    uint64_t k[STRIDE]; double c;
    for (int j = 0; j < STRIDE; j++) if (scanf("%lx", (unsigned long *)&k[j]) != 1) return 2;
    if (scanf("%lf", &c) != 1) return 2;
    uint32_t h = hashKey(k);
    int64_t r = findSlot(k, h);
    if (r >= 0) { coef[r] += c; continue; }
    if (size == cap) { grow(); r = findSlot(k, h); }
    memcpy(keys + STRIDE * size, k, sizeof k); coef[size] = c;
    slots[2 * (-r - 1)] = (int32_t)size; slots[2 * (-r - 1) + 1] = (int32_t)h; size++;
  }
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  int64_t peak = size;
  for (int i = 0; i < numGates; i++) {
    rotate(&gates[i]);
    if (i == 0) {
      for (int64_t e = 0; e < size; e++) if (fabs(coef[e]) < minAbs || weightOf(keys + STRIDE * e) > maxWeight) del[delCount++] = (int32_t)e;
      flush();
    }
    if (size > peak) peak = size;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  double value = 0;
  for (int64_t e = 0; e < size; e++) {
    int zero = 1;
    for (int j = 0; j < NW; j++) if (keys[STRIDE * e + j]) zero = 0;
    if (zero) value += coef[e];
  }
  /* Bytes per entry of capacity: key, coefficient, done flag, deletion list, index slots. */
  double bytes = 8.0 * STRIDE + 8 + 1 + 4 + 8.0 * (double)nslots / (double)cap;
  printf("{\"value\":%.17g,\"terms\":%lld,\"peak_terms\":%lld,\"term_updates\":%lld,\"seconds\":%.6f,\"cpu_seconds\":%.6f,\"bytes_per_term\":%.2f,\"words\":%d}\n",
         value, (long long)size, (long long)peak, (long long)updates,
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
         (double)(c1.tv_sec - c0.tv_sec) + 1e-9 * (double)(c1.tv_nsec - c0.tv_nsec), bytes, NW);
  return 0;
}
