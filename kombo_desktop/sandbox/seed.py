"""The sandbox's candidates: deterministic, realistic, in the shape of Kombo's ATS API.

Ids are derived from a hash of stable keys (the email, the job name, ...), so they never change
between runs and other tests may hard-code them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_KOMBO_ID_LENGTH = 24
_EPOCH = datetime(2025, 6, 2, 8, 15, tzinfo=timezone.utc)
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
_GREENHOUSE = "https://app.greenhouse.io"

# Letters NFKD does not split into a base letter and an accent.
_TRANSLITERATION = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ı": "i", "ł": "l", "æ": "ae"})


class _Person(NamedTuple):
    first_name: str
    last_name: str
    company: str
    title: str
    city: str
    country: str  # ISO 3166-1 alpha-2, as Kombo gives it
    calling_code: str


_PEOPLE: tuple[_Person, ...] = (
    _Person("José", "Müller", "Lumen Analytics", "Backend Developer", "Berlin", "DE", "+49"),
    _Person("Anna", "Schmidt", "Nordwind Logistik", "Software Engineer", "Hamburg", "DE", "+49"),
    _Person("Lukas", "Schmidt", "Brightwave GmbH", "Account Manager", "Munich", "DE", "+49"),
    _Person("Priya", "Raman", "Tessellate Labs", "Data Scientist", "Bengaluru", "IN", "+91"),
    _Person("Wei", "Chen", "Harbourline", "Product Designer", "Singapore", "SG", "+65"),
    _Person("Li", "Chen", "Jadeport Systems", "DevOps Engineer", "Shanghai", "CN", "+86"),
    _Person("Sofia", "Rossi", "Castello Digitale", "Frontend Engineer", "Milan", "IT", "+39"),
    _Person("Mateo", "García", "Olivar Software", "Sales Development Rep", "Madrid", "ES", "+34"),
    _Person("Aoife", "Byrne", "Cliffside Health", "Customer Success Lead", "Dublin", "IE", "+353"),
    _Person("Kwame", "Mensah", "Volta Payments", "Backend Engineer", "Accra", "GH", "+233"),
    _Person("Yuki", "Tanaka", "Sakura Robotics", "Engineering Manager", "Tokyo", "JP", "+81"),
    _Person(
        "Olga", "Ivanova", "Baltic Cloud", "Site Reliability Engineer", "Tallinn", "EE", "+372"
    ),
    _Person("Ahmed", "Hassan", "Nile Fintech", "Account Executive", "Cairo", "EG", "+20"),
    _Person("Fatima", "Al-Sayed", "Dune Ventures", "Marketing Manager", "Dubai", "AE", "+971"),
    _Person("Lars", "Andersen", "Fjordware", "Full-Stack Developer", "Copenhagen", "DK", "+45"),
    _Person("Ingrid", "Johansson", "Nordlys AB", "Talent Partner", "Stockholm", "SE", "+46"),
    _Person("Camille", "Dubois", "Atelier Numérique", "UX Researcher", "Paris", "FR", "+33"),
    _Person("Lucas", "Martin", "Rhône Data", "Data Engineer", "Lyon", "FR", "+33"),
    _Person("Emma", "Martin", "Maple Commerce", "Account Executive", "Toronto", "CA", "+1"),
    _Person("Noah", "Williams", "Thames Insight", "Product Manager", "London", "GB", "+44"),
    _Person("Chloé", "Lefèvre", "Gaufre Studio", "Product Designer", "Brussels", "BE", "+32"),
    _Person("Søren", "Nielsen", "Kattegat Energy", "Backend Engineer", "Aarhus", "DK", "+45"),
    _Person("Zofia", "Kowalska", "Wisła Software", "QA Engineer", "Warsaw", "PL", "+48"),
    _Person("Mehmet", "Yılmaz", "Bosphorus Tech", "Mobile Developer", "Istanbul", "TR", "+90"),
    _Person(
        "Thandiwe",
        "Ndlovu",
        "Highveld Retail",
        "Customer Success Manager",
        "Johannesburg",
        "ZA",
        "+27",
    ),
    _Person("Diego", "Fernández", "Pampa Labs", "Solutions Engineer", "Buenos Aires", "AR", "+54"),
    _Person("Ana", "Souza", "Ipê Tecnologia", "Engineering Manager", "São Paulo", "BR", "+55"),
    _Person(
        "Lan", "Nguyen", "Mekong Digital", "Frontend Engineer", "Ho Chi Minh City", "VN", "+84"
    ),
    _Person("Hiroshi", "Sato", "Kansai Motors", "Machine Learning Engineer", "Osaka", "JP", "+81"),
    _Person("Amara", "Okafor", "Lagoon Finance", "Account Executive", "Lagos", "NG", "+234"),
    _Person("Ethan", "Cohen", "Carmel Security", "Security Engineer", "Tel Aviv", "IL", "+972"),
    _Person("Maya", "Patel", "Lone Star Health", "Data Analyst", "Austin", "US", "+1"),
    _Person(
        "Rohan", "Patel", "Golden Gate AI", "Senior Backend Engineer", "San Francisco", "US", "+1"
    ),
    _Person("Isabella", "Costa", "Tejo Systems", "Recruiter", "Lisbon", "PT", "+351"),
    _Person("Mikko", "Virtanen", "Aurora Games", "Game Developer", "Helsinki", "FI", "+358"),
    _Person("Elif", "Demir", "Anatolia Cloud", "Platform Engineer", "Ankara", "TR", "+90"),
    _Person("Grace", "Kim", "Han River Labs", "Product Manager", "Seoul", "KR", "+82"),
    _Person("Jonas", "Weber", "Alpenblick AG", "Sales Manager", "Zurich", "CH", "+41"),
    _Person(
        "Zoë", "van der Berg", "Grachten Media", "Content Strategist", "Amsterdam", "NL", "+31"
    ),
    _Person("Oliver", "Brown", "Southern Cross Freight", "Operations Lead", "Sydney", "AU", "+61"),
)

JOB_NAMES: tuple[str, ...] = (
    "Senior Backend Engineer",
    "Account Executive",
    "Product Designer",
    "Data Scientist",
    "Customer Success Manager",
    "Frontend Engineer",
    "Engineering Manager",
    "Marketing Manager",
    "DevOps Engineer",
    "Talent Acquisition Partner",
)

STAGE_NAMES: tuple[str, ...] = (
    "Application Review",
    "Recruiter Screen",
    "Assessment",
    "Hiring Manager Interview",
    "Onsite Interview",
    "Offer",
)

_SOURCES = ("LinkedIn", "Referral", "Company Website", "Indeed", "Agency", "Career Fair")
_TAGS = ("Remote", "Relocation", "Senior", "Silver Medalist", "Visa Required", "Referral")
_REJECTION_REASONS = (
    "Not enough experience",
    "Position filled",
    "Withdrew application",
    "Salary expectations",
)


def kombo_id(kind: str, key: str) -> str:
    """A stable 24-character base58 id in the style of Kombo's ids."""
    number = int.from_bytes(hashlib.sha256(f"{kind}:{key}".encode()).digest(), "big")
    chars = []
    for _ in range(_KOMBO_ID_LENGTH):
        number, digit = divmod(number, 58)
        chars.append(_BASE58[digit])
    return "".join(chars)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and ``Z``, as Kombo writes its timestamps."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only: "Yılmaz" -> "yilmaz", "van der Berg" -> "vanderberg"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


