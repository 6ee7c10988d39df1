// memcpy, memmove and memset, which LLVM calls for block copies and fills on
// every target.
#include <stddef.h>
#include <stdint.h>

#include "loader/helpers/helper_impl.h"

// GCC would recognise these loops as the very functions they implement and
// call them (-ftree-loop-distribute-patterns); clang does not when building
// freestanding (-ffreestanding implies -fno-builtin).
#if defined(__GNUC__) && !defined(__clang__)
#define RIVET_NO_LIBCALL_IDIOMS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define RIVET_NO_LIBCALL_IDIOMS
#endif

namespace rivet::helpers {
namespace {

constexpr size_t kWord = sizeof(uintptr_t);

bool WordAligned(const void* pointer) {
  return (reinterpret_cast<uintptr_t>(pointer) & (kWord - 1)) == 0;
}

}  // namespace

RIVET_NO_LIBCALL_IDIOMS void* MemCopy(void* destination, const void* source, size_t size) {
  unsigned char* to = static_cast<unsigned char*>(destination);
  const unsigned char* from = static_cast<const unsigned char*>(source);
  // Words while both sides are aligned (may_alias: the bytes have any type).
  if (WordAligned(to) && WordAligned(from)) {
    using Word [[gnu::may_alias]] = uintptr_t;
    for (; size >= kWord; size -= kWord, to += kWord, from += kWord) {
      *reinterpret_cast<Word*>(to) = *reinterpret_cast<const Word*>(from);
    }
  }
  for (; size != 0; --size) *to++ = *from++;
  return destination;
}

RIVET_NO_LIBCALL_IDIOMS void* MemMove(void* destination, const void* source, size_t size) {
  unsigned char* to = static_cast<unsigned char*>(destination);
  const unsigned char* from = static_cast<const unsigned char*>(source);
  if (reinterpret_cast<uintptr_t>(to) - reinterpret_cast<uintptr_t>(from) >= size) {
    // The destination does not start inside the source: copying forwards
    // reads every byte before it is overwritten.
    return MemCopy(destination, source, size);
  }
  // Overlap with the destination above the source: copy backwards.
  while (size != 0) {
    --size;
    to[size] = from[size];
  }
  return destination;
}

RIVET_NO_LIBCALL_IDIOMS void* MemSet(void* destination, int value, size_t size) {
  unsigned char* to = static_cast<unsigned char*>(destination);
  const unsigned char byte = static_cast<unsigned char>(value);
  if (WordAligned(to)) {
    using Word [[gnu::may_alias]] = uintptr_t;
    Word pattern = byte;
    for (size_t filled = 1; filled < kWord; filled <<= 1) pattern |= pattern << (8 * filled);
    for (; size >= kWord; size -= kWord, to += kWord) *reinterpret_cast<Word*>(to) = pattern;
  }
  for (; size != 0; --size) *to++ = byte;
  return destination;
}

}  // namespace rivet::helpers
