//! The names of jurisdictions, for clause text: `governing_law = "US-DE"` reads "the State of
//! Delaware" where a clause says `{{ governing_law | jurisdiction }}`.
//!
//! Codes are ISO 3166-1 alpha-2 (a country) or ISO 3166-2 (a subdivision: `US-DE`, `GB-SCT`).
//! `GB` is England and Wales, as contracts choose English law; Scotland and Northern Ireland
//! have their own codes. A code not listed is written as given.

/// The countries, by ISO 3166-1 code: mostly those whose law commercial contracts choose.
const COUNTRIES: &[(&str, &str)] = &[
    ("AE", "the United Arab Emirates"),
    ("AR", "Argentina"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CL", "Chile"),
    ("CN", "the People's Republic of China"),
    ("CO", "Colombia"),
    ("CY", "Cyprus"),
    ("CZ", "the Czech Republic"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "England and Wales"),
    ("GR", "Greece"),
    ("HK", "Hong Kong"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("KR", "the Republic of Korea"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("MT", "Malta"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("NL", "the Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("PH", "the Philippines"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SA", "Saudi Arabia"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("TR", "Türkiye"),
    ("TW", "Taiwan"),
    ("UA", "Ukraine"),
    ("US", "the United States of America"),
    ("ZA", "South Africa"),
];

/// Subdivisions, by ISO 3166-2 code: the parts of the United Kingdom, the states of the
/// United States, and the Canadian and Australian ones contracts name.
const SUBDIVISIONS: &[(&str, &str)] = &[
    ("GB-ENG", "England and Wales"),
    ("GB-WLS", "England and Wales"),
    ("GB-SCT", "Scotland"),
    ("GB-NIR", "Northern Ireland"),
    ("US-DC", "the District of Columbia"),
    ("CA-ON", "the Province of Ontario"),
    ("CA-BC", "the Province of British Columbia"),
    ("CA-QC", "the Province of Quebec"),
    ("CA-AB", "the Province of Alberta"),
    ("AU-NSW", "New South Wales"),
    ("AU-VIC", "Victoria"),
    ("AU-QLD", "Queensland"),
    ("AU-WA", "Western Australia"),
];

/// The states of the United States, by postal code.
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// The name of the jurisdiction `code` stands for, as a clause names it ("the laws of …"):
/// `NO` → `Norway`, `US-DE` → `the State of Delaware`, `GB` → `England and Wales`. A code
/// not listed (or a name already written out) is returned as given.
#[must_use]
pub fn name(code: &str) -> String {
    let key = code.trim().to_ascii_uppercase();
    let find = |table: &[(&str, &'static str)], key: &str| table.iter().find(|(c, _)| *c == key).map(|(_, n)| *n);
    if let Some(state) = key.strip_prefix("US-").and_then(|state| find(US_STATES, state)) {
        return format!("the State of {state}");
    }
    find(SUBDIVISIONS, &key).or_else(|| find(COUNTRIES, &key)).map_or_else(|| code.trim().to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::name;

    #[test]
    fn codes_read_as_names() {
        assert_eq!(name("NO"), "Norway");
        assert_eq!(name("us-de"), "the State of Delaware");
        assert_eq!(name("US-NY"), "the State of New York");
        assert_eq!(name("US-DC"), "the District of Columbia");
        assert_eq!(name("GB"), "England and Wales");
        assert_eq!(name("GB-SCT"), "Scotland");
        assert_eq!(name("NL"), "the Netherlands");
        assert_eq!(name("Norway"), "Norway", "a name is kept");
        assert_eq!(name("XK"), "XK", "an unlisted code is kept");
    }
}
