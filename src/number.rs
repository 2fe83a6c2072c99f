//! How figures are printed in explanations, memos and reports. A leaf module: the store describes
//! its ownership thresholds with it and the evaluator its stakes, so both read the same figure.

use std::fmt::Write as _;

/// A number as a person writes it: no trailing zeros, at most four decimals, so that a stake of
/// 49.996 % is not printed as the 50 % it falls short of.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // A whole figure (a stake of 50, a count) is written as the integer it is, without
        // the float formatting machinery; only negative zero keeps its sign, as `{:.0}` does.
        if n == 0.0 && n.is_sign_negative() {
            String::from("-0")
        } else {
            (n as i64).to_string()
        }
    } else {
        let mut text = String::new();
        let _ = write!(text, "{n:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn whole_figures_are_written_as_integers_and_fractions_to_four_decimals() {
        assert_eq!(format_number(50.0), "50");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.0), "-0");
        assert_eq!(format_number(-25.0), "-25");
        assert_eq!(format_number(999_999_999_999_999.0), "999999999999999");
        assert_eq!(format_number(1e15), "1000000000000000");
        assert_eq!(format_number(49.996), "49.996");
        assert_eq!(format_number(33.333_333), "33.3333");
        assert_eq!(format_number(12.5), "12.5");
    }
}
