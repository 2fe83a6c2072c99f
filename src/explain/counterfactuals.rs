//! What would change a decision, in the words of the reviewer's report: "if Volasys Silver
//! Star's stake in Silver Star Software OOO were below 50 % (it is 100 %)".

use crate::eval::counterfactual::Change;
use crate::eval::format_percent;

/// A change in the facts as a conditional clause.
pub fn counterfactual(change: &Change) -> String {
    match change {
        Change::StakeBelow {
            owner_name,
            owned_name,
            percent,
            below,
            or_equal,
            ..
        } => format!(
            "if {owner_name}'s stake in {owned_name} were {} (it is {} %)",
            if *or_equal {
                format!("{} % or less", format_percent(*below))
            } else {
                format!("below {} %", format_percent(*below))
            },
            format_percent(*percent)
        ),
        Change::DesignationEnded {
            name, entries, by, ..
        } => {
            let entries: Vec<String> = entries
                .iter()
                .map(|e| match &e.reference {
                    Some(r) => format!("{} {r}", e.list),
                    None => e.list.clone(),
                })
                .collect();
            format!(
                "if the listing of {name} ({}) had ended on or before {by}",
                entries.join(", ")
            )
        }
        Change::RelationEnded {
            relation,
            kind,
            from_name,
            to_name,
            role,
            by,
            ..
        } => {
            let role = role
                .as_deref()
                .map(|role| format!(" as {role}"))
                .unwrap_or_default();
            format!(
                "if relation {relation} ({from_name} {} {to_name}{role}) had ended on or before {by}",
                verb(kind)
            )
        }
        Change::LicenceCovers {
            issuer,
            party_name,
            programs,
            ..
        } => {
            let programs = if programs.is_empty() {
                String::new()
            } else {
                format!(" under {}", programs.join(", "))
            };
            format!(
                "if a licence of {issuer} in force on the day and relied on by the transaction covered {party_name}{programs}"
            )
        }
    }
}

/// A relation's kind as the verb between its two entities.
fn verb(kind: &str) -> &str {
    match kind {
        "director_of" => "is a director of",
        "sister_of" => "is a sister company of",
        "created_by" => "was created by",
        "signatory_of" => "signs for",
        other => other,
    }
}
