"""Members' attributes for the 用户画像: counted from the member file, identifiers never read."""

import pytest

from diag import paths
from diag.errors import DataError
from diag.readers import members


def test_a_gbk_member_list_gives_tier_signup_and_store_shares_without_identifiers():
    frame = members.read_member_attributes(paths.BRIEFS / "data" / "laomian-canyin" / "members.csv")
    assert list(frame.columns) == ["会员等级", "注册方式", "注册门店"]  # no ID, phone or birthday
    rows = members.attribute_summary(frame)
    tier = next(r for r in rows if r["attribute"] == "会员等级")
    assert tier["values"][0][0] == "普通会员" and 0 < tier["values"][0][1] <= 1 and tier["members"] > 0


def test_an_unreadable_member_list_is_a_data_error_naming_the_file(tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_bytes(b"\xff\xfe\x00broken")
    with pytest.raises(DataError) as err:
        members.read_member_attributes(bad)
    assert "m.csv" in str(err.value)
