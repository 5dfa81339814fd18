/**
 * The common flow line read straight from the bytes of a flow file (`flow --flows`, a million
 * lines a second): `tcp A P B P`, `udp A P B P` and `icmp A B [TYPE [CODE]]`, in lower case,
 * with IPv4 dotted quads (one to three digits an octet, each at most 255), decimal ports at most
 * 65535 and ICMP type and code at most 255 (leading zeros allowed, as `parseFlow` allows them),
 * one space between fields and a line ending LF or CR LF. Such a line is the packet `parseFlow`
 * (./packet.ts) gives for its text; any other line (IPv6, names, other protocols or cases, tabs,
 * runs of spaces, a field out of range, …) is left to `parseFlow`, which reads it or gives its
 * error.
 */
import type { Packet } from "./types.js";

const SP = 0x20;
const LF = 0x0a;
const CR = 0x0d;

/** A packet for `readFlowLine` to fill (the key order of `parseFlow`'s IPv4 packets). */
export function flowPacket(): Packet {
  return { srcPort: 0, dstPort: 0, icmpType: 0, icmpCode: 0, tcpFlags: 0, fragment: false, tos: 0, protocol: 0, src: 0, dst: 0 };
}

/**
 * Reads the flow line that starts at `start` of `b` into `p` (every field set): the index of the
 * LF that ends it (the flow's text ends there, or one byte before at a CR), or -1 (`p` as it
 * was) when the line is not of the common form. There must be an LF at or after `start`: the
 * reader stops at the first one. One loop over the fields after the protocol, without calls.
 */
export function readFlowLine(b: Uint8Array, start: number, p: Packet): number {
  let i = start;
  let proto: number;
  const c0 = b[i];
  if (c0 === 0x74 && b[i + 1] === 0x63 && b[i + 2] === 0x70 && b[i + 3] === SP) proto = 6; // tcp
  else if (c0 === 0x75 && b[i + 1] === 0x64 && b[i + 2] === 0x70 && b[i + 3] === SP) proto = 17; // udp
  else if (c0 === 0x69 && b[i + 1] === 0x63 && b[i + 2] === 0x6d && b[i + 3] === 0x70 && b[i + 4] === SP) proto = 1; // icmp
  else return -1;
  i += proto === 1 ? 5 : 4;
  const ported = proto !== 1;
  // the fields after the protocol, in order: ported A P B P; ICMP A B [TYPE [CODE]]
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  let k = 0;
  for (;;) {
    let x = 0;
    if (ported ? (k & 1) === 0 : k < 2) {
      // a dotted quad: four octets of one to three digits, at most 255
      for (let part = 0; ; part++) {
        let c = b[i]! - 0x30;
        if (c < 0 || c > 9) return -1;
        let o = c;
        c = b[++i]! - 0x30;
        if (c >= 0 && c <= 9) {
          o = o * 10 + c;
          c = b[++i]! - 0x30;
          if (c >= 0 && c <= 9) {
            o = o * 10 + c;
            if (o > 255) return -1;
            i++;
          }
        }
        x = x * 256 + o;
        if (part === 3) break;
        if (b[i] !== 0x2e) return -1;
        i++;
      }
    } else {
      // a port (at most 65535) or ICMP type or code (at most 255): digits
      const max = ported ? 65535 : 255;
      let c = b[i]! - 0x30;
      if (c < 0 || c > 9) return -1;
      do {
        x = x * 10 + c;
        if (x > max) return -1;
        c = b[++i]! - 0x30;
      } while (c >= 0 && c <= 9);
    }
    if (k === 0) f0 = x;
    else if (k === 1) f1 = x;
    else if (k === 2) f2 = x;
    else f3 = x;
    k++;
    const c = b[i];
    if (c === SP) {
      if (k === 4) return -1;
      i++;
      continue;
    }
    // the line ends: after all four fields (ported), after two to four (ICMP)
    if (ported ? k !== 4 : k < 2) return -1;
    if (c === CR && b[i + 1] === LF) i++;
    else if (c !== LF) return -1;
    break;
  }
  p.protocol = proto;
  p.src = f0;
  if (ported) {
    p.srcPort = f1;
    p.dst = f2;
    p.dstPort = f3;
    p.icmpType = 0;
    p.icmpCode = 0;
  } else {
    p.srcPort = 0;
    p.dst = f1;
    p.dstPort = 0;
    p.icmpType = f2;
    p.icmpCode = f3;
  }
  return i;
}
