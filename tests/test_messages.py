"""The message catalogues' public look-ups: a text by its key, and a Chinese text to its twin."""

from __future__ import annotations

import pytest

from diag.errors import UsageError
from diag.messages import by_text, text


def test_by_text_maps_each_chinese_text_of_a_domain_to_its_english_twin():
    words = by_text("plan", "en")
    assert words["优先级"] == "Priority"
    assert words["30天"] == "30 days"
    assert words[text("plan", "roi", "zh")] == text("plan", "roi", "en")


def test_by_text_in_chinese_maps_each_text_to_itself():
    words = by_text("plan", "zh")
    assert words and all(zh == same for zh, same in words.items())


def test_by_text_returns_a_new_dict_so_a_caller_cannot_change_the_catalogue():
    by_text("plan", "en")["优先级"] = "changed"
    assert by_text("plan", "en")["优先级"] == "Priority"


def test_by_text_refuses_an_unknown_language_or_domain():
    with pytest.raises(UsageError, match="language"):
        by_text("plan", "fr")
    with pytest.raises(UsageError, match="no message catalogue"):
        by_text("no-such-domain", "en")


def test_by_text_keeps_the_first_message_where_two_share_a_chinese_text():
    # 门店 is both the store table's header (first in the file) and a business format.
    assert text("stores", "report.format", "zh") == text("stores", "store", "zh")
    assert by_text("stores", "en")["门店"] == text("stores", "store", "en") == "Store"
