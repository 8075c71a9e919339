"""Sealing an answer until its round's results are released.

An answer is stored as one opaque blob: its content as JSON, padded to a multiple of
``PAD_BYTES`` (so that its size says nothing about what was written), encrypted with
AES-256-GCM under a key derived from the settings. The round's id is bound in as
associated data, so a blob cannot be moved to another round. Pure: no ORM, no
request; the key comes in as bytes (``keys_from_settings`` makes them).

Input of ``seal``: a JSON-serialisable dict. ``unseal`` returns it.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# Nearly every answer fits one block (twelve ratings with short comments and a few
# notes are well under 4 KiB), so nearly every sealed answer has the same size.
PAD_BYTES = 16 * 1024
NONCE_BYTES = 12
VERSION = b"\x01"
_INFO = b"team-mirror answer sealing v1"


class SealBroken(Exception):
    """No configured key opens this blob (wrong key, or the blob was altered)."""


def derive_key(secret: str) -> bytes:
    """A 256-bit key from any secret string (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return hkdf.derive(secret.encode())


def keys_from_settings(
    sealing_key: str, secret_key: str, fallbacks: Sequence[str] = ()
) -> list[bytes]:
    """The key to seal with first, then the older ones that may still open blobs.
    ``sealing_key`` is ``ANSWER_SEALING_KEY``; empty means derive from the secret
    key."""
    primary = sealing_key or secret_key
    return [derive_key(s) for s in (primary, *fallbacks) if s]


def pad(data: bytes, block: int = PAD_BYTES) -> bytes:
    framed = struct.pack(">I", len(data)) + data
    size = -(-len(framed) // block) * block
    return framed + b"\x00" * (size - len(framed))


def unpad(data: bytes) -> bytes:
    (length,) = struct.unpack(">I", data[:4])
    return data[4 : 4 + length]


def _aad(round_id: int) -> bytes:
    return b"round:%d" % round_id


def seal(content: dict[str, Any], *, key: bytes, round_id: int) -> bytes:
    plain = pad(json.dumps(content, separators=(",", ":")).encode())
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plain, _aad(round_id))


def unseal(blob: bytes, *, keys: Sequence[bytes], round_id: int) -> dict[str, Any]:
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise SealBroken
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    for key in keys:
        try:
            plain = AESGCM(key).decrypt(nonce, body, _aad(round_id))
        except InvalidTag:
            continue
        content: dict[str, Any] = json.loads(unpad(plain))
        return content
    raise SealBroken


def opaque(text: str, *, key: bytes, purpose: str) -> str:
    """``text`` encrypted into a printable string (for a task's arguments)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def clear(value: str, *, keys: Sequence[bytes], purpose: str) -> str:
    raw = base64.urlsafe_b64decode(value.encode())
    for key in keys:
        try:
            return (
                AESGCM(key)
                .decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
                .decode()
            )
        except InvalidTag:
            continue
    raise SealBroken
