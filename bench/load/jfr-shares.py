#!/usr/bin/env python3
"""Shares of JFR execution samples by what is on the stack, for the distinct-token profile.

  jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > samples.txt
  bench/load/jfr-shares.py samples.txt

Samples taken while the bench harness mints its tokens (TokenIssuer.issue) are left out; a sample
counts once under every group whose frames its stack holds, so the groups overlap.
"""
import collections
import sys

GROUPS = {
    "Jetty header field cache insert (FieldCache.add: ArrayTrie.put/clear)": ["HttpParser$FieldCache.add"],
    "  of which ArrayTrie.clear (Arrays.fill)": ["ArrayTrie.clear"],
    "Jetty header field cache lookup (ArrayTrie.getBest)": ["ArrayTrie.getBest"],
    "Jetty HttpParser.parseNext (all request parsing)": ["HttpParser.parseNext"],
    "JwtVerifier.verify (all)": ["JwtVerifier.verify"],
    "  RSA signature check (SignatureCheck.verify)": ["SignatureCheck.verify"],
    "  verified-token cache (VerifiedTokenCache, SHA-256 + Caffeine)": ["VerifiedTokenCache."],
    "  Caffeine": ["com.github.benmanes.caffeine"],
}

events = open(sys.argv[1]).read().split("jdk.ExecutionSample {")[1:]
counts = collections.Counter()
serving = 0
for e in events:
    if "TokenIssuer.issue" in e:
        continue
    serving += 1
    for name, frames in GROUPS.items():
        if any(f in e for f in frames):
            counts[name] += 1
print(f"{len(events)} samples, {serving} outside token minting")
for name in GROUPS:
    print(f"{name:72s} {counts[name]:6d} {100 * counts[name] / max(serving, 1):5.1f} %")
