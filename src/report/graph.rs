//! The picture of a decision: the entities its reasons touched, the relations between them, and
//! the path the engine followed, drawn as inline SVG.

use std::fmt::Write;

use super::escape;
use super::layout::{self, Layout};
use crate::eval::{BlockedBasis, Decision, Evidence, Outcome, format_percent};

/// Past this many entities a graph is folded to those on a derivation path, parties and listed
/// entities; what is left out is counted under the picture.
pub const MAX_NODES: usize = 120;

const NODE_WIDTH: usize = 210;
const NODE_HEIGHT: usize = 54;
const GAP_X: usize = 34;
const GAP_Y: usize = 78;
const MARGIN: usize = 16;
/// The longest label drawn on a relation; the full one is in its tooltip and the tables.
const LABEL_CHARS: usize = 28;
/// The most entities side by side; a wider layer wraps into further rows.
const ROW: usize = 12;
/// The longest name drawn in a box; the full name is in the node's tooltip and the tables.
const NAME_CHARS: usize = 30;

/// An entity (or the transaction) in the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The entity's id (`transaction:ID` for the transaction).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The roles it plays in the transaction.
    pub roles: Vec<String>,
    /// Its list entries, as `OFAC-SDN SDN 24978`.
    pub listings: Vec<String>,
    /// Why it is blocked, per jurisdiction, where not by listing: `US: ownership 100 %`.
    pub blocked: Vec<String>,
    /// A name match that made it a possible or confirmed listed entity.
    pub matched: Vec<String>,
    /// The transaction itself rather than an entity.
    pub transaction: bool,
}

/// A relation in the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the `from` node.
    pub from: usize,
    /// Index of the `to` node.
    pub to: usize,
    /// The relation's id (`role:ROLE` for a party's part in the transaction).
    pub id: String,
    /// `owns`, `controls`..., or `party`.
    pub kind: String,
    /// The label drawn on it: `owns 100 %`, `controls: CEO (management role)`.
    pub label: String,
    /// Whether a block or review in force used it.
    pub on_path: bool,
}

/// The entities and relations a decision touched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// Entities and the transaction.
    pub nodes: Vec<Node>,
    /// Relations.
    pub edges: Vec<Edge>,
    /// How many entities were folded away.
    pub folded: usize,
}

impl Graph {
    /// The graph of `decision`'s evidence, every reason's, with the relations that blocks and
    /// reviews in force used marked as the derivation path.
    pub fn of(decision: &Decision) -> Graph {
        let mut graph = Graph::default();
        let transaction = graph.node(
            &format!("transaction:{}", decision.transaction),
            &decision.transaction,
        );
        graph.nodes[transaction].transaction = true;
        for reason in &decision.reasons {
            let on_path =
                reason.is_in_force() && matches!(reason.effect, Outcome::Block | Outcome::Review);
            for item in &reason.evidence {
                graph.add(item, transaction, on_path);
            }
        }
        graph.fold(MAX_NODES);
        graph
    }

    fn node(&mut self, id: &str, name: &str) -> usize {
        match self.nodes.iter().position(|n| n.id == id) {
            Some(found) => found,
            None => {
                self.nodes.push(Node {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    roles: Vec::new(),
                    listings: Vec::new(),
                    blocked: Vec::new(),
                    matched: Vec::new(),
                    transaction: false,
                });
                self.nodes.len() - 1
            }
        }
    }

    fn edge(&mut self, from: usize, to: usize, id: &str, kind: &str, label: String, on_path: bool) {
        match self.edges.iter_mut().find(|e| e.id == id && e.from == from) {
            Some(found) => found.on_path |= on_path,
            None => self.edges.push(Edge {
                from,
                to,
                id: id.to_owned(),
                kind: kind.to_owned(),
                label,
                on_path,
            }),
        }
    }

