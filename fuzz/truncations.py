#!/usr/bin/env python3
"""Writes truncated copies of the shipped examples and list excerpts into the fuzz corpus.

A download or a copy cut short is the commonest broken input: each file is cut at a spread of
character offsets (about 60 per file, always on a character boundary, plus just before the end)
into `corpus/TARGET/cut-NAME-OFFSET`, where `cargo test --workspace` replays them
through the target's checks in a second or two, and fuzz runs start from them.

Run from anywhere: python3 fuzz/truncations.py
"""

from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
LISTS = ROOT / "tests" / "fixtures" / "lists"

SOURCES = {
    "facts_yaml": sorted((ROOT / "examples").glob("*.yaml")),
    "facts_json": [ROOT / "tests" / "fixtures" / "facts" / "valid.json"],
    "import_ofac": [LISTS / "ofac_small" / "sdn.csv", LISTS / "ofac_dprk_npwmd" / "sdn.csv"],
    "import_un": [LISTS / "un_small.xml", LISTS / "un_dprk_excerpt.xml"],
    "import_eu": [LISTS / "eu_fsf_2018_excerpt.xml"],
    "import_uk": [LISTS / "uk_conlist_dprk.csv"],
    "import_ftm": [LISTS / "ftm_small.ftm.json"],
}

CUTS_PER_FILE = 60


def offsets(text: str) -> list[int]:
    """Character offsets spread over the text, the last one just before its end."""
    step = max(1, len(text) // CUTS_PER_FILE)
    return sorted(set(range(0, len(text), step)) | {len(text) - 1})


def main() -> None:
    for target, files in SOURCES.items():
        folder = FUZZ / "corpus" / target
        for old in folder.glob("cut-*"):
            old.unlink()
        for path in files:
            text = path.read_text(encoding="utf-8")
            name = path.parent.name + "-" + path.stem if path.stem == "sdn" else path.stem
            for cut in offsets(text):
                (folder / f"cut-{name}-{cut:05}").write_text(text[:cut], encoding="utf-8")


if __name__ == "__main__":
    main()
