"""What identifies an article across crawls: a content hash, a canonical URL and a MinHash signature.

The content hash and the canonical URL make ingest idempotent (the same article twice is stored once);
the MinHash signature of word 5-gram shingles finds near-duplicates (agency copy with small edits).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from datasketch import MinHash

SHINGLE = 5  # words per shingle
SEED = 1  # fixed (with the scheme), so signatures stored by one run compare with those of the next
SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|wt_mc|at_medium|at_campaign)$",
                       re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` after Unicode normalisation (NFKC)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def content_hash(text: str) -> str:
    """sha1 of the words of ``text``: whitespace, punctuation and case do not change it."""
    return hashlib.sha1(" ".join(words(text)).encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """``url`` without fragment, tracking parameters, default port, "www." and a trailing slash."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if scheme == "http" else scheme, host, path, query, ""))


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def signature(text: str, num_perm: int) -> np.ndarray | None:
    """MinHash values (uint64, ``num_perm`` of them) of the shingles of ``text``; None when it has no words."""
    grams = shingles(text)
    if not grams:
        return None
    m = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    m.update_batch(list(grams))
    return np.asarray(m.hashvalues, dtype=np.uint64)


def as_minhash(values: np.ndarray) -> MinHash:
    """A datasketch ``MinHash`` from stored signature values (for LSH queries and Jaccard estimates)."""
    return MinHash(num_perm=len(values), seed=SEED, hashvalues=values, scheme=SCHEME)
