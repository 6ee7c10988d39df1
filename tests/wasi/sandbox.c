// Escape attempts from the preopened directory (wasm only: natively there is
// no sandbox). Run with the directory prepared by wasi_test.cc as fd 3:
//   file_in.txt, sub/, sub/link_up -> ../file_in.txt, sub/link_chain ->
//   ../link_out, sub/link_parent -> .., link_out -> ../outside/secret.txt,
//   link_abs -> /ABSOLUTE/outside/secret.txt, link_dir_out -> .., loop1 ->
//   loop2, loop2 -> loop1; and beside it outside/secret.txt.
// Each line prints the raw WASI errno of one call (76 is ENOTCAPABLE), and
// for successful opens what the file holds.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "common.h"

#define PREOPEN 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static const __wasi_rights_t kRead = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                                     __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_PATH_OPEN |
                                     __WASI_RIGHTS_FD_READDIR;

// path_open, then read what it opened (if a file).
static void try_open(__wasi_fd_t dir, const char* path, __wasi_lookupflags_t flags) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, flags, path, 0, kRead, kRead, 0, &fd);
  printf("open %s%s: %d", path, flags & FOLLOW ? " (follow)" : "", e);
  if (e == 0) {
    char buffer[64] = {0};
    __wasi_iovec_t iov = {(uint8_t*)buffer, sizeof buffer - 1};
    __wasi_size_t n = 0;
    if (__wasi_fd_read(fd, &iov, 1, &n) == 0) {
      if (n && buffer[n - 1] == '\n') buffer[n - 1] = 0;
      printf(" [%s]", buffer);
    }
    (void)__wasi_fd_close(fd);
  }
  printf("\n");
}

static void try_stat(const char* path, __wasi_lookupflags_t flags) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(PREOPEN, flags, path, &st);
  printf("stat %s%s: %d", path, flags & FOLLOW ? " (follow)" : "", e);
  if (e == 0) printf(" type=%d", st.filetype);
  printf("\n");
}

int main(void) {
  // Sanity: what is allowed.
  try_open(PREOPEN, "file_in.txt", 0);
  try_open(PREOPEN, ".", 0);
  try_open(PREOPEN, "sub/../file_in.txt", 0);
  try_open(PREOPEN, "sub/link_up", FOLLOW);
  try_open(PREOPEN, "sub/link_parent/file_in.txt", 0);
  try_open(PREOPEN, "./sub/./../file_in.txt", 0);

  // "..", absolute paths.
  try_open(PREOPEN, "..", 0);
  try_open(PREOPEN, "../outside/secret.txt", 0);
  try_open(PREOPEN, "sub/../../outside/secret.txt", 0);
  try_open(PREOPEN, "sub/../sub/../..", 0);
  try_open(PREOPEN, "/etc/passwd", 0);
  try_open(PREOPEN, "/", 0);

  // Symbolic links pointing outside.
  try_open(PREOPEN, "link_out", FOLLOW);
  try_open(PREOPEN, "link_out", 0);  // not following: ELOOP, as O_NOFOLLOW
  try_open(PREOPEN, "link_abs", FOLLOW);
  try_open(PREOPEN, "link_dir_out/outside/secret.txt", 0);
  try_open(PREOPEN, "sub/link_chain", FOLLOW);
  try_open(PREOPEN, "sub/link_parent/../outside/secret.txt", 0);
  try_open(PREOPEN, "loop1", FOLLOW);
  try_stat("link_out", FOLLOW);
  try_stat("link_out", 0);
  try_stat("link_dir_out/", 0);
  try_stat("sub/link_up", FOLLOW);

  // A directory descriptor is a capability for its own subtree only.
  __wasi_fd_t sub;
  __wasi_errno_t e = __wasi_path_open(PREOPEN, 0, "sub", __WASI_OFLAGS_DIRECTORY, kRead, kRead,
                                      0, &sub);
  printf("open sub: %d\n", e);
  try_open(sub, "../file_in.txt", 0);
  try_open(sub, "link_up", FOLLOW);

  // Changes outside are refused too (wasi_test.cc checks nothing changed).
  printf("mkdir ../made: %d\n", __wasi_path_create_directory(PREOPEN, "../made"));
  printf("unlink ../outside/secret.txt: %d\n",
         __wasi_path_unlink_file(PREOPEN, "../outside/secret.txt"));
  printf("unlink link_dir_out/outside/secret.txt: %d\n",
         __wasi_path_unlink_file(PREOPEN, "link_dir_out/outside/secret.txt"));
  printf("rmdir ../outside: %d\n", __wasi_path_remove_directory(PREOPEN, "../outside"));
  printf("rename file_in.txt -> ../stolen.txt: %d\n",
         __wasi_path_rename(PREOPEN, "file_in.txt", PREOPEN, "../stolen.txt"));
  printf("rename ../outside/secret.txt -> here.txt: %d\n",
         __wasi_path_rename(PREOPEN, "../outside/secret.txt", PREOPEN, "here.txt"));
  printf("link ../outside/secret.txt -> hard.txt: %d\n",
         __wasi_path_link(PREOPEN, 0, "../outside/secret.txt", PREOPEN, "hard.txt"));
  printf("link link_out (follow) -> hard.txt: %d\n",
         __wasi_path_link(PREOPEN, FOLLOW, "link_out", PREOPEN, "hard.txt"));
  printf("symlink /etc/passwd -> abs: %d\n", __wasi_path_symlink("/etc/passwd", PREOPEN, "abs"));
  printf("symlink into ../: %d\n", __wasi_path_symlink("x", PREOPEN, "../x"));
  __wasi_timestamp_t t = 1000000000ull * 1000000000ull;
  printf("set times link_out (follow): %d\n",
         __wasi_path_filestat_set_times(PREOPEN, FOLLOW, "link_out", t, t,
                                        __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_fd_t created;
  printf("create through link_dir_out: %d\n",
         __wasi_path_open(PREOPEN, FOLLOW, "link_dir_out/created.txt", __WASI_OFLAGS_CREAT,
                          kRead, kRead, 0, &created));

  // Reading a link's text is fine, wherever it points.
  char target[128] = {0};
  __wasi_size_t used = 0;
  e = __wasi_path_readlink(PREOPEN, "link_out", (uint8_t*)target, sizeof target - 1, &used);
  printf("readlink link_out: %d [%s]\n", e, target);

  // The same through libc.
  errno = 0;
  FILE* f = fopen("../outside/secret.txt", "r");
  printf("fopen ../outside/secret.txt: %s\n", f ? "opened" : errno_name(errno));
  errno = 0;
  f = fopen("/etc/passwd", "r");
  printf("fopen /etc/passwd: %s\n", f ? "opened" : errno_name(errno));
  errno = 0;
  f = fopen("link_out", "r");
  printf("fopen link_out: %s\n", f ? "opened" : errno_name(errno));
  errno = 0;
  f = fopen("sub/link_up", "r");
  printf("fopen sub/link_up: %s\n", f ? "opened" : errno_name(errno));
  return 0;
}
