// <errno.h> of the C layer names every Linux errno, with the values of the
// one errno table (abi/errno.ts): WASI's numbering from wasi-libc, the
// names it lacks from the layer's header. Text checks: no toolchain needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/index.mjs';

const src = fs.readFileSync(path.join(ROOT, 'abi', 'errno.ts'), 'utf8');
const values = new Map([...src.matchAll(/export const (E[A-Z0-9]+) = (\d+|E[A-Z0-9]+);/g)].map((x) => [x[1], x[2]]));
const header = fs.readFileSync(path.join(ROOT, 'programs', 'c', 'layer', 'include', 'errno.h'), 'utf8');
const defined = new Map([...header.matchAll(/#define (E[A-Z0-9]+) (\S+)/g)].map((x) => [x[1], x[2]]));

// Linux's errno names (asm-generic/errno-base.h and errno.h), EWOULDBLOCK and
// EOPNOTSUPP being aliases wasi-libc defines itself.
const LINUX = `EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY
EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE
EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT
EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EDEADLOCK EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV
ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC
EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT
EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET
ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE
EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED
EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON EWOULDBLOCK`.split(/\s+/);
const WASI_ALIASES = new Set(['EOPNOTSUPP', 'EWOULDBLOCK']);

test('every Linux errno name is in the one table or a wasi-libc alias', () => {
  for (const n of LINUX) assert.ok(values.has(n) || WASI_ALIASES.has(n), `${n} missing from abi/errno.ts`);
});

test('the layer header defines exactly the names beyond WASI\'s numbering, with the table\'s values', () => {
  for (const [name, v] of values) {
    if (/^\d+$/.test(v) && Number(v) <= 76) { assert.not.ok(defined.has(name), `${name} is wasi-libc's`); continue; }
    assert.is(defined.get(name), v, `${name}: header ${defined.get(name)}, table ${v}`);
  }
  for (const name of defined.keys()) assert.ok(values.has(name), `${name} in the header but not in abi/errno.ts`);
});

test.run();
