// The few libc routines clang may emit calls to when compiling freestanding C
// for wasm32 with -nostdlib (struct copies, array zeroing). Each test program
// includes this once, so that it links without a libc.
#ifndef RIVET_TESTS_WASM_LIBC_MIN_H_
#define RIVET_TESTS_WASM_LIBC_MIN_H_

typedef unsigned long size_t;

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

#endif  // RIVET_TESTS_WASM_LIBC_MIN_H_
