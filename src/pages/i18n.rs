//! The words of the webview and of the bank's consent page, one catalogue per language.
//!
//! Powens' webview speaks French unless told otherwise: `/webview/fr/...` and
//! `/webview/en/...` choose, the bare path follows the browser's `Accept-Language` (French
//! when it says nothing), and the other language codes of Powens' list get English.
//! Every text is a field of [`Texts`], so a language that forgets one does not compile;
//! `{name}` placeholders are filled by [`fill`] (plain text) or [`rich`] (markup values).

use maud::{html, Markup};

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The language of a code (`fr`, `fr-CA`...); every other code is English.
    pub fn of_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// The language for an `Accept-Language` header: French or English in the browser's
    /// order of preference (`q` weights), French when the header is absent, empty or `*`,
    /// English when it names only other languages.
    pub fn negotiate(accept: Option<&str>) -> Lang {
        let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
            return Lang::Fr;
        };
        let mut ranges: Vec<(&str, u16)> = accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .next()
                    .map_or(Some(1000), |q| {
                        q.trim().parse::<f32>().ok().map(|q| (q * 1000.0) as u16)
                    })?;
                (!tag.is_empty() && q > 0).then_some((tag, q))
            })
            .collect();
        // A stable sort keeps the header's order among equal weights.
        ranges.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (tag, _) in ranges {
            let primary = tag.split('-').next().unwrap_or("");
            if tag == "*" || primary.eq_ignore_ascii_case("fr") {
                return Lang::Fr;
            }
            if primary.eq_ignore_ascii_case("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// The code of the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// The texts of a page in the language of this code.
pub fn texts(code: &str) -> &'static Texts {
    Lang::of_code(code).texts()
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `template` as markup, its text escaped and each `{name}` replaced by its markup.
pub fn rich(template: &str, args: &[(&str, Markup)]) -> Markup {
    let mut rest = template;
    let mut parts: Vec<Markup> = Vec::new();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let before = &rest[..start];
                parts.push(html! { (before) });
                parts.push(value.clone());
            }
            None => {
                let kept = &rest[..start + len + 1];
                parts.push(html! { (kept) });
            }
        }
        rest = &rest[start + len + 1..];
    }
    html! { @for p in parts { (p) } (rest) }
}

macro_rules! catalogue {
    ($($key:ident),* $(,)?) => {
        /// Every text the pages show, in one language.
        pub struct Texts {
            $(pub $key: &'static str,)*
        }

        impl Texts {
            /// Every key with its text, for the tests comparing the languages.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key)),*]
            }
        }
    };
}

catalogue!(
    footer,
    error_title,
    error_heading,
    error_missing,
    error_invalid,
    error_not_found,
    error_other,
    error_details,
    error_request_id,
    done_title,
    done_heading,
    done_text,
    optional,
    state_ok,
    state_sca,
    state_webauth,
    state_otp,
    state_decoupled,
    state_wrongpass,
    state_password_expired,
    state_action_needed,
    state_unavailable,
    state_not_supported,
    state_other,
    pick_title,
    pick_connected,
    search_label,
    search_placeholder,
    search_button,
    no_match,
    terms,
    decline,
    cancel,
    finish,
    connect_title,
    connect_heading,
    webauth_intro,
    continue_at,
    or_credentials,
    connect_button,
    back,
    refused_by_bank,
    field_missing,
    field_invalid,
    denied_title,
    denied_text,
    retry,
    accounts_title,
    accounts_heading,
    no_account_found,
    share,
    connected_title,
    connected_heading,
    connected_text,
    another,
    manage_title,
    deleted_notice,
    connection_n,
    last_synced,
    fix,
    shared,
    not_shared,
    stop_sharing,
    no_account,
    delete,
    no_connection,
    close,
    your_bank,
    connection_title,
    sca_heading,
    sca_text,
    authenticate,
    otp_heading,
    validate,
    otp_hint,
    otp_refused,
    decoupled_heading,
    decoupled_text,
    validated,
    not_validated,
    webauth_heading,
    nothing_to_do,
    back_to_app,
    credentials_title,
    credentials_heading,
    save,
    give_credentials,
    rejected,
    consent_title,
    consent_renew,
    consent_sign_in,
    consent_asks,
    consent_reads,
    consent_accounts,
    consent_balances,
    consent_history,
    consent_lasts,
    customer_number,
    password,
    approve,
    refuse,
    consent_sandbox,
    renewed_title,
    renewed_text,
    not_renewed_title,
);

