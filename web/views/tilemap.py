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
