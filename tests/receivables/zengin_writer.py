"""A writer of 全銀協 files for the tests, made from the published tables and nothing of the application.

The field tables below are transcribed from the banks' published 全銀協 layouts (阿波銀行「振込入金通知
（全銀協制定フォーマット）」, きらぼし銀行「入出金明細（全銀）明細ファイル・フォーマット（全銀協規定形式）」,
cross-checked with the open-source Diva.Zengin record classes): each field by the name the specification
gives it, its kind (N digits right-aligned zero-filled, C text left-aligned space-filled) and its width.
A record is written from keyword values by those names; a field not given is zeros (N) or spaces (C).
"""

N, C = "N", "C"

# 振込入金通知 (種別コード 01), フォーマットA
振込入金通知 = {
    "ヘッダー": [
        ("データ区分", N, 1),
        ("種別コード", N, 2),
        ("コード区分", N, 1),
        ("作成日", N, 6),
        ("勘定日(自)", N, 6),
        ("勘定日(至)", N, 6),
        ("銀行コード", N, 4),
        ("銀行名", C, 15),
        ("支店コード", N, 3),
        ("支店名", C, 15),
        ("預金種目", N, 1),
        ("口座番号", N, 7),
        ("口座名", C, 40),
        ("ダミー", C, 93),
    ],
    "データ": [
        ("データ区分", N, 1),
        ("照会番号", N, 6),
        ("勘定日", N, 6),
        ("起算日", N, 6),
        ("金額", N, 10),
        ("うち他店券金額", N, 10),
        ("振込依頼人コード", N, 10),
        ("振込依頼人名", C, 48),
        ("仕向銀行名", C, 15),
        ("仕向店名", C, 15),
        ("取消区分", C, 1),
        ("EDI情報", C, 20),
        ("ダミー", C, 52),
    ],
    "トレーラ": [
        ("データ区分", N, 1),
        ("振込合計件数", N, 6),
        ("振込合計金額", N, 12),
        ("取消合計件数", N, 6),
        ("取消合計金額", N, 12),
        ("ダミー", C, 163),
    ],
    "エンド": [("データ区分", N, 1), ("ダミー", C, 199)],
}

# 入出金取引明細 (種別コード 03), 普通・当座・貯蓄預金のデータ・レコード
入出金取引明細 = {
    "ヘッダー": [
        ("データ区分", N, 1), ("種別コード", N, 2), ("コード区分", N, 1), ("作成日", N, 6), ("勘定日(自)", N, 6),
        ("勘定日(至)", N, 6), ("銀行コード", N, 4), ("銀行名", C, 15), ("支店コード", N, 3), ("支店名", C, 15),
        ("ダミー1", N, 3), ("預金種目", N, 1), ("口座番号", N, 10), ("口座名", C, 40), ("貸越区分", N, 1),
        ("通帳・証書区分", N, 1), ("取引前残高", N, 14), ("ダミー", C, 71),
    ],
    "データ": [
        ("データ区分", N, 1), ("照会番号", N, 8), ("勘定日", N, 6), ("預入・払出日", N, 6), ("入払区分", N, 1),
        ("取引区分", N, 2), ("取引金額", N, 12), ("うち他店券金額", N, 12), ("交換呈示日", N, 6), ("不渡日", N, 6),
        ("手形・小切手区分", N, 1), ("手形・小切手番号", N, 7), ("僚店番号", N, 3), ("振込依頼人コード", N, 10),
        ("振込依頼人名または契約者番号", C, 48), ("仕向銀行名", C, 15), ("仕向店名", C, 15), ("摘要内容", C, 20),
        ("EDI情報", C, 20), ("ダミー", C, 1),
    ],
    "トレーラ": [
        ("データ区分", N, 1), ("入金件数", N, 6), ("入金額合計", N, 13), ("出金件数", N, 6), ("出金額合計", N, 13),
        ("貸越区分", N, 1), ("取引後残高", N, 14), ("データ・レコード件数", N, 7), ("ダミー", C, 139),
    ],
    "エンド": [("データ区分", N, 1), ("レコード総件数", N, 10), ("口座数", N, 5), ("ダミー", C, 184)],
}  # fmt: skip

RECORD_TYPE = {"ヘッダー": 1, "データ": 2, "トレーラ": 8, "エンド": 9}
KIND = {id(振込入金通知): 1, id(入出金取引明細): 3}