    fn add(&mut self, item: &Evidence, transaction: usize, on_path: bool) {
        match item {
            Evidence::Party {
                role, entity, name, ..
            } => {
                let node = self.node(entity, name);
                push_once(&mut self.nodes[node].roles, role.clone());
                self.edge(
                    node,
                    transaction,
                    &format!("role:{role}"),
                    "party",
                    role.clone(),
                    on_path,
                );
            }
            Evidence::Relation {
                id,
                relation,
                from,
                from_name,
                to,
                to_name,
                percent,
                role,
                basis,
                ..
            } => {
                let a = self.node(from, from_name);
                let b = self.node(to, to_name);
                let label = relation_label(relation, *percent, role.as_deref(), basis.as_deref());
                self.edge(a, b, id, relation, label, on_path);
            }
            Evidence::Designation {
                entity,
                name,
                list,
                reference,
                ..
            } => {
                let node = self.node(entity, name);
                let entry = match reference {
                    Some(r) => format!("{list} {r}"),
                    None => list.clone(),
                };
                push_once(&mut self.nodes[node].listings, entry);
            }
            Evidence::Blocked {
                entity,
                name,
                jurisdiction,
                basis,
                ..
            } if !matches!(basis, BlockedBasis::Designation { .. }) => {
                let node = self.node(entity, name);
                let total = basis
                    .total_percent()
                    .map(|t| format!(" {} %", format_percent(t)))
                    .unwrap_or_default();
                push_once(
                    &mut self.nodes[node].blocked,
                    format!("{jurisdiction}: {}{total}", basis.keyword()),
                );
            }
            Evidence::Match {
                entity,
                name,
                listed_name,
                list,
                reference,
                strength,
                ..
            } => {
                let node = self.node(entity, name);
                let entry = [list.as_deref(), reference.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                push_once(
                    &mut self.nodes[node].matched,
                    format!("{} match: {listed_name} {entry}", strength.keyword()),
                );
            }
            _ => {}
        }
    }

    /// Keeps at most `limit` nodes: the transaction, parties, listed and blocked entities and
    /// those on a derivation path first.
    fn fold(&mut self, limit: usize) {
        if self.nodes.len() <= limit {
            return;
        }
        let mut keep = vec![false; self.nodes.len()];
        for edge in self.edges.iter().filter(|e| e.on_path) {
            keep[edge.from] = true;
            keep[edge.to] = true;
        }
        for (index, node) in self.nodes.iter().enumerate() {
            keep[index] |= node.transaction || !node.roles.is_empty() || !node.listings.is_empty();
        }
        let mut kept = 0;
        for flag in &mut keep {
            if *flag {
                kept += 1;
                *flag = kept <= limit;
            }
        }
        let mut renumbered = vec![None; self.nodes.len()];
        let mut nodes = Vec::new();
        for (index, node) in self.nodes.drain(..).enumerate() {
            if keep[index] {
                renumbered[index] = Some(nodes.len());
                nodes.push(node);
            }
        }
        self.folded = renumbered.iter().filter(|r| r.is_none()).count();
        self.nodes = nodes;
        self.edges = std::mem::take(&mut self.edges)
            .into_iter()
            .filter_map(|mut edge| {
                edge.from = renumbered[edge.from]?;
                edge.to = renumbered[edge.to]?;
                Some(edge)
            })
            .collect();
    }

    /// The edges that order layers, `(upper, lower)`: owners above what they own, creators
    /// above what they created, parties above the transaction; sisters and links side by side.
    fn layering(&self) -> Vec<(usize, usize)> {
        self.edges
            .iter()
            .filter_map(|e| match e.kind.as_str() {
                "sister_of" | "linked_to" | "acts_jointly_with" => None,
                "created_by" => Some((e.to, e.from)),
                _ => Some((e.from, e.to)),
            })
            .collect()
    }

    /// The picture as an SVG element; `prefix` keeps element ids unique in a page of many.
    pub fn svg(&self, prefix: &str) -> String {
        let layout = layout::layered(self.nodes.len(), &self.layering());
        let (positions, width, height) = positions(&layout);
        let mut out = String::with_capacity(1024 + 600 * (self.nodes.len() + self.edges.len()));
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Entities and relations behind the decision"><defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#777"/></marker><marker id="{prefix}-arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#b00020"/></marker></defs>"##
        );
        for edge in &self.edges {
            self.draw_edge(&mut out, edge, &layout, &positions, prefix);
        }
        for (index, node) in self.nodes.iter().enumerate() {
            draw_node(&mut out, node, positions[index], prefix, index);
        }
        out.push_str("</svg>");
        out
    }

