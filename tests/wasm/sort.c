// Sorting test program: quicksort and insertion sort over ints and doubles,
// with the comparison passed as a function pointer (so the module has a
// table, an element segment and call_indirect), initialised arrays (data
// segments) and recursion.
#include "libc_min.h"

typedef int (*int_cmp)(int, int);
typedef int (*double_cmp)(double, double);

static int ascending(int a, int b) { return (a > b) - (a < b); }
static int descending(int a, int b) { return (a < b) - (a > b); }
static int by_last_digit(int a, int b) {
  int da = a % 10, db = b % 10;
  return da != db ? da - db : ascending(a, b);
}
static int double_ascending(double a, double b) { return (a > b) - (a < b); }
static int double_descending(double a, double b) { return (a < b) - (a > b); }

static const int_cmp kIntOrders[] = {ascending, descending, by_last_digit};
static const double_cmp kDoubleOrders[] = {double_ascending, double_descending};

int numbers[48] = {
    31, 4,  159, 26,  535, 89,  79, 32,  384, 626, 43, 383, 27,  950, 288, 41,
    97, 16, 939, 937, 510, 58,  20, 974, 944, 592, 30, 781, 640, 628, 620, 899,
    86, 28, 34,  825, 342, 117, 67, 982, 148, 86,  51, 328, 230, 664, 709, 384,
};
double reals[12] = {3.5, -1.25, 1e10, 0.0, -7.0, 2.75, 1e-3, 42.0, -0.5, 8.0, 6.25, 3.0};

__attribute__((noinline)) static void swap_ints(int* a, int* b) {
  int t = *a;
  *a = *b;
  *b = t;
}

__attribute__((noinline)) void quicksort(int* a, int lo, int hi, int_cmp cmp) {
  while (lo < hi) {
    int pivot = a[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (cmp(a[i], pivot) < 0) ++i;
      while (cmp(a[j], pivot) > 0) --j;
      if (i <= j) swap_ints(&a[i++], &a[j--]);
    }
    // Recurse into the smaller half, loop on the larger.
    if (j - lo < hi - i) {
      quicksort(a, lo, j, cmp);
      lo = i;
    } else {
      quicksort(a, i, hi, cmp);
      hi = j;
    }
  }
}

__attribute__((noinline)) void insertion_sort_doubles(double* a, int n, double_cmp cmp) {
  for (int i = 1; i < n; ++i) {
    double x = a[i];
    int j = i - 1;
    while (j >= 0 && cmp(a[j], x) > 0) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = x;
  }
}

int is_sorted(const int* a, int n, int order) {
  int_cmp cmp = kIntOrders[order % 3];
  for (int i = 1; i < n; ++i) {
    if (cmp(a[i - 1], a[i]) > 0) return 0;
  }
  return 1;
}

// Sorts `numbers` in the given order and returns a position-weighted checksum.
long long sort_numbers(int order) {
  quicksort(numbers, 0, 47, kIntOrders[order % 3]);
  long long sum = 0;
  for (int i = 0; i < 48; ++i) sum = sum * 31 + numbers[i];
  return is_sorted(numbers, 48, order) ? sum : -1;
}

double sort_reals(int descending_order) {
  insertion_sort_doubles(reals, 12, kDoubleOrders[descending_order & 1]);
  double weighted = 0;
  for (int i = 0; i < 12; ++i) weighted += reals[i] * (i + 1);
  return weighted;
}

float median3(float a, float b, float c) {
  if (a > b) { float t = a; a = b; b = t; }
  if (b > c) { float t = b; b = c; c = t; }
  if (a > b) { float t = a; a = b; b = t; }
  return b;
}
