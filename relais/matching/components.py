"""Connected components of the placement network, vectorised (hook and compress)."""

from __future__ import annotations

import numpy as np


def connected_components(n_nodes: int, tails: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """Label of each node: the smallest node id of its (undirected) connected component.

    Two nodes share a label iff a path of arcs joins them, so the components can be solved
    apart: no flow can cross from one to another. Each round hooks every root touched by an
    arc under the smallest root it touches, then compresses the trees to their roots; a round
    costs a few passes over the arcs and the rounds stop when no arc joins two trees.
    """
    parent = np.arange(n_nodes, dtype=np.int64)
    tails = np.asarray(tails, dtype=np.int64)
    heads = np.asarray(heads, dtype=np.int64)
    while True:
        root_t, root_h = parent[tails], parent[heads]
        differ = root_t != root_h
        if not differ.any():
            return parent
        low = np.minimum(root_t[differ], root_h[differ])
        high = np.maximum(root_t[differ], root_h[differ])
        np.minimum.at(parent, high, low)
        parent = _compress(parent)
        keep = parent[tails] != parent[heads]
        tails, heads = tails[keep], heads[keep]


def _compress(parent: np.ndarray) -> np.ndarray:
    """Point every node straight at its root (``parent[x] <= x`` always holds)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand
