"""The words of ministry spreadsheets, as data: column names, industries, technologies,
statuses and funding sources in the spellings strategy appendices use, Russian and English.

Everything the portfolio reader recognises is listed here and nowhere else. Spellings are
compared after ``normalise`` (lower case, ``ё`` as ``е``, punctuation as spaces); a column
name matches a field when it equals one of its spellings, else when it contains one of its
stems (``STEMS``, tried in order: the first field whose stem occurs wins).
"""
from __future__ import annotations

import re

# field -> exact spellings of a column name (after ``normalise``)
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п п", "n", "no", "nn", "n п п", "п п", "номер", "#", "number", "item"),
    "id": ("id", "идентификатор", "код", "код проекта", "project id"),
    "title": ("title", "name", "project", "project name", "project title", "наименование", "наименование проекта",
              "название", "название проекта", "проект", "наименование мероприятия", "мероприятие",
              "наименование системы", "наименование информационной системы"),
    "industry": ("industry", "industries", "sector", "area", "direction", "отрасль", "отрасли", "направление",
                 "отрасль направление", "сфера", "отраслевое направление", "сфера деятельности"),
    "features": ("features", "functions", "main functions", "description functions", "функции", "основные функции",
                 "функционал", "описание основные функции", "описание функции", "функциональные возможности",
                 "описание и основные функции"),
    "description": ("description", "summary", "описание", "описание проекта", "краткое описание",
                    "краткое описание проекта", "цель проекта", "цели и задачи"),
    "period": ("period", "years", "timeline", "implementation period", "срок реализации", "сроки реализации",
               "срок", "сроки", "период реализации", "годы реализации", "период"),
    "start_year": ("start year", "start_year", "год начала", "начало"),
    "end_year": ("end year", "end_year", "год окончания", "окончание", "год завершения"),
    "funding_source": ("funding source", "source of funding", "source", "sources", "источник",
                       "источник финансирования", "источники финансирования", "источники"),
    "budget": ("budget", "amount", "cost", "total cost", "funding", "cost capex", "объем", "объем финансирования",
               "объем финансового обеспечения", "стоимость", "стоимость проекта", "бюджет", "сумма",
               "финансирование", "всего"),
    "funding.federal": ("фб", "федеральный бюджет", "funding federal", "federal budget", "federal"),
    "funding.regional": ("об", "рб", "бс", "областной бюджет", "региональный бюджет", "бюджет субъекта",
                         "бюджет субъекта рф", "республиканский бюджет", "краевой бюджет", "окружной бюджет",
                         "funding regional", "regional budget", "regional"),
    "funding.local": ("мб", "местный бюджет", "местные бюджеты", "funding local", "local budget", "local"),
    "funding.extrabudgetary": ("вб", "внебюджетные источники", "внебюджетные средства", "funding extrabudgetary",
                               "extrabudgetary", "extra budgetary"),
    "owner": ("owner", "responsible", "responsible executive", "executive", "ответственный исполнитель",
              "ответственный", "исполнитель", "ответственные исполнители", "заказчик", "оператор"),
    "status": ("status", "stage", "state", "статус", "состояние", "стадия", "статус реализации", "этап"),
    "technologies": ("technologies", "technology", "технологии", "сквозные технологии",
                     "используемые технологии", "технология"),
    "region": ("region", "регион", "субъект", "субъект рф", "субъект российской федерации"),
    "vendor": ("vendor", "supplier", "contractor", "поставщик", "подрядчик", "разработчик"),
    # known columns the check does not use (the catalog export's own, remarks): never mistaken
    # for one it uses («cost.opex_per_year» is no budget)
    "ignored": ("cost opex_per_year", "opex", "opex_per_year", "operating cost", "эксплуатационные расходы",
                "indicators", "sources", "based_on", "synthetic", "license", "contact", "language", "translations",
                "примечание", "примечания", "note", "notes", "comment", "comments", "комментарий", "показатели",
                "целевые показатели", "результат", "ожидаемый результат", "ожидаемые результаты"),
}

