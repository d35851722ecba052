"""A tile-grid map of Russia: every federal subject one cell, placed roughly by geography.

Coordinates are (column, row), west to east and north to south. European Russia is stretched
and Siberia squeezed so that the dense west stays readable; the layout came from the regional
capitals' coordinates snapped to the nearest free cell, then was frozen here.
"""
from __future__ import annotations

GRID: dict[str, tuple[int, int]] = {
    "RU-MUR": (4, 0),
    "RU-NEN": (11, 1), "RU-YAN": (14, 1), "RU-SA": (18, 1), "RU-CHU": (22, 1),
    "RU-ARK": (7, 2), "RU-KO": (11, 2), "RU-KYA": (16, 2),
    "RU-KR": (4, 3), "RU-KHM": (14, 3), "RU-MAG": (21, 3),
    "RU-SPE": (3, 4),
    "RU-LEN": (3, 5), "RU-NGR": (4, 5), "RU-TVE": (5, 5), "RU-YAR": (6, 5), "RU-VLG": (7, 5), "RU-KOS": (8, 5), "RU-ME": (9, 5), "RU-KIR": (10, 5), "RU-PER": (11, 5), "RU-SVE": (13, 5), "RU-TOM": (15, 5),
    "RU-PSK": (3, 6), "RU-MOS": (4, 6), "RU-MOW": (5, 6), "RU-VLA": (6, 6), "RU-IVA": (7, 6), "RU-NIZ": (8, 6), "RU-CU": (9, 6), "RU-UD": (10, 6), "RU-TYU": (14, 6), "RU-OMS": (15, 6), "RU-IRK": (17, 6), "RU-KAM": (21, 6),
    "RU-KGD": (0, 7), "RU-SMO": (3, 7), "RU-KLU": (4, 7), "RU-TUL": (5, 7), "RU-RYA": (6, 7), "RU-MO": (8, 7), "RU-ULY": (9, 7), "RU-TA": (10, 7), "RU-BA": (11, 7), "RU-CHE": (13, 7), "RU-KGN": (14, 7), "RU-NVS": (15, 7), "RU-KEM": (16, 7),
    "RU-BRY": (4, 8), "RU-ORL": (5, 8), "RU-LIP": (6, 8), "RU-TAM": (7, 8), "RU-PNZ": (8, 8), "RU-SAM": (9, 8), "RU-ALT": (15, 8), "RU-KK": (16, 8), "RU-BU": (17, 8), "RU-ZAB": (18, 8), "RU-AMU": (19, 8),
    "RU-KRS": (5, 9), "RU-VOR": (6, 9), "RU-SAR": (8, 9), "RU-ORE": (11, 9), "RU-AL": (15, 9), "RU-TY": (16, 9), "RU-KHA": (19, 9),
    "RU-BEL": (5, 10), "RU-VGG": (8, 10), "RU-YEV": (19, 10), "RU-SAK": (20, 10),
    "RU-ROS": (6, 11), "RU-KL": (8, 11), "RU-AST": (9, 11),
    "RU-CR": (4, 12), "RU-KDA": (5, 12), "RU-AD": (6, 12), "RU-STA": (7, 12), "RU-SE": (8, 12), "RU-PRI": (19, 12),
    "RU-SEV": (4, 13), "RU-KC": (7, 13), "RU-KB": (8, 13), "RU-CE": (9, 13),
    "RU-IN": (8, 14), "RU-DA": (9, 14),
}
COLUMNS = max(c for c, _ in GRID.values()) + 1
ROWS = max(r for _, r in GRID.values()) + 1

