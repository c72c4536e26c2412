// Tests only: forces the interleaving behind a lost FIFO rendezvous. Armed
// from the runtime (k_faultInjectFifo, Machine._stallNextFifoOpen), the
// next reader's open of a FIFO that found a writer there, once it has
// counted itself, parks until that writer has closed again (it wrote and
// left). A kernel that decided whether to wait only after this point (in
// a second look under the pipe lock) waited for ever for a writer that
// had come and gone (fifo.ts fifoOpen; tests/fifo.test.mjs). Every wait is
// bounded (MAX_LOOKS): a writer that never closes lets it go on.

import { G, Globals } from "./globals";
import { Pipe } from "./pipe";

@external("host", "relax") declare function hostRelax(): void;

const ARMED: i32 = 1, PARKED: i32 = 2, RELEASED: i32 = 3, GAVE_UP: i32 = 4;
// The host's relax sleeps 10 us or more: 20 s at least.
const MAX_LOOKS: i32 = 2_000_000;

// @ts-ignore: decorator
@inline function stateWord(): usize { return changetype<usize>(G()) + offsetof<Globals>("fifoStall"); }

/** Is the next reader's open to park? One load when nothing is armed. */
// @ts-ignore: decorator
@inline export function fifoStallArmed(): bool { return G().fifoStall == ARMED; }

/** A reader counted itself on `p` with a writer there: park until no writer is left (once only). No lock held. */
export function fifoStall(p: Pipe): void {
  if (atomic.cmpxchg<i32>(stateWord(), ARMED, PARKED) != ARMED) return;
  const writers = changetype<usize>(p) + offsetof<Pipe>("writers");
  for (let i = 0; i < MAX_LOOKS; i++) {
    if (atomic.load<i32>(writers) == 0) { atomic.store<i32>(stateWord(), RELEASED); return; }
    hostRelax();
  }
  atomic.store<i32>(stateWord(), GAVE_UP);
}

/** Tests only: arms the stall for the next reader's open of a FIFO that has a writer. */
export function k_faultInjectFifo(): i32 { atomic.store<i32>(stateWord(), ARMED); return 0; }

/** Tests only: 1 once an armed open has parked and its writer has left. */
export function k_fifoStalled(): i32 { return atomic.load<i32>(stateWord()) == RELEASED ? 1 : 0; }