# field -> stems a longer column name may contain ("Наименование проекта (мероприятия)").
# Order matters: "Описание / основные функции" is about functions, "Источник финансирования"
# is a source, not an amount.
STEMS: tuple[tuple[str, str], ...] = (
    ("number", "п п"),
    ("title", "наименован"),
    ("title", "назван"),
    ("features", "функци"),
    ("features", "function"),
    ("funding_source", "источник"),
    ("funding_source", "source"),
    ("budget", "объем"),
    ("budget", "стоимост"),
    ("budget", "тыс руб"),
    ("budget", "млн руб"),
    ("budget", "amount"),
    ("budget", "budget"),
    ("budget", "cost"),
    ("description", "описан"),
    ("description", "description"),
    ("period", "срок"),
    ("period", "период"),
    ("period", "годы"),
    ("period", "period"),
    ("status", "статус"),
    ("status", "status"),
    ("owner", "ответствен"),
    ("owner", "исполнител"),
    ("owner", "responsib"),
    ("industry", "отрасл"),
    ("industry", "направлен"),
    ("industry", "industr"),
    ("technologies", "технолог"),
    ("technologies", "technolog"),
    ("region", "регион"),
    ("region", "субъект"),
)

# What the template's columns are called (the first spelling a person should use), by language.
TEMPLATE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # field, Russian, English
    ("number", "№ п/п", "No."),
    ("title", "Наименование проекта", "Project name"),
    ("industry", "Отрасль", "Industry"),
    ("features", "Описание / основные функции", "Description / main functions"),
    ("period", "Срок реализации", "Implementation period"),
    ("funding_source", "Источник финансирования", "Funding source"),
    ("budget", "Объём финансирования, тыс. руб.", "Funding, thousand rubles"),
    ("owner", "Ответственный исполнитель", "Responsible executive"),
    ("status", "Статус", "Status"),
    ("technologies", "Технологии", "Technologies"),
    ("region", "Регион", "Region"),
)

# industry code -> stems of the words strategies use for it (after the taxonomy's own labels).
# Order matters: "Физическая культура и спорт" is sport before it is culture.
INDUSTRY_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sport", ("спорт", "физическ", "sport")),
    ("healthcare", ("здравоохран", "медицин", "здоровь", "health", "medic")),
    ("education", ("образован", "наук", "школ", "educat", "school", "science")),
    ("transport", ("транспорт", "дорож", "логистик", "transport", "road")),
    ("urban_environment", ("городск", "жкх", "жилищ", "коммунал", "умный город", "urban", "housing", "smart city")),
    ("public_administration", ("государственн управлен", "госуправлен", "государственное и муниципальное",
                               "муниципальн управлен", "госуслуг", "государственные услуги", "public admin",
                               "e government", "government")),
    ("social", ("социальн", "соцзащит", "social")),
    ("agriculture", ("сельск", "агро", "апк", "agricult", "farm")),
    ("culture", ("культур", "cultur", "museum", "музе")),
    ("tourism", ("туризм", "туристск", "touris")),
    ("industry", ("промышлен", "industr", "manufactur")),
    ("energy", ("энергет", "energ")),
    ("ecology", ("эколог", "природ", "лесн", "окружающ", "ecolog", "environment")),
    ("construction", ("строительств", "градостро", "construct")),
    ("trade", ("торговл", "предприним", "бизнес", "мсп", "малого и среднего", "trade", "business")),
    ("finance", ("финанс", "бюджетн процесс", "налог", "financ")),
    ("safety", ("безопасност", "правопоряд", "чрезвычайн", "safety", "security")),
    ("employment", ("занятост", "трудоустр", "рынок труда", "employ")),
)

