// The descriptor table: dup/dup2, fcntl, lseek on pipes, lowest-free
// allocation and the per-process limit (boot({ maxFds: 32 })).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boot } from '../dist/index.js';
import { guarded, installGuest, run, sh, lines } from './helpers/index.mjs';

const t = suite('fds');
let m, fds;

t.before(async () => {
  m = await boot({ maxFds: 32 });
  fds = installGuest(m, 'fds');
});
t.after(async () => { await m?.shutdown(); });

t('lowest free descriptor, dup, dup2 redirection and its errors', guarded(async () => {
  const r = await run(m, fds, [fds, 'dup']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('open-lowest'), '3');
  assert.is(l.get('dup'), '4');
  assert.is(l.get('dup-reuses-3'), '3');
  assert.is(l.get('open-file'), '3');
  assert.is(l.get('dup2-to-1'), '1');
  assert.is(l.get('dup2-restore'), '1');
  assert.is(l.get('dup2-same'), '3');
  assert.is(l.get('dup2-badold'), 'EBADF');
  assert.is(l.get('dup2-negnew'), 'EBADF');
  assert.is(l.get('dup2-hugenew'), 'EBADF');
  assert.is(l.get('file'), 'into-the-file');
  assert.is(l.get('shared-offset-set'), '5');
  assert.is(l.get('shared-offset-seen'), '5');
}));

t('fcntl: F_GETFL/F_SETFL, F_GETFD/F_SETFD, F_DUPFD, and close-on-exec across spawn', guarded(async () => {
  const r = await run(m, fds, [fds, 'fcntl']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('getfl-r'), '0');
  assert.is(l.get('getfl-w'), '1');
  assert.is(l.get('getfl-r-nb'), String(0x800));
  assert.is(l.get('read-nb'), 'EAGAIN');
  assert.is(l.get('getfl-r-clear'), '0');
  assert.is(l.get('getfl-append'), String(0x400 | 1));
  assert.is(l.get('getfd'), '0');
  assert.is(l.get('getfd-set'), '1');
  assert.is(l.get('getfd-clear'), '0');
  assert.is(l.get('getfd-o_cloexec'), '1');
  assert.is(l.get('getfd-open-cloexec'), '1');
  assert.is(l.get('dupfd-10'), '10');
  assert.is(l.get('dupfd-10-again'), '11');
  assert.is(l.get('dupfd-0'), '9');
  assert.is(l.get('dupfd-cloexec'), '20');
  assert.is(l.get('dupfd-cloexec-getfd'), '1');
  assert.is(l.get('dup-clears-cloexec'), '0');
  assert.is(l.get('dupfd-neg'), 'EINVAL');
  assert.is(l.get('fcntl-badcmd'), 'EINVAL');
  assert.is(l.get('fcntl-badfd'), 'EBADF');
  const [, plain, cloexec, dupcloexec] = /plain=(\d+) cloexec=(\d+) dupcloexec=(\d+)/.exec(l.get('fds'));
  assert.is(l.get(`fd${plain}`), '0', 'an ordinary fd is inherited');
  assert.is(l.get(`fd${cloexec}`), 'EBADF', 'O_CLOEXEC fd must not be inherited');
  assert.is(l.get(`fd${dupcloexec}`), 'EBADF', 'F_DUPFD_CLOEXEC fd must not be inherited');
  assert.is(l.get('fd6'), 'EBADF', 'pipe2(O_CLOEXEC) end must not be inherited');
  assert.is(l.get('fd3'), '0', 'F_SETFD 0 cleared close-on-exec');
  assert.is(l.get('child'), '0');
}));

t('lseek: ESPIPE on pipes, EINVAL on bad whence or negative offsets', guarded(async () => {
  const r = await run(m, fds, [fds, 'lseek']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('lseek-pipe-r'), 'ESPIPE');
  assert.is(l.get('lseek-pipe-w'), 'ESPIPE');
  assert.is(l.get('lseek-badfd'), 'EBADF');
  assert.is(l.get('lseek-badwhence'), 'EINVAL');
  assert.is(l.get('lseek-negative'), 'EINVAL');
  assert.is(l.get('lseek-end-minus'), '7');
  assert.is(l.get('read'), '789');
}));

t('the fd limit: EMFILE at maxFds, lowest free slot reused, pipe needs two slots', guarded(async () => {
  const r = await run(m, fds, [fds, 'emfile']);
  assert.is(r.code, 0, r.stderr);
  const l = lines(r.stdout);
  assert.is(l.get('dup-fails'), 'EMFILE');
  assert.is(l.get('highest'), '31');
  assert.is(l.get('count'), '29');
  assert.is(l.get('open-full'), 'EMFILE');
  assert.is(l.get('pipe-full'), 'EMFILE');
  assert.is(l.get('fdupfd-full'), 'EMFILE');
  assert.is(l.get('reuse-lowest'), '7');
  assert.is(l.get('reuse-next'), '20');
  assert.is(l.get('after'), 'EMFILE');
  assert.is(l.get('pipe-one-slot'), 'EMFILE');
  assert.is(l.get('slot-still-free'), '9', 'a failed pipe2 must not leak its first fd');
}));

t('dup2 redirection through the shell: 2>&1 and >&2 land in the right place', guarded(async () => {
  const r = await sh(m, 'ls /nonexistent-dir 2>&1 | cat; echo to-err >&2');
  assert.ok(/nonexistent-dir/.test(r.stdout), r.stdout);
  assert.is(r.stderr, 'to-err\n');
}));

t.run();
