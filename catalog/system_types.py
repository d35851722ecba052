"""The common regional system types that the synthetic catalog re-implements region by region.

Each type carries several wordings of every canonical function: regions describe the same
function in their own words, and the matcher has to recognise it by meaning. Paraphrases of
one function are separated by `` | `` in the source below to keep the table readable.

Function ids are ``<type code>.<key>`` for canonical functions and ``x.<industry>.<nn>`` for
the region-specific extras; the ground truth of the generator is written in these ids.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# (name, unit, (baseline low, high), (target low, high)); a target below the baseline is a
# reduction target, e.g. a waiting time.
IndicatorTemplate = tuple[str, str, tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class SystemType:
    code: str
    industries: tuple[str, ...]
    technologies: tuple[str, ...]
    ministry: str
    capex: tuple[int, int]  # thousand rubles, a regional implementation
    since: int  # first year regions started building it
    popularity: float  # relative chance that a region builds one
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    indicators: tuple[IndicatorTemplate, ...]
    functions: dict[str, tuple[str, ...]]
    ru_titles: tuple[str, ...] = ()
    ru_summary: str = ""
    ru_functions: dict[str, str] = field(default_factory=dict)

    def function_id(self, key: str) -> str:
        return f"{self.code}.{key}"

    @property
    def has_russian(self) -> bool:
        return bool(self.ru_titles) and set(self.ru_functions) == set(self.functions)


def _type(functions: dict[str, str], **kwargs) -> SystemType:
    split = {key: tuple(p.strip() for p in text.split("|")) for key, text in functions.items()}
    return SystemType(functions=split, **kwargs)


SYSTEM_TYPES: tuple[SystemType, ...] = (
    # ---------------------------------------------------------------- education
    _type(
        code="kindergarten_queue", industries=("education",), technologies=("cloud", "gis_maps", "chatbot"),
        ministry="Ministry of Education", capex=(8_000, 60_000), since=2014, popularity=1.0,
        titles=("{region} kindergarten e-queue", "Electronic queue for preschool institutions of {region}",
                "Preschool enrolment information system ({region})", "{region}: digital kindergarten admissions"),
        summaries=("Regional service that registers children in the waiting list for kindergartens and allocates places.",
                   "Lets parents queue for a preschool place online and helps the education authorities fill groups.",
                   "Automates the kindergarten waiting list, place offers and admissions across the municipalities of {region}."),
        indicators=(("Share of kindergarten applications filed online", "%", (15, 45), (80, 98)),
                    ("Average waiting time for a preschool place", "months", (8, 18), (1, 4))),
        functions={
            "apply": "online enrolment of children in kindergartens | parents apply for a preschool place via the web portal | electronic application for a nursery place | digital sign-up of a toddler for day-care",
            "queue_position": "checking the child's current position in the kindergarten waiting list | parents see where their child stands in the preschool queue | live tracking of the place in line for a nursery | display of each applicant's rank among those waiting for day-care",
            "preferences": "recording priority rights of families entitled to privileged admission | registration of benefit categories that move ahead in the preschool queue | handling statutory entitlements to a kindergarten place out of turn | taking into account large families and other priority groups when queuing",
            "allocation": "automatic allocation of vacant places to queued children | algorithmic assignment of free kindergarten seats by priority and date | distribution of available preschool places among applicants | automated matching of open day-care vacancies with the waiting list",
            "transfer": "transfer requests between kindergartens | parents ask to move a child to another preschool | switching a pupil from one nursery to a different one | application to change the day-care centre the child attends",
            "notifications": "sms and email alerts to parents about changes in the preschool queue | messages to families when a kindergarten place is offered | automatic notice of allocation decisions sent to parents | push notifications on the status of a nursery application",
            "capacity": "register of kindergarten groups and free capacity | catalogue of preschool institutions with their vacancies | accounting of group sizes and remaining seats in nurseries | inventory of day-care classes and how many spaces are left",
            "reporting": "statistical reports on preschool coverage for the ministry | analytics of demand for day-care places by district | dashboards of waiting list size for education authorities | official reporting on kindergarten attendance and place shortage",
            "documents": "verification of the child's birth certificate through interagency requests | automatic checking of applicant documents via government data exchange | electronic confirmation of family papers with other agencies | validating residence and birth records by interdepartmental inquiries",
            "map": "map of kindergartens with the territories assigned to them | geographic search for the nearest preschool | showing nursery locations and catchment zones on a map | gis view of day-care centres and the areas they serve",
        },
        ru_titles=("Электронная очередь в детские сады — {region}", "Комплектование дошкольных образовательных организаций: {region}"),
        ru_summary="Региональная система постановки детей в очередь и зачисления в детские сады.",
        ru_functions={
            "apply": "подача заявления на зачисление ребёнка в детский сад онлайн",
            "queue_position": "просмотр текущего места ребёнка в очереди в детский сад",
            "preferences": "учёт льготных категорий при постановке в очередь",
            "allocation": "автоматическое распределение свободных мест в детских садах",
            "transfer": "перевод ребёнка из одного детского сада в другой",
            "notifications": "уведомление родителей об изменении статуса заявления в детский сад",
            "capacity": "реестр групп детских садов и свободных мест",
            "reporting": "статистическая отчётность по охвату дошкольным образованием",
            "documents": "проверка документов заявителя через межведомственные запросы",
            "map": "карта детских садов с закреплёнными территориями",
        },
    ),
    _type(
        code="school_diary", industries=("education",), technologies=("cloud", "big_data"),
        ministry="Ministry of Education", capex=(15_000, 120_000), since=2014, popularity=0.95,
        titles=("{region} electronic school diary", "E-journal and e-diary for the schools of {region}",
                "Digital school of {region}", "{region} school gradebook platform"),
        summaries=("Electronic class register for teachers and an online diary for pupils and parents.",
                   "Keeps marks, homework and attendance of every school in {region} in one place.",
                   "School management platform: gradebook, timetable and communication between teachers and families."),
        indicators=(("Share of schools keeping an electronic gradebook", "%", (40, 70), (95, 100)),
                    ("Parents actively using the e-diary", "%", (20, 50), (70, 90))),
        functions={
            "grades": "electronic gradebook for teachers | teachers record marks in a digital class register | online journal of pupils' assessments | digital entry of school grades after each lesson",
            "parent_view": "parents view their child's marks online | family access to the student's academic results | web and mobile access for parents to school performance | guardians follow grades through a personal account",
            "homework": "publishing homework assignments | teachers post tasks to be done at home | online list of home exercises for each lesson | distribution of after-class assignments to pupils",
            "timetable": "class timetable management | scheduling of lessons and classrooms | weekly school schedule builder | planning of lesson periods for every class",
            "attendance": "tracking pupil attendance and absences | recording which students missed lessons | daily register of who is present at school | monitoring truancy and late arrivals",
            "messaging": "messaging between teachers and parents | chat channel connecting school staff with families | correspondence of form tutors with guardians | secure communication between educators and mothers and fathers",
            "reports": "automatic calculation of term and annual marks | generation of end-of-quarter report cards | producing final academic results for the semester | summary of each pupil's marks at the close of the term",
            "analytics": "academic performance analytics for schools and the ministry | dashboards comparing achievement across schools | statistical analysis of learning outcomes in the region | monitoring of results by the education authority",
            "curriculum": "thematic lesson planning according to the curriculum | teachers plan lesson topics following the syllabus | calendar plans linked to the educational programme | mapping each lesson to a unit of the course",
        },
        ru_titles=("Электронный дневник и журнал — {region}", "Региональная система «Электронная школа» ({region})"),
        ru_summary="Электронный журнал и дневник для учителей, учеников и родителей.",
        ru_functions={
            "grades": "электронный журнал для выставления оценок учителями",
            "parent_view": "просмотр оценок ребёнка родителями в личном кабинете",
            "homework": "публикация домашних заданий",
            "timetable": "составление расписания уроков",
            "attendance": "учёт посещаемости и пропусков уроков",
            "messaging": "переписка учителей с родителями",
            "reports": "автоматический расчёт четвертных и годовых оценок",
            "analytics": "аналитика успеваемости по школам для министерства",
            "curriculum": "календарно-тематическое планирование уроков",
        },
    ),
    _type(
        code="school_enrolment", industries=("education",), technologies=("cloud", "gis_maps"),
        ministry="Ministry of Education", capex=(5_000, 35_000), since=2016, popularity=0.6,
        titles=("First-grade enrolment service of {region}", "{region} school admissions online",
                "Electronic enrolment in schools ({region})"),
        summaries=("Online admission of children to the first grade and transfers between schools.",
                   "Handles applications of future first-graders, catchment areas and admission decisions in {region}."),
        indicators=(("Share of first-grade applications submitted online", "%", (20, 50), (80, 95)),
                    ("Average time to an admission decision", "days", (10, 30), (1, 5))),
        functions={
            "apply": "online application for admission to the first grade | parents enrol a child in primary school over the internet | digital sign-up for the first class | electronic registration of future first-graders",
            "catchment": "assigning schools to residential addresses | determining the catchment school from the home address | fixing the territories served by each school | address-based zoning of schools",
            "quotas": "publishing the number of free first-grade places | announcing available seats in entry classes | showing how many first-year places each school has | open data on school admission capacity",
            "priority": "priority admission for siblings and privileged families | preferential enrolment for brothers and sisters of current pupils | handling legal priority rights when admitting children to school | advantage in school admission for entitled categories",
            "status": "tracking the status of a school admission application | applicants see how their enrolment request is progressing | monitoring the processing stage of an admission | status updates on the school application",
            "decision": "issuing admission or refusal decisions | the school notifies the family whether the child is accepted | formal enrolment order or rejection letter | electronic decision on a pupil's admission",
            "transfer": "applications for transferring a pupil to another school | moving a student between schools | requests to change school in the middle of the year | switching the school a child attends",
            "contingent": "regional register of schoolchildren | unified database of enrolled pupils | roster of every student in the region | central record of the school population",
        },
    ),
    _type(
        code="extracurricular_navigator", industries=("education",), technologies=("cloud", "big_data"),
        ministry="Ministry of Education", capex=(5_000, 40_000), since=2018, popularity=0.55,
        titles=("{region} navigator of additional education", "After-school activities portal of {region}",
                "Children's clubs and circles online ({region})"),
        summaries=("Portal where families find clubs and after-school programmes and enrol children in them.",
                   "Catalogue and enrolment service for supplementary education with personal funding certificates."),
        indicators=(("Children aged 5-18 in supplementary education", "%", (55, 70), (80, 85)),
                    ("Certificates issued", "thousand", (5, 30), (50, 150))),
        functions={
            "catalogue": "catalogue of clubs and extracurricular programmes | directory of after-school activities for children | searchable list of hobby groups and circles | guide to supplementary education courses",
            "enrol": "online enrolment in clubs and sections | sign-up for after-school classes via the internet | booking a place in a children's hobby group | electronic registration for supplementary courses",
            "certificate": "personal funding certificates for additional education | vouchers that pay for children's club fees | per-child financing of extracurricular study | issuing education vouchers to families",
            "providers": "register of organisations providing supplementary education | listing of clubs, studios and private tutors | records of approved activity providers | database of institutions offering children's programmes",
            "reviews": "ratings and reviews of programmes | parents leave feedback on clubs | scoring and comments about after-school courses | families evaluate the activities their children attended",
            "attendance": "recording attendance at club sessions | tracking presence at extracurricular classes | register of who came to hobby group meetings | logging children's participation in sessions",
            "achievements": "portfolio of children's achievements and competition results | record of awards pupils earned in contests | collection of diplomas and accomplishments | tracking olympiad and competition successes",
            "analytics": "monitoring how many children are covered by supplementary education | statistics on the share of kids attending clubs | analytics of extracurricular participation by municipality | reports on the reach of additional education",
        },
    ),
    # ---------------------------------------------------------------- healthcare
    _type(
        code="doctor_appointment", industries=("healthcare",), technologies=("cloud", "chatbot"),
        ministry="Ministry of Health", capex=(10_000, 80_000), since=2014, popularity=1.0,
        titles=("{region} online doctor appointment service", "Unified appointment booking system of {region}",
                "Electronic registry of {region} polyclinics", "{region}: booking a visit to the doctor"),
        summaries=("Lets patients book, move and cancel visits to clinic doctors online, by phone or at kiosks.",
                   "Regional appointment system for outpatient clinics with schedules, reminders and waiting lists.",
                   "Single service for booking doctors in all state polyclinics of {region}."),
        indicators=(("Share of appointments booked online", "%", (15, 40), (60, 85)),
                    ("Average wait for a therapist appointment", "days", (5, 14), (1, 2))),
        functions={
            "book": "online booking of doctor appointments | patients schedule a visit to a physician over the internet | making an appointment at a clinic through a web portal | electronic registration for a medical consultation",
            "schedule": "publishing doctors' working schedules | showing physicians' available time slots | display of clinic timetables and free hours | open calendar of specialists' reception times",
            "cancel": "cancellation and rescheduling of appointments | patients move or call off a booked visit | changing the time of a medical appointment | withdrawing from a reserved doctor slot",
            "reminders": "appointment reminders by sms | notifying patients about upcoming visits | text messages sent before a scheduled consultation | alerts that remind about the doctor's appointment",
            "home_visit": "requesting a doctor home visit | calling a physician to the patient's house | ordering a house call from the clinic | application for a domiciliary medical visit",
            "referral": "electronic referrals to specialists | issuing a digital direction to a narrow specialist | the doctor sends the patient to another specialist online | referrals for diagnostics transmitted electronically",
            "waitlist": "waiting list when no slots are available | queue for a specialist once all times are taken | deferred booking list for fully booked doctors | putting patients on hold until a slot frees up",
            "call_centre": "unified call centre for clinic bookings | single phone line for scheduling visits | contact centre operators register patients by telephone | telephone appointment service",
            "attach": "attaching a patient to a polyclinic | choosing or changing one's clinic of registration | enrolment with a primary care facility | selecting a family doctor's practice",
            "load": "monitoring the workload of clinics and doctors | analytics of appointment capacity utilisation | dashboards of waiting times for outpatient care | statistics on how many physician slots are occupied",
        },
        ru_titles=("Единая система записи к врачу — {region}", "Электронная регистратура ({region})"),
        ru_summary="Сервис записи пациентов на приём к врачу через портал, колл-центр и инфоматы.",
        ru_functions={
            "book": "онлайн-запись на приём к врачу",
            "schedule": "публикация расписания работы врачей",
            "cancel": "отмена и перенос записи на приём",
            "reminders": "смс-напоминание о предстоящем визите к врачу",
            "home_visit": "вызов врача на дом",
            "referral": "электронное направление к узкому специалисту",
            "waitlist": "лист ожидания при отсутствии свободных талонов",
            "call_centre": "единый колл-центр для записи в поликлиники",
            "attach": "прикрепление пациента к поликлинике",
            "load": "мониторинг загрузки поликлиник и врачей",
        },
    ),
    _type(
        code="medical_records", industries=("healthcare",), technologies=("cloud", "big_data", "ai"),
        ministry="Ministry of Health", capex=(40_000, 150_000), since=2015, popularity=0.85,
        titles=("Regional medical information system of {region}", "{region} unified electronic health record",
                "Integrated e-health platform ({region})"),
        summaries=("Keeps the electronic health record of every patient and connects hospitals, labs and pharmacies.",
                   "Regional healthcare information system integrated with the federal e-health platform."),
        indicators=(("Medical organisations connected", "%", (50, 80), (98, 100)),
                    ("Electronic prescriptions issued", "%", (5, 30), (70, 95))),
        functions={
            "ehr": "integrated electronic health record of each patient | unified digital medical history | patient chart accessible across all hospitals | single electronic medical card",
            "eprescription": "electronic prescriptions | doctors issue prescriptions digitally | e-scripts sent straight to pharmacies | paperless prescribing of medicines",
            "lab": "exchange of laboratory test results | lab analysis outcomes delivered to the doctor automatically | integration with clinical laboratories | digital transfer of blood test results",
            "imaging": "central archive of medical images | storage and viewing of x-ray and ct scans | regional radiology picture archive | shared repository of diagnostic imaging",
            "sick_leave": "electronic sick leave certificates | issuing digital certificates of temporary disability | paperless medical leave notes | online generation of incapacity-for-work documents",
            "federal_exchange": "data exchange with the federal health information system | integration with the national healthcare platform | reporting medical data to the federal registry | synchronisation with federal e-health services",
            "beds": "hospital bed management | tracking occupied and free inpatient beds | monitoring hospital capacity by ward | accounting of bed availability in hospitals",
            "patient_portal": "patients access their medical records online | personal health account for citizens | viewing one's own test results and visit history on the portal | self-service access to personal health documents",
            "dispensary": "monitoring of patients under regular medical supervision | tracking chronic patients in follow-up programmes | management of dispensary observation | control of scheduled check-ups for people with chronic conditions",
        },
    ),
    _type(
        code="ambulance_dispatch", industries=("healthcare",), technologies=("gis_maps", "iot", "wireless"),
        ministry="Ministry of Health", capex=(20_000, 100_000), since=2015, popularity=0.7,
        titles=("{region} ambulance dispatch system", "Emergency medical service control system of {region}",
                "Centralised ambulance dispatching ({region})"),
        summaries=("Receives emergency medical calls and dispatches the nearest ambulance crew.",
                   "Unified dispatch centre for the ambulance service of {region} with vehicle tracking."),
        indicators=(("Ambulance arrivals within 20 minutes", "%", (75, 88), (92, 97)),
                    ("Average call-to-arrival time", "minutes", (18, 30), (10, 15))),
        functions={
            "calls": "receiving emergency medical calls | intake of requests for an ambulance | call handling for urgent medical help | registration of 103 calls",
            "dispatch": "dispatching the nearest ambulance crew | sending the closest available team to the patient | automated assignment of emergency brigades | choosing and routing a crew to the incident",
            "tracking": "gps tracking of ambulance vehicles | real-time location monitoring of emergency cars | satellite positions of medical crews on a map | live map of ambulance movements",
            "triage": "triage of calls by urgency | prioritising emergencies by severity | classifying requests as urgent or non-urgent | sorting incoming calls by medical priority",
            "tablet": "mobile terminals for crews with patient data | paramedics receive call cards on tablets | in-vehicle devices showing case details | electronic call card on the crew's handheld",
            "hospital": "routing patients to hospitals with free capacity | selecting the receiving hospital and notifying it in advance | coordinating hospitalisation with admitting departments | handover of the patient to an inpatient facility",
            "ecg": "remote transmission of electrocardiograms from the ambulance | sending ecg readings to a cardiologist for interpretation | tele-ecg from the crew to a consulting centre | remote analysis of heart tracings recorded on the way",
            "response_time": "monitoring of response times | control of how quickly crews arrive | analytics of arrival intervals for emergency calls | reporting the time from call to arrival",
        },
    ),
    _type(
        code="preferential_drugs", industries=("healthcare", "social"), technologies=("cloud", "big_data"),
        ministry="Ministry of Health", capex=(8_000, 50_000), since=2016, popularity=0.6,
        titles=("{region} preferential drug provision system", "Subsidised medicines accounting of {region}",
                "Free prescriptions information system ({region})"),
        summaries=("Accounts for citizens entitled to free medicines, their prescriptions and pharmacy stocks.",
                   "Controls the whole chain of subsidised drug provision in {region}: from prescription to dispensing."),
        indicators=(("Prescriptions on deferred service", "%", (3, 10), (0.5, 1)),
                    ("Beneficiaries provided with medicines", "%", (85, 93), (98, 100))),
        functions={
            "registry": "register of citizens entitled to free medicines | list of beneficiaries of subsidised drug provision | database of patients with a right to preferential medication | record of people eligible for free prescriptions",
            "prescriptions": "writing prescriptions for subsidised medicines | issuing discounted drug prescriptions | doctors prescribe medicines paid by the budget | registering preferential prescriptions",
            "stock": "tracking stocks of preferential drugs in pharmacies | monitoring inventory of subsidised medicines | remaining quantities of free drugs in pharmacies | warehouse balances of reimbursed medicines",
            "dispensing": "recording the dispensing of medicines to beneficiaries | pharmacies register handing out free drugs | accounting of delivered preferential medication | logging each issue of a subsidised medicine",
            "demand": "forecasting demand for subsidised medicines | planning procurement volumes of free drugs | calculating the annual need for preferential medication | estimating future drug requirements",
            "deferred": "tracking prescriptions on deferred service | monitoring unfilled prescriptions waiting for stock | control of prescriptions not dispensed immediately | queue of pending prescriptions",
            "availability": "citizens check where a free medicine is available | search for pharmacies holding the prescribed drug | public lookup of subsidised drug availability | finding the nearest pharmacy with the medicine in stock",
            "expenditure": "control of budget spending on drug provision | financial reports on subsidised medicine costs | monitoring of expenditure on free prescriptions | accounting for money spent on preferential drugs",
        },
    ),
    # ---------------------------------------------------------------- transport
    _type(
        code="transport_card", industries=("transport",), technologies=("wireless", "cloud", "big_data"),
        ministry="Ministry of Transport", capex=(20_000, 150_000), since=2014, popularity=0.9,
        titles=("{region} unified transport card", "Automated fare collection system of {region}",
                "{region} e-ticket for public transport", "Contactless fare payment in {region}"),
        summaries=("Cashless fare payment in public transport with a regional smart card, bank cards and phones.",
                   "Fare collection and revenue clearing for all public transport operators of {region}."),
        indicators=(("Share of cashless fare payments", "%", (20, 50), (80, 95)),
                    ("Transport cards in circulation", "thousand", (20, 150), (300, 900))),
        functions={
            "issue": "issuing contactless transport cards | sale and registration of travel smart cards | distribution of electronic transit cards | issue of personalised fare cards",
            "top_up": "topping up the card balance online | adding money to a travel card through the internet | remote replenishment of the transit card | loading funds onto the fare card via a mobile app",
            "validation": "fare validation on board vehicles | validators read the card when passengers board | onboard terminals deduct the fare | ticket checking equipment in buses and trams",
            "concession": "social travel cards for pensioners and students | discounted fares for privileged passengers | concessionary cards for benefit recipients | reduced-price travel for entitled citizens",
            "bank_cards": "acceptance of bank cards and smartphones for fares | paying for rides with a contactless bank card | fare payment by phone or credit card | open-loop payment in public transport",
            "passes": "monthly and unlimited travel passes | season tickets for public transport | subscription tickets for a fixed number of trips | time-based unlimited fares",
            "blocking": "blocking lost cards and restoring the balance | freezing a stolen transit card and transferring the money | reissue of a lost card with the remaining funds | deactivating a card after it is lost",
            "clearing": "settlement of revenue between carriers | distribution of fare proceeds among transport operators | financial clearing of ticket revenues | allocation of collected fares to operating companies",
            "passenger_flow": "analytics of passenger flows from validations | ridership statistics by route | analysis of trips based on card taps | passenger traffic dashboards for each line",
        },
        ru_titles=("Единая транспортная карта — {region}", "Автоматизированная система оплаты проезда ({region})"),
        ru_summary="Система безналичной оплаты проезда в общественном транспорте.",
        ru_functions={
            "issue": "выпуск бесконтактных транспортных карт",
            "top_up": "пополнение баланса транспортной карты онлайн",
            "validation": "валидация проезда в транспорте",
            "concession": "льготные проездные для пенсионеров и студентов",
            "bank_cards": "оплата проезда банковской картой и смартфоном",
            "passes": "проездные абонементы на месяц",
            "blocking": "блокировка утерянной карты с переносом баланса",
            "clearing": "распределение выручки между перевозчиками",
            "passenger_flow": "аналитика пассажиропотока по маршрутам",
        },
    ),
    _type(
        code="transit_tracking", industries=("transport",), technologies=("gis_maps", "iot", "wireless"),
        ministry="Ministry of Transport", capex=(10_000, 90_000), since=2015, popularity=0.75,
        titles=("{region} public transport monitoring system", "Where is my bus: {region}",
                "Navigation and dispatching of route transport ({region})"),
        summaries=("Tracks buses and trams in real time, forecasts arrivals and controls carriers' schedules.",
                   "Passenger information and dispatching system for the route network of {region}."),
        indicators=(("Vehicles equipped with navigation", "%", (50, 80), (98, 100)),
                    ("Trips run on schedule", "%", (70, 85), (93, 98))),
        functions={
            "positions": "satellite monitoring of buses in real time | glonass tracking of public transport vehicles | live location of trams and buses | online positions of route vehicles",
            "arrival": "forecasting arrival times at stops | predicting when the next bus will come | estimated time of arrival for passengers | countdown to the vehicle's arrival at a stop",
            "app": "mobile app showing transport on a map | smartphone application with live buses | passenger app with vehicle positions | mobile service to watch routes on a map",
            "boards": "electronic information displays at stops | digital signs at bus shelters | stop displays showing upcoming arrivals | led boards at stations with departure information",
            "schedule_control": "monitoring adherence to timetables | control of carriers' compliance with the schedule | detection of skipped trips and deviations | checking that routes run on time",
            "routes": "register of routes and stops | database of the public transport network | catalogue of lines, stops and timetables | directory of the transit network",
            "trip_planner": "journey planner across routes | building a trip with transfers | route search from one address to another | multimodal itinerary suggestions",
            "dispatch": "dispatcher console for managing vehicles on the line | control room for route operations | operators coordinate buses in service | centralised dispatching of the transport fleet",
        },
    ),
    _type(
        code="parking_payment", industries=("transport", "urban_environment"), technologies=("iot", "gis_maps", "robotics_sensors"),
        ministry="Ministry of Transport", capex=(10_000, 70_000), since=2016, popularity=0.5,
        titles=("{region} paid parking system", "Municipal parking space of {region}", "Parking payment service ({region})"),
        summaries=("Operates paid street parking: payment, resident permits and automated enforcement.",
                   "City parking management for {region} with camera enforcement and a driver account."),
        indicators=(("Parking payments made through the app", "%", (30, 60), (80, 95)),
                    ("Parking fee collection rate", "%", (50, 70), (85, 95))),
        functions={
            "pay": "paying for street parking via app or sms | parking fee payment through a smartphone | settlement of parking charges online | mobile payment for parking time",
            "zones": "map of paid parking zones and tariffs | display of chargeable parking areas | geographic overview of parking zones with prices | map showing where parking costs money",
            "permits": "resident parking permits | issuing parking permits to local residents | registering residential permits for paid zones | residents' parking authorisations",
            "enforcement": "automatic parking enforcement using cameras and patrol cars | detecting unpaid parking with mobile scanners | camera-based checking of parking payments | photo recording of parking violations",
            "fines": "issuing fines for unpaid parking | penalties for parking without payment | administrative sanctions for parking violators | charging penalties to parking offenders",
            "occupancy": "sensors detecting free parking spaces | occupancy monitoring of parking lots | showing available spots in real time | detectors of vacant parking places",
            "disabled": "register of vehicles of drivers with disabilities | free parking rights for disabled motorists | special parking permits for people with disabilities | exemption records for disabled drivers",
            "account": "parking account with history and balance | driver's cabinet listing parking sessions | personal wallet for parking payments | history of parking sessions and receipts",
        },
    ),
    # ---------------------------------------------------------------- urban environment
    _type(
        code="utility_payments", industries=("urban_environment",), technologies=("cloud", "big_data"),
        ministry="Ministry of Housing and Utilities", capex=(15_000, 100_000), since=2014, popularity=0.9,
        titles=("{region} housing and utilities billing system", "Unified settlement centre for utilities of {region}",
                "{region} utility payments portal", "Housing services accounting system ({region})"),
        summaries=("Calculates and collects payments for housing and utility services for the residents of {region}.",
                   "Single billing and payment platform for management companies and resource suppliers."),
        indicators=(("Utility bills paid online", "%", (20, 45), (65, 85)),
                    ("Utility payment collection rate", "%", (85, 92), (96, 99))),
        functions={
            "pay": "online payment of housing and utility bills | residents pay for water, heating and electricity on the web | settlement of communal service charges via the portal | paying rent and utility invoices electronically",
            "meters": "submission of water and electricity meter readings | residents report counter values online | transmitting utility meter data through a personal account | entering consumption readings for billing",
            "invoice": "generation of a single utility invoice | unified bill for all housing services | consolidated monthly statement of communal charges | one combined receipt for utilities",
            "debt": "tracking utility debts and arrears | monitoring overdue payments for housing services | register of unpaid communal bills | control of residents' arrears",
            "subsidy": "applying housing subsidies to bills | automatic deduction of utility benefits | compensation of communal costs for entitled households | accounting for housing allowances in invoices",
            "complaints": "complaints about the service of management companies | residents report poor heating or water supply | claims to housing providers about outages | feedback on management company performance",
            "providers": "register of management companies and resource suppliers | directory of utility service providers | catalogue of housing operators | list of organisations supplying heat, water and power",
            "tariffs": "publication of utility tariffs | display of approved rates for communal services | reference of prices for water and heating | tariff database for housing services",
            "federal_housing": "integration with the state housing information system | data exchange with the federal housing and utilities platform | synchronisation with gis zhkh | uploading housing data to the national registry",
        },
        ru_titles=("Единый расчётный центр ЖКХ — {region}", "Система начислений и оплаты коммунальных услуг ({region})"),
        ru_summary="Начисление и приём платежей за жилищно-коммунальные услуги.",
        ru_functions={
            "pay": "онлайн-оплата жилищно-коммунальных услуг",
            "meters": "передача показаний приборов учёта воды и электроэнергии",
            "invoice": "формирование единого платёжного документа",
            "debt": "учёт задолженности по оплате ЖКУ",
            "subsidy": "учёт субсидий на оплату жилья в начислениях",
            "complaints": "жалобы на качество работы управляющих компаний",
            "providers": "реестр управляющих организаций и ресурсоснабжающих предприятий",
            "tariffs": "публикация тарифов на коммунальные услуги",
            "federal_housing": "интеграция с ГИС ЖКХ",
        },
    ),
    _type(
        code="city_issues", industries=("urban_environment", "public_administration"), technologies=("gis_maps", "ai", "chatbot"),
        ministry="Ministry of Digital Development", capex=(5_000, 45_000), since=2015, popularity=0.85,
        titles=("{region} portal of urban problems", "Our city: {region}", "Citizen feedback platform of {region}",
                "{region} incident management centre"),
        summaries=("Residents report city problems and track how the authorities solve them.",
                   "Collects complaints about streets, yards and utilities and controls response deadlines in {region}."),
        indicators=(("Reports resolved within the deadline", "%", (50, 75), (90, 98)),
                    ("Average time to resolve a report", "days", (10, 25), (3, 7))),
        functions={
            "report": "citizens report urban problems with photos | residents submit complaints about potholes and litter | reporting city infrastructure issues online | posting a photo of a broken streetlight or damaged road",
            "routing": "automatic routing of reports to responsible agencies | forwarding complaints to the right department | assigning each issue to the competent authority | dispatching problem reports to contractors",
            "deadlines": "control of response deadlines | monitoring that agencies answer on time | tracking overdue responses to residents | enforcement of statutory reply periods",
            "map": "public map of reported problems | showing complaints on a city map | geographic display of resident reports | interactive map of open issues",
            "status": "status tracking of each complaint | residents follow the progress of their report | updates on how the issue is being resolved | stage indicator for citizen requests",
            "rating": "rating of agencies by responsiveness | scoring departments on how well they resolve complaints | performance ranking of municipal services | evaluation of authorities by the quality of their replies",
            "voting": "public voting on improvement projects | residents choose which parks to renovate | online polls on urban development | citizen ballots on local priorities",
            "feedback": "residents confirm or reject the resolution | satisfaction check after an issue is closed | citizens rate the answer they received | reopening a complaint when the fix is unsatisfactory",
            "social_monitoring": "monitoring social media for complaints | collecting incidents from social networks | analysing posts about city problems | handling issues found in online mentions",
        },
        ru_titles=("Портал «Наш город» — {region}", "Система обработки обращений граждан ({region})"),
        ru_summary="Платформа для сообщений жителей о проблемах городского хозяйства.",
        ru_functions={
            "report": "сообщения жителей о проблемах города с фотографиями",
            "routing": "автоматическая маршрутизация обращений в ответственные ведомства",
            "deadlines": "контроль сроков ответа на обращения",
            "map": "карта проблем города",
            "status": "отслеживание статуса обращения",
            "rating": "рейтинг ведомств по скорости решения проблем",
            "voting": "голосования жителей по проектам благоустройства",
            "feedback": "оценка жителем результата решения проблемы",
            "social_monitoring": "мониторинг жалоб в социальных сетях",
        },
    ),
    # ---------------------------------------------------------------- public administration
    _type(
        code="services_portal", industries=("public_administration",), technologies=("cloud", "chatbot", "biometrics"),
        ministry="Ministry of Digital Development", capex=(20_000, 150_000), since=2014, popularity=1.0,
        titles=("{region} regional public services portal", "Portal of state and municipal services of {region}",
                "{region} e-government services", "Regional e-services platform ({region})"),
        summaries=("Regional portal for applying for state and municipal services online.",
                   "One-stop digital access to the public services of {region} with a personal account."),
        indicators=(("Mass socially significant services available online", "%", (30, 60), (95, 100)),
                    ("Applications submitted online", "%", (20, 45), (70, 90))),
        functions={
            "apply": "online submission of applications for regional public services | citizens request government services over the internet | electronic filing for state and municipal services | digital access to official services",
            "account": "personal account of the citizen | individual user cabinet with the history of requests | citizen profile storing applications and documents | private area for each applicant",
            "esia": "login through the federal identity system | authentication with a gosuslugi account | single sign-on using the national identification platform | esia-based user identification",
            "status": "tracking the status of service requests | applicants see the progress of their application | notifications about processing stages | monitoring the state of submitted requests",
            "payments": "payment of state fees online | paying government duties by card | settlement of charges for public services | electronic payment of official fees",
            "catalogue": "catalogue of regional and municipal services | directory of public services with their requirements | listing of government services and conditions | reference of services with the documents needed",
            "interagency": "interdepartmental electronic data requests | automated exchange of information between agencies | requesting documents from other authorities via smev | government-to-government data inquiries",
            "results": "issuing results of services electronically | delivering official decisions in digital form | electronic documents as the outcome of a service | sending signed results to the citizen's account",
            "feedback": "evaluation of service quality by citizens | users rate the public service they received | quality assessment of government services | collecting satisfaction scores from applicants",
            "mfc": "integration with multifunctional service centres | connection to one-stop-shop offices | linking the portal with mfc counters | joint processing with in-person service centres",
        },
        ru_titles=("Региональный портал государственных услуг — {region}", "Портал госуслуг ({region})"),
        ru_summary="Портал для получения региональных и муниципальных услуг в электронном виде.",
        ru_functions={
            "apply": "подача заявлений на региональные государственные услуги онлайн",
            "account": "личный кабинет гражданина",
            "esia": "авторизация через ЕСИА",
            "status": "отслеживание статуса заявления",
            "payments": "оплата госпошлин онлайн",
            "catalogue": "реестр региональных и муниципальных услуг",
            "interagency": "межведомственные электронные запросы через СМЭВ",
            "results": "выдача результатов услуг в электронном виде",
            "feedback": "оценка качества услуг заявителями",
            "mfc": "интеграция с многофункциональными центрами",
        },
    ),
    _type(
        code="document_flow", industries=("public_administration",), technologies=("cloud", "distributed_ledger"),
        ministry="Ministry of Digital Development", capex=(15_000, 90_000), since=2014, popularity=0.8,
        titles=("{region} interdepartmental electronic document management", "Electronic document flow of the government of {region}",
                "{region} records management system"),
        summaries=("Electronic document management for the executive authorities of {region}.",
                   "Registration, approval, signing and archiving of official documents without paper."),
        indicators=(("Share of legally significant electronic document flow", "%", (30, 60), (90, 100)),
                    ("Average document approval time", "days", (5, 12), (1, 3))),
        functions={
            "registration": "registration of incoming and outgoing correspondence | logging official letters in and out | recording received and sent documents | registry of government correspondence",
            "approval": "electronic approval routes for documents | digital sign-off workflow | multi-stage review and endorsement of drafts | routing drafts for electronic approval",
            "signature": "qualified electronic signature of documents | digital signing of official papers | signing orders with an e-signature | legally valid electronic signing",
            "execution": "control of the execution of instructions | monitoring deadlines for assignments | tracking fulfilment of resolutions | supervision of task completion by officials",
            "archive": "electronic archive of documents | long-term storage of records | digital records repository | archiving official documentation",
            "interagency": "exchange of documents between agencies | inter-ministerial electronic mail | transferring documents among government bodies | interdepartmental document delivery",
            "search": "full-text search across documents | finding papers by content and attributes | retrieval of documents by keywords | document search engine",
            "citizen_requests": "handling citizens' written requests | processing petitions from the public | registration of appeals sent by residents | management of letters from citizens",
            "templates": "document templates and forms | standard blanks for orders and letters | form library for official documents | predefined templates for correspondence",
        },
    ),
    _type(
        code="inspections", industries=("public_administration", "trade"), technologies=("cloud", "ai", "big_data"),
        ministry="Inspectorate of Regional State Supervision", capex=(10_000, 70_000), since=2017, popularity=0.7,
        titles=("{region} control and supervision information system", "Regional state control system of {region}",
                "{region} digital inspections"),
        summaries=("Plans and records inspections of businesses by regional supervisory bodies with a risk-based approach.",
                   "Automates regional state control in {region}: risk categories, checklists, violations and orders."),
        indicators=(("Inspections carried out with mobile checklists", "%", (10, 40), (80, 95)),
                    ("Share of preventive measures in all control measures", "%", (20, 40), (60, 80))),
        functions={
            "plan": "planning inspections of businesses | annual schedule of supervisory checks | drawing up inspection programmes | scheduling audits of controlled entities",
            "risk": "risk-based selection of inspected entities | categorisation of objects by risk level | targeting checks at high-risk businesses | risk scoring to prioritise supervision",
            "checklists": "electronic checklists for inspectors | lists of mandatory requirements used during checks | digital questionnaires for compliance control | standardised inspection forms",
            "mobile": "mobile app for inspectors in the field | inspectors record findings on a tablet on site | field data collection during visits | handheld tool for recording audit results",
            "violations": "registration of detected violations | recording non-compliance found during checks | register of breaches and orders | logging infringements",
            "orders": "issuing orders to remedy violations | prescriptions to fix breaches by a deadline | enforcement notices to businesses | corrective instructions to controlled entities",
            "federal_register": "uploading inspections to the unified register of control measures | integration with the federal register of checks | synchronising with erknm | reporting checks to the national registry",
            "prevention": "preventive consultations and warnings | advising businesses on how to avoid violations | prophylactic visits and guidance | warnings about the inadmissibility of violations",
            "appeals": "pre-trial appeal of inspection decisions | businesses contest supervisory findings | complaints against inspectors' actions | out-of-court challenge of penalties",
            "reporting": "performance indicators of supervisory bodies | statistics on inspections and their outcomes | control activity reporting | analytics of enforcement results",
        },
    ),
    # ---------------------------------------------------------------- social
    _type(
        code="social_benefits", industries=("social",), technologies=("cloud", "big_data", "ai"),
        ministry="Ministry of Social Protection", capex=(15_000, 120_000), since=2014, popularity=0.9,
        titles=("{region} social protection information system", "Electronic social register of {region}",
                "{region} benefits administration system", "Social support payments platform ({region})"),
        summaries=("Assigns and pays social support to the residents of {region}.",
                   "Automates applications, eligibility checks and payments of regional social benefits."),
        indicators=(("Benefits assigned proactively", "%", (0, 10), (40, 70)),
                    ("Average time to assign a benefit", "days", (10, 30), (1, 5))),
        functions={
            "apply": "online application for social benefits | requesting welfare payments through the internet | electronic claim for social assistance | digital filing for state allowances",
            "eligibility": "automatic eligibility check by income | means testing of applicant families | verifying the right to support based on earnings | calculating whether a household qualifies",
            "calculation": "calculation of benefit amounts | computing the size of allowances | determining payment sums | rules for computing how much is paid",
            "payments": "payment of benefits to bank accounts | transferring allowances to recipients | disbursement of welfare money | paying social support through banks or the post",
            "registry": "register of social support recipients | database of beneficiaries | list of people receiving aid | recipients' registry",
            "proactive": "proactive assignment of benefits without an application | automatic granting of support on life events | benefits awarded without a request | pushing entitlements to eligible families",
            "federal_social": "data exchange with the unified state social security system | integration with egisso | uploading benefits to the federal social registry | synchronisation with the national social protection database",
            "social_contract": "management of social contracts | agreements with low-income families on self-support | administration of the social contract programme | contracts that help families out of poverty",
            "recalculation": "periodic recalculation and termination of benefits | review of continuing entitlement | stopping payments when conditions change | annual reassessment of support",
        },
        ru_titles=("Автоматизированная система социальной защиты населения — {region}", "Электронный социальный регистр ({region})"),
        ru_summary="Назначение и выплата мер социальной поддержки жителям региона.",
        ru_functions={
            "apply": "подача заявления на социальные выплаты онлайн",
            "eligibility": "автоматическая проверка права на выплату по доходам",
            "calculation": "расчёт размера пособий",
            "payments": "перечисление пособий на банковские счета",
            "registry": "регистр получателей мер социальной поддержки",
            "proactive": "проактивное назначение мер поддержки без заявления",
            "federal_social": "обмен данными с ЕГИССО",
            "social_contract": "сопровождение социальных контрактов",
            "recalculation": "перерасчёт и прекращение выплат",
        },
    ),
    # ---------------------------------------------------------------- agriculture
    _type(
        code="agro_subsidies", industries=("agriculture",), technologies=("gis_maps", "big_data", "ai"),
        ministry="Ministry of Agriculture", capex=(10_000, 80_000), since=2016, popularity=0.65,
        titles=("{region} agro-industrial complex information system", "Agricultural subsidies management of {region}",
                "{region} digital agriculture platform"),
        summaries=("Accounts for agricultural producers, their fields and the state support they receive.",
                   "Electronic subsidies for farmers of {region} with satellite control of crop areas."),
        indicators=(("Subsidy applications submitted electronically", "%", (10, 40), (90, 100)),
                    ("Arable land covered by satellite monitoring", "%", (10, 40), (80, 100))),
        functions={
            "apply": "online application for agricultural subsidies | farmers request state support electronically | digital submission of grant applications by agribusiness | electronic filing for farm support",
            "registry": "register of agricultural producers | database of farms and agribusinesses | catalogue of rural enterprises | list of agricultural companies",
            "fields": "accounting of fields and crop areas | register of sown land with boundaries | records of arable plots and what grows on them | crop acreage tracking",
            "satellite": "satellite monitoring of crops | remote sensing of field condition | space imagery to verify sowing | monitoring vegetation from satellite data",
            "verification": "checking compliance with subsidy conditions | verifying that recipients meet grant terms | control of support recipients' obligations | audit of subsidy eligibility",
            "calculation": "calculation of subsidy amounts per hectare or head of livestock | computing support payments by rates | determining the sum of agricultural support | rate-based subsidy computation",
            "reporting": "reporting by farmers on production | producers submit statistical forms | collection of agricultural output reports | farm performance returns",
            "forecasting": "harvest forecasting | yield prediction for the season | estimating expected crop volumes | predictive models of the harvest",
        },
    ),
    _type(
        code="veterinary_registry", industries=("agriculture",), technologies=("cloud", "iot"),
        ministry="Veterinary Committee", capex=(5_000, 40_000), since=2017, popularity=0.5,
        titles=("{region} veterinary information system", "Animal health registry of {region}", "{region} state veterinary service platform"),
        summaries=("Registers animals, vaccinations and veterinary certificates and watches the epizootic situation.",
                   "Digital veterinary service of {region}: livestock identification, labs and outbreak monitoring."),
        indicators=(("Livestock identified and registered", "%", (30, 60), (90, 100)),
                    ("Electronic veterinary certificates", "%", (50, 80), (98, 100))),
        functions={
            "animals": "registration and identification of farm animals | tagging and recording livestock | register of cattle with individual numbers | animal identification database",
            "vaccination": "recording vaccinations and treatments of animals | logging veterinary immunisations | tracking preventive treatments of livestock | vaccination history of farm animals",
            "certificates": "issuing electronic veterinary certificates | digital accompanying documents for animal products | e-certification of cargo of animal origin | veterinary e-documents via mercury",
            "outbreaks": "monitoring the epizootic situation | tracking animal disease outbreaks | surveillance of infectious diseases in livestock | alerts about epidemic foci among animals",
            "labs": "veterinary laboratory testing results | recording results of sample analyses in vet labs | test outcomes of animal samples | laboratory diagnostics of animal diseases",
            "pets": "registration of pets | keeping a record of dogs and cats | pet registry with microchips | database of domestic animals",
            "stray": "control of stray animals | accounting of trap-neuter-release programmes | tracking homeless dogs | management of animal shelters",
            "farms": "register of livestock farms and their status | list of holdings with their biosecurity level | catalogue of animal husbandry enterprises | compartment records of farms",
        },
    ),
    # ---------------------------------------------------------------- culture, sport, tourism
    _type(
        code="culture_tickets", industries=("culture",), technologies=("cloud", "vr_ar"),
        ministry="Ministry of Culture", capex=(5_000, 40_000), since=2017, popularity=0.6,
        titles=("{region} culture portal and ticketing", "Unified ticket system of cultural institutions of {region}",
                "{region} culture online"),
        summaries=("Sells tickets to museums, theatres and concerts and publishes the events poster.",
                   "Electronic ticketing and event calendar for the cultural institutions of {region}."),
        indicators=(("Tickets sold online", "%", (10, 35), (60, 80)),
                    ("Visits to cultural institutions", "thousand", (300, 1500), (500, 2500))),
        functions={
            "tickets": "online sale of tickets to museums and theatres | buying admission to cultural venues on the internet | e-ticketing for concerts and exhibitions | digital purchase of entry to cultural events",
            "pushkin": "acceptance of the pushkin card | redeeming the youth culture card | payment with the state cultural programme card for young people | support for the pushkin card programme",
            "poster": "poster of cultural events | calendar of performances and exhibitions | listing of upcoming shows | events guide of the region",
            "seating": "interactive seating plan | choosing seats in the hall | hall map for seat selection | picking a place on the venue plan",
            "access_control": "electronic entry control by qr code | scanning tickets at the entrance | turnstile validation of e-tickets | ticket checking at venue doors",
            "refunds": "ticket returns and refunds | giving money back for unused tickets | cancellation of purchased tickets | reimbursing customers for returned admissions",
            "attendance": "attendance statistics of cultural institutions | visitor counts of museums and theatres | analytics of audience numbers | reporting visits to cultural venues",
            "virtual": "virtual tours of museums | online 3d exhibitions | remote viewing of collections | digital museum walkthroughs",
        },
    ),
    _type(
        code="sports_booking", industries=("sport",), technologies=("cloud", "iot"),
        ministry="Ministry of Sport", capex=(3_000, 30_000), since=2018, popularity=0.5,
        titles=("{region} sport portal", "Sports infrastructure booking service of {region}", "{region} active citizen: sport"),
        summaries=("Register of sports facilities with online booking and enrolment in sports sections.",
                   "Digital sport services of {region}: facilities, sections, gto tests and events."),
        indicators=(("Residents regularly doing sport", "%", (35, 45), (55, 70)),
                    ("Sports facility load", "%", (40, 60), (75, 90))),
        functions={
            "facilities": "register of sports facilities | catalogue of stadiums, pools and gyms | database of sports infrastructure | directory of places to exercise",
            "booking": "online booking of sports facilities | reserving time at a gym or pool | renting a sports field through the web | scheduling slots at sports venues",
            "sections": "enrolment in sports sections | sign-up for training groups | registration of children in sports clubs | joining a coaching group online",
            "gto": "registration for gto fitness tests | sign-up to pass the national physical fitness standards | booking a slot to pass gto norms | recording gto test results",
            "events": "calendar of sports events | schedule of competitions and tournaments | sports event listings | championships calendar",
            "athletes": "register of athletes and sports ranks | database of sportspeople and their qualifications | records of sports titles | athlete registry with categories",
            "load": "occupancy monitoring of sports facilities | usage statistics of sports venues | load analysis of sports infrastructure | tracking how full sports halls are",
            "coaches": "register of coaches and instructors | database of trainers | list of sports instructors with certification | coach registry",
        },
    ),
    _type(
        code="tourism_portal", industries=("tourism",), technologies=("gis_maps", "vr_ar", "big_data"),
        ministry="Committee for Tourism", capex=(5_000, 50_000), since=2017, popularity=0.6,
        titles=("Visit {region}: tourist portal", "{region} tourism information system", "Regional travel platform of {region}"),
        summaries=("Tourist portal of {region} with routes, accommodation booking and the events calendar.",
                   "Promotes the region to travellers and counts tourist flows."),
        indicators=(("Tourist flow", "thousand trips", (300, 1500), (500, 2500)),
                    ("Classified accommodation facilities", "%", (40, 70), (90, 100))),
        functions={
            "guide": "tourist information portal of the region | travel guide to local attractions | online destination guide | sightseeing information site",
            "routes": "catalogue of tourist routes | suggested itineraries for travellers | route builder for trips | themed travel paths",
            "booking": "booking accommodation and tours | reserving hotels and excursions | online reservation of travel services | purchasing tours from local operators",
            "registry": "register of hotels and tour operators | database of tourism businesses | catalogue of accommodation providers | list of tourism companies of the region",
            "classification": "hotel classification records | star rating of accommodation | classification certificates of hotels | grading of lodging facilities",
            "flow": "analytics of tourist flows | counting visitors with mobile operator data | statistics of tourist arrivals | tourism traffic monitoring",
            "events": "event calendar for tourists | festival listings for visitors | schedule of tourist events | calendar of regional celebrations",
            "ar_guide": "audio and augmented reality guides | mobile audio tours | ar navigation at attractions | multimedia excursion apps",
        },
    ),
    # ---------------------------------------------------------------- economy
    _type(
        code="industrial_support", industries=("industry",), technologies=("cloud", "industrial_internet", "big_data"),
        ministry="Ministry of Industry and Trade", capex=(8_000, 60_000), since=2017, popularity=0.5,
        titles=("{region} industrial development portal", "Industry support system of {region}", "{region} investment and industry platform"),
        summaries=("Support measures, industrial sites and cooperation for manufacturers of {region}.",
                   "Industrial development platform: loans, industrial parks, import substitution and output monitoring."),
        indicators=(("Industrial production index", "%", (95, 102), (103, 110)),
                    ("Enterprises that received support", "units", (20, 80), (100, 300))),
        functions={
            "measures": "catalogue of support measures for manufacturers | directory of state aid for industry | list of grants and loans for plants | registry of industrial support programmes",
            "apply": "online applications for industrial development fund loans | manufacturers request preferential loans | electronic submission to the industry fund | filing for soft loans",
            "parks": "register of industrial parks and technoparks | database of industrial zones with free land | catalogue of industrial sites | directory of investment sites",
            "monitoring": "monitoring of industrial output | tracking production volumes of enterprises | industrial production statistics | output indicators of factories",
            "cooperation": "platform for industrial cooperation and subcontracting | matching manufacturers with suppliers | b2b cooperation exchange | supplier search for plants",
            "import_sub": "catalogue of import substitution products | register of domestic analogues | listing of locally made replacements | database of import-substituting goods",
            "investments": "register of investment projects | tracking investors' projects | investment pipeline management | escorting projects of investors",
            "enterprises": "register of industrial enterprises | database of manufacturing companies | list of factories in the region | catalogue of industrial companies",
        },
    ),
    _type(
        code="energy_metering", industries=("energy",), technologies=("iot", "industrial_internet", "big_data"),
        ministry="Ministry of Energy", capex=(15_000, 120_000), since=2016, popularity=0.55,
        titles=("{region} energy consumption monitoring system", "Smart metering of {region}", "{region} energy efficiency platform"),
        summaries=("Remote metering and control of energy consumption of public buildings and networks.",
                   "Energy management system of {region}: smart meters, losses, efficiency programmes."),
        indicators=(("Public buildings with smart meters", "%", (10, 40), (80, 100)),
                    ("Energy consumption of public buildings", "kWh per m2", (150, 250), (100, 150))),
        functions={
            "smart_meters": "remote reading of smart electricity meters | automatic collection of meter data | telemetry of energy consumption | remote metering of power use",
            "consumption": "monitoring energy consumption of public buildings | tracking electricity use in state institutions | energy usage accounting for budget organisations | consumption monitoring of public facilities",
            "losses": "detection of energy losses | identifying grid losses and theft | analysis of network losses | finding unaccounted consumption",
            "efficiency": "energy efficiency programmes | planning energy saving measures | tracking efficiency improvements | managing energy conservation plans",
            "passports": "energy passports of buildings | energy certificates for facilities | building energy profiles | efficiency classes of buildings",
            "outages": "outage monitoring and notification | tracking power interruptions | informing consumers about blackouts | registry of supply disruptions",
            "heat": "heat supply monitoring | control of boiler houses and heating networks | tracking district heating parameters | monitoring heat generation",
            "tariff_control": "control of energy tariffs and payments | monitoring energy bills of institutions | tracking payments for energy resources | verifying energy charges",
        },
    ),
    _type(
        code="waste_management", industries=("ecology", "urban_environment"), technologies=("gis_maps", "iot", "wireless"),
        ministry="Ministry of Natural Resources and Ecology", capex=(10_000, 80_000), since=2018, popularity=0.75,
        titles=("{region} solid waste management system", "Waste handling control system of {region}", "{region} digital waste operator"),
        summaries=("Controls collection, transport and disposal of municipal solid waste in {region}.",
                   "Container sites, garbage truck tracking and landfill accounting for the regional waste operator."),
        indicators=(("Waste sent to processing", "%", (10, 30), (50, 70)),
                    ("Container sites in the register", "%", (40, 70), (95, 100))),
        functions={
            "sites": "register of container sites | map of waste collection points | database of bin locations | catalogue of trash container areas",
            "routes": "route planning for garbage trucks | optimising waste collection routes | scheduling refuse lorry trips | planning trips of collection vehicles",
            "tracking": "gps tracking of waste trucks | monitoring garbage vehicles in real time | satellite control of the refuse collection fleet | live positions of waste haulers",
            "landfills": "accounting of waste at landfills and sorting plants | weighing incoming waste at processing facilities | records of waste received by disposal sites | tonnage accounting at landfills",
            "illegal": "reporting illegal dumps | residents report unauthorised landfills | detection of fly-tipping | monitoring unsanctioned waste sites",
            "contracts": "contracts with waste generators | agreements of the regional operator with customers | billing for waste removal | managing service contracts for refuse collection",
            "separate": "separate waste collection | sorting recyclable materials | recycling collection points | selective collection of waste fractions",
            "territorial_scheme": "electronic territorial waste management scheme | regional waste flow model | digital plan of waste streams | territorial scheme for waste handling",
        },
        ru_titles=("Региональная система управления отходами — {region}", "ГИС обращения с ТКО ({region})"),
        ru_summary="Учёт и контроль вывоза твёрдых коммунальных отходов.",
        ru_functions={
            "sites": "реестр контейнерных площадок",
            "routes": "планирование маршрутов мусоровозов",
            "tracking": "мониторинг мусоровозов по ГЛОНАСС",
            "landfills": "учёт отходов на полигонах и сортировочных комплексах",
            "illegal": "сообщения о несанкционированных свалках",
            "contracts": "договоры регионального оператора с потребителями",
            "separate": "раздельный сбор отходов",
            "territorial_scheme": "электронная территориальная схема обращения с отходами",
        },
    ),
    _type(
        code="air_monitoring", industries=("ecology",), technologies=("iot", "robotics_sensors", "gis_maps"),
        ministry="Ministry of Natural Resources and Ecology", capex=(8_000, 60_000), since=2018, popularity=0.45,
        titles=("{region} environmental monitoring system", "Air quality monitoring of {region}", "{region} clean air platform"),
        summaries=("Automatic stations measure air pollution and inform residents in real time.",
                   "Environmental monitoring of {region}: air and water quality, emission sources and alerts."),
        indicators=(("Automatic air quality stations", "units", (2, 8), (10, 30)),
                    ("Days with pollution above limits", "days", (20, 60), (5, 15))),
        functions={
            "sensors": "network of automatic air quality stations | sensors measuring pollutants in the air | automated air monitoring posts | ambient pollution sensors",
            "map": "public map of air pollution | online air quality index map | showing pollution levels on a map | visualising air condition for residents",
            "alerts": "alerts when pollution exceeds limits | notifying about unfavourable weather conditions for dispersion | warnings about hazardous emission levels | alarm on exceeded maximum concentrations",
            "emissions": "register of emission sources | database of polluting enterprises | inventory of stationary pollution sources | catalogue of emitters",
            "forecast": "forecast of air pollution | predicting smog episodes | modelling pollutant dispersion | air quality prediction",
            "complaints": "residents complain about odours and smoke | reporting bad smells | citizen reports of emissions | complaints about air pollution incidents",
            "reporting": "environmental reporting by enterprises | companies submit emission reports | ecological declarations of businesses | statistical forms on pollution",
            "water": "monitoring surface water quality | testing rivers and lakes | observation of water bodies | water pollution monitoring",
        },
    ),
    _type(
        code="construction_permits", industries=("construction",), technologies=("gis_maps", "digital_twin", "cloud"),
        ministry="Ministry of Construction", capex=(10_000, 90_000), since=2016, popularity=0.65,
        titles=("{region} urban planning information system", "Construction permits online in {region}", "{region} digital construction platform"),
        summaries=("Issues construction and commissioning permits and keeps the urban planning documentation.",
                   "Urban planning information system of {region} with electronic permits and bim."),
        indicators=(("Construction permits issued electronically", "%", (20, 50), (95, 100)),
                    ("Time to obtain a construction permit", "days", (30, 90), (7, 15))),
        functions={
            "permits": "issuing construction permits online | digital application for a building permit | electronic request for permission to build | permit to construct via the internet",
            "gpzu": "issuing urban planning plans of land plots | land plot planning documents | preparation of the town-planning plan of a site | town-planning plan for a plot",
            "commissioning": "permits for commissioning buildings | authorisation to put a building into operation | acceptance of completed construction | commissioning approval",
            "isogd": "information system of urban planning activity | register of town-planning documentation | geodata on planning and zoning | isogd data management",
            "expertise": "state expertise of project documentation | review of design documents | expert evaluation of construction projects | assessment of project documentation",
            "supervision": "state construction supervision | monitoring construction sites for compliance | building inspection during works | control of builds in progress",
            "network_connection": "connection to utility networks | technological connection to engineering networks | applying for water and power hookups | utility connection requests",
            "bim": "use of information models of buildings | bim model review | 3d building information modelling | digital models of capital construction",
        },
    ),
    _type(
        code="sme_support", industries=("trade",), technologies=("cloud", "chatbot", "big_data"),
        ministry="Ministry of Economic Development", capex=(5_000, 40_000), since=2017, popularity=0.7,
        titles=("{region} business support portal", "My business: {region}", "{region} digital platform for entrepreneurs"),
        summaries=("One window for small and medium businesses: support measures, grants, consultations and training.",
                   "Support platform for entrepreneurs and the self-employed of {region}."),
        indicators=(("SME employment", "thousand people", (100, 300), (150, 400)),
                    ("Support measures available online", "%", (20, 50), (90, 100))),
        functions={
            "measures": "catalogue of support measures for small businesses | directory of aid for entrepreneurs | list of sme assistance programmes | business support navigator",
            "apply": "online application for grants and microloans | entrepreneurs request financial support | electronic submission for business grants | applying for a microloan online",
            "consultations": "online consultations for entrepreneurs | advice for business owners | expert support for small firms | business mentoring sessions",
            "training": "training courses for entrepreneurs | business education programmes | workshops for startup founders | learning modules for small businesses",
            "registry": "register of support recipients | database of businesses that received aid | list of beneficiaries of sme programmes | sme support registry",
            "premises": "catalogue of available business premises | renting state property to entrepreneurs | listing of vacant commercial spaces | property offered for lease to small businesses",
            "procurement_access": "access to procurement of large companies | helping smes become suppliers | matching businesses with tender opportunities | supplier programmes for small companies",
            "self_employed": "support for the self-employed | services for independent workers | assistance to self-employed citizens | self-employment programmes",
        },
    ),
    _type(
        code="budget_planning", industries=("finance", "public_administration"), technologies=("cloud", "big_data"),
        ministry="Ministry of Finance", capex=(20_000, 120_000), since=2014, popularity=0.75,
        titles=("{region} public finance management system", "Budget process automation of {region}", "{region} electronic budget"),
        summaries=("Plans and executes the regional budget and consolidates municipal reporting.",
                   "Public finance management of {region}: budget planning, execution, state programmes and open budget."),
        indicators=(("Budget execution", "%", (90, 95), (97, 99)),
                    ("Municipalities on the unified platform", "%", (30, 70), (100, 100))),
        functions={
            "planning": "planning the regional budget | drafting budget projections | preparing revenue and expenditure plans | budget formation process",
            "execution": "monitoring budget execution | tracking spending against the plan | control of cash execution | reporting on budget implementation",
            "programmes": "management of state programmes | tracking government programme indicators | programme-based budgeting | performance-based programmes",
            "municipal": "consolidated reporting of municipalities | collection of municipal budget reports | aggregation of local budget data | municipal financial reporting",
            "open_budget": "open budget portal for citizens | budget for citizens visualisation | public transparency portal of finances | open data on public finances",
            "debt": "public debt management | accounting of state borrowings | tracking regional debt obligations | debt register",
            "payroll": "payroll accounting for public institutions | salaries of budget employees | centralised payroll | wage calculation for state bodies",
            "initiative_budgeting": "participatory budgeting | citizens propose initiative projects | proactive budgeting with residents | local initiatives funded by the budget",
        },
    ),
    # ---------------------------------------------------------------- safety and employment
    _type(
        code="safe_city", industries=("safety", "urban_environment"), technologies=("ai", "biometrics", "iot", "big_data"),
        ministry="Main Directorate for Public Safety", capex=(40_000, 150_000), since=2015, popularity=0.8,
        titles=("{region} safe city hardware and software complex", "Safe city of {region}", "{region} integrated public safety system"),
        summaries=("Video surveillance with analytics for public order and road safety in {region}.",
                   "Safe city platform: cameras, recognition and a situation centre."),
        indicators=(("Crimes solved with video evidence", "%", (10, 25), (35, 50)),
                    ("Cameras connected", "units", (300, 2000), (3000, 10000))),
        functions={
            "cameras": "city video surveillance network | cctv cameras in public places | street camera monitoring | video observation system",
            "face": "face recognition of wanted persons | biometric identification on video | searching for persons in camera streams | facial detection of suspects",
            "plates": "licence plate recognition | automatic number plate reading | vehicle plate identification | detecting cars by their number",
            "archive": "video archive storage and search | keeping recordings for investigations | retrieval of past footage | storing camera streams",
            "incidents": "detection of incidents with video analytics | automatic recognition of fights and crowds | event detection from cameras | smart analysis of dangerous situations",
            "situational_centre": "situation centre dashboards | unified operations room | integrated monitoring centre | command centre displays",
            "call_points": "emergency call points for citizens | citizen-police intercoms | sos buttons in public places | help points on streets",
            "speed": "traffic violation photo radar | speed enforcement cameras | automatic fixation of traffic offences | photo and video recording of road violations",
        },
    ),
    _type(
        code="emergency_112", industries=("safety",), technologies=("gis_maps", "wireless", "ai"),
        ministry="Main Directorate for Civil Defence", capex=(20_000, 100_000), since=2014, popularity=0.7,
        titles=("{region} system-112", "Emergency calls system of {region}", "{region} single emergency number service"),
        summaries=("Single emergency number 112: call reception and joint dispatch of emergency services.",
                   "Emergency call system of {region} integrated with era-glonass and the warning system."),
        indicators=(("Calls answered within 8 seconds", "%", (70, 85), (95, 99)),
                    ("Average incident response time", "minutes", (15, 25), (8, 12))),
        functions={
            "calls": "single emergency number call reception | receiving 112 calls | answering emergency calls | unified hotline for emergencies",
            "dispatch": "dispatching emergency services | coordinated response of fire, police and ambulance | transferring incidents to duty services | joint dispatch of rescue units",
            "location": "determining the caller's location | locating the phone of the caller | caller position detection | geolocation of emergency callers",
            "languages": "call handling in foreign languages | interpreter support for non-russian speakers | multilingual operators | translation for emergency calls",
            "sms": "text messages for the deaf | sms to the emergency number | accessible channels for the hearing-impaired | emergency messaging for people with disabilities",
            "era": "integration with era-glonass | receiving car crash alerts | automatic vehicle emergency calls | accident notifications from vehicles",
            "warnings": "population warning system | mass alerts to residents | sirens and notifications | emergency broadcasts",
            "records": "incident register and statistics | recording emergency cases | incident logs | reporting on emergencies",
        },
    ),
    _type(
        code="job_portal", industries=("employment", "social"), technologies=("ai", "big_data", "chatbot"),
        ministry="Employment Committee", capex=(5_000, 40_000), since=2015, popularity=0.7,
        titles=("{region} interactive employment portal", "Jobs in {region}", "{region} employment service online"),
        summaries=("Job search portal and online services of the employment centres of {region}.",
                   "Vacancies, resumes, matching and unemployment registration in one place."),
        indicators=(("Registered unemployment rate", "%", (1, 4), (0.5, 1.5)),
                    ("Vacancies filled through the portal", "%", (10, 30), (40, 60))),
        functions={
            "vacancies": "regional job vacancy database | listing of open positions | employers publish jobs | vacancy bank",
            "resumes": "job seekers post resumes | cv database | candidate profiles | applicants' curricula vitae",
            "matching": "matching candidates to vacancies | automatic selection of suitable jobs | recommending jobs to seekers | candidate-job matching",
            "unemployment": "registering as unemployed online | unemployment status application | applying for jobseeker benefits | unemployment registration",
            "retraining": "vocational retraining programmes | career training courses | requalification for job seekers | professional retraining offers",
            "job_fairs": "job fairs | recruitment events | career days | hiring fairs",
            "labour_market": "labour market analytics | employment statistics | workforce demand forecasting | monitoring labour market indicators",
            "career_guidance": "career guidance for youth | professional orientation | vocational counselling | career advice for school leavers",
        },
        ru_titles=("Интерактивный портал службы занятости — {region}", "Работа в регионе ({region})"),
        ru_summary="Портал поиска работы и услуг службы занятости.",
        ru_functions={
            "vacancies": "региональный банк вакансий",
            "resumes": "размещение резюме соискателями",
            "matching": "автоматический подбор вакансий для соискателей",
            "unemployment": "регистрация в качестве безработного онлайн",
            "retraining": "программы переобучения и повышения квалификации",
            "job_fairs": "ярмарки вакансий",
            "labour_market": "аналитика рынка труда",
            "career_guidance": "профориентация молодёжи",
        },
    ),
)

TYPES_BY_CODE: dict[str, SystemType] = {t.code: t for t in SYSTEM_TYPES}

# Who runs a system of an industry when no type says so (unique systems).
INDUSTRY_OWNERS: dict[str, str] = {
    "healthcare": "Ministry of Health",
    "education": "Ministry of Education",
    "transport": "Ministry of Transport",
    "urban_environment": "Ministry of Housing and Utilities",
    "public_administration": "Ministry of Digital Development",
    "social": "Ministry of Social Protection",
    "agriculture": "Ministry of Agriculture",
    "culture": "Ministry of Culture",
    "sport": "Ministry of Sport",
    "tourism": "Committee for Tourism",
    "industry": "Ministry of Industry and Trade",
    "energy": "Ministry of Energy",
    "ecology": "Ministry of Natural Resources and Ecology",
    "construction": "Ministry of Construction",
    "trade": "Ministry of Economic Development",
    "finance": "Ministry of Finance",
    "safety": "Main Directorate for Civil Defence",
    "employment": "Employment Committee",
}

# Region-specific functions, one wording each: what a region adds to a common system or
# builds on its own. They are kept apart in meaning from every canonical function above.
_EXTRAS: dict[str, str] = {
    "education": """anonymous reporting of bullying by pupils | school bus seat reservation for children from villages
        | lending laptops to pupils from low-income families | psychological counselling chat for teenagers
        | accounting of textbook stock in school libraries | booking school assembly halls for community groups
        | subsidised ordering of school uniforms | tracking teachers' professional development hours
        | monitoring temperature and humidity in school buildings | recruitment of teachers for rural schools
        | distribution of summer camp vouchers | allocation of rooms in college dormitories
        | inventory of school laboratory equipment | registry of pupils' food allergies
        | publication of the school canteen menu""",
    "healthcare": """donor blood registry and donation booking | tracking the cold chain of vaccines in transit
        | recruitment of young doctors for rural areas | waiting list for organ transplants
        | dental prosthetics queue for veterans | allocation of sanatorium vouchers to patients
        | control of medical waste disposal | maintenance schedule of medical equipment
        | interpreter service for foreign patients | registration of medical tourists
        | planning nurse shifts in hospitals | accounting of hospital linen and laundry
        | recognition of foreign medical diplomas | rating of hospital catering by inpatients
        | storage of patients' belongings during hospitalisation""",
    "transport": """issuing taxi operating permits | monitoring snow removal machinery on roads
        | bicycle sharing station management | registration of electric scooter rental operators
        | weighing trucks in motion to protect roads | status of winter ice crossings over rivers
        | inventory of road signs and markings | map of electric vehicle charging stations
        | airport shuttle booking | permits for transporting dangerous goods
        | calendar of roadworks and lane closures | sensors monitoring the structural health of bridges
        | scheduling of driving test exams | lost property found in public transport
        | carpooling service for commuters""",
    "urban_environment": """inventory of urban trees and their health | register of playgrounds and their equipment condition
        | remote control of street lighting | booking community rooms in residential buildings
        | monitoring lift operation in apartment blocks | register of dilapidated housing awaiting resettlement
        | online general meetings of apartment owners | leasing of municipal land lots
        | measurement of noise levels in residential areas | register of advertising structures
        | permits for excavation works in streets | register of cemetery plots
        | housing queue for young families | colour passports of building facades
        | management of public toilets""",
    "public_administration": """performance evaluation of civil servants | recruitment to civil service vacancies
        | register of state property | public discussion of draft regional laws
        | registration of civil status acts such as marriages | issuing certificates from the state archive
        | management of the official vehicle fleet | minutes of government meetings
        | anti-corruption income declarations of officials | regulatory impact assessment of draft acts
        | inventory of it assets of agencies | membership of public councils
        | video conferencing for officials | publishing press releases of the government
        | key performance dashboard of the governor's team""",
    "social": """register of volunteers and matching them to tasks | home delivery of groceries to elderly people
        | guardianship and custody case records | selection of foster families
        | rental of rehabilitation equipment for disabled people | booking a sign language interpreter
        | social taxi for people with limited mobility | places in homeless shelters
        | hotline for victims of domestic violence | active longevity classes for seniors
        | database of children available for adoption | supervision of families in difficult circumstances
        | distribution of humanitarian aid parcels | places in residential care homes for the elderly
        | support coordinators for veterans' families""",
    "agriculture": """inventory of land reclamation systems | register of tractors and farm machinery
        | orders for crop spraying by drones | certification of seed quality
        | monitoring grain storage in elevators | reporting of pest and weed outbreaks
        | network of agricultural weather stations | agricultural insurance claims
        | housing programme for rural specialists | register of apiaries
        | register of fish farms | scheduling of irrigation water
        | laboratory analysis of soil fertility | register of agricultural cooperatives
        | phytosanitary certificates for grain exports""",
    "culture": """digitisation of rare books | register of cultural heritage sites
        | grant competitions for creative projects | booking of rehearsal rooms
        | register of amateur art groups | lending musical instruments to art schools
        | monitoring restoration works | catalogue of folk crafts
        | catalogue of film locations for producers | library e-book lending
        | inventory of museum collections | audio description for visually impaired visitors
        | touring schedule of the philharmonic | digitisation of the regional television archive
        | applications for artist residencies""",
    "sport": """anti-doping education courses for athletes | rental of sports equipment
        | medical admission certificates for competitions | recruitment of volunteers for sports events
        | sports scholarships for young athletes | map of running routes with distance markers
        | fan card registration for stadiums | integration with fitness trackers
        | registration of participants for marathons | esports tournaments
        | appointment of referees to matches | register of outdoor workout areas
        | condition reports of ski tracks | grants for sports clubs
        | adaptive sports classes for people with disabilities""",
    "tourism": """collection of the tourist tax | register of certified tour guides
        | registration of hiking groups for safety | catalogue of souvenir producers
        | tourist cashback programme | visitor satisfaction surveys
        | schedule of cruise ship calls | rental of camping and tourist equipment
        | accessibility information for travellers with disabilities | coordination of searches for lost tourists
        | multilingual tourist hotline | grants for glamping sites
        | gastronomic map of local cuisine | tourist passport with collectable stamps
        | registration of guest houses in rural areas""",
    "industry": """register of hazardous production facilities | export support for manufacturers
        | product certification services | register of patents and intellectual property
        | digital twin of a production line | tracking lean manufacturing projects
        | sharing of idle industrial equipment | predictive maintenance of machine tools
        | catalogue of engineering centres | diversification of defence enterprises
        | network of quality control laboratories | industrial tourism tours of factories
        | exchange of industrial by-products and waste | corporate training orders from enterprises
        | 3d printing service bureau""",
    "energy": """applications for connecting houses to the gas supply | register of rooftop solar installations
        | fuel delivery to remote northern settlements | monitoring diesel power plants in isolated areas
        | firewood supply to rural residents | register of energy service contracts
        | clearing vegetation along power lines | digital twin of substations
        | map of renewable energy potential | training of energy managers
        | transformer load forecasting | grid connection of small-scale generation
        | pipeline corrosion sensors | register of cryptocurrency mining facilities
        | demand response programme for businesses""",
    "ecology": """early detection of forest fires | observations of red book species
        | detection of illegal logging | issuing hunting permits
        | fishing quota allocation | tree planting campaigns
        | environmental education events | register of groundwater wells
        | radiation background monitoring | oil spill response
        | reporting wildlife killed on roads | register of snow melting stations
        | volunteer clean-up events | compensation for environmental damage
        | register of mineral deposits""",
    "construction": """monitoring prices of building materials | register of defrauded equity holders
        | monitoring of escrow accounts in shared construction | tracking construction cranes
        | register of self-regulating organisations of builders | assignment of addresses to buildings
        | programme for demolition of dilapidated buildings | removal of construction debris
        | database of construction cost estimates | worker safety sensors on building sites
        | drone photography of construction progress | cadastral land surveying works
        | construction programme for schools and hospitals | laboratory tests of concrete quality
        | architectural competition submissions""",
    "trade": """placement scheme for street kiosks | booking stalls at seasonal fairs
        | licensing of alcohol retail | consumer rights complaints
        | price monitoring of essential goods | checks of mandatory product labelling
        | statistics of retail space | export marketplace for local producers
        | catalogue of franchises | schedule of mobile shops for villages
        | reports of counterfeit goods | register of public catering outlets
        | permits for extended trading hours | verification of weights and measures
        | register of courier delivery services""",
    "finance": """efficiency assessment of tax benefits | forecasting of tax revenues
        | financial literacy courses for citizens | register of state guarantees
        | internal financial audit | accounting of grants to non-profit organisations
        | regional bonds for citizens | transfers of subsidies to municipalities
        | unified chart of accounts | collection of rent receivables
        | insurance of state property | procurement planning of agencies
        | electronic invoicing with suppliers | cadastral valuation for property tax
        | fiscal risk assessment of municipalities""",
    "safety": """volunteer search for missing persons | beach safety monitoring
        | register of fire hydrants | register of private security firms
        | river water level sensors | register of evacuation shelters
        | security planning for mass events | patrol scheduling of people's volunteer squads
        | biometric access control at school entrances | civil defence stockpile
        | detection of drones near critical facilities | first aid training for residents
        | domestic gas leak sensors | analysis of road accident hotspots
        | search for lost children""",
    "employment": """quota jobs for people with disabilities | internship programmes for students
        | temporary public works | quotas for foreign workers
        | relocation support for workers moving to the region | summer jobs for teenagers
        | monitoring of wage arrears | register of occupational accidents
        | registration of collective agreements | employer notices of mass layoffs
        | independent qualification assessment | employment of former prisoners
        | rating of employers by working conditions | special assessment of working conditions
        | seasonal staffing for harvest work""",
}

EXTRA_FUNCTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    industry: tuple(
        (f"x.{industry}.{i:02d}", " ".join(text.split()))
        for i, text in enumerate(block.split("|"), start=1)
    )
    for industry, block in _EXTRAS.items()
}
"""Per industry: (function id, wording) of the region-specific extra functions."""
