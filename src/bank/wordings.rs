//! Realistic French bank wordings: merchants, billers, employers, landlords.

pub const MERCHANTS: &[(&str, i64, i64)] = &[
    // (name, min cents, max cents)
    ("CARREFOUR MARKET", 800, 9500),
    ("MONOPRIX", 500, 6500),
    ("FRANPRIX", 300, 3500),
    ("LECLERC", 1500, 14000),
    ("BOULANGERIE PAUL", 180, 1600),
    ("SNCF", 1900, 12000),
    ("RATP", 210, 8640),
    ("UBER TRIP", 700, 3800),
    ("AMAZON EU SARL", 999, 15900),
    ("FNAC", 1299, 24900),
    ("DECATHLON", 999, 8999),
    ("PHARMACIE DU CENTRE", 350, 4200),
    ("TOTAL ENERGIES", 2500, 9000),
    ("IKEA", 1500, 29900),
    ("LEROY MERLIN", 899, 18900),
    ("PICARD SURGELES", 650, 5400),
    ("ZARA", 1995, 8995),
    ("CINEMA UGC", 1090, 2780),
    ("RESTAURANT LE PETIT ZINC", 1800, 8600),
    ("STARBUCKS", 390, 1250),
];

pub const SUBSCRIPTIONS: &[(&str, i64)] =
    &[("NETFLIX.COM", 1349), ("SPOTIFY", 1111), ("DEEZER", 1199)];

/// Monthly direct debits: (biller, day of month, min cents, max cents).
pub const DEBITS: &[(&str, u32, i64, i64)] = &[
    ("EDF CLIENTS PARTICULIERS", 4, 4500, 12500),
    ("FREE MOBILE", 7, 1599, 1999),
    ("MAIF ASSURANCES", 10, 3800, 6200),
    ("NAVIGO ANNUEL", 12, 8640, 8640),
    ("ORANGE SA", 15, 3999, 4999),
];

pub const EMPLOYERS: &[&str] = &[
    "ACME SAS",
    "DUPONT ET FILS SARL",
    "SOCIETE GENERALE DES EAUX",
    "INFOGERANCE LYONNAISE",
    "ATELIERS DU RHONE",
];

pub const LANDLORDS: &[&str] = &[
    "SCI LES TILLEULS",
    "FONCIA GESTION",
    "NEXITY LAMY",
    "M. MARTIN BERNARD",
];

pub const CITIES: &[&str] = &[
    "PARIS 11",
    "LYON 3",
    "MARSEILLE",
    "LILLE",
    "NANTES",
    "BORDEAUX",
    "TOULOUSE",
];

pub const MONTHS: &[&str] = &[
    "JANVIER",
    "FEVRIER",
    "MARS",
    "AVRIL",
    "MAI",
    "JUIN",
    "JUILLET",
    "AOUT",
    "SEPTEMBRE",
    "OCTOBRE",
    "NOVEMBRE",
    "DECEMBRE",
];

/// Lowercase tokens without digits, as Powens' `stemmed_wording`.
pub fn stem(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