    fn draw_edge(
        &self,
        out: &mut String,
        edge: &Edge,
        layout: &Layout,
        positions: &[(usize, usize)],
        prefix: &str,
    ) {
        let (ax, ay) = positions[edge.from];
        let (bx, by) = positions[edge.to];
        let (la, lb) = (layout.layer[edge.from], layout.layer[edge.to]);
        let half = NODE_WIDTH / 2;
        let path = if la < lb {
            format!("M{},{}L{},{}", ax + half, ay + NODE_HEIGHT, bx + half, by)
        } else if la > lb {
            format!("M{},{}L{},{}", ax + half, ay, bx + half, by + NODE_HEIGHT)
        } else {
            // Side by side: a curve from bottom to bottom, dipping below the pair.
            let dip = ay + NODE_HEIGHT + GAP_Y / 2;
            format!(
                "M{},{}C{},{dip} {},{dip} {},{}",
                ax + half,
                ay + NODE_HEIGHT,
                ax + half,
                bx + half,
                bx + half,
                by + NODE_HEIGHT
            )
        };
        let (lx, ly) = if la == lb {
            ((ax + bx) / 2 + half, ay + NODE_HEIGHT + GAP_Y * 3 / 8 + 4)
        } else {
            // Three fifths of the way down, where edges fanning out of one owner have parted.
            let (x1, y1, x2, y2) = if la < lb {
                (ax + half, ay + NODE_HEIGHT, bx + half, by)
            } else {
                (ax + half, ay, bx + half, by + NODE_HEIGHT)
            };
            let along = |from: usize, to: usize| (from * 2 + to * 3) / 5;
            (along(x1, x2), along(y1, y2) + 4)
        };
        let class = if edge.on_path { "edge on-path" } else { "edge" };
        let marker = match (edge.kind.as_str(), edge.on_path) {
            ("sister_of" | "linked_to" | "acts_jointly_with", _) => String::new(),
            (_, true) => format!(r#" marker-end="url(#{prefix}-arrow-path)""#),
            (_, false) => format!(r#" marker-end="url(#{prefix}-arrow)""#),
        };
        let from = &self.nodes[edge.from];
        let to = &self.nodes[edge.to];
        let _ = write!(
            out,
            r#"<g class="{class}" data-relation="{}" data-kind="{}" data-from="{}" data-to="{}"><title>{}</title><path d="{path}"{marker}/><text x="{lx}" y="{ly}" text-anchor="middle">{}</text></g>"#,
            escape(&edge.id),
            escape(&edge.kind),
            escape(&from.id),
            escape(&to.id),
            escape(&format!(
                "{} — {} → {}: {}",
                edge.id, from.name, to.name, edge.label
            )),
            escape(&shorten(&edge.label, LABEL_CHARS)),
        );
    }
}

fn draw_node(out: &mut String, node: &Node, (x, y): (usize, usize), prefix: &str, index: usize) {
    let mut classes = vec!["node"];
    if node.transaction {
        classes.push("transaction");
    }
    if !node.roles.is_empty() {
        classes.push("party");
    }
    if !node.listings.is_empty() {
        classes.push("designated");
    } else if !node.blocked.is_empty() {
        classes.push("blocked");
    } else if !node.matched.is_empty() {
        classes.push("matched");
    }
    let detail = if !node.listings.is_empty() {
        node.listings.join("; ")
    } else if !node.blocked.is_empty() {
        format!("blocked — {}", node.blocked.join("; "))
    } else if !node.matched.is_empty() {
        node.matched.join("; ")
    } else if !node.roles.is_empty() {
        node.roles.join(", ")
    } else if node.transaction {
        "the transaction".to_owned()
    } else {
        String::new()
    };
    let mut tooltip = node.name.clone();
    for line in node
        .roles
        .iter()
        .chain(&node.listings)
        .chain(&node.blocked)
        .chain(&node.matched)
    {
        tooltip.push('\n');
        tooltip.push_str(line);
    }
    let _ = write!(
        out,
        r#"<g class="{}" id="{prefix}-node-{index}" data-entity="{}"><title>{}</title><rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/><text x="{}" y="{}" text-anchor="middle" class="name">{}</text><text x="{}" y="{}" text-anchor="middle" class="detail">{}</text></g>"#,
        classes.join(" "),
        escape(&node.id),
        escape(&tooltip),
        x + NODE_WIDTH / 2,
        y + 22,
        escape(&shorten(&node.name, NAME_CHARS)),
        x + NODE_WIDTH / 2,
        y + 40,
        escape(&shorten(&detail, NAME_CHARS + 6)),
    );
}

/// The top-left corner of each node, each layer centred and wrapped into rows of at most
/// [`ROW`] nodes, and the picture's width and height.
fn positions(layout: &Layout) -> (Vec<(usize, usize)>, usize, usize) {
    let mut positions = vec![(0, 0); layout.layer.len()];
    let widest = layout
        .layers
        .iter()
        .map(|l| l.len().min(ROW))
        .max()
        .unwrap_or(1)
        .max(1);
    let full = widest * NODE_WIDTH + (widest - 1) * GAP_X;
    let mut top = MARGIN;
    for nodes in &layout.layers {
        for row in nodes.chunks(ROW) {
            let used = row.len() * NODE_WIDTH + row.len().saturating_sub(1) * GAP_X;
            let left = MARGIN + (full - used) / 2;
            for (column, &node) in row.iter().enumerate() {
                positions[node] = (left + column * (NODE_WIDTH + GAP_X), top);
            }
            top += NODE_HEIGHT + GAP_Y / 2;
        }
        top += GAP_Y / 2;
    }
    let height = top.saturating_sub(GAP_Y) + MARGIN + 24;
    (
        positions,
        2 * MARGIN + full,
        height.max(2 * MARGIN + NODE_HEIGHT),
    )
}

/// The words drawn on a relation.
fn relation_label(
    kind: &str,
    percent: Option<f64>,
    role: Option<&str>,
    basis: Option<&str>,
) -> String {
    let qualifier = |words: &str| {
        let parts: Vec<String> = role
            .map(str::to_owned)
            .into_iter()
            .chain(basis.map(|b| b.replace('_', " ")))
            .collect();
        if parts.is_empty() {
            words.to_owned()
        } else {
            format!("{words}: {}", parts.join(", "))
        }
    };
    match kind {
        "owns" => match percent {
            Some(p) => format!("owns {} %", format_percent(p)),
            None => "owns (no % stated)".to_owned(),
        },
        "controls" => qualifier("controls"),
        "director_of" => qualifier("director"),
        "sister_of" => "sister".to_owned(),
        "created_by" => "created by".to_owned(),
        "employs" => qualifier("employs"),
        "signatory_of" => "signatory".to_owned(),
        "acts_jointly_with" => "acts jointly".to_owned(),
        "linked_to" => "linked".to_owned(),
        other => other.replace('_', " "),
    }
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(limit - 1).collect();
    short.push('…');
    short
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}
