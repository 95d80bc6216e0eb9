/**
 * A page source for failure tests: it passes calls to an inner source, counts them (allocate and free alike),
 * and can be told to throw at the n-th call from now or to return a chosen value from the next allocate
 * (without asking the inner source, so the inner source's state shows exactly what the slab layer gave back).
 */
import type { PageSource } from "../src/index.js";

/** The error a {@link FaultyPageSource} throws when told to. */
export class InjectedFault extends Error {
  constructor(readonly call: number) {
    super(`injected page-source fault at call ${call}`);
  }
}

export class FaultyPageSource implements PageSource {
  /** allocate + free calls seen so far. */
  calls = 0;
  /** free calls seen so far (including ones that threw). */
  frees = 0;
  readonly inner: PageSource;
  #failAt = 0;
  #garbage: (() => unknown) | undefined;

  constructor(inner: PageSource) {
    this.inner = inner;
  }
  get baseSize(): number {
    return this.inner.baseSize;
  }
  get maxOrder(): number {
    return this.inner.maxOrder;
  }

  /** Throw an {@link InjectedFault} at the n-th call from now (1: the next call). */
  failIn(n: number): void {
    this.#failAt = this.calls + n;
  }

  /** True while a fault is armed and has not fired yet. */
  get armed(): boolean {
    return this.#failAt > this.calls;
  }

  /** Forgets any armed fault or garbage. */
  disarm(): void {
    this.#failAt = 0;
    this.#garbage = undefined;
  }

  /** The next allocate returns `make()` instead of asking the inner source. */
  returnNext(make: () => unknown): void {
    this.#garbage = make;
  }

  allocate(order: number): number | undefined {
    this.#tick();
    if (this.#garbage !== undefined) {
      const make = this.#garbage;
      this.#garbage = undefined;
      return make() as number;
    }
    return this.inner.allocate(order);
  }

  free(addr: number, order: number): void {
    this.frees++;
    this.#tick();
    this.inner.free(addr, order);
  }

  #tick(): void {
    this.calls++;
    if (this.calls === this.#failAt) throw new InjectedFault(this.calls);
  }
}
