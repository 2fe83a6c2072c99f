//! Jurisdiction declarations: the lists each regime reads and how it treats ownership and control.

use std::collections::HashMap;

use crate::ast::{Item, JurisdictionDecl, JurisdictionSetting, PolicyFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::facts::{ControlBasis, Regime};
use crate::source::{SourceMap, Span};

/// Every declared jurisdiction as a regime, and the position of each code.
pub(super) fn collect(
    files: &[PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Regime>, HashMap<String, u16>) {
    let mut regimes = Vec::new();
    let mut positions: HashMap<String, u16> = HashMap::new();
    // Where each regime of `regimes` is declared, for "first declared at".
    let mut versions: Vec<Span> = Vec::new();
    for decl in files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Jurisdiction(decl) => Some(decl),
            _ => None,
        })
    {
        let code = &decl.code;
        let Some(regime) = regime(decl, out) else {
            continue;
        };
        let clash = regimes
            .iter()
            .zip(&versions)
            .find(|(other, _): &(&Regime, &Span)| {
                other.code == regime.code && overlap(other, &regime)
            });
        if let Some((other, first)) = clash {
            out.push(duplicate(code, &regime, other, sources.location(*first)));
            continue;
        }
        // Rules read `embargoed` when they are checked, before any day is known, so every
        // version of a jurisdiction must embargo the same places.
        if let Some((_, first)) =
            regimes
                .iter()
                .zip(&versions)
                .find(|(other, _): &(&Regime, &Span)| {
                    other.code == regime.code && other.embargoes != regime.embargoes
                })
        {
            out.push(
                Diagnostic::error(
                    Code::JurisdictionSetting,
                    code.span,
                    format!(
                        "this version of jurisdiction `{}` embargoes other places than the one declared at {}",
                        code.node,
                        sources.location(*first)
                    ),
                )
                .with_help("give every version of a jurisdiction the same `embargo` setting"),
            );
            continue;
        }
        positions
            .entry(code.node.clone())
            .or_insert_with(|| u16::try_from(regimes.len()).unwrap_or(u16::MAX));
        versions.push(code.span);
        regimes.push(regime);
    }
    (regimes, positions)
}

/// The legal orders Interdict knows by code, whether or not their settings are loaded: a policy
/// may name one of them for its citations and exemptions without using `is blocked`.
pub const KNOWN_JURISDICTIONS: [&str; 4] = ["US", "EU", "UK", "UN"];

/// Reports a policy header naming a jurisdiction that is neither known nor declared by a loaded
/// policy: `jurisdiction EUU` would otherwise found a jurisdiction of its own, and exemptions and
/// regime settings would silently not apply across it.
pub(super) fn check_named(
    files: &[PolicyFile],
    declared: &HashMap<String, u16>,
    out: &mut Vec<Diagnostic>,
) {
    let known = || {
        KNOWN_JURISDICTIONS
            .iter()
            .copied()
            .chain(declared.keys().map(String::as_str))
    };
    for code in files.iter().flat_map(|f| &f.header.jurisdictions) {
        if known().any(|k| k == code.node) {
            continue;
        }
        let mut names: Vec<&str> = known().collect();
        names.sort_unstable();
        names.dedup();
        out.push(
            Diagnostic::error(
                Code::UnknownJurisdiction,
                code.span,
                format!("`{}` is not a jurisdiction Interdict knows", code.node),
            )
            .with_label("unknown jurisdiction")
            .with_suggestion(&code.node, names.iter().copied())
            .with_help_if_none(format!(
                "the known jurisdictions are {}; declare a new one with `jurisdiction {} {{ ... }}`",
                names.join(", "),
                code.node
            )),
        );
    }
}

/// Whether two versions of one jurisdiction's settings are in force on a common day.
fn overlap(a: &Regime, b: &Regime) -> bool {
    let starts_before_end = |x: &Regime, y: &Regime| match (x.valid_from, y.valid_until) {
        (Some(from), Some(until)) => from < until,
        _ => true,
    };
    starts_before_end(a, b) && starts_before_end(b, a)
}

