#!/usr/bin/python3
"""Capirca as an oracle for test/capirca.test.ts.

Reads a job from stdin: {"defs": DIR, "policies": [{"name", "text", "targets": [...], "flows": [{"proto", "src", "sport", "dst", "dport"}], "asa_mixed": BOOL}]}
and writes {"policies": [{"name", "outputs": {TARGET: TEXT}, "actions": [ACTION or null]}]} to stdout:
each policy rendered by Capirca's own generators (capirca.lib.cisco, capirca.lib.ciscoasa, the
code behind `aclgen`), and each flow checked with Capirca's flow checker (capirca.lib.aclcheck,
the code behind `aclcheck_cmdline`): the action of the first term that matches exactly, or null
when no term matches (the implicit deny). An error is {"error": TEXT} and exit status 1.

With "asa_mixed", the ciscoasa output renders every term for IPv4 and then for IPv6 with
Capirca's own ciscoasa.Term (which takes the address family; the CiscoASA generator itself only
renders IPv4), as one unified ASA 9 ACL: a term's lines stay together, so first match follows
the policy's term order (a term without addresses prints `any any` twice: ASA 9 `any` is both
families, the second copy is redundant). A term whose protocol has no such family (icmp in IPv6,
icmpv6 in IPv4) is left out for that family, as the generator's own check does, without the bare
"remark" lines it prints for it (not valid ASA syntax).
"""
import json
import sys

try:
    from capirca.lib import aclcheck, cisco, ciscoasa, naming, policy
except ImportError as e:  # the test reports itself as skipped
    print(json.dumps({"error": "capirca is not installed: %s" % e}))
    sys.exit(3)

GENERATORS = {"cisco": cisco.Cisco, "ciscoasa": ciscoasa.CiscoASA}


def asa_mixed(pol):
    out = []
    for header, terms in pol.filters:
        name = header.FilterName("ciscoasa")
        out.append("clear configure access-list %s" % name)
        for term in terms:
            for af, other in ((4, "icmpv6"), (6, "icmp")):
                if other not in term.protocol:
                    out.append(str(ciscoasa.Term(term, name, af)))
    return "\n".join(out) + "\n"


def main():
    job = json.load(sys.stdin)
    defs = naming.Naming(job["defs"])
    out = []
    for p in job["policies"]:
        outputs = {}
        for target in p["targets"]:
            # a fresh parse per generator: generators may rewrite the terms they render
            pol = policy.ParsePolicy(p["text"], defs, optimize=False)
            if target == "ciscoasa" and p.get("asa_mixed"):
                outputs[target] = asa_mixed(pol)
            else:
                outputs[target] = str(GENERATORS[target](pol, 2))
        # aclcheck does not read `address::` (the source of a standard ACL's terms): it would
        # match every flow; check a copy that says `source-address::`, which means the same there
        pol = policy.ParsePolicy(p["text"].replace("  address::", "  source-address::"), defs, optimize=False)
        actions = []
        for f in p["flows"]:
            check = aclcheck.AclCheck(pol, src=f["src"], dst=f["dst"], sport=f["sport"], dport=f["dport"], proto=f["proto"])
            exact = check.ExactMatches()
            actions.append(exact[0].action if exact else None)
        out.append({"name": p["name"], "outputs": outputs, "actions": actions})
    json.dump({"policies": out}, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - report any Capirca error as one line
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
