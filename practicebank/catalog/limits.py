"""Every bound on what the catalog stores and what a request may ask of the engine: one place.

Validation (``catalog.schema``), the import (``catalog.files``), the JSON API and the HTML forms
(``web.params``, ``web.forms``, ``web.views.workflow``) and the engine itself
(``matcher.functions``, which keeps its own copy of ``MAX_FEATURES``: matcher/ imports nothing
from catalog/) all read these numbers, so a limit is changed here and nowhere else.

Why bounds at all: the matching engine's cost grows with the number of functions (pairwise
similarity matrices; one record of 10,000 functions made ``practicebank index`` need 21 GB) and
with the length of the texts (the encoder and the statement splitter); an anonymous request must
not be able to buy minutes of CPU, and one record must not be able to make the index
impossible to rebuild. Each value is far above what real records hold (the shipped catalog:
at most 6 functions, 553 characters of description, 2 indicators, 1 source, 1.8 kB a record).
"""
from __future__ import annotations

# --- the record (catalog, import, write API, draft form) ---------------------------------------

# Functions a record lists. Real systems are described by 3 to 30 functions; 100 leaves room
# for a very large platform while keeping the overlap matrices of a pair at 100 x 100.
MAX_FEATURES = 100
# One function is a phrase or a sentence ("online enrolment in kindergartens").
MAX_FEATURE_CHARS = 1_000
# The name of a system; a long official name runs to ~300 characters.
MAX_TITLE_CHARS = 500
# A short text: a paragraph.
MAX_SUMMARY_CHARS = 5_000
# A long text: about ten pages; the description is split into at most 30 statements anyway.
MAX_DESCRIPTION_CHARS = 50_000
# Owner, vendor, contact, an indicator's name and unit, a source's title: a line of text.
MAX_SHORT_TEXT_CHARS = 500
# A source's address; browsers and servers cope with 2,000, few real URLs come near.
MAX_URL_CHARS = 2_000
# Indicators and sources a record lists: a passport shows a handful of each.
MAX_INDICATORS = 50
MAX_SOURCES = 50
# Records a record reuses or derives from.
MAX_BASED_ON = 50
# The whole record as JSON, translations included: the per-field limits above allow more in
# sum than any real record needs; this caps what one record can cost the database, the audit
# and every answer that carries it (the largest shipped record is 1.8 kB).
MAX_RECORD_CHARS = 256 * 1024

# --- numbers ---------------------------------------------------------------------------------

# Money is in thousand rubles. 1e9 thousand rubles is one trillion rubles: above the whole yearly
# budget of any single region (Moscow's is ~4.5 trillion in total, spread over thousands of
# programmes; one IT system costs millions to a few billion). Bounding every amount keeps every
# sum over the catalog finite and exact enough (1e6 records x 1e9 < 2**53 x 1e3): no Infinity in
# any answer, no overflow in any page.
MAX_MONEY = 1e9
# An indicator's baseline, target and actual value: counts, percentages, minutes, rubles...
# Anything beyond a trillion in magnitude is a typo, and a bound keeps every derived figure finite.
MAX_INDICATOR_ABS = 1e12

# --- what an anonymous request may ask of the engine (recommend, /plan, check-plan) -------------

# Functions of one planned system: a real plan lists 3 to 20.
MAX_PLAN_FEATURES = 50
# Characters of a plan's description (or free text): about two pages; the description is split
# into at most 30 statements, and a long text only costs encoder time.
MAX_PLAN_TEXT_CHARS = 5_000
# Characters of a plan's title.
MAX_PLAN_TITLE_CHARS = MAX_TITLE_CHARS
# Projects of one draft portfolio checked at once: a region plans tens a year; each row costs
# the engine a full recommendation (~0.07 s), so 500 rows stay under a minute.
MAX_CHECK_PLAN_ROWS = 500

# --- requests --------------------------------------------------------------------------------

# A JSON body of the engine and write APIs (a planned system, ids to compare, one record):
# four times the largest record, far above any plan.
MAX_JSON_BODY_BYTES = 4 * MAX_RECORD_CHARS
# Nesting of any JSON a client sends: a record nests 4 deep (translations.ru.features[0]);
# refusing beyond 32 stops "[" x 100,000 before the parser recurses.
MAX_JSON_DEPTH = 32
# The largest page number the paginated lists accept (a 64-bit OFFSET overflows past ~9e18 / page).
MAX_PAGE = 1_000_000
# Results a page of a paginated list may hold (?per_page=): a page is read and rendered whole.
MAX_PER_PAGE = 100

# --- rate limits (per client address) ----------------------------------------------------------

# The engine: every operation that runs the matching engine, pages included.
RATE_ENGINE = "60/minute"
# Whole portfolios: up to MAX_CHECK_PLAN_ROWS recommendations each.
RATE_CHECK_PLAN = "10/minute"
# Writes through the token API: an editor saves a draft a few times a minute at most.
RATE_WRITE = "30/minute"
# Sign-in attempts: a person mistypes a few times; more bounds password guessing from one address
# (the per-account lockout in catalog.accounts bounds it per login).
RATE_LOGIN = "20/minute"
