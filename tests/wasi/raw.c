// WASI calls made directly (wasm only), for what libc never asks: guest
// pointers outside memory (EFAULT, never a crash), bad arguments, rights,
// poll_oneoff subscriptions, fd_renumber, fd_readdir with a small buffer,
// random_get with a large buffer. Prints the raw WASI errno of each call
// (21 EFAULT, 28 EINVAL, 8 EBADF, 76 ENOTCAPABLE). Run with stdin from a
// file and a writable preopened directory as fd 3.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define PREOPEN 3
#define BAD ((void*)0xfffffff0u)    // past the end of any memory this program has
#define EDGE ((void*)0xffffff00u)

static const __wasi_rights_t kAll = ~(__wasi_rights_t)0 >> 34;  // every right WASI defines

static __wasi_fd_t open_file(const char* path, __wasi_oflags_t oflags) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = __wasi_path_open(PREOPEN, 0, path, oflags, kAll, kAll, 0, &fd);
  if (e != 0) printf("open %s: %d\n", path, e);
  return fd;
}

static __wasi_errno_t write_text(__wasi_fd_t fd, const char* text) {
  __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

int main(void) {
  // Bad pointers.
  __wasi_size_t n, m;
  __wasi_ciovec_t iov_bad_buf = {EDGE, 0x1000};
  __wasi_ciovec_t iov_ok = {(const uint8_t*)"x\n", 2};
  printf("fd_write iovs out of bounds: %d\n", __wasi_fd_write(1, BAD, 1, &n));
  printf("fd_write buffer out of bounds: %d\n", __wasi_fd_write(1, &iov_bad_buf, 1, &n));
  printf("fd_write nwritten out of bounds: %d\n", __wasi_fd_write(1, &iov_ok, 1, BAD));
  printf("fd_write huge iovs_len: %d\n", __wasi_fd_write(1, &iov_ok, 0x7fffffff, &n));
  __wasi_iovec_t in_bad = {EDGE, 0x1000};
  printf("fd_read buffer out of bounds: %d\n", __wasi_fd_read(0, &in_bad, 1, &n));
  printf("fd_pread iovs out of bounds: %d\n", __wasi_fd_pread(0, BAD, 1, 0, &n));
  printf("args_sizes_get out of bounds: %d\n", __wasi_args_sizes_get(BAD, &m));
  printf("args_get out of bounds: %d\n", __wasi_args_get(BAD, BAD));
  printf("environ_sizes_get out of bounds: %d\n", __wasi_environ_sizes_get(&n, BAD));
  printf("environ_get out of bounds: %d\n", __wasi_environ_get(BAD, BAD));
  printf("clock_time_get out of bounds: %d\n", __wasi_clock_time_get(0, 0, BAD));
  printf("clock_res_get out of bounds: %d\n", __wasi_clock_res_get(1, BAD));
  printf("random_get out of bounds: %d\n", __wasi_random_get(EDGE, 0x1000));
  printf("fd_fdstat_get out of bounds: %d\n", __wasi_fd_fdstat_get(1, BAD));
  printf("fd_filestat_get out of bounds: %d\n", __wasi_fd_filestat_get(1, BAD));
  printf("fd_prestat_get out of bounds: %d\n", __wasi_fd_prestat_get(PREOPEN, BAD));
  printf("fd_prestat_dir_name out of bounds: %d\n", __wasi_fd_prestat_dir_name(PREOPEN, BAD, 8));
  printf("fd_seek out of bounds: %d\n", __wasi_fd_seek(0, 0, __WASI_WHENCE_CUR, BAD));
  printf("fd_tell out of bounds: %d\n", __wasi_fd_tell(0, BAD));
  printf("fd_readdir out of bounds: %d\n", __wasi_fd_readdir(PREOPEN, EDGE, 0x1000, 0, &n));
  __wasi_fd_t fd;
  printf("path_open result out of bounds: %d\n",
         __wasi_path_open(PREOPEN, 0, ".", 0, kAll, kAll, 0, BAD));
  printf("path_filestat_get out of bounds: %d\n",
         __wasi_path_filestat_get(PREOPEN, 0, ".", BAD));
  printf("poll_oneoff out of bounds: %d\n", __wasi_poll_oneoff(BAD, BAD, 1, &n));

  // Bad arguments and descriptors.
  __wasi_timestamp_t t;
  printf("clock_time_get unknown clock: %d\n", __wasi_clock_time_get(99, 0, &t));
  printf("fd_write bad fd: %d\n", __wasi_fd_write(42, &iov_ok, 1, &n));
  printf("fd_close bad fd: %d\n", __wasi_fd_close(42));
  printf("fd_seek bad whence: %d\n", __wasi_fd_seek(0, 0, 7, &t));
  printf("fd_prestat_get stdin: %d\n", __wasi_fd_prestat_get(0, &(__wasi_prestat_t){0}));
  printf("fd_prestat_get past preopens: %d\n", __wasi_fd_prestat_get(4, &(__wasi_prestat_t){0}));
  __wasi_prestat_t prestat;
  printf("fd_prestat_get preopen: %d", __wasi_fd_prestat_get(PREOPEN, &prestat));
  printf(" tag=%d name_len=%lu\n", prestat.tag, prestat.u.dir.pr_name_len);
  char name[16] = {0};
  printf("fd_prestat_dir_name short buffer: %d\n",
         __wasi_fd_prestat_dir_name(PREOPEN, (uint8_t*)name, 0));
  printf("fd_prestat_dir_name: %d [%s]\n",
         __wasi_fd_prestat_dir_name(PREOPEN, (uint8_t*)name, prestat.u.dir.pr_name_len), name);
  printf("fd_readdir on a file: %d\n", __wasi_fd_readdir(0, (uint8_t*)name, sizeof name, 0, &n));
  printf("path_open on a file: %d\n", __wasi_path_open(0, 0, "x", 0, kAll, kAll, 0, &fd));
  printf("path_open empty path: %d\n", __wasi_path_open(PREOPEN, 0, "", 0, kAll, kAll, 0, &fd));
  printf("fd_filestat_set_times atim and atim_now: %d\n",
         __wasi_fd_filestat_set_times(0, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  printf("sched_yield: %d\n", __wasi_sched_yield());
  printf("sock_accept on a file: %d\n", __wasi_sock_accept(0, 0, &fd));
  printf("sock_shutdown bad fd: %d\n", __wasi_sock_shutdown(42, __WASI_SDFLAGS_WR));

  // stdio.
  __wasi_fdstat_t stat;
  printf("fd_fdstat_get stdin: %d", __wasi_fd_fdstat_get(0, &stat));
  printf(" filetype=%d read=%d\n", stat.fs_filetype,
         !!(stat.fs_rights_base & __WASI_RIGHTS_FD_READ));
  printf("fd_fdstat_get preopen: %d", __wasi_fd_fdstat_get(PREOPEN, &stat));
  printf(" filetype=%d path_open=%d\n", stat.fs_filetype,
         !!(stat.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));

  // Rights only shrink.
  __wasi_fd_t a = open_file("a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  printf("write a.txt: %d\n", write_text(a, "contents of a\n"));
  __wasi_fdstat_t before;
  (void)__wasi_fd_fdstat_get(a, &before);
  printf("fd_fdstat_set_rights drop write: %d\n",
         __wasi_fd_fdstat_set_rights(a, before.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, 0));
  printf("write without the right: %d\n", write_text(a, "more"));
  printf("fd_fdstat_set_rights add it back: %d\n",
         __wasi_fd_fdstat_set_rights(a, before.fs_rights_base, 0));

  // fd_renumber: b's number now refers to a's file; a's number is free.
  __wasi_fd_t b = open_file("b.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  printf("fd_renumber a -> b: %d\n", __wasi_fd_renumber(a, b));
  char buffer[64] = {0};
  __wasi_iovec_t iov = {(uint8_t*)buffer, sizeof buffer - 1};
  printf("pread b: %d", __wasi_fd_pread(b, &iov, 1, 0, &n));
  printf(" [%.*s]\n", (int)n - 1, buffer);
  printf("fd_close a: %d\n", __wasi_fd_close(a));
  printf("fd_renumber to a closed fd: %d\n", __wasi_fd_renumber(b, a));
  printf("fd_close b: %d\n", __wasi_fd_close(b));

  // fd_readdir into a buffer too small for one entry: it fills it.
  __wasi_dircookie_t cookie = 0;
  uint8_t small[30];
  printf("fd_readdir small buffer: %d", __wasi_fd_readdir(PREOPEN, small, sizeof small, cookie, &n));
  printf(" used=%lu\n", n);
  uint8_t big[4096];
  printf("fd_readdir: %d", __wasi_fd_readdir(PREOPEN, big, sizeof big, 0, &n));
  int entries = 0;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= n;) {
    __wasi_dirent_t d;
    memcpy(&d, big + at, sizeof d);
    at += sizeof d + d.d_namlen;
    ++entries;
  }
  printf(" entries=%d\n", entries);  // ., .., a.txt, b.txt

  // poll_oneoff.
  __wasi_subscription_t subs[3];
  __wasi_event_t events[3];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 11;
  subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[0].u.u.clock.timeout = 10 * 1000000;
  subs[1] = subs[0];
  subs[1].userdata = 12;
  subs[1].u.u.clock.timeout = 10ull * 1000000000;
  printf("poll two clocks: %d", __wasi_poll_oneoff(subs, events, 2, &n));
  printf(" n=%lu userdata=%llu error=%d type=%d\n", n, (unsigned long long)events[0].userdata,
         events[0].error, events[0].type);
  subs[2].userdata = 13;
  subs[2].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[2].u.u.fd_read.file_descriptor = 0;
  printf("poll stdin and a clock: %d", __wasi_poll_oneoff(subs + 1, events, 2, &n));
  printf(" n=%lu userdata=%llu error=%d type=%d nbytes=%llu\n", n,
         (unsigned long long)events[0].userdata, events[0].error, events[0].type,
         (unsigned long long)events[0].fd_readwrite.nbytes);
  subs[2].u.u.fd_read.file_descriptor = 42;
  printf("poll a bad fd: %d", __wasi_poll_oneoff(subs + 2, events, 1, &n));
  printf(" n=%lu userdata=%llu error=%d\n", n, (unsigned long long)events[0].userdata,
         events[0].error);
  (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, &t);
  subs[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
  subs[0].u.u.clock.timeout = t - 1000000000;
  subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  printf("poll a past realtime deadline: %d n=%lu\n", __wasi_poll_oneoff(subs, events, 1, &n), n);
  subs[0].u.u.clock.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
  printf("poll a cputime clock: %d", __wasi_poll_oneoff(subs, events, 1, &n));
  printf(" n=%lu error=%d\n", n, events[0].error);
  printf("poll nothing: %d\n", __wasi_poll_oneoff(subs, events, 0, &n));

  // random_get, more than one host call's worth.
  static uint8_t random[100000];
  printf("random_get 100000: %d", __wasi_random_get(random, sizeof random));
  int zeros = 0;
  for (size_t i = 0; i < sizeof random; ++i) zeros += random[i] == 0;
  printf(" mostly non-zero: %s\n", zeros < 2000 ? "yes" : "no");

  printf("path_unlink_file: %d %d\n", __wasi_path_unlink_file(PREOPEN, "a.txt"),
         __wasi_path_unlink_file(PREOPEN, "b.txt"));
  return 0;
}
