//! Legal provisions linked to their primary texts: the eCFR for US regulations, EUR-Lex for EU
//! regulations, legislation.gov.uk for UK acts and regulations, OFAC's site for its FAQs. Only
//! provisions whose address follows from their citation are linked; anything else stays text, so
//! a link never points at a guess.

use super::escape;

/// The hosts a report may link to: primary legal texts, nothing else.
pub const PRIMARY_HOSTS: &[&str] = &[
    "https://www.ecfr.gov/",
    "https://eur-lex.europa.eu/",
    "https://www.legislation.gov.uk/",
    "https://ofac.treasury.gov/",
];

/// UK statutory instruments cited by title, with their numbers.
const UK_INSTRUMENTS: &[(&str, &str)] = &[
    (
        "Sanctions and Anti-Money Laundering Act 2018",
        "https://www.legislation.gov.uk/ukpga/2018/13",
    ),
    (
        "Russia (Sanctions) (EU Exit) Regulations 2019",
        "https://www.legislation.gov.uk/uksi/2019/855",
    ),
    (
        "Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019",
        "https://www.legislation.gov.uk/uksi/2019/411",
    ),
];

/// `citation` as HTML: escaped text, with each provision recognised as a link.
pub fn linked(citation: &str) -> String {
    let mut found = provisions(citation);
    found.sort_by_key(|(start, ..)| *start);
    let mut out = String::with_capacity(citation.len() + 80 * found.len());
    let mut at = 0;
    for (start, end, url) in found {
        if start < at {
            continue;
        }
        out.push_str(&escape(&citation[at..start]));
        out.push_str(&format!(
            r#"<a class="law" href="{}">{}</a>"#,
            escape(&url),
            escape(&citation[start..end])
        ));
        at = end;
    }
    out.push_str(&escape(&citation[at..]));
    out
}

/// The address of the primary text of the first provision in `citation`, if one is recognised.
pub fn url(citation: &str) -> Option<String> {
    let mut found = provisions(citation);
    found.sort_by_key(|(start, ..)| *start);
    found.into_iter().next().map(|(_, _, url)| url)
}

/// Every recognised provision: byte range and address.
fn provisions(text: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    cfr(text, &mut found);
    eu_regulations(text, &mut found);
    if text.contains("OFAC") {
        faqs(text, &mut found);
    }
    for (title, url) in UK_INSTRUMENTS {
        for (start, _) in text.match_indices(title) {
            found.push((start, start + title.len(), (*url).to_owned()));
        }
    }
    found
}

/// The run of ASCII digits (and, with `dots`, dots between them) at the start of `text`.
fn digits(text: &str, dots: bool) -> usize {
    let bytes = text.as_bytes();
    let mut end = 0;
    while end < bytes.len()
        && (bytes[end].is_ascii_digit()
            || (dots
                && bytes[end] == b'.'
                && end > 0
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
    {
        end += 1;
    }
    end
}

/// `31 CFR 510.201` → the section; `31 CFR Part 510` → the part.
fn cfr(text: &str, found: &mut Vec<(usize, usize, String)>) {
    for (at, _) in text.match_indices(" CFR ") {
        let before = &text[..at];
        let title_len = before.bytes().rev().take_while(u8::is_ascii_digit).count();
        if title_len == 0 {
            continue;
        }
        let start = at - title_len;
        let title = &text[start..at];
        let rest = &text[at + 5..];
        if let Some(part) = rest.strip_prefix("Part ") {
            let n = digits(part, false);
            if n > 0 {
                let end = at + 5 + 5 + n;
                found.push((
                    start,
                    end,
                    format!(
                        "https://www.ecfr.gov/current/title-{title}/part-{}",
                        &part[..n]
                    ),
                ));
            }
        } else {
            let n = digits(rest, true);
            if n > 0 && rest[..n].contains('.') {
                found.push((
                    start,
                    at + 5 + n,
                    format!(
                        "https://www.ecfr.gov/current/title-{title}/section-{}",
                        &rest[..n]
                    ),
                ));
            }
        }
    }
}

/// `Regulation (EU) 2017/1509`, `Regulation (EU) No 269/2014` → EUR-Lex by ELI.
fn eu_regulations(text: &str, found: &mut Vec<(usize, usize, String)>) {
    const HEAD: &str = "Regulation (EU) ";
    for (start, _) in text.match_indices(HEAD) {
        let mut at = start + HEAD.len();
        if text[at..].starts_with("No ") {
            at += 3;
        }
        let first = digits(&text[at..], false);
        if first == 0 || !text[at + first..].starts_with('/') {
            continue;
        }
        let second = digits(&text[at + first + 1..], false);
        if second == 0 {
            continue;
        }
        let a = &text[at..at + first];
        let b = &text[at + first + 1..at + first + 1 + second];
        // Since 2015 EU acts are numbered year first (2017/1509); before, number first (269/2014).
        let (year, number) = if a.len() == 4 && a >= "2015" {
            (a, b)
        } else {
            (b, a)
        };
        found.push((
            start,
            at + first + 1 + second,
            format!("https://eur-lex.europa.eu/eli/reg/{year}/{number}/oj"),
        ));
    }
}

/// `FAQ 401` in an OFAC citation → the FAQ's page.
fn faqs(text: &str, found: &mut Vec<(usize, usize, String)>) {
    for (start, _) in text.match_indices("FAQ ") {
        let n = digits(&text[start + 4..], false);
        if n > 0 {
            let number = &text[start + 4..start + 4 + n];
            found.push((
                start,
                start + 4 + n,
                format!("https://ofac.treasury.gov/faqs/{number}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfr_sections_and_parts_go_to_the_ecfr() {
        assert_eq!(
            url("31 CFR 510.201").as_deref(),
            Some("https://www.ecfr.gov/current/title-31/section-510.201")
        );
        assert_eq!(
            url("31 CFR Part 510 (North Korea Sanctions Regulations)").as_deref(),
            Some("https://www.ecfr.gov/current/title-31/part-510")
        );
        assert_eq!(
            linked("31 CFR 501.603 (reports)"),
            r#"<a class="law" href="https://www.ecfr.gov/current/title-31/section-501.603">31 CFR 501.603</a> (reports)"#
        );
    }

    #[test]
    fn eu_regulations_go_to_eur_lex_whatever_the_numbering() {
        assert_eq!(
            url("Council Regulation (EU) 2017/1509, Art. 34").as_deref(),
            Some("https://eur-lex.europa.eu/eli/reg/2017/1509/oj")
        );
        assert_eq!(
            url("Council Regulation (EU) No 269/2014, Art. 2").as_deref(),
            Some("https://eur-lex.europa.eu/eli/reg/2014/269/oj")
        );
    }

    #[test]
    fn uk_instruments_and_ofac_faqs_are_linked() {
        assert_eq!(
            url("Sanctions and Anti-Money Laundering Act 2018 s. 13").as_deref(),
            Some("https://www.legislation.gov.uk/ukpga/2018/13")
        );
        assert_eq!(
            url("OFAC FAQ 398 (control)").as_deref(),
            Some("https://ofac.treasury.gov/faqs/398")
        );
    }

    #[test]
    fn unknown_citations_stay_text_and_are_escaped() {
        assert_eq!(url("EU Best Practices (July 2024)"), None);
        assert_eq!(linked("E.O. 13722 <b>"), "E.O. 13722 &lt;b&gt;");
        assert_eq!(url("FAQ 5 of some other body"), None);
    }
}
