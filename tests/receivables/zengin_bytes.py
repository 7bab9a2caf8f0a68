"""Bank files written by hand from the 全銀協 specification, field by field, for the tests.

Nothing here comes from the application's code: each record below lists its fields in the order and
widths of the published layouts (振込入金通知, 入出金取引明細), N fields zero-filled on the left, C fields
space-filled on the right, encoded as Shift_JIS (half-width katakana are single bytes 0xA1–0xDF).
"""


def n(value: int | str, width: int) -> bytes:
    text = str(value).rjust(width, "0")
    assert len(text) == width and text.isdigit()
    return text.encode("ascii")


def c(text: str, width: int) -> bytes:
    raw = text.encode("shift_jis")
    assert len(raw) <= width
    return raw + b" " * (width - len(raw))


def record(*fields: bytes) -> bytes:
    data = b"".join(fields)
    assert len(data) == 200, len(data)
    return data


# 振込入金通知 (種別コード 01)


def notice_header(made="070331", frm="070331", to="070331", account="1234567"):
    return record(
        n(1, 1),  # データ区分: ヘッダー
        n(1, 2),  # 種別コード 01
        n(0, 1),  # コード区分 0 JIS
        n(made, 6),  # 作成日 (和暦 YYMMDD)
        n(frm, 6),  # 勘定日(自)
        n(to, 6),  # 勘定日(至)
        n(9, 4),  # 銀行コード 0009
        c("ﾐﾂｲｽﾐﾄﾓ", 15),  # 銀行名
        n(100, 3),  # 支店コード
        c("ﾎﾝﾃﾝ", 15),  # 支店名
        n(1, 1),  # 預金種目 1 普通
        n(account, 7),  # 口座番号
        c("ﾃﾞﾓﾈﾂﾄﾜｰｸｻｰﾋﾞｽ(ｶ", 40),  # 口座名
        c("", 93),  # ダミー
    )


def notice_data(reference, amount, payer, booked="070331", cancelled=" ", payer_code=""):
    return record(
        n(2, 1),  # データ区分: データ
        n(reference, 6),  # 照会番号
        n(booked, 6),  # 勘定日
        n(booked, 6),  # 起算日
        n(amount, 10),  # 金額
        n(0, 10),  # うち他店券金額
        n(payer_code or 0, 10),  # 振込依頼人コード
        c(payer, 48),  # 振込依頼人名
        c("ﾐｽﾞﾎ", 15),  # 仕向銀行名
        c("ｼﾝｼﾞﾕｸ", 15),  # 仕向店名
        c(cancelled, 1),  # 取消区分
        c("", 20),  # EDI情報
        c("", 52),  # ダミー
    )


def notice_trailer(count, total, cancelled_count=0, cancelled_total=0):
    return record(
        n(8, 1),  # データ区分: トレーラ
        n(count, 6),  # 振込件数
        n(total, 12),  # 振込金額合計
        n(cancelled_count, 6),  # 取消件数
        n(cancelled_total, 12),  # 取消金額合計
        c("", 163),  # ダミー
    )


def end():
    return record(n(9, 1), c("", 199))  # データ区分: エンド, ダミー


# 入出金取引明細 (種別コード 03)


def statement_header(account="0001234567", balance=1_000_000):
    return record(
        n(1, 1),  # データ区分
        n(3, 2),  # 種別コード 03
        n(0, 1),  # コード区分
        n("070401", 6),  # 作成日
        n("070331", 6),  # 勘定日(自)
        n("070331", 6),  # 勘定日(至)
        n(5, 4),  # 銀行コード 0005
        c("ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｪｲ", 15),  # 銀行名
        n(1, 3),  # 支店コード
        c("ﾎﾝﾃﾝ", 15),  # 支店名
        c("", 3),  # ダミー
        n(1, 1),  # 預金種目
        n(account, 10),  # 口座番号
        c("ﾃﾞﾓﾈﾂﾄﾜｰｸｻｰﾋﾞｽ(ｶ", 40),  # 口座名
        n(1, 1),  # 貸越区分 1 プラス
        n(0, 1),  # 通帳・証書区分
        n(balance, 14),  # 取引前残高
        c("", 71),  # ダミー
    )


def statement_data(reference, direction, amount, payer, transaction=11, booked="070331"):
    return record(
        n(2, 1),  # データ区分
        n(reference, 8),  # 照会番号
        n(booked, 6),  # 勘定日
        n(booked, 6),  # 預入・払出日
        n(direction, 1),  # 入払区分 1 入金 2 出金
        n(transaction, 2),  # 取引区分 11 振込
        n(amount, 12),  # 取引金額
        n(0, 12),  # うち他店券金額
        n(0, 6),  # 交換呈示日
        n(0, 6),  # 不渡日
        n(0, 1),  # 手形・小切手区分
        n(0, 7),  # 手形・小切手番号
        n(0, 3),  # 僚店番号
        n(0, 10),  # 振込依頼人コード
        c(payer, 48),  # 振込依頼人名または契約者番号
        c("ﾐｽﾞﾎ", 15),  # 仕向銀行名
        c("", 15),  # 仕向店名
        c("ﾌﾘｺﾐ", 20),  # 摘要内容
        c("", 20),  # EDI情報
        c("", 1),  # ダミー
    )


def statement_trailer(deposits, deposits_total, withdrawals, withdrawals_total, balance, records):
    return record(
        n(8, 1),  # データ区分
        n(deposits, 6),  # 入金件数
        n(deposits_total, 13),  # 入金額合計
        n(withdrawals, 6),  # 出金件数
        n(withdrawals_total, 13),  # 出金額合計
        n(1, 1),  # 貸越区分
        n(balance, 14),  # 取引後残高
        n(records, 7),  # データ・レコード件数
        c("", 139),  # ダミー
    )


def statement_end(records, accounts=1):
    return record(n(9, 1), n(records, 10), n(accounts, 5), c("", 184))  # データ区分, レコード総件数, 口座数, ダミー
