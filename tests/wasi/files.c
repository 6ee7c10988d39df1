// Files and directories through libc, in the current directory (the
// preopened directory for wasm): create, write, read, seek, tell, truncate,
// stat, readdir, rename, unlink, mkdir, rmdir, symlink, readlink, link and
// times. Prints results and errno names, which both builds must agree on.
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common.h"

static int compare(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

static char type_char(unsigned char type) {
  switch (type) {
    case DT_REG: return 'f';
    case DT_DIR: return 'd';
    case DT_LNK: return 'l';
    default: return '?';
  }
}

// Lists a directory, sorted, without "." and "..".
static void list(const char* path) {
  DIR* dir = opendir(path);
  if (!dir) {
    printf("opendir(%s): %s\n", path, errno_name(errno));
    return;
  }
  char* names[128];
  int count = 0;
  struct dirent* e;
  while ((e = readdir(dir)) && count < 128) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char* entry = malloc(strlen(e->d_name) + 3);
    sprintf(entry, "%s:%c", e->d_name, type_char(e->d_type));
    names[count++] = entry;
  }
  // Reading again after rewinddir sees the same number of entries.
  rewinddir(dir);
  int again = 0;
  while ((e = readdir(dir))) again += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(dir);
  qsort(names, count, sizeof names[0], compare);
  printf("ls %s (%d, again %d):", path, count, again);
  for (int i = 0; i < count; ++i) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void show_stat(const char* path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("stat %s: %s\n", path, errno_name(errno));
    return;
  }
  printf("stat %s: %s size=%lld nlink=%lu\n", path,
         S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" : "other",
         S_ISREG(st.st_mode) ? (long long)st.st_size : 0LL, (unsigned long)st.st_nlink);
}

static void show_lstat(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("lstat %s: %s\n", path, errno_name(errno));
    return;
  }
  printf("lstat %s: %s\n", path,
         S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "other");
}

static void show_file(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) {
    printf("read %s: %s\n", path, errno_name(errno));
    return;
  }
  char buffer[256];
  size_t n = fread(buffer, 1, sizeof buffer - 1, f);
  buffer[n] = 0;
  fclose(f);
  for (size_t i = 0; i < n; ++i) {
    if (buffer[i] == '\n') buffer[i] = '|';
    if (buffer[i] == 0) buffer[i] = '0';
  }
  printf("read %s: [%s]\n", path, buffer);
}

static void write_file(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    printf("create %s: %s\n", path, errno_name(errno));
    return;
  }
  ssize_t n = write(fd, text, strlen(text));
  printf("write %s: %zd\n", path, n);
  close(fd);
}

