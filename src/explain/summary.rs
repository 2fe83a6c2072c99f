//! The memo's opening sentence: the transaction in brief, written from a decision's [`Summary`].

use std::fmt::Write as _;

use crate::eval::Summary;

/// "A payment of 12,000 USD dated 2024-03-01 between Acme Analytics Inc. (originator) and
/// Volasys Silver Star (beneficiary)": what a reader needs before the reasons (the memo ends it
/// with a full stop).
pub fn summary(summary: &Summary) -> String {
    let mut out = String::with_capacity(160);
    write_summary(&mut out, summary);
    out
}

/// Appends the sentence of [`summary`] to `out`, from its pieces without the formatting
/// machinery: every memo and report row opens with one.
pub(super) fn write_summary(out: &mut String, summary: &Summary) {
    let kind = summary.kind();
    out.push_str(if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "An "
    } else {
        "A "
    });
    out.push_str(kind);
    if let (Some(value), Some(currency)) = (summary.amount(), summary.currency()) {
        out.push_str(" of ");
        push_grouped(out, value);
        out.push(' ');
        out.push_str(currency);
    }
    out.push_str(" dated ");
    summary.date().push_to(out);
    let parties = summary.parties();
    let count = parties.len();
    for (index, party) in parties.enumerate() {
        out.push_str(match (index == 0, index + 1 == count) {
            (true, true) => " involving ",
            (true, false) => " between ",
            (false, true) => " and ",
            (false, false) => ", ",
        });
        out.push_str(party.name);
        out.push_str(" (");
        out.push_str(party.role);
        out.push(')');
    }
}

/// Appends a sum with thousands separated by commas and at most two decimals: 12,000 or 950.50.
fn push_grouped(out: &mut String, value: f64) {
    let cents = (value.abs() * 100.0).round();
    let whole = (cents / 100.0).trunc();
    let fraction = cents - whole * 100.0;
    if value < 0.0 {
        out.push('-');
    }
    // Below 10^15 the whole part is an exact integer, written as one without float formatting.
    if whole < 1e15 {
        push_thousands(out, whole as u64);
    } else {
        let digits = format!("{whole:.0}");
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
    }
    if fraction > 0.0 {
        // Cents are whole, so the fraction is too: two digits, as `{:02.0}` writes them.
        if fraction < 100.0 && fraction.fract() == 0.0 {
            let cents = fraction as u8;
            out.push('.');
            out.push(char::from(b'0' + cents / 10));
            out.push(char::from(b'0' + cents % 10));
        } else {
            let _ = write!(out, ".{fraction:02.0}");
        }
    }
}

/// Appends `n` in decimal with a comma between each group of three digits.
fn push_thousands(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(place) = digits.get_mut(start) {
            *place = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    let digits = digits.get(start..).unwrap_or_default();
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(char::from(digit));
    }
}
#[cfg(test)]
mod tests {
    use super::push_grouped;

    fn grouped(value: f64) -> String {
        let mut out = String::new();
        push_grouped(&mut out, value);
        out
    }

    #[test]
    fn sums_are_grouped_by_thousands_with_at_most_two_decimals() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(12_000.0), "12,000");
        assert_eq!(grouped(950.5), "950.50");
        assert_eq!(grouped(0.05), "0.05");
        assert_eq!(grouped(1_234_567.891), "1,234,567.89");
        assert_eq!(grouped(999.996), "1,000");
        assert_eq!(grouped(-5.0), "-5");
        assert_eq!(grouped(-1_500.25), "-1,500.25");
        assert_eq!(grouped(999_999_999_999_999.0), "999,999,999,999,999");
        assert_eq!(grouped(1e15), "1,000,000,000,000,000");
    }
}
