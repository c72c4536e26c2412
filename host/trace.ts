// strace-like lines for --trace: pid, syscall, decoded arguments, result.

import * as errno from '../abi/errno.js';
import type { SyscallDecl } from '../abi/syscalls.js';
import type { Kernel } from './kernel.js';

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(errno)) {
  if (typeof value === 'number' && value > 0 && !errnoNames.has(value)) errnoNames.set(value, name);
}

export function errnoName(e: number): string { return errnoNames.get(e) ?? `E${e}`; }

const decoder = new TextDecoder();

function quote(kernel: Kernel, ptr: number, len: number): string {
  const bytes = kernel.user.range(ptr, Math.min(len >>> 0, 64));
  if (!bytes) return `0x${(ptr >>> 0).toString(16)}`;
  const s = JSON.stringify(decoder.decode(bytes));
  return (len >>> 0) > 64 ? `${s}...` : s;
}

export function formatTrace(pid: number, decl: SyscallDecl, args: unknown[], r: unknown, kernel: Kernel, wasi: boolean): string {
  const parts = decl.args.map(([, kind], i) => {
    const v = args[i];
    if (kind === 'str') return quote(kernel, v as number, args[i + 1] as number);
    if (kind === 'ptr') return `0x${((v as number) >>> 0).toString(16)}`;
    if (kind === 'flags') return `0x${((v as number) >>> 0).toString(16)}`;
    return String(v);
  });
  let result = String(r);
  if (r === errno.KDEAD) result = '? (exited)';
  else if (typeof r === 'number' && r < 0) result = `-1 ${errnoName(-r)}`;
  else if (typeof r === 'number' && r > 0 && wasi) result = `-1 ${errnoName(r)}`;
  return `[${pid}] ${decl.name}(${parts.join(', ')}) = ${result}\n`;
}
