"""Masking of personal data (names, phones, addresses, 户号) for lists, exports and logs."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)


def mask_address(address: str | None) -> str | None:
    if not address:
        return address
    keep = max(2, len(address) // 3)
    return address[:keep] + "*" * min(8, len(address) - keep)


def mask_customer_no(customer_no: str | None) -> str | None:
    """Keep the last four (two for short numbers) so staff can confirm a number the customer reads out."""
    if not customer_no:
        return customer_no
    if len(customer_no) <= 4:
        return "*" * len(customer_no)
    if len(customer_no) <= 8:
        return "*" * (len(customer_no) - 2) + customer_no[-2:]
    return customer_no[:2] + "*" * (len(customer_no) - 6) + customer_no[-4:]
