#!/usr/bin/env python3
"""Re-computes the answers of a generated quiz from the sources, independently of the Swift code.

    sapro quiz generate --count 2000 --seed 7 --format json > quiz.json
    bench/check-generated.py quiz.json

Facts come from Content/facts/ec2-instance-types.csv and the EKS AMI's eni-max-pods.txt (the copy in
Tests/SaproCoreTests/Fixtures/reference); the rules are written here from AWS's documents (EKS user
guide and max-pods-calculator.sh, the VPC CNI's eni-and-ip-target.md / prefix-and-ip-target.md, the
ECS developer guide). Prints one line per generator (checked / disagreeing) and exits 1 on any
disagreement.
"""
import csv
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_types():
    rows = {}
    with open(ROOT / "Content/facts/ec2-instance-types.csv") as f:
        lines = [line for line in f if not line.startswith("#")]
    for row in csv.DictReader(lines):
        rows[row["type"]] = row
    return rows


TYPES = load_types()
AMI = {}
for line in open(ROOT / "Tests/SaproCoreTests/Fixtures/reference/eni-max-pods.txt"):
    parts = line.split()
    if len(parts) == 2 and not line.startswith("#"):
        AMI[parts[0]] = int(parts[1])


def e(t):
    return int(TYPES[t]["max_enis"])


def ip(t):
    return int(TYPES[t]["ipv4_per_eni"])


def cap(t):
    return 110 if int(TYPES[t]["vcpus"]) < 30 else 250


def usable(cidr):
    return 2 ** (32 - int(cidr.split("/")[1])) - 5


def secondary_ip(t):
    return AMI.get(t, e(t) * (ip(t) - 1) + 2)


def max_pods(t, networking, node):
    if networking == "secondary-ip":
        raw = secondary_ip(t)
    elif networking == "custom-networking":
        raw = (e(t) - 1) * (ip(t) - 1) + 2
    else:
        return min(e(t) * (ip(t) - 1) * 16 + 2, cap(t))
    return min(raw, cap(t)) if node == "managed" else raw


def warm_eni_hold(pods, s, enis):
    attached = max(1, min(enis, math.ceil(pods / s) + 1))
    return attached * (s + 1)


def answer(q):
    """The keyed answer as a number or text."""
    if q["kind"] == "numeric":
        return int(q["answer"])
    if q["kind"] == "single-choice":
        text = q["choices"][ord(q["answer"]) - ord("a")]
        head = text.split(" ")[0]
        return int(head) if head.isdigit() else text
    return None


