//! The bank's categorizer: the category a transaction gets from its type and wordings, as
//! Powens' categorization would give it. Pure and keyed on the wording alone, so a ledger's
//! categories are as deterministic as the ledger.

use crate::model::transaction::DEFAULT_CATEGORY;

/// Wording fragments (upper case) and the category they mean, tried in order.
const RULES: &[(&str, i64)] = &[
    ("SALAIRE", 101),
    ("INTERETS ET ASSURANCE", 204),
    ("INTERETS", 102),
    ("REMISE CHEQUE", 103),
    ("PLUS-VALUE", 104),
    ("LOYER", 201),
    ("EDF", 202),
    ("ENGIE", 202),
    ("MAIF", 203),
    ("ASSURANCE", 203),
    ("PRET IMMOBILIER", 204),
    ("IKEA", 205),
    ("LEROY MERLIN", 205),
    ("CARREFOUR", 301),
    ("MONOPRIX", 301),
    ("FRANPRIX", 301),
    ("LECLERC", 301),
    ("PICARD", 301),
    ("RESTAURANT", 302),
    ("BOULANGERIE", 303),
    ("STARBUCKS", 303),
    ("TOTAL", 401),
    ("ESSO", 401),
    ("NAVIGO", 402),
    ("RATP", 402),
    ("SNCF", 403),
    ("UBER", 404),
    ("FREE MOBILE", 501),
    ("ORANGE", 502),
    ("NETFLIX", 503),
    ("SPOTIFY", 503),
    ("DEEZER", 503),
    ("FNAC", 601),
    ("ZARA", 602),
    ("DECATHLON", 603),
    ("AMAZON", 604),
    ("CINEMA", 701),
    ("PHARMACIE", 801),
    ("FRAIS TENUE", 901),
    ("RETRAIT", 902),
    ("CHEQUE", 903),
    ("RELEVE CARTE", 904),
    ("EPARGNE", 1001),
    ("VERSEMENT", 1002),
    ("ACHAT", 1002),
    ("FRAIS DE GESTION", 1003),
];

/// The category of a transaction of `kind` worded `original` (the bank's label) and
/// `simplified`: the first rule either wording matches, else what its type says, else
/// Powens' default.
pub fn categorize(kind: &str, original: &str, simplified: &str) -> i64 {
    let original = original.to_uppercase();
    let simplified = simplified.to_uppercase();
    RULES
        .iter()
        .find(|(word, _)| original.contains(word) || simplified.contains(word))
        .map(|(_, id)| *id)
        .unwrap_or(match kind {
            "loan_repayment" | "loan_payment" => 204,
            "withdrawal" => 902,
            "check" => 903,
            "summary_card" | "card_summary" => 904,
            "market_order" => 1002,
            "market_fee" => 1003,
            "profit" => 104,
            _ => DEFAULT_CATEGORY,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_wordings_get_the_category_they_name() {
        let cases = [
            (
                "transfer",
                "VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE MARS",
                "ACME SAS",
                101,
            ),
            (
                "transfer",
                "VIR SEPA EMIS /A FONCIA GESTION /MOTIF LOYER",
                "FONCIA GESTION",
                201,
            ),
            ("card", "CB CARREFOUR MARKET 03/02", "CARREFOUR MARKET", 301),
            ("card", "CB TOTAL ENERGIES 03/02", "TOTAL ENERGIES", 401),
            ("card", "CB NETFLIX.COM 20/02", "NETFLIX.COM", 503),
            ("order", "PRLV SEPA FREE MOBILE", "FREE MOBILE", 501),
            (
                "order",
                "PRLV SEPA EDF CLIENTS PARTICULIERS",
                "EDF CLIENTS PARTICULIERS",
                202,
            ),
            (
                "loan_repayment",
                "ECHEANCE PRET IMMOBILIER",
                "ECHEANCE PRET IMMOBILIER",
                204,
            ),
            ("withdrawal", "RETRAIT DAB 03/02 LYON 3", "RETRAIT DAB", 902),
            (
                "transfer",
                "VIR PERMANENT EPARGNE",
                "VIR PERMANENT EPARGNE",
                1001,
            ),
        ];
        for (kind, original, simplified, want) in cases {
            assert_eq!(categorize(kind, original, simplified), want, "{original}");
        }
    }

    #[test]
    fn an_unknown_wording_falls_back_on_its_type_then_the_default() {
        assert_eq!(categorize("check", "CHQ 1234567", "CHQ"), 903);
        assert_eq!(
            categorize("card", "CB BOUTIQUE XYZ", "BOUTIQUE XYZ"),
            DEFAULT_CATEGORY
        );
    }
}
