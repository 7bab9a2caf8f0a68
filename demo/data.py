"""The fictional customers of the demo data set and what each of them holds.

Service letters: X = CXM2, P = Cloud Proxy, H = Smart HUB, R = Managed Router, I = ISP Platform;
a letter given twice means two contracts of that service.
"""

from contracts.choices import ServiceCode, Status

SERVICE_LETTERS = {
    "X": ServiceCode.CXM2,
    "P": ServiceCode.CLOUD_PROXY,
    "H": ServiceCode.SMART_HUB,
    "R": ServiceCode.MANAGED_ROUTER,
    "I": ServiceCode.ISP_PLATFORM,
}

# name, kana, e-mail domain label, city, services
CORPORATE = [
    ("株式会社青葉システムズ", "アオバシステムズ", "aoba-systems", "tokyo", "XPH"),
    ("東都物流株式会社", "トウトブツリュウ", "toto-logi", "tokyo", "R"),
    ("株式会社なにわ精機", "ナニワセイキ", "naniwa-seiki", "osaka", "RH"),
    ("丸の内ファイナンス株式会社", "マルノウチファイナンス", "marunouchi-fin", "tokyo", "XHP"),
    ("株式会社さくらメディカルネット", "サクラメディカルネット", "sakura-medical", "tokyo", "PR"),
    ("北斗電子工業株式会社", "ホクトデンシコウギョウ", "hokuto-denshi", "tokyo", "HR"),
    ("株式会社みなと商事", "ミナトショウジ", "minato-shoji", "osaka", "XP"),
    ("大和ケーブルテレビ株式会社", "ヤマトケーブルテレビ", "yamato-catv", "osaka", "IIR"),
    ("株式会社梅田クリエイト", "ウメダクリエイト", "umeda-create", "osaka", "P"),
    ("新宿データサービス株式会社", "シンジュクデータサービス", "shinjuku-data", "tokyo", "XHR"),
    ("株式会社千代田ホールディングス", "チヨダホールディングス", "chiyoda-hd", "tokyo", "XPH"),
    ("淀屋橋通信株式会社", "ヨドヤバシツウシン", "yodoyabashi-tel", "osaka", "IIR"),
    ("株式会社品川テクノロジー", "シナガワテクノロジー", "shinagawa-tech", "tokyo", "XH"),
    ("堺化学工業株式会社", "サカイカガクコウギョウ", "sakai-chem", "osaka", "R"),
    ("株式会社ひかり住宅ネット", "ヒカリジュウタクネット", "hikari-jutaku", "tokyo", "I"),
    ("日本橋トレーディング株式会社", "ニホンバシトレーディング", "nihonbashi-trd", "tokyo", "XP"),
    ("株式会社心斎橋リテール", "シンサイバシリテール", "shinsaibashi-rt", "osaka", "HP"),
    ("有明クラウド株式会社", "アリアケクラウド", "ariake-cloud", "tokyo", "XHR"),
    ("株式会社渋谷ゲームスタジオ", "シブヤゲームスタジオ", "shibuya-games", "tokyo", "PX"),
    ("難波製薬株式会社", "ナンバセイヤク", "namba-pharma", "osaka", "HR"),
    ("株式会社池袋エデュケーション", "イケブクロエデュケーション", "ikebukuro-edu", "tokyo", "P"),
    ("天満橋建設株式会社", "テンマバシケンセツ", "tenmabashi-con", "osaka", "R"),
    ("株式会社六本木メディア", "ロッポンギメディア", "roppongi-media", "tokyo", "XP"),
    ("京橋インシュアランス株式会社", "キョウバシインシュアランス", "kyobashi-ins", "osaka", "XH"),
    ("株式会社江東ロジスティクス", "コウトウロジスティクス", "koto-logistics", "tokyo", "RH"),
    ("中之島エナジー株式会社", "ナカノシマエナジー", "nakanoshima-en", "osaka", "XR"),
    ("株式会社神田ブックス", "カンダブックス", "kanda-books", "tokyo", "P"),
    ("北浜証券株式会社", "キタハマショウケン", "kitahama-sec", "osaka", "XHP"),
    ("株式会社大崎ソフトウェア", "オオサキソフトウェア", "osaki-soft", "tokyo", "XP"),
    ("港南ネットワークス株式会社", "コウナンネットワークス", "konan-net", "tokyo", "IIRH"),
    ("株式会社本町アパレル", "ホンマチアパレル", "honmachi-apparel", "osaka", "H"),
    ("豊洲フードサービス株式会社", "トヨスフードサービス", "toyosu-food", "tokyo", "R"),
    ("株式会社八重洲コンサルティング", "ヤエスコンサルティング", "yaesu-consult", "tokyo", "XP"),
    ("阿倍野マンション管理株式会社", "アベノマンションカンリ", "abeno-mansion", "osaka", "I"),
    ("株式会社秋葉原エレクトロニクス", "アキハバラエレクトロニクス", "akiba-elec", "tokyo", "HX"),
    ("西梅田ホテルズ株式会社", "ニシウメダホテルズ", "nishiumeda-htl", "osaka", "RP"),
    ("株式会社田町インターネット", "タマチインターネット", "tamachi-inet", "tokyo", "IIR"),
    ("江坂ヘルスケア株式会社", "エサカヘルスケア", "esaka-health", "osaka", "H"),
    ("株式会社虎ノ門リーガル", "トラノモンリーガル", "toranomon-legal", "tokyo", "X"),
    ("弁天町ブロードバンド株式会社", "ベンテンチョウブロードバンド", "bentencho-bb", "osaka", "II"),
]

