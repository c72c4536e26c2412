// tmpfs ownership and permissions (issue 15) through the C layer
// (programs/c/posix/perms.c, committed build): inodes owned by their
// creator's effective ids, chmod/chown rules, access with the real ids, and
// every check (open, the walk's search bit, create/unlink/rename in the
// parent, /tmp's sticky bit, exec) refusing a uid-1000 process with Linux's
// errno while root is refused none of them. Each group runs after the one
// before it on one machine (setup makes the tree the others use).
import { suite } from 'uvu';
import fs from 'node:fs';
import path from 'node:path';
import { boot } from '../dist/index.js';
import { ROOT, guarded, runGroup, hasLines } from './helpers/index.mjs';

const PROG = '/tmp/perms';
const t = suite('perms');
let m;
t.before(async () => {
  m = await boot({});
  m.writeFile(PROG, fs.readFileSync(path.join(ROOT, 'programs', 'c', 'posix', 'build', 'perms.wasm')), 0o755);
});
t.after(async () => { await m.shutdown(); });

const group = (name, opts = {}) => runGroup(m, PROG, name, opts, 60000);

t('setup (root): owners are the creator\'s ids, chown gives files away and clears S_ISUID, /tmp is 1777 root:root', guarded(async () => {
  hasLines(await group('setup'), [
    'mkdir-srv 0', 'srv 0:0 755', 'chown-mine 0', 'chown-other 0', 'chown-u1000 0',
    'suid-before 0:0 4755', 'chown-suid 0', 'suid-after 0:5 755', 'tmp 0:0 1777', 'mine 1000:1000 644',
  ]);
}, 60000));

t('a uid-1000 process: EACCES for reads, writes, the walk, names in a directory it cannot write, exec without x; EPERM for /tmp\'s sticky bit, chmod and chown of others\' files', guarded(async () => {
  hasLines(await group('user', { uid: 1000, gid: 1000 }), [
    'open-secret-r EACCES', 'open-pub-r 0', 'open-pub-w EACCES', 'open-pub-trunc EACCES', 'open-rw-rw 0',
    'open-closed-dir EACCES', 'stat-walk EACCES', 'open-walk EACCES',
    'create-srv EACCES', 'mkdir-srv EACCES', 'mkfifo-srv EACCES', 'symlink-srv EACCES', 'unlink-srv EACCES',
    'rmdir-srv EACCES', 'rename-srv EACCES', 'rename-into-srv EACCES',
    'unlink-open-theirs 0',
    'unlink-tmp-other EPERM', 'rename-tmp-other EPERM',
    'create-tmp-mine 0', 'tmp-mine 1000:1000 644', 'mkdir-tmp-mine 0', 'tmp-minedir 1000:1000 755',
    'rename-tmp-mine 0', 'unlink-tmp-mine 0',
    'chmod-pub EPERM', 'chmod-mine 0', 'mine-after-chmod 1000:1000 600', 'fchmod-pub EPERM', 'fchown-pub EPERM',
    'chown-pub-nochange EPERM', 'chown-mine-same 0', 'chown-mine-away EPERM', 'chgrp-mine-own 0',
    'chgrp-mine-root EPERM', 'lchown-mine EPERM',
    'access-secret-r EACCES', 'access-pub-r 0', 'access-pub-w EACCES', 'access-pub-f 0', 'access-walk EACCES',
    'access-exec-x 0', 'access-noexec-x EACCES', 'access-missing ENOENT', 'access-badmode EINVAL', 'access-badptr EFAULT',
    'spawn-exec exit 7', 'spawn-rootonly EACCES', 'spawn-noexec EACCES',
  ]);
}, 60000));

t('root is refused none of them (spawn does not look at x bits for root, as before); access() checks the real ids, AT_EACCESS the effective ones', guarded(async () => {
  hasLines(await group('root'), [
    'open-secret-r 0', 'stat-walk 0', 'create-closed 0', 'chmod-pub 0', 'chown-pub 0', 'pub 3000:3000 640',
    'open-pub-rw 0', 'spawn-rootonly exit 7', 'spawn-noexec exit 7',
    'seteuid-1000 0', 'euid-open-secret EACCES', 'euid-access-secret 0', 'euid-eaccess-secret EACCES',
    'euid-access-walk 0', 'euid-eaccess-walk EACCES', 'seteuid-0 0', 'unlink-tmp-other 0',
  ]);
}, 60000));

t.run();