int main(void) {
  // Directories.
  REPORT(mkdir("d", 0755));
  REPORT(mkdir("d", 0755));
  REPORT(mkdir("e/", 0755));
  show_stat("d");

  // Create, write, read, seek, tell.
  write_file("d/a.txt", "hello world\n");
  int fd = REPORT(open("d/a.txt", O_RDWR));
  char buffer[64] = {0};
  printf("read: %zd [%.5s]\n", read(fd, buffer, 5), buffer);
  printf("tell: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek end-6: %lld\n", (long long)lseek(fd, -6, SEEK_END));
  memset(buffer, 0, sizeof buffer);
  printf("read rest: %zd [%.5s]\n", read(fd, buffer, sizeof buffer), buffer);
  printf("read at eof: %zd\n", read(fd, buffer, sizeof buffer));
  printf("seek set 3: %lld\n", (long long)lseek(fd, 3, SEEK_SET));
  printf("seek cur +2: %lld\n", (long long)lseek(fd, 2, SEEK_CUR));
  errno = 0;
  long long bad_seek = (long long)lseek(fd, -100, SEEK_SET);
  printf("seek before start: %lld %s\n", bad_seek, errno_name(errno));
  memset(buffer, 0, sizeof buffer);
  printf("pread(5, 6): %zd [%s]\n", pread(fd, buffer, 5, 6), buffer);
  printf("pwrite(HELLO, 0): %zd\n", pwrite(fd, "HELLO", 5, 0));
  printf("tell after pread/pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  struct iovec iov[3] = {{"a", 1}, {"bc", 2}, {"def", 3}};
  lseek(fd, 0, SEEK_END);
  printf("writev: %zd\n", writev(fd, iov, 3));
  char x[2] = {0}, y[4] = {0};
  struct iovec in[2] = {{x, 1}, {y, 3}};
  lseek(fd, -6, SEEK_END);
  printf("readv: %zd [%s][%s]\n", readv(fd, in, 2), x, y);
  REPORT(fsync(fd));
  REPORT(fdatasync(fd));
  REPORT(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
  struct stat st;
  REPORT(fstat(fd, &st));
  printf("fstat: size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  REPORT(ftruncate(fd, 5));
  REPORT(fstat(fd, &st));
  printf("after ftruncate(5): size=%lld\n", (long long)st.st_size);
  REPORT(ftruncate(fd, 20));
  show_file("d/a.txt");
  printf("posix_fallocate(0, 100): %s\n", errno_name(posix_fallocate(fd, 0, 100)));
  REPORT(fstat(fd, &st));
  printf("after posix_fallocate: size=%lld\n", (long long)st.st_size);
  REPORT(close(fd));
  REPORT(close(fd));
  REPORT(truncate("d/a.txt", 11));
  show_file("d/a.txt");

  // Flags.
  fd = REPORT(open("d/a.txt", O_WRONLY | O_APPEND));
  int flags = fcntl(fd, F_GETFL);
  printf("append=%d nonblock=%d wronly=%d\n", !!(flags & O_APPEND), !!(flags & O_NONBLOCK),
         (flags & O_ACCMODE) == O_WRONLY);
  REPORT(fcntl(fd, F_SETFL, flags | O_NONBLOCK));
  flags = fcntl(fd, F_GETFL);
  printf("append=%d nonblock=%d\n", !!(flags & O_APPEND), !!(flags & O_NONBLOCK));
  lseek(fd, 0, SEEK_SET);
  printf("append write: %zd\n", write(fd, "+tail", 5));
  close(fd);
  show_file("d/a.txt");

  // Opening: errors.
  REPORT(open("d/missing.txt", O_RDONLY));
  REPORT(open("d/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
  REPORT(open("d", O_WRONLY));
  REPORT(open("d/a.txt", O_RDONLY | O_DIRECTORY));
  REPORT(open("d/a.txt/", O_RDONLY));
  REPORT(open("d/missing/x", O_RDONLY | O_CREAT, 0644));
  show_stat("d/a.txt/");
  show_stat("nonexistent");

  // A bigger file through stdio, read back in pieces.
  FILE* f = fopen("d/big.bin", "wb");
  unsigned checksum = 0;
  for (int i = 0; i < 200000; ++i) {
    unsigned char c = (unsigned char)(i * 7 + (i >> 8));
    fputc(c, f);
    checksum = checksum * 31 + c;
  }
  printf("ftell after writing: %ld\n", ftell(f));
  fclose(f);
  f = fopen("d/big.bin", "rb");
  unsigned check = 0;
  size_t total = 0, n;
  unsigned char chunk[3000];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    for (size_t i = 0; i < n; ++i) check = check * 31 + chunk[i];
    total += n;
  }
  printf("read back %zu bytes, checksum %s\n", total, check == checksum ? "matches" : "differs");
  fseek(f, 1000, SEEK_SET);
  long position = ftell(f);
  printf("fseek/ftell: %ld, byte %d\n", position, fgetc(f));
  rewind(f);
  printf("rewind: %ld\n", ftell(f));
  fclose(f);

  // Rename, hard links, unlink.
  REPORT(rename("d/a.txt", "d/b.txt"));
  show_stat("d/a.txt");
  show_stat("d/b.txt");
  REPORT(link("d/b.txt", "d/c.txt"));
  show_stat("d/b.txt");
  REPORT(link("d/b.txt", "d/c.txt"));
  REPORT(unlink("d/c.txt"));
  show_stat("d/b.txt");
  REPORT(unlink("d/c.txt"));
  REPORT(unlink("d"));
  write_file("d/other.txt", "other\n");
  REPORT(rename("d/other.txt", "d/b.txt"));
  show_file("d/b.txt");
  REPORT(rename("d/b.txt", "e/moved.txt"));
  REPORT(rename("e/moved.txt", "d/b.txt"));

  // Symbolic links.
  REPORT(symlink("b.txt", "d/s"));
  char target[64] = {0};
  ssize_t len = readlink("d/s", target, sizeof target - 1);
  printf("readlink d/s: %zd [%s]\n", len, len >= 0 ? target : "");
  memset(target, 0, sizeof target);
  len = readlink("d/s", target, 3);
  printf("readlink d/s (3 bytes): %zd [%s]\n", len, len >= 0 ? target : "");
  REPORT(readlink("d/b.txt", target, sizeof target));
  show_lstat("d/s");
  show_stat("d/s");
  show_file("d/s");
  REPORT(open("d/s", O_RDONLY | O_NOFOLLOW));
  REPORT(symlink("nowhere", "d/dangling"));
  show_stat("d/dangling");
  show_lstat("d/dangling");
  fd = REPORT(open("d/dangling", O_WRONLY | O_CREAT, 0644));
  if (fd >= 0) close(fd);
  show_stat("d/nowhere");
  REPORT(mkdir("d/sub", 0755));
  REPORT(symlink("sub", "d/sublink"));
  write_file("d/sublink/inner.txt", "inner\n");
  show_file("d/sub/inner.txt");
  REPORT(symlink("../d/b.txt", "e/up"));
  show_file("e/up");
  REPORT(symlink("x", "d/s"));
  list("d");
  list("d/sublink");

  // Times.
  struct timespec times[2] = {{1000000000, 0}, {1234567890, 500}};
  REPORT(utimensat(AT_FDCWD, "d/b.txt", times, 0));
  REPORT(stat("d/b.txt", &st));
  printf("mtime: %lld.%09ld atime: %lld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
         (long long)st.st_atim.tv_sec);
  fd = open("d/b.txt", O_RDONLY);
  struct timespec only_mtime[2] = {{0, UTIME_OMIT}, {2000000000, 0}};
  REPORT(futimens(fd, only_mtime));
  REPORT(fstat(fd, &st));
  printf("mtime: %lld atime: %lld\n", (long long)st.st_mtim.tv_sec, (long long)st.st_atim.tv_sec);
  close(fd);

  // Removing.
  REPORT(rmdir("d"));
  REPORT(rmdir("d/b.txt"));
  REPORT(rmdir("d/missing"));
  REPORT(unlink("d/sub/inner.txt"));
  REPORT(rmdir("d/sublink"));
  REPORT(unlink("d/sublink"));
  REPORT(rmdir("d/sub/"));
  const char* files[] = {"d/b.txt", "d/s", "d/dangling", "d/nowhere", "d/big.bin", "e/up"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) REPORT(unlink(files[i]));
  list("d");
  REPORT(rmdir("d"));
  REPORT(rmdir("e"));
  REPORT(access("d", F_OK));
  list(".");
  return 0;
}
