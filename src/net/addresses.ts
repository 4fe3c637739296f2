import ipaddr from 'ipaddr.js';

/**
 * Which IP addresses count as the public internet, for every fetch of a URL someone else gave us (check
 * targets, client metadata documents). ipaddr.js keeps the IANA special-purpose ranges; an IPv4-mapped
 * IPv6 address is judged as the IPv4 address it carries.
 */

// ipaddr.js names no range for IPv4-compatible IPv6 (::a.b.c.d, deprecated), which some stacks route to IPv4.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** The range an address falls in: 'unicast' is the public internet; 'invalid' is not an address at all. */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE)) return 'ipv4Compatible';
  return parsed.range();
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}