/// A second declaration of a jurisdiction: a plain duplicate, or a version whose period overlaps
/// another's.
fn duplicate(code: &crate::ast::Ident, new: &Regime, old: &Regime, first: String) -> Diagnostic {
    let dated = new.valid_from.is_some()
        || new.valid_until.is_some()
        || old.valid_from.is_some()
        || old.valid_until.is_some();
    if dated {
        Diagnostic::error(
            Code::DuplicateJurisdiction,
            code.span,
            format!(
                "this version of jurisdiction `{}` ({}) overlaps the one declared at {first} ({})",
                code.node,
                describe_period(new),
                describe_period(old)
            ),
        )
        .with_help(
            "give each version a `valid from D until D` period that ends where the next begins",
        )
    } else {
        Diagnostic::error(
            Code::DuplicateJurisdiction,
            code.span,
            format!("jurisdiction `{}` is declared twice", code.node),
        )
        .with_help(format!(
            "first declared at {first}; keep one declaration, or date each version with `valid from D until D`"
        ))
    }
}

/// A version's period in words.
fn describe_period(regime: &Regime) -> String {
    match (regime.valid_from, regime.valid_until) {
        (Some(from), Some(until)) => format!("from {from} until {until}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until}"),
        (None, None) => String::from("always"),
    }
}

/// A declaration's settings, each required exactly once.
fn regime(decl: &JurisdictionDecl, out: &mut Vec<Diagnostic>) -> Option<Regime> {
    let mut lists = None;
    let mut ownership = None;
    let mut control = None;
    let mut embargoes: Option<Vec<String>> = None;
    let mut period = None;
    let mut citations: Vec<String> = Vec::new();
    let mut extra = ControlExtras::default();
    for setting in &decl.settings {
        let (slot, span, name) = match setting {
            JurisdictionSetting::Lists(items) => (
                lists
                    .replace(items.iter().map(|t| t.node.clone()).collect::<Vec<_>>())
                    .is_some(),
                items.first().map_or(decl.code.span, |t| t.span),
                "lists",
            ),
            JurisdictionSetting::Ownership {
                inclusive,
                threshold,
                aggregate,
                span,
            } => {
                let hundredths = threshold.node * 100.0;
                if !(threshold.node > 0.0 && threshold.node <= 100.0) {
                    out.push(Diagnostic::error(
                        Code::JurisdictionSetting,
                        threshold.span,
                        format!(
                            "an ownership threshold lies between 0 and 100, not {}",
                            threshold.node
                        ),
                    ));
                } else if (hundredths - hundredths.round()).abs() > 1e-9 || hundredths.round() < 1.0
                {
                    out.push(
                        Diagnostic::error(
                            Code::JurisdictionSetting,
                            threshold.span,
                            format!(
                                "the ownership threshold {} has more than two decimals",
                                threshold.node
                            ),
                        )
                        .with_help("give it in hundredths of a percent at most, e.g. 33.33"),
                    );
                }
                (
                    ownership
                        .replace((*inclusive, threshold.node, *aggregate))
                        .is_some(),
                    *span,
                    "ownership",
                )
            }
            JurisdictionSetting::Control(blocks) => (
                control.replace(blocks.node).is_some(),
                blocks.span,
                "control",
            ),
            JurisdictionSetting::Valid { from, until, span } => {
                if let (Some(from), Some(until)) = (from, until)
                    && until.node <= from.node
                {
                    out.push(Diagnostic::error(
                        Code::InvalidPeriod,
                        *span,
                        format!(
                            "the period ends on {} before it starts on {}",
                            until.node, from.node
                        ),
                    ));
                }
                (
                    period
                        .replace((
                            from.as_ref().map(|d| d.node),
                            until.as_ref().map(|d| d.node),
                        ))
                        .is_some(),
                    *span,
                    "valid",
                )
            }
            JurisdictionSetting::Cite(texts) => {
                citations.extend(texts.iter().map(|t| t.node.clone()));
                (false, decl.code.span, "cite")
            }
            JurisdictionSetting::Embargo(codes) => {
                check_embargo_codes(codes, out);
                (
                    embargoes
                        .replace(codes.iter().map(|t| t.node.clone()).collect())
                        .is_some(),
                    codes.first().map_or(decl.code.span, |t| t.span),
                    "embargo",
                )
            }
            other => match extra.read(other, out) {
                Some(found) => found,
                None => continue,
            },
        };
        if slot {
            out.push(Diagnostic::error(
                Code::JurisdictionSetting,
                span,
                format!("jurisdiction `{}` sets `{name}` twice", decl.code.node),
            ));
        }
    }
    let missing: Vec<&str> = [
        ("lists", lists.is_none()),
        ("ownership", ownership.is_none()),
        ("control", control.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, absent)| absent.then_some(name))
    .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::error(
                Code::JurisdictionSetting,
                decl.code.span,
                format!(
                    "jurisdiction `{}` does not set {}",
                    decl.code.node,
                    missing.join(", ")
                ),
            )
            .with_help(
                "e.g. `lists \"OFAC-SDN\"  ownership at least 50 aggregated  control review`",
            ),
        );
        return None;
    }
    let (mut lists, (inclusive, threshold, aggregate), control_blocks) =
        (lists?, ownership?, control?);
    lists.sort();
    lists.dedup();
    let mut embargoes = embargoes.unwrap_or_default();
    embargoes.sort();
    embargoes.dedup();
    Some(Regime {
        code: decl.code.node.clone(),
        lists,
        threshold_hundredths: (threshold * 100.0).round().clamp(0.0, 10_000.0) as u32,
        inclusive,
        aggregate,
        control_blocks,
        embargoes,
        valid_from: period.and_then(|(from, _)| from),
        valid_until: period.and_then(|(_, until)| until),
        citations,
        control_criteria: extra
            .criteria
            .unwrap_or_else(Regime::default_control_criteria),
        significant_minority_hundredths: extra.minority,
        joint_arrangements: extra.joint,
    })
}

