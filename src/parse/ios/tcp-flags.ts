/**
 * The TCP options of an IOS extended ACE, IPv4 and IPv6 alike: `established`, the flag keywords
 * (`ack fin psh rst syn urg`: each must be set) and `match-any|match-all +flag -flag …` (Cisco IOS
 * Security Command Reference, `permit (IP)` / `permit (IPv6)`; "ACL TCP Flags Filtering").
 */
import { PROTO } from "../../model/ports.js";
import { TCP, type ServiceTerm } from "../../model/types.js";
import { ParseError, type Cursor } from "../common/cursor.js";

const FLAG_BITS: Readonly<Record<string, number>> = { ack: TCP.ACK, fin: TCP.FIN, psh: TCP.PSH, rst: TCP.RST, syn: TCP.SYN, urg: TCP.URG };

/** The TCP options of one entry, collected option by option and applied to its term at the end. */
export class TcpOptions {
  private set = 0;
  private clear = 0;
  private any = false;
  private seen = false;

  constructor(private readonly term: ServiceTerm) {}

  /** Take option `o` (lowercase) if it is a TCP option, reading its arguments from `cur`; false when it is not one. */
  take(o: string, cur: Cursor): boolean {
    if (o !== "established" && o !== "match-any" && o !== "match-all" && FLAG_BITS[o] === undefined) return false;
    if (this.term.protocol !== PROTO.TCP) throw new ParseError(`"${o}" is only valid for tcp`);
    if (o === "established") this.term.established = true;
    else if (FLAG_BITS[o] !== undefined) {
      this.set |= FLAG_BITS[o]!;
      this.seen = true;
    } else {
      this.any = o === "match-any";
      let n = 0;
      for (;;) {
        const f = cur.peekKw();
        const m = f === undefined ? null : /^([+-])(ack|fin|psh|rst|syn|urg)$/.exec(f);
        if (!m) break;
        cur.skip();
        n++;
        if (m[1] === "+") this.set |= FLAG_BITS[m[2]!]!;
        else this.clear |= FLAG_BITS[m[2]!]!;
      }
      if (n === 0) throw new ParseError(`expected +flag or -flag after "${o}"${cur.peek() === undefined ? "" : `, got "${cur.peek()}"`}`);
      this.seen = true;
    }
    return true;
  }

  /** Set the term's flag match (when a flag option was given). */
  finish(): void {
    if (this.seen) this.term.tcpFlags = this.any ? { set: this.set, clear: this.clear, any: true } : { set: this.set, clear: this.clear };
  }
}
