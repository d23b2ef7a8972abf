/**
 * Remembers short strings in which the engine found nothing (object keys, enum-like values,
 * status words), so the same "id", "name" or "ok" in every message costs one Set lookup instead
 * of a scan by every recognizer. Only strings a scan left unchanged are kept, so the cache holds
 * no PII and its answer holds for any scope and operator. Bounded: it starts over when full.
 */
export interface CleanTextCache {
  /** `scan(text)`, or `text` itself when it is known to be clean. */
  mask(text: string, scan: (text: string) => string): string;
}

export function createCleanTextCache(maxEntries = 4096, maxLength = 64): CleanTextCache {
  const clean = new Set<string>();
  return {
    mask(text, scan) {
      if (text.length <= maxLength && clean.has(text)) return text;
      const out = scan(text);
      if (out === text && text.length <= maxLength) {
        if (clean.size >= maxEntries) clean.clear();
        clean.add(text);
      }
      return out;
    },
  };
}
