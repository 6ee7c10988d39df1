// Standard input: a raw read() of the first bytes, then lines through stdio,
// echoed upper-cased with their lengths, then read() at end of input.
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int main(void) {
  char head[11] = {0};
  ssize_t n = read(0, head, 10);
  printf("read(10): %zd [%s]\n", n, n > 0 ? head : "");
  char line[1024];
  int lines = 0;
  size_t bytes = n > 0 ? (size_t)n : 0;
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    bytes += len;
    ++lines;
    for (size_t i = 0; i < len; ++i) line[i] = (char)toupper((unsigned char)line[i]);
    if (len && line[len - 1] == '\n') line[--len] = 0;
    if (lines <= 5 || lines % 1000 == 0) printf("%d (%zu): %s\n", lines, len, line);
  }
  printf("lines=%d bytes=%zu eof=%d error=%d\n", lines, bytes, feof(stdin), ferror(stdin));
  printf("read at eof: %zd\n", read(0, head, 10));
  return 0;
}
