/* The guest of the embedding examples: a small WebAssembly module written in
 * freestanding C, compiled at build time by clang-19 (see examples/BUILD).
 *
 * It imports two host functions from the module "host":
 *   log(ptr, len)  prints `len` bytes of this module's memory at `ptr`;
 *   add(a, b)      returns a + b (the host counts its calls).
 * and exports its memory and these functions:
 *   greet()           logs a greeting through host.log;
 *   sum(n)            1 + 2 + ... + n, every addition done by host.add;
 *   describe(n)       writes "<n> squared is <n*n>" into `buffer` and
 *                     returns its length (the host reads it from memory);
 *   buffer_address()  where describe() writes;
 *   divide(a, b)      a / b through the helper quotient(): traps with
 *                     "integer divide by zero" when b is 0, on purpose;
 *   log_range(p, n)   passes any range to host.log, so that the host can
 *                     refuse one that is out of bounds with a trap of its own.
 * The linker keeps the "name" section, so traps name these functions.
 */

#define IMPORT(name) __attribute__((import_module("host"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))
#define NOINLINE __attribute__((noinline))

IMPORT("log") void host_log(const char* ptr, int len);
IMPORT("add") int host_add(int a, int b);

static const char kGreeting[] = "Hello from the guest!";
static char buffer[64];

EXPORT("greet") void greet(void) { host_log(kGreeting, sizeof kGreeting - 1); }

EXPORT("sum") int sum(int n) {
  int total = 0;
  for (int i = 1; i <= n; ++i) total = host_add(total, i);
  return total;
}

/* Appends the decimal digits of `value` at `out`; returns the new end. */
static char* append_int(char* out, long long value) {
  char digits[24];
  int count = 0;
  unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
  do {
    digits[count++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (value < 0) *out++ = '-';
  while (count) *out++ = digits[--count];
  return out;
}

static char* append_str(char* out, const char* s) {
  while (*s) *out++ = *s++;
  return out;
}

EXPORT("describe") int describe(int n) {
  char* end = append_int(buffer, n);
  end = append_str(end, " squared is ");
  end = append_int(end, (long long)n * n);
  return (int)(end - buffer);
}

EXPORT("buffer_address") char* buffer_address(void) { return buffer; }

/* Kept out of line so that a trap in it shows two frames. */
NOINLINE int quotient(int a, int b) { return a / b; }

EXPORT("divide") int divide(int a, int b) { return quotient(a, b); }

EXPORT("log_range") void log_range(int ptr, int len) { host_log((const char*)ptr, len); }