def _ref(kind: str, name: str, remote_id: str) -> dict[str, Any]:
    return {"id": kombo_id(kind, name), "name": name, "remote_id": remote_id}


def _stage(index: int) -> dict[str, Any]:
    name = STAGE_NAMES[index]
    return {
        "id": kombo_id("stage", name),
        "name": name,
        "remote_id": str(8_210_001 + index),
        "index": index,
    }


def _job(index: int) -> dict[str, Any]:
    return _ref("job", JOB_NAMES[index], str(4_401_100_003 + index * 1_000))


def _applications(
    person_index: int, email: str, candidate_remote_id: str, created: datetime
) -> tuple[list[dict[str, Any]], datetime]:
    """The candidate's applications and the latest moment one of them changed."""
    count = (1, 2, 3, 1, 2)[person_index % 5]
    applications = []
    latest = created
    for number in range(count):
        remote_id = str(61_380_000_000 + person_index * 37 + number)
        stage_index = (person_index + 2 * number) % len(STAGE_NAMES)
        applied = created + timedelta(days=2 * number, hours=1)
        updated = applied + timedelta(days=(person_index + number) % 9 + 1, minutes=17)
        latest = max(latest, updated)
        outcome: str | None = "PENDING"
        rejected_at: str | None = None
        rejection_reason: str | None = None
        if stage_index == len(STAGE_NAMES) - 1 and (person_index + number) % 2 == 0:
            outcome = "HIRED"
        elif (person_index + number) % 4 == 3:
            outcome = "DECLINED"
            rejected_at = timestamp(updated)
            rejection_reason = _REJECTION_REASONS[(person_index + number) % 4]
        elif person_index == 16 and number == 0:
            outcome = None  # Kombo sends null when the ATS does not say
        applications.append(
            {
                "id": kombo_id("application", f"{email}#{number}"),
                "remote_id": remote_id,
                "outcome": outcome,
                "rejection_reason_name": rejection_reason,
                "rejected_at": rejected_at,
                "current_stage": _stage(stage_index),
                "job": _job((person_index * 3 + number * 3) % len(JOB_NAMES)),
                "remote_url": f"{_GREENHOUSE}/people/{candidate_remote_id}"
                f"?application_id={remote_id}",
                "changed_at": timestamp(updated + timedelta(minutes=3)),
                "remote_created_at": timestamp(applied),
                "remote_updated_at": timestamp(updated),
            }
        )
    return applications, latest