# name, kana, e-mail domain label, city, services (individuals: no ISP Platform, ISP art. 4)
INDIVIDUAL = [
    ("山田 太郎", "ヤマダ タロウ", "yamada", "tokyo", "R"),
    ("佐藤 花子", "サトウ ハナコ", "sato", "osaka", "R"),
    ("鈴木 一郎", "スズキ イチロウ", "suzuki", "tokyo", "X"),
    ("高橋 美咲", "タカハシ ミサキ", "takahashi", "osaka", "R"),
]

# postal code, address without the block number
ADDRESSES = {
    "tokyo": [
        ("100-0005", "東京都千代田区丸の内"),
        ("102-0083", "東京都千代田区麹町"),
        ("103-0027", "東京都中央区日本橋"),
        ("104-0061", "東京都中央区銀座"),
        ("105-0001", "東京都港区虎ノ門"),
        ("108-0075", "東京都港区港南"),
        ("135-0061", "東京都江東区豊洲"),
        ("141-0032", "東京都品川区大崎"),
        ("150-0002", "東京都渋谷区渋谷"),
        ("160-0023", "東京都新宿区西新宿"),
        ("170-0013", "東京都豊島区東池袋"),
    ],
    "osaka": [
        ("530-0001", "大阪府大阪市北区梅田"),
        ("530-0005", "大阪府大阪市北区中之島"),
        ("540-0008", "大阪府大阪市中央区大手前"),
        ("541-0041", "大阪府大阪市中央区北浜"),
        ("541-0053", "大阪府大阪市中央区本町"),
        ("542-0085", "大阪府大阪市中央区心斎橋筋"),
        ("545-0052", "大阪府大阪市阿倍野区阿倍野筋"),
        ("552-0007", "大阪府大阪市港区弁天"),
        ("556-0011", "大阪府大阪市浪速区難波中"),
        ("564-0063", "大阪府吹田市江坂町"),
    ],
}
AREA_CODE = {"tokyo": "03", "osaka": "06"}
FAMILY_NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山口"]
DEPARTMENTS = ["情報システム部", "ネットワーク運用課", "IT推進室", "総務部"]

#: Statuses handed out in turn to each service's contracts, so every service shows every state.
STATUS_CYCLE = [
    Status.ACTIVE,
    Status.TERMINATED,
    Status.CANCELLING,
    Status.ACTIVE,
    Status.ACCEPTED,
    Status.APPLIED,
    Status.ACTIVE,
    Status.WITHDRAWN,
    Status.TERMINATED,
    Status.ACTIVE,
]
