"""Pseudonymous keys of customers, phones and addresses, and the redaction of the lake's text.

The repeat and sensitive-customer analyses need to know that two appeals came from the same 户号, phone or
address, not who that is. Each identifier is normalised and hashed with BLAKE2b keyed by a per-install salt
(64-bit keys: collisions among ten million callers have a probability of about 3·10⁻⁶). The salt lives outside
the lake folder (`$GRIDVOICE_HOME/lake-salt.key`, mode 600, generated on first use) unless the settings carry
one (`lake_salt`), so a copied lake cannot be reversed by hashing every phone number. Changing the salt makes
the next refresh rebuild the lake.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from pathlib import Path
from typing import Any

SALT_FILE = "lake-salt.key"
_NOT_DIGIT = re.compile(r"\D")
# everything but letters, digits and CJK: spaces, punctuation and separators do not tell addresses apart
_ADDRESS_NOISE = re.compile(r"[^0-9a-z\u3400-\u9fff]")
# phone numbers, 户号, ID-card and bank numbers: ten digits or more (staff numbers, 工号, are shorter and stay)
_LONG_DIGITS = re.compile(r"\d{10,}")
REDACTED = "＃"


def load_salt(settings: Any) -> bytes:
    """The configured salt, else the install's salt file (created with a fresh random salt when missing)."""
    configured = str(getattr(settings, "lake_salt", "") or "")
    if configured:
        return configured.encode("utf-8")
    home = Path(settings.home)
    home.mkdir(parents=True, exist_ok=True)
    path = home / SALT_FILE
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode("utf-8")


def hash_key(salt: bytes) -> bytes:
    """The BLAKE2b key derived from a salt of any length (BLAKE2b takes keys of at most 64 bytes)."""
    return hashlib.sha256(b"gridvoice-lake:" + salt).digest()


def salt_fingerprint(salt: bytes) -> str:
    """Tells whether the lake was built with this salt, without storing the salt beside it."""
    return hashlib.blake2b(b"gridvoice-lake-salt", key=hash_key(salt), digest_size=8).hexdigest()


def normalise_phone(phone: str | None) -> str | None:
    """Digits only, without the country code: '+86 138-0000-0001' and '13800000001' are one phone."""
    if not phone:
        return None
    digits = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", phone))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits or None


def normalise_address(address: str | None) -> str | None:
    """Full-width forms folded, case folded, spaces and punctuation dropped."""
    if not address:
        return None
    text = _ADDRESS_NOISE.sub("", unicodedata.normalize("NFKC", address).lower())
    return text or None


def normalise_customer_no(customer_no: str | None) -> str | None:
    if not customer_no:
        return None
    text = unicodedata.normalize("NFKC", customer_no).strip().upper().replace(" ", "")
    return text or None


def keyed_hash(value: str | None, key: bytes) -> int | None:
    """A signed 64-bit key of an already normalised value (None stays None); `key` from `hash_key`."""
    if value is None:
        return None
    digest = hashlib.blake2b(value.encode("utf-8"), key=key, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Pseudonymiser:
    """The three keys of an appeal's caller, with the install's salt."""

    def __init__(self, salt: bytes) -> None:
        self.key = hash_key(salt)

    def customer(self, customer_no: str | None) -> int | None:
        return keyed_hash(normalise_customer_no(customer_no), self.key)

    def phone(self, phone: str | None) -> int | None:
        return keyed_hash(normalise_phone(phone), self.key)

    def address(self, address: str | None) -> int | None:
        return keyed_hash(normalise_address(address), self.key)


def redact(content: str | None) -> str:
    """The appeal's text without the long digit runs that identify people (phones, 户号, ID numbers)."""
    if not content:
        return ""
    return _LONG_DIGITS.sub(REDACTED, content)


def key_text(key: int | None) -> str | None:
    """How a key is shown: 16 hex digits (not reversible to the identifier)."""
    if key is None:
        return None
    return f"{key & 0xFFFFFFFFFFFFFFFF:016x}"
