/** Verdicts measured on loopback say so; a remote target is named (never with credentials). */
export function networkLabel(url: string): string {
  try {
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
    return loopback ? `loopback (${host})` : `network (${host})`;
  } catch {
    return 'network (unknown host)';
  }
}