# Short names for the tiles (the full name is in each tile's tooltip and accessible label):
# code -> (English, Russian), at most six letters so that they fit a 42-pixel tile.
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "RU-BEL": ("Belg", "Белг"), "RU-BRY": ("Bryan", "Брян"), "RU-VLA": ("Vlad", "Влад"),
    "RU-VOR": ("Voron", "Ворон"), "RU-IVA": ("Ivan", "Иван"), "RU-KLU": ("Kaluga", "Калуж"),
    "RU-KOS": ("Kostr", "Костр"), "RU-KRS": ("Kursk", "Курск"), "RU-LIP": ("Lipet", "Липец"),
    "RU-MOS": ("Mos.o", "Моск.о"), "RU-ORL": ("Oryol", "Орлов"), "RU-RYA": ("Ryaz", "Рязан"),
    "RU-SMO": ("Smol", "Смол"), "RU-TAM": ("Tamb", "Тамб"), "RU-TVE": ("Tver", "Твер"),
    "RU-TUL": ("Tula", "Тул"), "RU-YAR": ("Yarosl", "Яросл"), "RU-MOW": ("Moscow", "Москва"),
    "RU-KR": ("Karel", "Карел"), "RU-KO": ("Komi", "Коми"), "RU-ARK": ("Arkh", "Арх"),
    "RU-VLG": ("Volog", "Волог"), "RU-KGD": ("Kalin", "Калин"), "RU-LEN": ("Len.o", "Лен.о"),
    "RU-MUR": ("Murm", "Мурм"), "RU-NGR": ("Novg", "Новг"), "RU-PSK": ("Pskov", "Псков"),
    "RU-SPE": ("StPb", "СПб"), "RU-NEN": ("Nenets", "НАО"), "RU-AD": ("Adyg", "Адыг"),
    "RU-KL": ("Kalm", "Калм"), "RU-CR": ("Crimea", "Крым"), "RU-KDA": ("Krasnd", "Красн"),
    "RU-AST": ("Astr", "Астр"), "RU-VGG": ("Volgg", "Волгг"), "RU-ROS": ("Rostov", "Рост"),
    "RU-SEV": ("Sevas", "Севас"), "RU-DA": ("Dag", "Даг"), "RU-IN": ("Ingush", "Ингуш"),
    "RU-KB": ("Kab-B", "КБР"), "RU-KC": ("Kar-Ch", "КЧР"), "RU-SE": ("N.Oss", "С.Ос"),
    "RU-CE": ("Chech", "Чечня"), "RU-STA": ("Stavr", "Ставр"), "RU-BA": ("Bashk", "Башк"),
    "RU-ME": ("MariEl", "МарЭл"), "RU-MO": ("Mord", "Морд"), "RU-TA": ("Tatar", "Татар"),
    "RU-UD": ("Udm", "Удм"), "RU-CU": ("Chuv", "Чуваш"), "RU-PER": ("Perm", "Пермь"),
    "RU-KIR": ("Kirov", "Киров"), "RU-NIZ": ("N.Nov", "Нижег"), "RU-ORE": ("Orenb", "Оренб"),
    "RU-PNZ": ("Penza", "Пенза"), "RU-SAM": ("Samara", "Самар"), "RU-SAR": ("Sarat", "Сарат"),
    "RU-ULY": ("Ulyan", "Ульян"), "RU-KGN": ("Kurgan", "Курган"), "RU-SVE": ("Sverd", "Сверд"),
    "RU-TYU": ("Tyum", "Тюмен"), "RU-CHE": ("Chel", "Челяб"), "RU-KHM": ("KhMAO", "ХМАО"),
    "RU-YAN": ("YaNAO", "ЯНАО"), "RU-AL": ("Alt.R", "Алтай"), "RU-TY": ("Tuva", "Тыва"),
    "RU-KK": ("Khak", "Хакас"), "RU-ALT": ("Alt.K", "Алт.к"), "RU-KYA": ("Krsnyr", "Красяр"),
    "RU-IRK": ("Irk", "Иркут"), "RU-KEM": ("Kuzb", "Кузбас"), "RU-NVS": ("Novsb", "Новсиб"),
    "RU-OMS": ("Omsk", "Омск"), "RU-TOM": ("Tomsk", "Томск"), "RU-BU": ("Buryat", "Бурят"),
    "RU-SA": ("Yakut", "Якут"), "RU-ZAB": ("Zabayk", "Забайк"), "RU-KAM": ("Kamch", "Камч"),
    "RU-PRI": ("Primor", "Примор"), "RU-KHA": ("Khab", "Хабар"), "RU-AMU": ("Amur", "Амур"),
    "RU-MAG": ("Magad", "Магад"), "RU-SAK": ("Sakh", "Сахал"), "RU-YEV": ("Jewish", "ЕАО"),
    "RU-CHU": ("Chuk", "Чукот"),
}


def short_name(code: str, lang: str = "en") -> str:
    """A tile's label: a short region name in the page's language (never a Latin code in Russian)."""
    names = SHORT_NAMES.get(code)
    if names is None:
        return code.removeprefix("RU-")
    return names[1] if lang == "ru" else names[0]