for _layout in (振込入金通知, 入出金取引明細):
    for _name, _fields in _layout.items():
        assert sum(width for _f, _k, width in _fields) == 200, _name


def write(layout: dict, record: str, **values) -> bytes:
    """One 200-byte record of ``layout`` (振込入金通知 or 入出金取引明細): ``record`` is ヘッダー, データ,
    トレーラ or エンド; ``values`` by field name (データ区分 and 種別コード are filled in)."""
    values.setdefault("データ区分", RECORD_TYPE[record])
    if record == "ヘッダー":
        values.setdefault("種別コード", KIND[id(layout)])
    names = {name for name, _k, _w in layout[record]}
    assert set(values) <= names, set(values) - names
    out = b""
    for name, kind, width in layout[record]:
        value = values.get(name)
        if kind == N:
            text = str(value if value is not None else 0).rjust(width, "0")
            assert text.isdigit() and len(text) == width, (name, value)
            out += text.encode("ascii")
        else:
            raw = str(value or "").encode("cp932")
            assert len(raw) <= width, (name, value)
            out += raw.ljust(width, b" ")
    assert len(out) == 200
    return out


def notice_file(account: str, deposits: list[dict], *, day="081030", bank=9, branch=100, separator=b"\r\n"):
    """A whole 振込入金通知 of one account: ``deposits`` are data-record values (金額, 振込依頼人名, ...);
    the trailer counts and totals are worked out from them as the table defines them."""
    live = [d for d in deposits if str(d.get("取消区分", "")).strip() != "1"]
    cancelled = [d for d in deposits if str(d.get("取消区分", "")).strip() == "1"]
    records = [
        write(振込入金通知, "ヘッダー", 作成日=day, **{"勘定日(自)": day, "勘定日(至)": day}, 銀行コード=bank,
              銀行名="ﾐﾂｲｽﾐﾄﾓ", 支店コード=branch, 支店名="ﾎﾝﾃﾝ", 預金種目=1, 口座番号=account,
              口座名="ﾃﾞﾓﾈﾂﾄﾜｰｸｻｰﾋﾞｽ(ｶ"),
        *[write(振込入金通知, "データ", **{"勘定日": day, "起算日": day, **d}) for d in deposits],
        write(振込入金通知, "トレーラ", 振込合計件数=len(live), 振込合計金額=sum(d["金額"] for d in live),
              取消合計件数=len(cancelled), 取消合計金額=sum(d["金額"] for d in cancelled)),
        write(振込入金通知, "エンド"),
    ]  # fmt: skip
    return separator.join(records) + separator


def statement_file(accounts: list[tuple[str, list[dict]]], *, day="081030", bank=9, branch=100, kind=1,
                   separator=b"\r\n", balance=1_000_000):  # fmt: skip
    """A whole 入出金取引明細 of one or more accounts ``(口座番号, [data-record values])``; trailers and the
    end record worked out from the data as the table defines them."""
    records = []
    for number, entries in accounts:
        ins = [e for e in entries if e.get("入払区分", 1) == 1]
        outs = [e for e in entries if e.get("入払区分", 1) == 2]
        after = balance + sum(e["取引金額"] for e in ins) - sum(e["取引金額"] for e in outs)
        records.append(
            write(入出金取引明細, "ヘッダー", 作成日=day, **{"勘定日(自)": day, "勘定日(至)": day},
                  銀行コード=bank, 銀行名="ﾐﾂｲｽﾐﾄﾓ", 支店コード=branch, 支店名="ﾎﾝﾃﾝ", 預金種目=kind,
                  口座番号=number, 口座名="ﾃﾞﾓﾈﾂﾄﾜｰｸｻｰﾋﾞｽ(ｶ", 貸越区分=1, 取引前残高=balance)
        )  # fmt: skip
        for e in entries:
            e = {"入払区分": 1, "取引区分": 11, "勘定日": day, "預入・払出日": day, **e}
            records.append(write(入出金取引明細, "データ", **e))
        records.append(
            write(入出金取引明細, "トレーラ", 入金件数=len(ins), 入金額合計=sum(e["取引金額"] for e in ins),
                  出金件数=len(outs), 出金額合計=sum(e["取引金額"] for e in outs), 貸越区分=1, 取引後残高=after,
                  **{"データ・レコード件数": len(entries)})
        )  # fmt: skip
    records.append(write(入出金取引明細, "エンド", レコード総件数=len(records) + 1, 口座数=len(accounts)))
    return separator.join(records) + separator
