#!/usr/bin/env python3
"""Extract the FHIR R4 (4.0.1) element definitions that tests/registry/test_fhir.c validates
against, from the npm package `fhir` (FHIR.js by Lantana Consulting Group, ISC licence), whose
profiles/types.json and profiles/valuesets.json are a processed copy of the official R4
StructureDefinitions and ValueSets (HL7, CC0).

    npm pack fhir@4.12.0 && tar xzf fhir-4.12.0.tgz
    python3 extract.py package/profiles > definitions.json

Kept: every type reachable from the resources the registry exports (Bundle, Organization,
Practitioner, PractitionerRole, Medication, Device), each element with its type, cardinality
(min 0/1, max 1/*), its choice group (for value[x]-style elements, where the minimum applies to
the group) and required binding, and the codes of those required value sets.
"""
import json
import sys

ROOTS = ["Bundle", "Organization", "Practitioner", "PractitionerRole", "Medication", "Device"]


def main(profiles):
    types = json.load(open(f"{profiles}/types.json"))
    valuesets = json.load(open(f"{profiles}/valuesets.json"))
    out_types, needed_vs, todo = {}, set(), list(ROOTS)

    def find(path):
        head, *rest = path.split(".")
        props = types[head]["_properties"]
        for name in rest:
            props = next(p for p in props if p["_name"] == name)["_properties"]
        return props

    def convert(props):
        elements = []
        for p in props:
            if p["_name"].startswith("_"):
                continue  # primitive extensions: the registry never emits them
            e = {"name": p["_name"], "min": 1 if p.get("_required") else 0,
                 "max": "*" if p["_multiple"] else "1"}
            t = p["_type"]
            if t.startswith("#"):
                e["elements"] = convert(find(t[1:]))
                t = "BackboneElement"
            elif p.get("_properties"):
                e["elements"] = convert(p["_properties"])
            elif t not in out_types and t != "Resource":
                todo.append(t)
            e["type"] = t
            if p.get("_choice"):
                e["choice"] = p["_choice"]  # value[x]: min applies to the group
            if p.get("_valueSetStrength") == "required":
                vs = p["_valueSet"].split("|")[0]
                e["binding"] = vs
                needed_vs.add(vs)
            elements.append(e)
        return elements

    while todo:
        t = todo.pop()
        if t in out_types:
            continue
        out_types[t] = None
        d = types[t]
        out_types[t] = {"kind": d["_kind"], "elements": convert(d["_properties"])}

    out_vs = {}
    for url in sorted(needed_vs):
        vs = valuesets.get(url) or valuesets.get(url + "|4.0.1")
        if vs is None:
            continue  # not expandable offline (e.g. all MIME types): left unchecked
        out_vs[url] = sorted({c["code"] for s in vs["systems"] for c in s["codes"]})
    json.dump({"source": "npm fhir@4.12.0 profiles (HL7 FHIR R4 4.0.1, CC0)",
               "types": dict(sorted(out_types.items())), "valueSets": out_vs},
              sys.stdout, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
