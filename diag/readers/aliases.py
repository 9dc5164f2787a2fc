"""The orders reader's fields and the header aliases that name them in client exports.

Headers match an alias ignoring case, spaces, ``_``/``-`` and a unit suffix such as
``(元)`` (:func:`diag.platforms.registry.normalise_header`); see :mod:`diag.readers.orders`.
"""

from __future__ import annotations

FIELDS = ("order_id", "customer_id", "paid_at", "amount", "status", "channel", "store",
          "product", "category", "quantity", "line_id", "refund_status", "refund_flag", "close_reason",
          "refund_amount")
REQUIRED = ("order_id", "customer_id", "paid_at", "amount")

#: Order-level amount headers: the order's total, repeated on each of its lines.
ORDER_AMOUNT = ("订单实付金额", "订单金额", "订单总金额", "订单总额", "订单应付金额", "订单支付金额",
                "订单实收金额", "order_amount", "order_total")
#: Line-level amount headers: one line item's paid amount.
LINE_AMOUNT = ("商品实付金额", "商品金额", "商品实付", "商品小计", "商品总价", "小计", "宝贝总金额",
               "line_amount", "item_amount")

ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "订单号", "订单编号", "订单ID", "主订单号", "主订单编号", "订单单号",
                 "交易单号", "order_no", "order_number", "order", "transaction_id"),
    "customer_id": ("customer_id", "客户ID", "买家ID", "会员ID", "用户ID", "手机号", "买家手机号",
                    "会员手机号", "收货人手机号", "客户手机号", "手机", "openid", "unionid", "客户",
                    "客户编号", "会员编号", "会员卡号", "买家会员名", "买家昵称", "customer",
                    "user_id", "member_id", "buyer_id", "phone", "mobile", "买家会员名称", "下单帐号", "下单账号",
                    "会员号", "会员电话", "联系手机", "收件人手机号", "收货人手机号/提货人手机号", "联系电话"),
    "paid_at": ("paid_at", "支付时间", "付款时间", "下单时间", "订单创建时间", "成交时间", "创建时间",
                "交易时间", "订单时间", "日期", "date", "order_date", "order_time", "paid_time",
                "payment_time", "created_at", "订单付款时间", "买家付款时间", "支付完成时间", "付款确认时间",
                "订单成交时间", "结账时间", "销售时间", "订单提交时间", "下单日期"),
    "amount": ("amount", "实付金额", "实付款", "成交金额", "支付金额", "实收金额", "付款金额",
               "买家实付金额", "实际支付金额", "销售额", "销售金额", "金额", "dollar_value",
               "paid_amount", "payment", "sales", "revenue", "买家实际支付金额", "用户实付金额", "顾客实付",
               "商品实际成交金额") + LINE_AMOUNT + ORDER_AMOUNT,
    "status": ("status", "订单状态", "交易状态", "状态", "order_status"),
    "channel": ("channel", "渠道", "来源", "来源渠道", "订单来源", "销售渠道", "source"),
    "store": ("store", "门店", "门店名称", "店铺", "店铺名称", "shop", "store_name"),
    "product": ("product", "商品名称", "商品", "品名", "sku_name", "宝贝标题", "商品标题", "product_name",
                "item_name", "sku"),
    "category": ("category", "品类", "类目", "商品分类", "商品类目", "分类"),
    "quantity": ("quantity", "数量", "商品数量", "件数", "购买数量", "qty", "number_of_cds"),
    "line_id": ("line_id", "子订单编号", "子订单号", "商品订单号", "订单明细编号", "明细编号"),
    "refund_status": ("refund_status", "售后状态", "退款状态", "商品退款状态", "维权状态", "售后类型"),
    "refund_flag": ("refund_flag", "退单标识", "是否退单", "是否退款", "退款标识"),
    "close_reason": ("close_reason", "订单关闭原因", "关闭原因"),
    "refund_amount": ("refund_amount", "退款金额", "已退款金额", "商品已退款金额", "订单已退款金额", "买家退款金额",
                      "退款总金额", "订单退款", "refunded_amount"),
}
