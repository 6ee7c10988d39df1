// recursion: deep trees of small calls. Naive Fibonacci (two calls per
// frame), the Takeuchi function (three nested calls, deep argument
// evaluation), N-queens by bitmask backtracking, and a recursive binary-tree
// build and walk over a static node pool. Measures call and return cost,
// argument passing and shallow frames.
#include "common.h"

static uint32_t fib(uint32_t k) { return k < 2 ? k : fib(k - 1) + fib(k - 2); }

static int32_t tak(int32_t x, int32_t y, int32_t z) {
  if (y < x) return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
  return z;
}

// Counts the placements of queens on the rows still free, given the columns
// and both diagonals already attacked (bit i = column i).
static uint32_t queens(uint32_t all, uint32_t cols, uint32_t diag1, uint32_t diag2) {
  if (cols == all) return 1;
  uint32_t count = 0;
  uint32_t free = all & ~(cols | diag1 | diag2);
  while (free) {
    uint32_t bit = free & (0u - free);
    free ^= bit;
    count += queens(all, cols | bit, ((diag1 | bit) << 1) & all, (diag2 | bit) >> 1);
  }
  return count;
}

// A binary tree of depth d, built recursively in a node pool, then reduced
// recursively.
typedef struct {
  int32_t left, right;  // indices into pool, -1 for none
  uint32_t value;
} Node;

#define POOL_SIZE (1 << 12)
static Node pool[POOL_SIZE];
static int32_t pool_used;

static int32_t build(int depth, uint32_t seed) {
  int32_t i = pool_used++;
  pool[i].value = seed;
  if (depth == 0) {
    pool[i].left = pool[i].right = -1;
  } else {
    pool[i].left = build(depth - 1, seed * 3u + 1u);
    pool[i].right = build(depth - 1, seed ^ (seed >> 3));
  }
  return i;
}

static uint32_t walk(int32_t i, uint32_t acc) {
  if (i < 0) return acc;
  acc = walk(pool[i].left, acc * 31u + pool[i].value);
  return walk(pool[i].right, acc ^ (acc >> 7));
}

int32_t run(int32_t n) {
  uint32_t h = 0x12345678u;
  for (int32_t i = 0; i < n; i++) {
    h = mix32(h, fib(17 + (h & 3)));
    h = mix32(h, (uint32_t)tak(12 + (int32_t)(h & 1), 8, 4));
    h = mix32(h, queens((1u << (6 + (h & 1))) - 1u, 0, 0, 0));
    pool_used = 0;
    int32_t root = build(9 + (int)(h & 1), h);
    h = mix32(h, walk(root, h));
  }
  return (int32_t)h;
}
