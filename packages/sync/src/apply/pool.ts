/** At most `limit` tasks at once; `drain` waits for all of them (a barrier before membership changes). */
export class Pool {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  /** Starts `task` once a slot is free; resolves when it has started. Tasks must not reject. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    const p: Promise<void> = task().finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
  }
}
