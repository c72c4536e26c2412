/* wasmux C layer: <sys/ipc.h> (wasi-libc has none). System V IPC keys,
 * flags and the permission record, with Linux's values and musl's layout
 * for a 32-bit target (docs/abi.md "System V message queues"). */
#ifndef __wasmux_sys_ipc_h
#define __wasmux_sys_ipc_h
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __DEFINED_key_t
typedef int key_t;
#define __DEFINED_key_t
#endif

#define IPC_PRIVATE ((key_t)0)
#define IPC_CREAT   01000
#define IPC_EXCL    02000
#define IPC_NOWAIT  04000

#define IPC_RMID 0
#define IPC_SET  1
#define IPC_STAT 2
#define IPC_INFO 3

struct ipc_perm {
  key_t __ipc_perm_key;
  uid_t uid;
  gid_t gid;
  uid_t cuid;
  gid_t cgid;
  mode_t mode;
  int __ipc_perm_seq;
  long __pad1;
  long __pad2;
};
#define __key __ipc_perm_key
#define __seq __ipc_perm_seq

/* glibc's: (proj_id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff); -1 if stat fails. */
key_t ftok(const char *path, int proj_id);

#ifdef __cplusplus
}
#endif
#endif
