/** A fixed-capacity ring: pushing past capacity drops the oldest item. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[]
  #start = 0
  #size = 0

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(Math.max(0, capacity))
  }

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    if (this.capacity === 0) return
    if (this.#size < this.capacity) {
      this.#items[(this.#start + this.#size) % this.capacity] = item
      this.#size++
    } else {
      this.#items[this.#start] = item
      this.#start = (this.#start + 1) % this.capacity
    }
  }

  /** The newest `count` items (all by default), oldest first. */
  last(count = this.#size): T[] {
    const n = Math.min(Math.max(0, count), this.#size)
    const out: T[] = []
    for (let i = this.#size - n; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T)
    return out
  }

  clear(): void {
    this.#items.fill(undefined)
    this.#start = 0
    this.#size = 0
  }
}