pub const EN: Texts = Texts {
    footer: "powens-sandbox: a simulation. No real bank is contacted.",
    error_title: "Error",
    error_heading: "This request cannot be served",
    error_missing: "A required parameter is missing.",
    error_invalid: "A parameter has an invalid value.",
    error_not_found: "What was asked for does not exist.",
    error_other: "Something went wrong.",
    error_details: "Details:",
    error_request_id: "Request id:",
    done_title: "Done",
    done_heading: "All done",
    done_text: "You can close this window.",
    optional: "(optional)",
    state_ok: "Up to date",
    state_sca: "Strong authentication required",
    state_webauth: "Authentication at the bank required",
    state_otp: "A code is required",
    state_decoupled: "Waiting for validation in the bank's app",
    state_wrongpass: "Credentials refused",
    state_password_expired: "Password expired",
    state_action_needed: "Action needed on the bank's website",
    state_unavailable: "The bank is unavailable",
    state_not_supported: "Not supported",
    state_other: "Needs attention",
    pick_title: "Choose your bank",
    pick_connected: "{n} bank(s) connected in this session.",
    search_label: "Search",
    search_placeholder: "Bank name",
    search_button: "Search",
    no_match: "No bank matches.",
    terms: "By continuing you accept the terms of service of the Powens sandbox.",
    decline: "Decline the terms",
    cancel: "Cancel",
    finish: "Finish",
    connect_title: "Connect",
    connect_heading: "Connect {bank}",
    webauth_intro: "Sign in on {bank}'s own pages.",
    continue_at: "Continue at {bank}",
    or_credentials: "Or give your credentials here:",
    connect_button: "Connect",
    back: "Back",
    refused_by_bank: "The credentials were refused by the bank.",
    field_missing: "Fill in the field “{field}”.",
    field_invalid: "The field “{field}” has an invalid value.",
    denied_title: "Access refused",
    denied_text: "The bank did not authorise the access.",
    retry: "Try again",
    accounts_title: "Accounts",
    accounts_heading: "Choose the accounts to share",
    no_account_found: "No account was found at the bank.",
    share: "Share",
    connected_title: "Connected",
    connected_heading: "Bank connected",
    connected_text: "You can connect another bank, or finish.",
    another: "Add another bank",
    manage_title: "Your connections",
    deleted_notice: "The connection was deleted.",
    connection_n: "Connection {id}",
    last_synced: "last synced {date}",
    fix: "Fix this connection",
    shared: "shared",
    not_shared: "not shared",
    stop_sharing: "Stop sharing",
    no_account: "No account.",
    delete: "Delete this connection",
    no_connection: "No connection.",
    close: "Close",
    your_bank: "your bank",
    connection_title: "Connection",
    sca_heading: "Strong authentication",
    sca_text: "{bank} asks you to confirm it is you.",
    authenticate: "Authenticate",
    otp_heading: "Code required",
    validate: "Validate",
    otp_hint: "The sandbox bank accepts the code {code}.",
    otp_refused: "This code was refused. Check it and try again.",
    decoupled_heading: "Validate in your bank's app",
    decoupled_text: "Open {bank}'s app on your phone and confirm, then continue here.",
    validated: "I have validated",
    not_validated:
        "The bank has not received your validation yet. Confirm in the app, then try again.",
    webauth_heading: "Authenticate at your bank",
    nothing_to_do: "There is nothing to do here for now.",
    back_to_app: "Back to the application",
    credentials_title: "Credentials",
    credentials_heading: "Update your credentials",
    save: "Save",
    give_credentials: "Give your credentials.",
    rejected: "The bank refused this answer.",
    consent_title: "Authorisation",
    consent_renew: "Renew your consent",
    consent_sign_in: "Sign in to authorise access",
    consent_asks: "{app} asks {bank} for access to your accounts through the Powens service.",
    consent_reads: "If you approve, it will be able to read:",
    consent_accounts: "the list of your accounts, their names, numbers and IBANs;",
    consent_balances: "their balances;",
    consent_history: "their transactions, up to {days} days back.",
    consent_lasts: "This consent lasts 180 days, until {date}. You can withdraw it at any time.",
    customer_number: "Customer number",
    password: "Password",
    approve: "Approve",
    refuse: "Refuse",
    consent_sandbox: "Sandbox bank: any login and password are accepted; the login {login} \
        makes the bank fail. Headless runs add {approve}, {refuse} or {server_error} to this \
        page's URL.",
    renewed_title: "Access renewed",
    renewed_text:
        "Your bank access is renewed. You can close this page and go back to the application.",
    not_renewed_title: "Access not renewed",
};

