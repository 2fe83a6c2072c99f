//! Why an entity is blocked, in words: the basis and the test a jurisdiction applied.

use crate::eval::{BlockedBasis, OwnershipTest};
use crate::number::format_number;

/// The end of "X is blocked under US rules…": by designation, ownership or control, and the
/// test that applied.
pub(super) fn blocked(jurisdiction: &str, basis: &BlockedBasis) -> String {
    let rule = blocking_rule(jurisdiction, basis);
    match basis {
        BlockedBasis::Designation { .. } => format!(": it is designated {rule}"),
        BlockedBasis::Ownership { total_percent, .. } => format!(
            " by ownership: its blocked owners hold {} % in all ({rule})",
            format_number(*total_percent)
        ),
        BlockedBasis::Control { .. } => format!(" by control: {rule}"),
    }
}

/// The rule applied, in words: "on a list US reads (OFAC-SDN)", the ownership test with the
/// guidance it follows, or the control test.
pub fn blocking_rule(jurisdiction: &str, basis: &BlockedBasis) -> String {
    match basis {
        BlockedBasis::Designation { lists } => {
            format!("on a list {jurisdiction} reads ({})", lists.join(", "))
        }
        BlockedBasis::Ownership { test, .. } => ownership_test(test),
        BlockedBasis::Control { criterion } => {
            let criterion = criterion
                .map(|b| format!(" resting on {}", b.describe()))
                .unwrap_or_default();
            format!("control by a blocked person{criterion} freezes under {jurisdiction} rules")
        }
    }
}

/// The ownership rule in words, followed by the guidance it follows.
fn ownership_test(test: &OwnershipTest) -> String {
    let amount = format_number(test.threshold);
    let rule = if test.joint {
        let comparison = if test.inclusive {
            format!("{amount} % or more")
        } else {
            format!("more than {amount} %")
        };
        format!(
            "{comparison} held by designated persons acting under a joint arrangement, their holdings added up"
        )
    } else {
        let comparison = if test.inclusive {
            "or more"
        } else {
            "more than"
        };
        match (test.inclusive, test.aggregate) {
            (true, true) => {
                format!("{amount} % {comparison}, the stakes of all blocked owners added up")
            }
            (false, true) => {
                format!("{comparison} {amount} %, the stakes of all blocked owners added up")
            }
            (true, false) => format!(
                "{amount} % {comparison} held by one designated person, directly or through entities it holds a majority of"
            ),
            (false, false) => format!(
                "{comparison} {amount} % held by one designated person, directly or through entities it holds a majority of"
            ),
        }
    };
    if test.citations.is_empty() {
        rule
    } else {
        format!("{rule}; {}", test.citations.join("; "))
    }
}
