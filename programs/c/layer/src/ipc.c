/* System V IPC keys: ftok from a path's real device and inode numbers, as glibc's. */
#include <sys/ipc.h>
#include <sys/stat.h>

key_t ftok(const char *path, int proj_id) {
  struct stat st;
  if (stat(path, &st) < 0) return (key_t)-1;
  return (key_t)(((unsigned)proj_id & 0xffu) << 24 | ((unsigned)st.st_dev & 0xffu) << 16 | ((unsigned)st.st_ino & 0xffffu));
}
