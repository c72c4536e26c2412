// SpawnOptions.uid / gid checked and turned into the SPAWN_SETCRED action
// (abi/constants.ts): the child's real, effective and saved ids. init is
// root, so the kernel lets it give any id.

import { EINVAL } from '../abi/errno.js';
import { SPAWN_SETCRED } from '../abi/constants.js';
import { WasmuxError } from './errors.js';
import { showValue } from './options.js';
import type { Action } from './preopens.js';

const MAX_ID = 0x7fffffff;

function id(name: 'uid' | 'gid', v: unknown): number {
  if (v === undefined) return -1;   // keep init's
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_ID) {
    throw new WasmuxError(`spawn option ${name} = ${showValue(v)}: must be an integer from 0 to ${MAX_ID}`, EINVAL);
  }
  return v;
}

/** The actions for `options.uid`/`gid`: none if neither is given. */
export function credActions(options: { uid?: unknown; gid?: unknown }): Action[] {
  const uid = id('uid', options.uid), gid = id('gid', options.gid);
  return uid === -1 && gid === -1 ? [] : [[SPAWN_SETCRED, uid, gid, 0, '']];
}