/// Each embargoed place must be an ISO 3166 country code (`KP`) or a region of one (`UA-43`):
/// a misspelt code would silently embargo nothing.
fn check_embargo_codes(codes: &[crate::ast::Text], out: &mut Vec<Diagnostic>) {
    for code in codes {
        let country = code.node.split('-').next().unwrap_or_default();
        let region_ok = code.node.split_once('-').is_none_or(|(_, region)| {
            !region.is_empty()
                && region.len() <= 3
                && region.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if !crate::lists::countries::is_code(country) || !region_ok {
            out.push(
                Diagnostic::error(
                    Code::JurisdictionSetting,
                    code.span,
                    format!("`{}` is not an ISO 3166 country or region code", code.node),
                )
                .with_help("write the alpha-2 code, e.g. `KP`, or a region as `UA-43`"),
            );
        }
    }
}

/// The settings of typed control, significant minority stakes and joint arrangements, each
/// optional: a jurisdiction that does not list its control criteria freezes on every basis but
/// a management role.
#[derive(Default)]
struct ControlExtras {
    criteria: Option<Vec<ControlBasis>>,
    minority: Option<u32>,
    joint: bool,
}

impl ControlExtras {
    /// Reads one setting; returns whether it was set before, its span and its name, or `None`
    /// for a setting that is not one of these.
    fn read(
        &mut self,
        setting: &JurisdictionSetting,
        out: &mut Vec<Diagnostic>,
    ) -> Option<(bool, Span, &'static str)> {
        match setting {
            JurisdictionSetting::ControlCriteria(names) => {
                let mut criteria: Vec<ControlBasis> =
                    names.iter().filter_map(|n| control_basis(n, out)).collect();
                criteria.sort_unstable();
                criteria.dedup();
                let span = names.first()?.span;
                Some((
                    self.criteria.replace(criteria).is_some(),
                    span,
                    "control criteria",
                ))
            }
            JurisdictionSetting::SignificantMinority(stake) => {
                if !(stake.node > 0.0 && stake.node < 100.0) {
                    out.push(Diagnostic::error(
                        Code::JurisdictionSetting,
                        stake.span,
                        format!(
                            "a significant minority stake lies between 0 and 100, not {}",
                            stake.node
                        ),
                    ));
                }
                let hundredths = (stake.node * 100.0).round().clamp(0.0, 10_000.0) as u32;
                Some((
                    self.minority.replace(hundredths).is_some(),
                    stake.span,
                    "significant minority",
                ))
            }
            JurisdictionSetting::JointArrangements(span) => Some((
                std::mem::replace(&mut self.joint, true),
                *span,
                "joint arrangements",
            )),
            _ => None,
        }
    }
}

/// The control basis `name` names, or an error listing the known ones.
fn control_basis(name: &crate::ast::Ident, out: &mut Vec<Diagnostic>) -> Option<ControlBasis> {
    let found = ControlBasis::from_keyword(&name.node);
    if found.is_none() {
        let known: Vec<&str> = ControlBasis::ALL.iter().map(|b| b.keyword()).collect();
        out.push(
            Diagnostic::error(
                Code::JurisdictionSetting,
                name.span,
                format!("`{}` is not a basis of control", name.node),
            )
            .with_help(format!("use one of {}", known.join(", "))),
        );
    }
    found
}
