/** Requests counted by method and path, with ids replaced so that calls of one kind add up. */
export class RequestStats {
  private readonly counts = new Map<string, number>();

  count(method: string, url: string): void {
    const key = `${method} ${pathTemplate(url)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  entries(): Array<{ request: string; count: number }> {
    return [...this.counts.entries()]
      .map(([request, count]) => ({ request, count }))
      .sort((a, b) => b.count - a.count || a.request.localeCompare(b.request));
  }

  /** Counts of requests that change something: not GET or HEAD, and not the issue of a token. */
  writes(): number {
    let sum = 0;
    for (const [key, n] of this.counts) {
      if (!key.startsWith('GET ') && !key.startsWith('HEAD ') && !key.endsWith('/auth/tokens')) sum += n;
    }
    return sum;
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function pathTemplate(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const previous = segments[i - 1];
      // The named slots first: member ids are 32-hex project ids and a tag may look like a UUID.
      if (previous === 'tags') return '{tag}';
      if (previous === 'members') return '{member}';
      if (UUID.test(segment)) return '{id}';
      return segment;
    })
    .join('/');
}
