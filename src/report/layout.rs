//! A small layered layout for ownership and control graphs: owners above what they own.
//!
//! Layers by longest path from the sources (so a chain X → A → B reads top to bottom), cycles
//! broken at the first node left when none is free (cross-holdings end the same way every time),
//! then a few sweeps of barycentre ordering within layers to uncross edges. Deterministic: the same
//! nodes and edges in the same order give the same positions. No layout crate fits an inline SVG
//! without a JavaScript runtime, and this is about a hundred lines.

/// Where each node goes: its layer (row) and its position within the layer (column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The layer of each node, by node index.
    pub layer: Vec<usize>,
    /// The column of each node within its layer, by node index.
    pub column: Vec<usize>,
    /// The nodes of each layer, left to right.
    pub layers: Vec<Vec<usize>>,
}

/// Sweeps of barycentre ordering (down and up count as one each).
const SWEEPS: usize = 8;

/// Lays out `nodes` nodes with directed `edges` (`from` above `to`). Edges naming a node out of
/// range, and self-loops, are ignored.
pub fn layered(nodes: usize, edges: &[(usize, usize)]) -> Layout {
    let edges: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|(a, b)| a != b && *a < nodes && *b < nodes)
        .collect();
    let order = topological(nodes, &edges);
    let mut rank = vec![0; nodes];
    for (position, node) in order.iter().enumerate() {
        rank[*node] = position;
    }
    // Longest path, only along edges that go forward in the order (the rest closed a cycle).
    let mut layer = vec![0usize; nodes];
    for &node in &order {
        for &(from, to) in &edges {
            if to == node && rank[from] < rank[to] {
                layer[node] = layer[node].max(layer[from] + 1);
            }
        }
    }
    let depth = layer.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for node in 0..nodes {
        layers[layer[node]].push(node);
    }
    let mut column = vec![0usize; nodes];
    renumber(&layers, &mut column);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for index in range {
            let neighbours = |node: usize| -> Vec<usize> {
                edges
                    .iter()
                    .filter_map(|&(from, to)| {
                        if down && to == node && layer[from] + 1 == layer[to] {
                            Some(column[from])
                        } else if !down && from == node && layer[from] + 1 == layer[to] {
                            Some(column[to])
                        } else {
                            None
                        }
                    })
                    .collect()
            };
            let mut keyed: Vec<(f64, usize, usize)> = layers[index]
                .iter()
                .map(|&node| {
                    let near = neighbours(node);
                    let key = if near.is_empty() {
                        column[node] as f64
                    } else {
                        near.iter().sum::<usize>() as f64 / near.len() as f64
                    };
                    (key, column[node], node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[index] = keyed.into_iter().map(|(_, _, node)| node).collect();
            renumber(&layers, &mut column);
        }
    }
    Layout {
        layer,
        column,
        layers,
    }
}

/// Sets each node's column from its place in its layer.
fn renumber(layers: &[Vec<usize>], column: &mut [usize]) {
    for nodes in layers {
        for (position, &node) in nodes.iter().enumerate() {
            column[node] = position;
        }
    }
}

/// Kahn's order; when only cycles remain, the lowest-numbered node left goes next.
fn topological(nodes: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut incoming = vec![0usize; nodes];
    for &(_, to) in edges {
        incoming[to] += 1;
    }
    let mut done = vec![false; nodes];
    let mut order = Vec::with_capacity(nodes);
    while order.len() < nodes {
        let next = (0..nodes)
            .find(|&n| !done[n] && incoming[n] == 0)
            .or_else(|| (0..nodes).find(|&n| !done[n]));
        let Some(node) = next else { break };
        done[node] = true;
        order.push(node);
        for &(from, to) in edges {
            if from == node && !done[to] {
                incoming[to] = incoming[to].saturating_sub(1);
            }
        }
    }
    order
}

/// The number of edge crossings between adjacent layers, to test that ordering helps.
pub fn crossings(layout: &Layout, edges: &[(usize, usize)]) -> usize {
    let spans: Vec<(usize, usize, usize)> = edges
        .iter()
        .filter(|&&(a, b)| layout.layer[a] + 1 == layout.layer[b])
        .map(|&(a, b)| (layout.layer[a], layout.column[a], layout.column[b]))
        .collect();
    let mut count = 0;
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            if a.0 == b.0 && ((a.1 < b.1 && a.2 > b.2) || (a.1 > b.1 && a.2 < b.2)) {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_reads_top_to_bottom() {
        // OFAC FAQ 401: X owns 50 % of A, A owns 50 % of B.
        let layout = layered(3, &[(0, 1), (1, 2)]);
        assert_eq!(layout.layer, vec![0, 1, 2]);
    }

    #[test]
    fn longest_path_puts_a_node_below_all_its_owners() {
        // X owns A and B directly, A owns B: B sits below A, not beside it.
        let layout = layered(3, &[(0, 1), (0, 2), (1, 2)]);
        assert_eq!(layout.layer, vec![0, 1, 2]);
    }

    #[test]
    fn cross_holdings_end_and_every_node_is_placed() {
        let layout = layered(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(layout.layers.iter().map(Vec::len).sum::<usize>(), 3);
        assert_eq!(layout.layer, vec![0, 1, 2]);
    }

    #[test]
    fn barycentre_ordering_removes_a_crossing() {
        // Two owners each own one company, given in crossed order.
        let edges = [(0, 3), (1, 2)];
        let layout = layered(4, &edges);
        assert_eq!(crossings(&layout, &edges), 0);
    }

    #[test]
    fn out_of_range_edges_and_self_loops_are_ignored() {
        let layout = layered(2, &[(0, 0), (0, 7), (0, 1)]);
        assert_eq!(layout.layer, vec![0, 1]);
    }
}
