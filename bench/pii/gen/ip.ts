import type { Generated } from "./builder.js";
import type { Rng } from "./prng.js";

/** A public unicast IPv4 address (no private, loopback, link-local, CGNAT or multicast ranges). */
export function publicIpv4(rng: Rng): string {
  for (;;) {
    const a = rng.int(1, 223);
    const b = rng.int(0, 255);
    if (a === 10 || a === 127 || a === 0) continue;
    if (a === 169 && b === 254) continue;
    if (a === 172 && b >= 16 && b <= 31) continue;
    if (a === 192 && b === 168) continue;
    if (a === 100 && b >= 64 && b <= 127) continue;
    return `${a}.${b}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  }
}

function privateIpv4(rng: Rng): string {
  return rng.pick([
    () => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    () => `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    () => `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
  ])();
}

function group(rng: Rng): string {
  // Mostly short groups, as real addresses have; leading zeros are dropped in text form.
  return rng.chance(0.3) ? rng.hex(rng.int(1, 3)).replace(/^0+(?=.)/, "") : rng.hex(4).replace(/^0+(?=.)/, "");
}

/** Eight groups of a global unicast address, with a run of zero groups somewhere. */
function ipv6Groups(rng: Rng): string[] {
  const first = rng.pick(["2001", "2a00", "2a02", "2a01", "2600", "2607", "2604", "2400", "2406", "2c0f", "2804", "2a03"]);
  const groups = [first, group(rng), group(rng), group(rng), group(rng), group(rng), group(rng), group(rng)];
  if (rng.chance(0.8)) {
    const runStart = rng.int(2, 5);
    const runLength = rng.int(2, 8 - runStart - 1);
    for (let i = runStart; i < runStart + runLength; i++) groups[i] = "0";
  }
  return groups;
}

/** RFC 5952 text: the longest run of two or more zero groups becomes "::". */
export function compressIpv6(groups: readonly string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  const head = groups.slice(0, bestStart).join(":");
  const tail = groups.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}

function full(groups: readonly string[]): string {
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

/** An IP address: IPv4 (public, private, CIDR) or IPv6 (full, compressed, IPv4-embedded, zone id, CIDR). */
export function generateIp(rng: Rng): Generated {
  const form = rng.weighted([
    ["v4-public", 10], ["v4-private", 2], ["v4-cidr", 1],
    ["v6-compressed", 4], ["v6-full", 1], ["v6-v4mapped", 1], ["v6-nat64", 1], ["v6-zone", 1], ["v6-cidr", 1],
  ] as const);
  let value: string;
  switch (form) {
    case "v4-public":
      value = publicIpv4(rng);
      break;
    case "v4-private":
      value = privateIpv4(rng);
      break;
    case "v4-cidr": {
      const prefix = rng.pick([8, 12, 16, 20, 22, 24, 24, 28, 29, 32]);
      const [a, b, c] = publicIpv4(rng).split(".");
      value = prefix <= 16 ? `${a}.${b}.0.0/${prefix}` : `${a}.${b}.${c}.0/${prefix}`;
      break;
    }
    case "v6-compressed":
      value = compressIpv6(ipv6Groups(rng));
      break;
    case "v6-full":
      value = full(ipv6Groups(rng));
      break;
    case "v6-v4mapped":
      value = `::ffff:${publicIpv4(rng)}`;
      break;
    case "v6-nat64":
      value = `64:ff9b::${publicIpv4(rng)}`;
      break;
    case "v6-zone": {
      const iid = [group(rng), group(rng), group(rng), group(rng)];
      value = `fe80::${iid.join(":")}%${rng.pick(["eth0", "en0", "wlan0", "ens3", "12", "bond0"])}`;
      break;
    }
    case "v6-cidr": {
      const groups = ipv6Groups(rng).slice(0, 3);
      value = `${groups.join(":")}::/${rng.pick([32, 40, 48, 56, 64])}`;
      break;
    }
  }
  if (form.startsWith("v6") && rng.chance(0.1)) value = value.toUpperCase().replace(/%([A-Z0-9]+)$/, (m) => m.toLowerCase());
  return { value, variant: form };
}
