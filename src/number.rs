//! How figures are printed in explanations, memos and reports. A leaf module: the store describes
//! its ownership thresholds with it and the evaluator its stakes, so both read the same figure.

use std::fmt::Write as _;

/// A number as a person writes it: no trailing zeros, at most four decimals, so that a stake of
/// 49.996 % is not printed as the 50 % it falls short of.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let mut text = String::new();
        let _ = write!(text, "{n:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
