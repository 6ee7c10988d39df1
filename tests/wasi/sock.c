// sock_recv, sock_send and sock_shutdown on fd 0, which wasi_api_test.cc
// makes one end of a socket pair: echoes what it receives, upper-cased.
#include <ctype.h>
#include <wasi/api.h>

int main(void) {
  char buffer[64];
  __wasi_iovec_t in = {(uint8_t*)buffer, sizeof buffer};
  __wasi_size_t received = 0;
  __wasi_roflags_t roflags = 0;
  __wasi_errno_t e = __wasi_sock_recv(0, &in, 1, 0, &received, &roflags);
  if (e != 0) return 100 + e;
  for (__wasi_size_t i = 0; i < received; ++i) buffer[i] = (char)toupper((unsigned char)buffer[i]);
  __wasi_ciovec_t out = {(const uint8_t*)buffer, received};
  __wasi_size_t sent = 0;
  e = __wasi_sock_send(0, &out, 1, 0, &sent);
  if (e != 0) return 150 + e;
  e = __wasi_sock_shutdown(0, __WASI_SDFLAGS_WR);
  if (e != 0) return 200 + e;
  return sent == received ? 0 : 99;
}
