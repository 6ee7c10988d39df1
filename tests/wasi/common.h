// Shared by the WASI test programs, which are built twice, for wasm32-wasi
// (against wasi-libc) and natively (against glibc), and must print the same
// text: errno values differ between the two libcs, so they print names.
#ifndef RIVET_TESTS_WASI_COMMON_H_
#define RIVET_TESTS_WASI_COMMON_H_

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline const char* errno_name(int e) {
  switch (e) {
    case 0: return "ok";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EPERM: return "EPERM";
    case ESPIPE: return "ESPIPE";
    case EXDEV: return "EXDEV";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: {
      static char buffer[32];
      snprintf(buffer, sizeof buffer, "errno %d", e);
      return buffer;
    }
  }
}

// Prints "label: ok" when `result` is not negative, else "label: ENAME".
static inline int report(const char* label, int result) {
  printf("%s: %s\n", label, result < 0 ? errno_name(errno) : "ok");
  return result;
}

#define REPORT(expr) report(#expr, (errno = 0, (int)(expr)))

#endif  // RIVET_TESTS_WASI_COMMON_H_
