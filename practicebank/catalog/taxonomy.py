"""Controlled vocabularies of the catalog: codes with English and Russian labels.

Codes are the stable public names used in files, URLs and the API; labels are for people.
"""
from __future__ import annotations

INDUSTRIES: dict[str, tuple[str, str]] = {
    "healthcare": ("Healthcare", "Здравоохранение"),
    "education": ("Education and science", "Образование и наука"),
    "transport": ("Transport and logistics", "Транспорт и логистика"),
    "urban_environment": ("Urban environment and housing", "Городская среда и ЖКХ"),
    "public_administration": ("Public administration", "Государственное управление"),
    "social": ("Social sphere", "Социальная сфера"),
    "agriculture": ("Agriculture", "Сельское хозяйство"),
    "culture": ("Culture", "Культура"),
    "sport": ("Physical education and sport", "Физическая культура и спорт"),
    "tourism": ("Tourism", "Туризм"),
    "industry": ("Industry", "Промышленность"),
    "energy": ("Energy infrastructure", "Энергетическая инфраструктура"),
    "ecology": ("Ecology and natural resources", "Экология и природопользование"),
    "construction": ("Construction", "Строительство"),
    "trade": ("Trade and entrepreneurship", "Торговля и предпринимательство"),
    "finance": ("Public finance", "Государственные финансы"),
    "safety": ("Public safety", "Общественная безопасность"),
    "employment": ("Employment", "Занятость"),
}

TECHNOLOGIES: dict[str, tuple[str, str]] = {
    "ai": ("Artificial intelligence", "Искусственный интеллект"),
    "big_data": ("Big data", "Большие данные"),
    "iot": ("Internet of things", "Интернет вещей"),
    "digital_twin": ("Digital twins", "Цифровые двойники"),
    "distributed_ledger": ("Distributed ledger", "Системы распределённого реестра"),
    "vr_ar": ("Virtual and augmented reality", "Виртуальная и дополненная реальность"),
    "robotics_sensors": ("Robotics and sensors", "Робототехника и сенсорика"),
    "wireless": ("Wireless communication", "Беспроводная связь"),
    "cloud": ("Cloud and platform solutions", "Облачные и платформенные решения"),
    "telemedicine": ("Telemedicine", "Телемедицина"),
    "biometrics": ("Biometrics", "Биометрия"),
    "chatbot": ("Chatbots and digital assistants", "Чат-боты и цифровые ассистенты"),
    "gis_maps": ("GIS and maps", "ГИС и карты"),
    "quantum": ("Quantum technologies", "Квантовые технологии"),
    "neurotech": ("Neurotechnologies", "Нейротехнологии"),
    "new_production": ("New production technologies", "Новые производственные технологии"),
    "industrial_internet": ("Industrial internet", "Промышленный интернет"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "planned": ("Planned", "Планируется"),
    "in_development": ("In development", "В разработке"),
    "in_operation": ("In operation", "В эксплуатации"),
    "decommissioned": ("Decommissioned", "Выведен из эксплуатации"),
}

LICENSES: dict[str, tuple[str, str]] = {
    "open_source": ("Open source", "Открытый код"),
    "government_owned": ("Government owned", "Государственная собственность"),
    "proprietary": ("Proprietary", "Проприетарная"),
    "unknown": ("Unknown", "Неизвестно"),
}

FUNDING_SOURCES: dict[str, tuple[str, str]] = {
    "regional": ("Regional budget", "Региональный бюджет"),
    "federal": ("Federal budget", "Федеральный бюджет"),
    "local": ("Local budgets", "Местные бюджеты"),
    "extrabudgetary": ("Extrabudgetary sources", "Внебюджетные источники"),
}

# The curation workflow of a record (the accounts issue decides who may move it).
CURATION_STATES: dict[str, tuple[str, str]] = {
    "draft": ("Draft", "Черновик"),
    "submitted": ("Submitted", "На рассмотрении"),
    "returned": ("Returned with comment", "Возвращён с замечаниями"),
    "approved": ("Approved", "Одобрен"),
    "recommended_for_scaling": ("Recommended for scaling", "Рекомендован к тиражированию"),
    "federal_standard": ("Federal standard", "Федеральный стандарт"),
    "archived": ("Archived", "В архиве"),
}

REGION_GROUPS: dict[str, tuple[str, str]] = {
    "leading": ("Leading", "Лидеры"),
    "developing": ("Developing", "Развивающиеся"),
    "needs_support": ("Needs support", "Нуждающиеся в поддержке"),
}

FEDERAL_DISTRICTS: dict[str, tuple[str, str]] = {
    "central": ("Central", "Центральный"),
    "northwestern": ("Northwestern", "Северо-Западный"),
    "southern": ("Southern", "Южный"),
    "north_caucasian": ("North Caucasian", "Северо-Кавказский"),
    "volga": ("Volga", "Приволжский"),
    "ural": ("Ural", "Уральский"),
    "siberian": ("Siberian", "Сибирский"),
    "far_eastern": ("Far Eastern", "Дальневосточный"),
}

VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "industries": INDUSTRIES,
    "technologies": TECHNOLOGIES,
    "statuses": STATUSES,
    "licenses": LICENSES,
    "funding_sources": FUNDING_SOURCES,
    "curation_states": CURATION_STATES,
    "region_groups": REGION_GROUPS,
    "federal_districts": FEDERAL_DISTRICTS,
}


def label(vocabulary: dict[str, tuple[str, str]], code: str, lang: str = "en") -> str:
    """The label of a code in a language; the code itself where it is unknown."""
    labels = vocabulary.get(code)
    if labels is None:
        return code
    return labels[1] if lang == "ru" else labels[0]


def as_json() -> dict[str, list[dict[str, str]]]:
    """Every vocabulary as lists of {code, en, ru}, for the API and the docs."""
    return {
        name: [{"code": code, "en": en, "ru": ru} for code, (en, ru) in vocab.items()]
        for name, vocab in VOCABULARIES.items()
    }
