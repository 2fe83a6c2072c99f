//! Jurisdiction declarations: the lists each regime reads and how it treats ownership and control.

use std::collections::HashMap;

use crate::ast::{Item, JurisdictionDecl, JurisdictionSetting, PolicyFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::facts::{ControlBasis, Regime};
use crate::source::SourceMap;
use crate::source::Span;

/// Every declared jurisdiction as a regime, and the position of each code.
pub(super) fn collect(
    files: &[PolicyFile],
    sources: &SourceMap,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Regime>, HashMap<String, u16>) {
    let mut regimes = Vec::new();
    let mut positions: HashMap<String, u16> = HashMap::new();
    let mut spans = HashMap::new();
    for decl in files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Jurisdiction(decl) => Some(decl),
            _ => None,
        })
    {
        let code = &decl.code;
        if let Some(first) = spans.get(&code.node) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateJurisdiction,
                    code.span,
                    format!("jurisdiction `{}` is declared twice", code.node),
                )
                .with_help(format!(
                    "first declared at {}; keep one declaration",
                    sources.location(*first)
                )),
            );
            continue;
        }
        spans.insert(code.node.clone(), code.span);
        if let Some(regime) = regime(decl, out) {
            positions.insert(
                code.node.clone(),
                u16::try_from(regimes.len()).unwrap_or(u16::MAX),
            );
            regimes.push(regime);
        }
    }
    (regimes, positions)
}

/// A declaration's settings, each required exactly once.
fn regime(decl: &JurisdictionDecl, out: &mut Vec<Diagnostic>) -> Option<Regime> {
    let mut lists = None;
    let mut ownership = None;
    let mut control = None;
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
    Some(Regime {
        code: decl.code.node.clone(),
        lists,
        threshold_hundredths: (threshold * 100.0).round().clamp(0.0, 10_000.0) as u32,
        inclusive,
        aggregate,
        control_blocks,
        control_criteria: extra
            .criteria
            .unwrap_or_else(Regime::default_control_criteria),
        significant_minority_hundredths: extra.minority,
        joint_arrangements: extra.joint,
    })
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
