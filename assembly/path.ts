// Lexical path normalisation, shared by cwd changes and mount walks.

import { ENAMETOOLONG } from "../abi/errno";
import { PATH_MAX } from "../abi/constants";

/**
 * Appends the components of src[i, len) to out (holding `n` bytes), each
 * as "/name", dropping "." and empty ones and letting ".." remove the last
 * one but never go below `floor` bytes. Returns the new length, or
 * -ENAMETOOLONG past PATH_MAX.
 */
export function appendNormalized(out: usize, n: i32, floor: i32, src: usize, i: i32, len: i32): i32 {
  while (i < len) {
    while (i < len && load<u8>(src + i) == 0x2f) i++;
    if (i >= len) break;
    let j = i;
    while (j < len && load<u8>(src + j) != 0x2f) j++;
    const c = j - i;
    if (c == 1 && load<u8>(src + i) == 0x2e) { i = j; continue; }
    if (c == 2 && load<u16>(src + i) == 0x2e2e) {
      while (n > floor && load<u8>(out + n - 1) != 0x2f) n--;
      if (n > floor) n--;
      i = j;
      continue;
    }
    if (n + 1 + c >= PATH_MAX) return -ENAMETOOLONG;
    store<u8>(out + n, 0x2f);
    memory.copy(out + n + 1, src + i, c);
    n += c + 1;
    i = j;
  }
  return n;
}