def expected(q):
    g, p = q["generator"], q["params"]
    v = p.get("variant")
    if g == "eks-max-pods" and v is None:
        return max_pods(p["instanceType"], p["networking"], p["node"])
    if g == "eks-max-pods" and v == "smallest-type":
        sizes = [
            t for t, row in TYPES.items()
            if t.split(".")[0] == p["family"] and row["hypervisor"] == "nitro" and row["max_enis"] == row["all_card_enis"]
        ]
        sizes.sort(key=lambda t: (int(TYPES[t]["vcpus"]), t))
        fit = [t for t in sizes if max_pods(t, p["networking"], p["node"]) >= p["pods"]]
        return fit[0] if fit else None
    if g == "ecs-awsvpc-tasks":
        t = p["instanceType"]
        per = int(TYPES[t]["ecs_trunk_tasks"]) if p["trunking"] else int(TYPES[t]["all_card_enis"]) - 1
        return per if v is None else math.ceil(p["tasks"] / per)
    if g == "subnet-capacity":
        if v == "usable":
            return usable(p["cidr"])
        t = p["instanceType"]
        s = ip(t) - 1
        pods = p["podsPerNode"]
        if v == "nodes":
            return usable(p["cidr"]) // warm_eni_hold(pods, s, e(t))
        if v == "fits":
            fits = p["nodes"] * warm_eni_hold(pods, s, e(t)) <= usable(p["cidr"])
            return "Yes, the subnet has enough addresses" if fits else "No, the subnet runs out of addresses"
        if v == "prefix-delegation":
            # WARM_PREFIX_TARGET=1, but ipamd stops once the prefixes hold max pods (110/250) addresses.
            prefixes = max(math.ceil(pods / 16), min(e(t) * s, math.ceil(pods / 16) + 1, math.ceil(cap(t) / 16)))
            return prefixes * 16 + math.ceil(prefixes / s)
        if v == "secondary-cidr":
            return min(usable(p["nodeSubnet"]), usable(p["podSubnet"]) // warm_eni_hold(pods, s, e(t) - 1))
    if g == "cni-warm-pool":
        t, pods = p["instanceType"], p["pods"]
        s, enis = ip(t) - 1, e(t)
        setting, mp = p["setting"], p["maxPods"]
        # ipamd never grows a pool that already holds max pods addresses.
        if setting == "warm-eni":
            w = p["warmENITarget"]
            want = pods // s + 1 if w == 0 else math.ceil(pods / s) + w
            attached = max(1, min(enis, want))
            while attached > max(1, math.ceil(pods / s)) and (attached - 1) * s >= mp:
                attached -= 1
            per = attached * (s + 1)
        elif setting == "warm-ip":
            sec = max(pods, min(enis * s, max(p["minimumIPTarget"], pods + p["warmIPTarget"]), mp))
            per = sec + max(1, math.ceil(sec / s))
        elif setting == "warm-prefix":
            pre = min(enis * s, math.ceil(pods / 16) + p["warmPrefixTarget"])
            while pre > max(1, math.ceil(pods / 16)) and (pre - 1) * 16 >= mp:
                pre -= 1
            per = pre * 16 + max(1, math.ceil(pre / s))
        else:
            pre = max(1, min(enis * s, math.ceil(max(p["minimumIPTarget"], pods + p["warmIPTarget"]) / 16)))
            while pre > max(1, math.ceil(pods / 16)) and (pre - 1) * 16 >= mp:
                pre -= 1
            per = pre * 16 + max(1, math.ceil(pre / s))
        return per if v == "per-node" else usable(p["cidr"]) // per
    if g == "mng-max-pods":
        types = p["instanceTypes"].split(",")
        pd = "prefix-delegation" if p["prefixDelegation"] else "secondary-ip"
        return min(max_pods(t, pd, "managed") for t in types)
    if g == "custom-networking-prefixes":
        t = p["instanceType"]
        mp = min((e(t) - 1) * (ip(t) - 1) * 16 + 2, cap(t))
        return mp if v == "max-pods" else math.ceil(p["pods"] / (mp - 2))
    if g == "sgp-capacity":
        return math.ceil(p["pods"] / int(TYPES[p["instanceType"]]["eks_branch_enis"]))
    if g == "awsvpc-subnet-sizing":
        peak = math.ceil(p["desired"] * p["maximumPercent"] / 100)
        need = math.ceil(peak / p["azs"]) + (8 if p["alb"] else 0) + p["endpoints"]
        n = 28
        while 2 ** (32 - n) - 5 < need:
            n -= 1
        return f"/{n} ({2 ** (32 - n) - 5} usable)"
    if g == "egress-cost":
        fixed = p["endpoints"] * p["azs"] * 730 * p["endpointHourMills"]
        saving = p["natGBMills"] - p["endpointGBMills"]
        if v == "break-even":
            return math.ceil(fixed / saving)
        cheaper = fixed + p["gb"] * p["endpointGBMills"] < p["gb"] * p["natGBMills"]
        return "Add the interface endpoints" if cheaper else "Keep the traffic on the NAT gateways"
    if g == "tgw-appliance-path":
        asymmetric = not p["applianceMode"] and not p["sameAZ"]
        return "drops the reply" if asymmetric else "succeeds"
    return None


def agrees(got, want):
    if isinstance(want, str) and isinstance(got, str):
        return got.startswith(want) or want in got
    return got == want


def main():
    quiz = json.load(open(sys.argv[1]))
    checked, wrong, skipped = Counter(), Counter(), Counter()
    for q in quiz["questions"]:
        if "generator" not in q:
            continue
        want = expected(q)
        if want is None:
            skipped[q["generator"]] += 1
            continue
        checked[q["generator"]] += 1
        got = answer(q)
        if not agrees(got, want):
            wrong[q["generator"]] += 1
            print(f"DISAGREE {q['id']}: keyed {got!r}, sources give {want!r}", file=sys.stderr)
    for g in sorted(set(checked) | set(skipped)):
        print(f"{g:28} checked {checked[g]:5}  disagree {wrong[g]:3}  not re-computed here {skipped[g]:4}")
    print(f"total checked {sum(checked.values())}, disagreeing {sum(wrong.values())}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
