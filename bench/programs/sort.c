// sort: memory-heavy sorting of 32-bit keys in static arrays. Each round
// fills an array from a PRNG and sorts copies three ways: an introsort-style
// quicksort (median of three, insertion sort for short ranges), a bottom-up
// merge sort through a second buffer, and a least-significant-digit radix
// sort with byte histograms. Checks that all agree and hashes the result.
// Measures loads and stores across a 1 MiB working set, data-dependent
// branches and index arithmetic.
#include "common.h"

#define COUNT 32768

static uint32_t src[COUNT], a[COUNT], b[COUNT], tmp[COUNT], c[COUNT];

static void insertion_sort(uint32_t* v, int32_t lo, int32_t hi) {  // [lo, hi]
  for (int32_t i = lo + 1; i <= hi; i++) {
    uint32_t x = v[i];
    int32_t j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static void quick_sort(uint32_t* v, int32_t lo, int32_t hi) {  // [lo, hi]
  while (hi - lo > 16) {
    int32_t mid = lo + (hi - lo) / 2;
    // Median of three into v[mid].
    if (v[mid] < v[lo]) { uint32_t t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
    if (v[hi] < v[lo]) { uint32_t t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
    if (v[hi] < v[mid]) { uint32_t t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
    uint32_t pivot = v[mid];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        uint32_t t = v[i]; v[i] = v[j]; v[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller side, loop on the larger.
    if (j - lo < hi - i) {
      quick_sort(v, lo, j);
      lo = i;
    } else {
      quick_sort(v, i, hi);
      hi = j;
    }
  }
  insertion_sort(v, lo, hi);
}

// Bottom-up merge sort; the result ends up in v.
static void merge_sort(uint32_t* v, uint32_t* w, int32_t n) {
  uint32_t* from = v;
  uint32_t* to = w;
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      int32_t mid = lo + width < n ? lo + width : n;
      int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) to[k++] = from[j] < from[i] ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    uint32_t* t = from;
    from = to;
    to = t;
  }
  if (from != v)
    for (int32_t i = 0; i < n; i++) v[i] = from[i];
}

static void radix_sort(uint32_t* v, uint32_t* w, int32_t n) {
  uint32_t count[256];
  for (int shift = 0; shift < 32; shift += 8) {
    for (int d = 0; d < 256; d++) count[d] = 0;
    for (int32_t i = 0; i < n; i++) count[(v[i] >> shift) & 0xffu]++;
    uint32_t total = 0;
    for (int d = 0; d < 256; d++) {
      uint32_t c = count[d];
      count[d] = total;
      total += c;
    }
    for (int32_t i = 0; i < n; i++) w[count[(v[i] >> shift) & 0xffu]++] = v[i];
    uint32_t* t = v;
    v = w;
    w = t;
  }
  // Four passes: the result is back in the original v.
}

int32_t run(int32_t n) {
  Rng32 rng;
  rng32_seed(&rng, 0x5EED5u);
  uint32_t h = 0;
  for (int32_t round = 0; round < n; round++) {
    // Keys over a range that depends on the round, so that some rounds have
    // many duplicates.
    uint32_t mask = round & 1 ? 0xffffffffu : 0x3fffu;
    for (int32_t i = 0; i < COUNT; i++) src[i] = rng32_next(&rng) & mask;
    for (int32_t i = 0; i < COUNT; i++) a[i] = b[i] = c[i] = src[i];
    quick_sort(a, 0, COUNT - 1);
    merge_sort(b, tmp, COUNT);
    radix_sort(c, tmp, COUNT);
    uint32_t disorder = 0, differ = 0, sum = 0;
    for (int32_t i = 0; i < COUNT; i++) {
      if (i > 0) disorder += a[i - 1] > a[i];
      differ += (a[i] != b[i]) + (a[i] != c[i]);
      sum = sum * 31u + a[i];
    }
    h = mix32(h, sum);
    h = mix32(h, disorder * 65536u + differ);
    // The next round's stream also depends on this one's result.
    rng32_seed(&rng, rng.s ^ (a[COUNT / 2] | 1u));
  }
  return (int32_t)h;
}
