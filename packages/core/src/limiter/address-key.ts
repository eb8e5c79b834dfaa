import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address (no zone) to its 8 groups as numbers, or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip;
  // A trailing dotted quad (e.g. `::ffff:192.0.2.1`) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/**
 * The budget key of a client address: an IPv4 address as is; an IPv6 address
 * reduced to its first `ipv6PrefixLength` bits (default /64, the smallest
 * block an ISP hands a customer, RFC 6177), so one subscriber's 2^64
 * addresses share one budget; IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what Node
 * reports on a dual-stack socket) as the IPv4 address. Anything else
 * (unparsable text) is used verbatim. This is the default
 * `limits.addressBudget.key`; a custom key (e.g. exempting an office address)
 * calls it for every other address so IPv6 stays grouped.
 */
export function addressKey(ip: string, ipv6PrefixLength: number): string {
  const bare = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const groups = ipv6Groups(bare.toLowerCase());
  if (groups === null) return bare;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6] ?? 0, groups[7] ?? 0];
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  const masked = groups.map((group, index) => {
    const bitsBefore = index * 16;
    if (bitsBefore >= ipv6PrefixLength) return 0;
    const keep = Math.min(16, ipv6PrefixLength - bitsBefore);
    return group & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((g) => g.toString(16)).join(':')}/${ipv6PrefixLength}`;
}
