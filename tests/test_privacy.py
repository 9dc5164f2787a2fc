"""Phone numbers and WeChat IDs never leave the kit unmasked."""

from diag.privacy import mask_id, scrub_text


def test_a_phone_number_keeps_its_first_three_and_last_four_digits():
    assert mask_id("13800130807") == "138****0807"


def test_a_phone_with_country_code_and_spaces_is_masked():
    assert scrub_text("联系 +86 138 0013 0807 即可") == "联系 138****0807 即可"


def test_a_wxid_is_masked():
    assert mask_id("wxid_abc123xyz") == "wxid_****yz"


def test_an_id_shaped_like_a_wechat_id_is_masked():
    assert mask_id("lily_2020") == "li****20"


def test_an_all_digit_member_number_is_kept():
    assert mask_id("00004") == "00004"


def test_free_text_masks_labelled_wechat_ids_and_phones():
    text = "客户微信号: lily_2020, 电话13912345678, wxid_q1w2e3r4"
    out = scrub_text(text)
    assert "lily_2020" not in out and "13912345678" not in out and "wxid_q1w2e3r4" not in out


def test_order_numbers_longer_than_a_phone_are_not_touched():
    assert scrub_text("订单号 E20250305138001308071") == "订单号 E20250305138001308071"


def test_an_openid_is_masked():
    assert mask_id("o6_bmjrPTlm6_2sgVt7hMZOPfL2M") == "o6****2M"


def test_a_scrubber_masks_the_clients_own_custom_ids_in_free_text():
    from diag.privacy import Scrubber

    scrub = Scrubber(["zhang_1991", "00004", "13800130807"])
    out = scrub("<td>zhang_1991</td><td>00004</td> 客户zhang_1991反馈 13800130807")
    assert "zhang_1991" not in out and "13800130807" not in out
    assert "00004" in out and "zh****91" in out


def test_a_scrubber_leaves_ordinary_words_alone():
    from diag.privacy import Scrubber

    assert Scrubber(["zhang_1991"])("zhang_1992 GMV report") == "zhang_1992 GMV report"


def test_decimal_fractions_that_look_like_phones_are_numbers_not_phones():
    assert scrub_text("uplift 62926.15842564618") == "uplift 62926.15842564618"


def test_a_scrubber_cleans_strings_inside_json_data_and_leaves_numbers_alone():
    from diag.privacy import Scrubber

    data = {"rows": [["zhang_1991", 62926.15842564618, 13800130807]], "note": "客户 13800130807"}
    out = Scrubber(["zhang_1991"]).data(data)
    assert out == {"rows": [["zh****91", 62926.15842564618, 13800130807]], "note": "客户 138****0807"}
