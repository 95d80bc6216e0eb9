/**
 * The one line reader behind both trace parsers. Both formats are line-based text: fields separated by exactly
 * one space, numbers as plain decimals (no sign, no leading zeros, as the seed's replayer requires), `#` starting
 * a comment line, blank lines skipped, `\n` or `\r\n` ending a line, a UTF-8 byte-order mark at the start ignored.
 */
import { TraceSyntaxError } from "./errors.js";

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Walks the lines of a trace text. After {@link next} returns true, {@link line} is the current line (never
 * blank) and {@link lineNo} its 1-based number.
 */
export class LineReader {
  readonly #text: string;
  #position = 0;
  /** The current line, without its line break. */
  line = "";
  /** 1-based number of the current line (0 before the first call to {@link next}). */
  lineNo = 0;

  constructor(text: string) {
    this.#text = text;
    // A UTF-8 byte-order mark, as some editors write one, is not part of the first line.
    if (text.charCodeAt(0) === 0xfeff) this.#position = 1;
  }

  /** Moves to the next line that is not blank; false at the end of the text. */
  next(): boolean {
    const text = this.#text;
    const length = text.length;
    while (this.#position < length) {
      const start = this.#position;
      let end = text.indexOf("\n", start);
      if (end < 0) end = length;
      this.#position = end + 1;
      this.lineNo++;
      if (end > start && text.charCodeAt(end - 1) === 13 /* \r */) end--;
      if (end === start) continue;
      this.line = text.slice(start, end);
      return true;
    }
    return false;
  }

  /** True when the current line is a comment (starts with `#`). */
  get isComment(): boolean {
    return this.line.charCodeAt(0) === 35 /* # */;
  }

  /** The current comment line's text, without the `#` and one following space. */
  comment(): string {
    const line = this.line;
    return line.charCodeAt(1) === 32 /* space */ ? line.slice(2) : line.slice(1);
  }

  /** The current line split into its fields. */
  fields(): string[] {
    return this.line.split(" ");
  }

  /**
   * Field `i` of `fields` as an integer below 2^53.
   * @throws {TraceSyntaxError} when the field is missing, not a plain decimal, or not below 2^53.
   */
  decimal(fields: readonly string[], i: number, what: string): number {
    const field = fields[i];
    if (field === undefined || !DECIMAL.test(field)) throw this.error(`expected a decimal ${what} in field ${i + 1}`);
    const value = Number(field);
    if (!Number.isSafeInteger(value)) {
      const shown = field.length <= 20 ? field : `of ${field.length} digits`;
      throw this.error(`${what} ${shown} is not below 2^53`);
    }
    return value;
  }

  /** A {@link TraceSyntaxError} for the current line. */
  error(reason: string): TraceSyntaxError {
    return new TraceSyntaxError(this.lineNo, reason, this.line);
  }
}
