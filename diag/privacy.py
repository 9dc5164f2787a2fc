"""Masking of personal data (个人信息保护法): phone numbers and WeChat IDs.

Raw identifiers stay inside the analysis (they are the join key); everything that
leaves it — report, results.json, figures, executed notebooks and their HTML — goes
through :func:`mask_id` for identifier columns and :func:`scrub_text` for free text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Mainland mobile numbers, optionally with +86 / 86 and separators: 138 0013 0807.
# Not after a decimal point: the digits of 62926.15842564618 are a fraction, not a phone.
_PHONE = re.compile(r"(?<![\dA-Za-z.])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
# WeChat IDs: system ids ``wxid_…`` and labelled ids (微信号: xxx / wechat: xxx).
_WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_-]{4,}")
_LABELLED_WECHAT = re.compile(r"((?:微信号?|WeChat(?:\s*ID)?|wechat_id|wx)\s*[:：=]\s*)([A-Za-z][-_A-Za-z0-9]{5,19})",
                              re.IGNORECASE)
_WECHAT_ID_SHAPE = re.compile(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$")
# WeChat openid / unionid: 28–64 characters of base64url (o6_bmjrPTlm6_2sgVt7hMZOPfL2M).
_OPENID_SHAPE = re.compile(r"^(?=.*[A-Za-z])[-_A-Za-z0-9]{21,64}$")
# A token that could be an identifier inside free text (ASCII only: ids sit next to Chinese).
_TOKEN = re.compile(r"[-_A-Za-z0-9]{5,64}")


def _mask_middle(text: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    if len(text) <= keep_head + keep_tail:
        keep_head, keep_tail = 1, 1 if len(text) > 2 else 0
    return text[:keep_head] + "****" + (text[-keep_tail:] if keep_tail else "")


def mask_phone(text: str) -> str:
    """Return ``text`` with every mainland mobile number masked as ``138****0807``."""
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_id(value: object) -> str:
    """Return a customer identifier safe to show: phones and WeChat IDs masked.

    A phone number keeps its first three and last four digits (``138****0807``) so a
    store clerk can still match it; a WeChat ID keeps its first and last two
    characters.  Since a WeChat ID cannot be told from a member code by its look,
    anything shaped like a WeChat ID (a letter, then 5–19 letters, digits, ``-`` or
    ``_``) or an openid / unionid (21–64 such characters) is masked too; all-digit
    member numbers are returned as they are.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return text
    masked = mask_phone(text)
    if masked != text:
        return masked
    if text.startswith("wxid_"):
        return "wxid_****" + text[-2:]
    if _WECHAT_ID_SHAPE.match(text) or _OPENID_SHAPE.match(text):
        # Could be a WeChat ID or openid; over-masking a member number is the safe mistake.
        return _mask_middle(text, 2, 2)
    return text


def scrub_text(text: str) -> str:
    """Return free text with phone numbers and WeChat IDs masked wherever they appear."""
    text = mask_phone(text)
    text = _WXID.sub(lambda m: "wxid_****" + m.group(0)[-2:], text)
    return _LABELLED_WECHAT.sub(lambda m: m.group(1) + _mask_middle(m.group(2), 2, 2), text)


class Scrubber:
    """Mask free text knowing the client's own identifiers.

    :func:`scrub_text` finds phones and labelled or ``wxid_`` WeChat IDs by their look;
    a custom WeChat ID such as ``zhang_1991`` in a displayed table cannot be told from
    other words.  A run knows every customer identifier of the orders file, so this
    masks each of them wherever it appears as a token, on top of :func:`scrub_text`.
    """

    def __init__(self, identifiers: Iterable[object] = ()) -> None:
        self._ids = {text for text in (str(i).strip() for i in identifiers) if text and mask_id(text) != text}

    def data(self, value: Any) -> Any:
        """Return JSON-like ``value`` with every string in it scrubbed (numbers untouched)."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        return value

    def __call__(self, text: str) -> str:
        """Return ``text`` with phones, WeChat IDs and the known identifiers masked."""
        text = scrub_text(text)
        if not self._ids:
            return text
        return _TOKEN.sub(lambda m: mask_id(m.group(0)) if m.group(0) in self._ids else m.group(0), text)
