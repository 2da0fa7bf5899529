"""The seeded accounts: realistic, invented people.

NIR keys and IBAN check digits are computed with python-stdnum at seed time, never
typed in. Caisse centre codes (the last 4 digits of a code organisme) are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ameli_rules.rib import rib_key

# python-stdnum is imported inside the functions: its IBAN registry takes ~12 ms to
# load, and every command on the embedded sandbox imports this module.


def nir_with_key(first13: str) -> str:
    from stdnum.fr import nir as nir_lib

    return str(first13 + nir_lib.calc_check_digits(first13))


def french_iban(bban_without_key: str) -> str:
    """banque (5) + guichet (5) + compte (11): RIB key and IBAN check digits computed."""
    from stdnum import iban as iban_lib

    bban = bban_without_key + rib_key(bban_without_key)
    return str("FR" + iban_lib.calc_check_digits("FR00" + bban) + bban)


@dataclass(frozen=True)
class Caisse:
    code: str  # code organisme: régime (2) + caisse (3) + centre (4)
    name: str
    address_lines: tuple[str, ...]
    postal_code: str
    city: str
    hours: str
    regime: str = "01"
    local_regime: bool = False  # Alsace-Moselle: 90 % instead of 70 %


@dataclass(frozen=True)
class Beneficiary:
    rank: str
    last_name: str
    first_names: str
    birth_date: str
    relationship: str  # assure, conjoint, enfant
    medecin_traitant: bool = True


@dataclass(frozen=True)
class Coverage:
    rank: str
    kind: str  # ald, css
    start: str
    end: str | None
    label: str


@dataclass(frozen=True)
class Person:
    key: str  # a short handle for seeds and docs
    nir13: str
    password: str
    role: str
    last_name: str
    first_names: str
    birth_date: str
    birth_place: str
    caisse: str
    email: str
    phone: str
    address_line: str
    postal_code: str
    city: str
    bban: str | None = None
    otp_required: bool = False
    # How the one-time code travels, preferred first: email, sms, app (Compte ameli app).
    otp_channels: tuple[str, ...] = ("email",)
    note: str = ""
    dependants: tuple[Beneficiary, ...] = ()
    coverages: tuple[Coverage, ...] = ()
    medecin_traitant: bool = True
    features: frozenset[str] = field(default_factory=frozenset)

    @property
    def nir(self) -> str:
        return nir_with_key(self.nir13)

    @property
    def iban(self) -> str | None:
        return french_iban(self.bban) if self.bban else None

    def beneficiaries(self) -> tuple[Beneficiary, ...]:
        me = Beneficiary(
            "01",
            self.last_name,
            self.first_names,
            self.birth_date,
            "assure",
            self.medecin_traitant,
        )
        return (me, *self.dependants)


_HOURS = "Lundi au vendredi, 8 h 30 – 17 h 00 (sur rendez-vous l'après-midi)"

CAISSES = (
    Caisse(
        "017510000", "CPAM de Paris", ("21 rue Georges Auric",), "75948", "Paris Cedex 19", _HOURS
    ),
    Caisse(
        "012010000",
        "CPAM de la Corse-du-Sud",
        ("Boulevard Abbé Recco",),
        "20197",
        "Ajaccio Cedex",
        _HOURS,
    ),
    Caisse(
        "019310000",
        "CPAM de la Seine-Saint-Denis",
        ("195 avenue Paul Vaillant-Couturier",),
        "93014",
        "Bobigny Cedex",
        _HOURS,
    ),
    Caisse(
        "016910000", "CPAM du Rhône", ("276 cours Émile Zola",), "69907", "Lyon Cedex 20", _HOURS
    ),
    Caisse(
        "016710000",
        "CPAM du Bas-Rhin",
        ("16 rue de Lausanne",),
        "67090",
        "Strasbourg Cedex",
        _HOURS,
        local_regime=True,
    ),
)

PEOPLE = (
    Person(
        key="famille",
        nir13="2840375115123",
        password="Famille-Dupont-2026",
        role="assure",
        last_name="DUPONT",
        first_names="Marie Claire",
        birth_date="1984-03-14",
        birth_place="Paris 15e (75)",
        caisse="017510000",
        email="marie.dupont@example.fr",
        phone="0612345678",
        address_line="12 rue de la Convention",
        postal_code="75015",
        city="Paris",
        bban="20041010050500013M026",
        otp_required=True,
        note="famille : trois enfants de 10, 13 et 17 ans ; code à usage unique",
        dependants=(
            Beneficiary("02", "DUPONT", "Camille", "2009-06-30", "enfant"),
            Beneficiary("03", "DUPONT", "Hugo", "2013-09-21", "enfant"),
            Beneficiary("04", "DUPONT", "Léa", "2016-05-02", "enfant"),
        ),
        features=frozenset({"famille"}),
    ),
    Person(
        key="ald",
        nir13="158072A004031",
        password="Santoni-Ald-2026",
        role="assure",
        last_name="SANTONI",
        first_names="Jean-Baptiste Ange",
        birth_date="1958-07-09",
        birth_place="Ajaccio (2A)",
        caisse="012010000",
        email="jb.santoni@example.fr",
        phone="0495123456",
        address_line="4 cours Napoléon",
        postal_code="20000",
        city="Ajaccio",
        bban="300030100100012345678",
        note="né en Corse (2A) ; affection de longue durée",
        coverages=(
            Coverage(
                "01",
                "ald",
                "2021-02-01",
                "2031-01-31",
                "Diabète de type 1 et diabète de type 2 (ALD 8)",
            ),
        ),
        features=frozenset({"ald"}),
    ),
    Person(
        key="css",
        nir13="2921199208045",
        password="Demir-Css-2026",
        role="assure",
        last_name="DEMIR",
        first_names="Aylin",
        birth_date="1992-11-23",
        birth_place="Turquie (99208)",
        caisse="019310000",
        email="aylin.demir@example.fr",
        phone="0756781234",
        address_line="8 rue de Paris",
        postal_code="93100",
        city="Montreuil",
        bban="102780600000020378601",
        note="née à l'étranger (99) ; complémentaire santé solidaire",
        coverages=(
            Coverage(
                "01",
                "css",
                "2026-03-01",
                "2027-02-28",
                "Complémentaire santé solidaire sans participation financière",
            ),
        ),
        medecin_traitant=False,
        features=frozenset({"css"}),
    ),
    Person(
        key="ij",
        nir13="1910269123087",
        password="Martin-Ij-2026",
        role="assure",
        last_name="MARTIN",
        first_names="Lucas",
        birth_date="1991-02-17",
        birth_place="Lyon (69)",
        caisse="016910000",
        email="lucas.martin@example.fr",
        phone="0678901234",
        address_line="45 rue Garibaldi",
        postal_code="69006",
        city="Lyon",
        bban="300040082000012345678",
        note="salarié en arrêt de travail : indemnités journalières",
        features=frozenset({"ij"}),
    ),
    Person(
        key="alsace",
        nir13="1880667482112",
        password="Nguyen-Alsace-2026",
        role="assure",
        last_name="NGUYỄN",
        first_names="Łukasz",
        birth_date="1988-06-05",
        birth_place="Strasbourg (67)",
        caisse="016710000",
        email="lukasz.nguyen@example.fr",
        phone="0388112233",
        address_line="3 quai des Bateliers",
        postal_code="67000",
        city="Strasbourg",
        bban="151350901708000000000",
        note="régime local Alsace-Moselle (90 %) ; noms hors alphabet français",
        dependants=(Beneficiary("02", "D’ARTAGNAN", "Œdipe", "1987-12-01", "conjoint"),),
        features=frozenset({"alsace"}),
    ),
    Person(
        key="sms",
        nir13="1751044109042",
        password="Bernard-Sms-2026",
        role="assure",
        last_name="BERNARD",
        first_names="Thomas",
        birth_date="1975-10-08",
        birth_place="Nantes (44)",
        caisse="016910000",
        email="thomas.bernard@example.fr",
        phone="0623456742",
        address_line="18 rue Paul Bert",
        postal_code="69003",
        city="Lyon",
        bban="300040082000098765432",
        otp_required=True,
        otp_channels=("sms", "email"),
        note="code à usage unique par SMS (ou par e-mail)",
    ),
    Person(
        key="app",
        nir13="2010475112137",
        password="Petit-App-2026",
        role="assure",
        last_name="PETIT",
        first_names="Inès",
        birth_date="2001-04-12",
        birth_place="Paris 12e (75)",
        caisse="017510000",
        email="ines.petit@example.fr",
        phone="0734567815",
        address_line="7 rue de Charenton",
        postal_code="75012",
        city="Paris",
        bban="30002005500000157845Z",
        otp_required=True,
        otp_channels=("app", "sms", "email"),
        note="connexion validée dans l'application Compte ameli (ou SMS, e-mail)",
    ),
    Person(
        key="parent",
        nir13="1821075114023",
        password="Dupont-Parent-2026",
        role="assure",
        last_name="DUPONT",
        first_names="Thomas",
        birth_date="1982-10-02",
        birth_place="Paris 14e (75)",
        caisse="017510000",
        email="thomas.dupont@example.fr",
        phone="0611223344",
        address_line="12 rue de la Convention",
        postal_code="75015",
        city="Paris",
        bban="20041010050500024K026",
        note="l'autre parent des enfants de Marie DUPONT : confirme un rattachement",
        features=frozenset({"parent"}),
    ),
    Person(
        key="agent",
        nir13="2790693066012",
        password="Agent-Cpam93-2026",
        role="agent",
        last_name="LEROY",
        first_names="Sophie",
        birth_date="1979-06-18",
        birth_place="Saint-Denis (93)",
        caisse="019310000",
        email="sophie.leroy@cpam93.example.fr",
        phone="0149000000",
        address_line="195 avenue Paul Vaillant-Couturier",
        postal_code="93014",
        city="Bobigny",
        note="agent CPAM : agit pour un assuré en nommant son NIR",
        medecin_traitant=False,
    ),
)