TECHNOLOGY_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ai", ("искусственн интеллект", "искусственный интеллект", "ии", "ai", "машинн обучен", "machine learning",
            "нейросет", "компьютерн зрени")),
    ("big_data", ("больш данн", "большие данные", "big data", "аналитик данн")),
    ("iot", ("интернет вещей", "iot", "internet of things")),
    ("digital_twin", ("цифров двойник", "цифровой двойник", "цифровые двойники", "digital twin")),
    ("distributed_ledger", ("распредел реестр", "распределенного реестра", "блокчейн", "blockchain", "ledger")),
    ("vr_ar", ("виртуальн", "дополненн", "vr", "ar", "vr ar", "virtual reality", "augmented")),
    ("robotics_sensors", ("робот", "сенсор", "датчик", "robot", "sensor")),
    ("wireless", ("беспровод", "5g", "lte", "wireless")),
    ("cloud", ("облачн", "платформ", "cloud", "platform")),
    ("telemedicine", ("телемедицин", "telemedic")),
    ("biometrics", ("биометри", "biometric")),
    ("chatbot", ("чат бот", "чатбот", "голосов помощник", "виртуальн ассистент", "chatbot", "chat bot", "assistant")),
    ("gis_maps", ("гис", "геоинформ", "карт", "gis", "map")),
    ("quantum", ("квантов", "quantum")),
    ("neurotech", ("нейротехнолог", "neurotech")),
    ("new_production", ("нов производствен", "аддитивн", "3d печат", "new production")),
    ("industrial_internet", ("промышленн интернет", "промышленный интернет", "industrial internet", "iiot")),
)

# status code -> stems, tried in order ("выведен из эксплуатации" before "эксплуатац").
STATUS_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("decommissioned", ("выведен", "выведена", "выведено", "прекращ", "закрыт", "decommission", "retired")),
    ("in_operation", ("эксплуатац", "эксплуатир", "внедрен", "внедрена", "функционир", "действ", "реализован",
                      "завершен", "operation", "operat", "in use", "live", "done", "completed")),
    ("in_development", ("разработ", "проектир", "создан", "создается", "реализуется", "внедряется", "в работе",
                        "в процессе", "выполняется", "development", "progress", "implementing", "ongoing")),
    ("planned", ("план", "заплан", "предполага", "перспектив", "plan")),
)

# funding source code -> spellings of a source in a cell ("ФБ – 15 000,0 / ОБ – 1 578,9").
FUNDING_WORDS: dict[str, tuple[str, ...]] = {
    "federal": ("фб", "федеральный бюджет", "федеральный", "federal"),
    "regional": ("об", "рб", "бс", "бюджет субъекта", "областной бюджет", "областной", "региональный бюджет",
                 "региональный", "республиканский бюджет", "краевой бюджет", "окружной бюджет", "regional"),
    "local": ("мб", "местный бюджет", "местные бюджеты", "местный", "local"),
    "extrabudgetary": ("вб", "внебюджетные источники", "внебюджетные средства", "внебюджетные", "внебюджет",
                       "extrabudgetary", "extra budgetary", "private"),
}

# Cells that say "no amount" or "no date" rather than giving a wrong one.
NOTHING = ("", "-", "–", "—", "х", "x", "нет", "н д", "нд", "не требуется", "без финансирования",
           "не предусмотрено", "не предусмотрен", "не определено", "не определен", "уточняется", "n a", "na",
           "none", "tbd", "постоянно", "бессрочно", "ongoing", "в рамках текущей деятельности",
           "в рамках текущего финансирования", "без затрат")

# First words of rows that close the table (a total) or annotate it (footnotes).
TOTAL_WORDS = ("итого", "всего", "total", "в том числе", "в т ч", "including")
FOOTNOTE_WORDS = ("примечан", "сноск", "справочно", "note", "notes", "сокращения", "*", "¹", "²", "³")

# Multipliers to thousand rubles by the unit a column name states.
UNITS: tuple[tuple[str, float], ...] = (
    ("млрд руб", 1_000_000.0), ("млн руб", 1_000.0), ("тыс руб", 1.0), ("million rub", 1_000.0),
    ("thousand rub", 1.0), ("руб", 0.001), ("rub", 0.001),
)


def normalise(text: str) -> str:
    """Lower case, ``ё`` as ``е``, every run of punctuation and space as one space."""
    text = str(text).casefold().replace("ё", "е").replace("\u00a0", " ")
    return " ".join(re.sub(r"[^\w№#*¹²³]+", " ", text).split())
