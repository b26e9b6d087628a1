/**
 * A Map that forgets its least recently set entries beyond `max`: for per-instance caches whose
 * miss only costs one DynamoDB call, so memory stays bounded however many chats an instance sees.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key); // re-inserted as the newest
    super.set(key, value);
    if (this.size > this.max) super.delete(this.keys().next().value as K);
    return this;
  }
}
