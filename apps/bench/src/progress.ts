/**
 * A one-line progress bar on stderr, redrawn in place. Silent when stderr is not a terminal (CI logs, pipes) or
 * when the user asked for JSON only, so stdout and logs stay clean.
 */
/** The terminal's width; a pseudo-terminal may report 0 or nothing, so never below 40. */
function terminalWidth(): number {
  return Math.max(40, process.stderr.columns || 100);
}

export class ProgressBar {
  readonly #enabled: boolean;
  #total: number;
  #done = 0;
  #label = "";
  #lastDraw = 0;
  readonly #started = Date.now();

  constructor(total: number, enabled: boolean = process.stderr.isTTY === true) {
    this.#total = Math.max(1, total);
    this.#enabled = enabled;
  }

  /** Advances by `steps` and shows `label` (the workload being measured). */
  tick(label: string, steps = 1): void {
    this.#done = Math.min(this.#total, this.#done + steps);
    this.#label = label;
    this.#draw(false);
  }

  label(label: string): void {
    this.#label = label;
    this.#draw(true);
  }

  #draw(force: boolean): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#lastDraw < 50 && this.#done < this.#total) return;
    this.#lastDraw = now;
    const width = 30;
    const filled = Math.round((this.#done / this.#total) * width);
    const pct = Math.floor((this.#done / this.#total) * 100);
    const secs = ((now - this.#started) / 1000).toFixed(0);
    const columns = terminalWidth();
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(pct).padStart(3)}% ${secs}s ${this.#label}`;
    process.stderr.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, 100))}`);
  }

  /** Clears the bar's line. */
  finish(): void {
    if (!this.#enabled) return;
    process.stderr.write(`\r${" ".repeat(Math.min(terminalWidth() - 1, 100))}\r`);
  }
}