pub const FR: Texts = Texts {
    footer: "powens-sandbox : une simulation. Aucune vraie banque n'est contactée.",
    error_title: "Erreur",
    error_heading: "Cette demande ne peut pas aboutir",
    error_missing: "Un paramètre obligatoire manque.",
    error_invalid: "Un paramètre a une valeur invalide.",
    error_not_found: "Ce qui est demandé n'existe pas.",
    error_other: "Une erreur s'est produite.",
    error_details: "Détails :",
    error_request_id: "Identifiant de la requête :",
    done_title: "Terminé",
    done_heading: "C'est terminé",
    done_text: "Vous pouvez fermer cette fenêtre.",
    optional: "(facultatif)",
    state_ok: "À jour",
    state_sca: "Authentification forte requise",
    state_webauth: "Authentification auprès de la banque requise",
    state_otp: "Un code est requis",
    state_decoupled: "En attente de validation dans l'application de la banque",
    state_wrongpass: "Identifiants refusés",
    state_password_expired: "Mot de passe expiré",
    state_action_needed: "Action requise sur le site de la banque",
    state_unavailable: "La banque est indisponible",
    state_not_supported: "Non pris en charge",
    state_other: "Requiert votre attention",
    pick_title: "Choisissez votre banque",
    pick_connected: "{n} banque(s) connectée(s) pendant cette session.",
    search_label: "Rechercher",
    search_placeholder: "Nom de la banque",
    search_button: "Rechercher",
    no_match: "Aucune banque ne correspond.",
    terms: "En continuant, vous acceptez les conditions d'utilisation du bac à sable Powens.",
    decline: "Refuser les conditions",
    cancel: "Annuler",
    finish: "Terminer",
    connect_title: "Connexion",
    connect_heading: "Connecter {bank}",
    webauth_intro: "Identifiez-vous sur les pages de {bank}.",
    continue_at: "Continuer chez {bank}",
    or_credentials: "Ou saisissez vos identifiants ici :",
    connect_button: "Se connecter",
    back: "Retour",
    refused_by_bank: "La banque a refusé ces identifiants.",
    field_missing: "Remplissez le champ « {field} ».",
    field_invalid: "Le champ « {field} » a une valeur invalide.",
    denied_title: "Accès refusé",
    denied_text: "La banque n'a pas autorisé l'accès.",
    retry: "Réessayer",
    accounts_title: "Comptes",
    accounts_heading: "Choisissez les comptes à partager",
    no_account_found: "Aucun compte n'a été trouvé à la banque.",
    share: "Partager",
    connected_title: "Banque connectée",
    connected_heading: "Banque connectée",
    connected_text: "Vous pouvez connecter une autre banque, ou terminer.",
    another: "Ajouter une autre banque",
    manage_title: "Vos connexions",
    deleted_notice: "La connexion a été supprimée.",
    connection_n: "Connexion {id}",
    last_synced: "dernière synchronisation le {date}",
    fix: "Réparer cette connexion",
    shared: "partagé",
    not_shared: "non partagé",
    stop_sharing: "Ne plus partager",
    no_account: "Aucun compte.",
    delete: "Supprimer cette connexion",
    no_connection: "Aucune connexion.",
    close: "Fermer",
    your_bank: "votre banque",
    connection_title: "Connexion bancaire",
    sca_heading: "Authentification forte",
    sca_text: "{bank} vous demande de confirmer votre identité.",
    authenticate: "M'authentifier",
    otp_heading: "Code requis",
    validate: "Valider",
    otp_hint: "La banque du bac à sable accepte le code {code}.",
    otp_refused: "Ce code a été refusé. Vérifiez-le et réessayez.",
    decoupled_heading: "Validez dans l'application de votre banque",
    decoupled_text:
        "Ouvrez l'application de {bank} sur votre téléphone et confirmez, puis revenez ici.",
    validated: "J'ai validé",
    not_validated:
        "La banque n'a pas encore reçu votre validation. Confirmez dans l'application, puis réessayez.",
    webauth_heading: "Authentifiez-vous auprès de votre banque",
    nothing_to_do: "Il n'y a rien à faire ici pour le moment.",
    back_to_app: "Retour à l'application",
    credentials_title: "Identifiants",
    credentials_heading: "Mettez à jour vos identifiants",
    save: "Enregistrer",
    give_credentials: "Saisissez vos identifiants.",
    rejected: "La banque a refusé cette réponse.",
    consent_title: "Autorisation",
    consent_renew: "Renouvelez votre consentement",
    consent_sign_in: "Identifiez-vous pour autoriser l'accès",
    consent_asks: "{app} demande à {bank} l'accès à vos comptes par le service Powens.",
    consent_reads: "Si vous acceptez, elle pourra lire :",
    consent_accounts: "la liste de vos comptes, leurs noms, numéros et IBAN ;",
    consent_balances: "leurs soldes ;",
    consent_history: "leurs opérations, jusqu'à {days} jours en arrière.",
    consent_lasts: "Ce consentement dure 180 jours, jusqu'au {date}. Vous pouvez le retirer à \
        tout moment.",
    customer_number: "Numéro client",
    password: "Mot de passe",
    approve: "Accepter",
    refuse: "Refuser",
    consent_sandbox: "Banque du bac à sable : tout identifiant et tout mot de passe sont \
        acceptés ; l'identifiant {login} fait échouer la banque. Les exécutions sans \
        navigateur ajoutent {approve}, {refuse} ou {server_error} à l'adresse de cette page.",
    renewed_title: "Accès renouvelé",
    renewed_text: "L'accès à votre banque est renouvelé. Vous pouvez fermer cette page et revenir à l'application.",
    not_renewed_title: "Accès non renouvelé",
};