def _candidate(index: int, person: _Person) -> dict[str, Any]:
    first, last = ascii_slug(person.first_name), ascii_slug(person.last_name)
    email = f"{first}.{last}@{_EMAIL_DOMAINS[index % len(_EMAIL_DOMAINS)]}"
    remote_id = str(41_270_000_000 + index * 1_013)
    created = _EPOCH + timedelta(hours=19 * index, minutes=7 * index)
    applications, latest = _applications(index, email, remote_id, created)
    updated = latest + timedelta(hours=2)
    emails = [{"email_address": email, "type": "PERSONAL"}]
    if index % 4 == 1:
        company_slug = ascii_slug(person.company)
        emails.append(
            {"email_address": f"{first[0]}.{last}@{company_slug}.example", "type": "WORK"}
        )
    tags = [
        _ref("tag", _TAGS[(index + k) % len(_TAGS)], str(90_000 + (index + k) % 6))
        for k in range(index % 3)
    ]
    return {
        "id": kombo_id("candidate", email),
        "remote_id": remote_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "company": person.company,
        "title": person.title,
        "confidential": False,
        "source": _SOURCES[index % len(_SOURCES)],
        "phone_numbers": [
            {
                "phone_number": f"{person.calling_code} 555 {1000 + index * 37:04d}",
                "type": "MOBILE",
            }
        ],
        "email_addresses": emails,
        "social_media": [
            {
                "link": f"https://www.linkedin.com/in/{first}-{last}",
                "type": "LINKEDIN",
                "username": f"{first}-{last}",
            }
        ],
        "location": {
            "city": person.city,
            "country": person.country,
            "raw": f"{person.city}, {person.country}",
            "state": None,
            "street_1": None,
            "street_2": None,
            "zip_code": None,
        },
        "custom_fields": {"notice_period": f"{index % 3 + 1} months"} if index % 2 else {},
        "remote_url": f"{_GREENHOUSE}/people/{remote_id}",
        "changed_at": timestamp(updated + timedelta(minutes=5)),
        "remote_created_at": timestamp(created),
        "remote_updated_at": timestamp(updated),
        "remote_deleted_at": None,
        "applications": applications,
        "tags": tags,
    }


#: The email of the sparse candidate who left nothing but an address (no name, no
#: applications): a careers-page sign-up, as some ATSs keep them.
SPARSE_EMAIL_ONLY = "talent.pool.4471@example.net"
#: The name of the sparse candidate with no email, whose applications lack a job or a
#: stage: a referral typed in by hand, as some ATSs keep them.
SPARSE_NAME_ONLY = ("Nadia", "Haddad")


def _sparse_candidate(index: int, key: str) -> dict[str, Any]:
    """The ``index``-th candidate of the seed as an ATS with little to say returns one:
    every key the API always sends, each nullable one null, none of the optional ones
    (email addresses, phone numbers, social media, location), no applications and no
    tags. ``key`` makes its id."""
    created = _EPOCH + timedelta(hours=19 * index, minutes=7 * index)
    return {
        "id": kombo_id("candidate", key),
        "remote_id": str(41_270_000_000 + index * 1_013),
        "first_name": None,
        "last_name": None,
        "company": None,
        "title": None,
        "confidential": None,
        "source": None,
        "custom_fields": None,
        "remote_url": None,
        "changed_at": timestamp(created + timedelta(minutes=5)),
        "remote_created_at": None,
        "remote_updated_at": None,
        "remote_deleted_at": None,
        "applications": [],
        "tags": [],
    }


def _sparse_candidates() -> list[dict[str, Any]]:
    """Candidates missing what the API lets an ATS leave out: one with only an email (no
    name, no applications), one with only a name (no email) whose applications have no
    stage, one of them no job either. They come after the others, so that the seed's
    first candidates and its first pages stay what they were (it holds two more)."""
    email_only = _sparse_candidate(len(_PEOPLE), SPARSE_EMAIL_ONLY)
    email_only["email_addresses"] = [{"email_address": SPARSE_EMAIL_ONLY, "type": "PERSONAL"}]

    first, last = SPARSE_NAME_ONLY
    key = f"{first} {last}"
    name_only = _sparse_candidate(len(_PEOPLE) + 1, key)
    name_only["first_name"], name_only["last_name"] = first, last
    applied = _EPOCH + timedelta(hours=19 * (len(_PEOPLE) + 1) + 1)
    name_only["applications"] = [
        {
            "id": kombo_id("application", f"{key}#{number}"),
            "remote_id": None,
            "outcome": outcome,
            "rejection_reason_name": None,
            "rejected_at": None,
            "current_stage": None,
            "job": job,
            "remote_url": None,
            "changed_at": timestamp(applied + timedelta(days=number)),
            "remote_created_at": None,
            "remote_updated_at": None,
        }
        for number, (job, outcome) in enumerate(((None, None), (_job(9), "PENDING")))
    ]
    return [email_only, name_only]


def build_candidates() -> list[dict[str, Any]]:
    """A fresh list of the seeded candidates (about 40), in the API's candidate shape:
    those with every field first, then the sparse ones (``_sparse_candidates``)."""
    full = [_candidate(index, person) for index, person in enumerate(_PEOPLE)]
    return full + _sparse_candidates()
