// The terminal cursor's blink, kept by the page rather than by xterm.js.
// xterm.js's DOM renderer blinks a focused cursor with a CSS animation
// (background and colour keyframes), and Chromium services a running
// animation of those properties on the page's main thread at every frame:
// the page then produced 60 frames a second (style, paint, commit, raster,
// display) for as long as the terminal had the focus, measured at ~0.09 of
// a core in a pipe stream on the 2-CPU machine, with panels or without
// (scripts/sandbox-profile.mjs). Here a timer flips one class twice a
// second: two small frames a second (style.css, #terminal.cursor-off).

import type { Terminal } from '@xterm/xterm';

/** Half a blink period, as xterm.js's animation (1 s a period). */
const HALF_MS = 500;

export class CursorBlink {
  private timer: ReturnType<typeof setInterval> | null = null;
  private off = false;

  /** `term` was opened in `box` and made with `cursorBlink: false`. */
  constructor(term: Terminal, private box: HTMLElement) {
    const input = term.textarea;
    if (!input) throw new Error('CursorBlink: the terminal is not open');
    input.addEventListener('focus', () => this.restart());
    input.addEventListener('blur', () => this.stop());
    // A key shows the cursor at once, as a terminal's own blink does.
    term.onData(() => { if (this.timer !== null) this.restart(); });
    if (document.activeElement === input) this.restart();
  }

  /** Blinking, from a cursor shown now. */
  restart(): void {
    this.stop();
    this.timer = setInterval(() => this.hide(!this.off), HALF_MS);
  }

  /** Not blinking, the cursor shown. */
  stop(): void {
    if (this.timer !== null) { clearInterval(this.timer); this.timer = null; }
    this.hide(false);
  }

  private hide(off: boolean): void {
    if (off === this.off) return;
    this.off = off;
    this.box.classList.toggle('cursor-off', off);
  }
}