#[cfg(test)]
mod tests {
    use crate::pages::i18n::{fill, rich, Lang, EN, FR};
    use maud::html;

    fn placeholders(t: &str) -> Vec<&str> {
        let mut out: Vec<&str> = t
            .split('{')
            .skip(1)
            .filter_map(|r| r.split_once('}').map(|(name, _)| name))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn both_languages_define_every_key_with_the_same_placeholders() {
        let (en, fr) = (EN.entries(), FR.entries());
        assert_eq!(en.len(), fr.len());
        for ((key, e), (key_fr, f)) in en.iter().zip(&fr) {
            assert_eq!(key, key_fr);
            assert!(!e.trim().is_empty(), "{key} is empty in English");
            assert!(!f.trim().is_empty(), "{key} is empty in French");
            assert_eq!(placeholders(e), placeholders(f), "placeholders of {key}");
        }
    }

    #[test]
    fn the_french_catalogue_is_translated() {
        let same: Vec<&str> = EN
            .entries()
            .iter()
            .zip(FR.entries())
            .filter(|((_, e), (_, f))| e == f)
            .map(|((k, _), _)| *k)
            .collect();
        assert!(same.is_empty(), "not translated: {same:?}");
    }

    #[test]
    fn codes_other_than_french_are_english() {
        assert_eq!(Lang::of_code("fr"), Lang::Fr);
        assert_eq!(Lang::of_code("fr-CA"), Lang::Fr);
        assert_eq!(Lang::of_code("FR"), Lang::Fr);
        for code in ["en", "de", "nl", "pt", "it", "es", ""] {
            assert_eq!(Lang::of_code(code), Lang::En, "{code}");
        }
    }

    #[test]
    fn the_browser_language_is_french_unless_it_prefers_english_or_names_neither() {
        let cases = [
            (None, Lang::Fr),
            (Some(""), Lang::Fr),
            (Some("*"), Lang::Fr),
            (Some("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr),
            (Some("en-US,en;q=0.9,fr;q=0.8"), Lang::En),
            (Some("en"), Lang::En),
            (Some("de-DE"), Lang::En),
            (Some("de, fr;q=0.5"), Lang::Fr),
            (Some("fr;q=0.2, en;q=0.7"), Lang::En),
            (Some("fr;q=0, en"), Lang::En),
            (Some("es, *;q=0.1"), Lang::Fr),
            (Some("garbage;q=x"), Lang::En),
        ];
        for (header, want) in cases {
            assert_eq!(Lang::negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_values_escaped() {
        assert_eq!(fill("Connect {bank}", &[("bank", "B")]), "Connect B");
        let m = rich(
            "{app} asks <{bank}> {unknown}",
            &[("app", html! { strong { "A&B" } }), ("bank", html! { "K" })],
        );
        assert_eq!(
            m.into_string(),
            "<strong>A&amp;B</strong> asks &lt;K&gt; {unknown}"
        );
    }
}
