"""Write docs/model.md from the step models' docstrings (the formulas live in one place).

    .venv/bin/python tools/make_model_doc.py          # rewrite docs/model.md
    .venv/bin/python tools/make_model_doc.py --check  # exit 1 if docs/model.md is stale

tests/test_docs.py runs the check, so the document never drifts from the code.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workshop import capacity, delivery, platforms, roi, schedule  # noqa: E402

HEADER = """# The model: every formula a facilitator may need to explain a number

*Generated from the docstrings of `workshop/` by `tools/make_model_doc.py`; edit the
docstrings, not this file. Vietnamese readers: the same explanations appear in the notebooks
(`notebooks/vi/`) and in each report's "Giả định và nguồn số liệu" section.*

| step | module | the article's ideas |
|---|---|---|
| 1 | `workshop.platforms` | C1-C4: profile groups, the personal-profile mistake, strategic-asset fit |
| 2 | `workshop.capacity` | C5-C7: hours needed vs available, skills gate, the 3-4 page limit |
| 3 | `workshop.schedule` | C10-C12: communication plan, editorial plan, dated calendar |
| 2→4 | `workshop.delivery` | C5-C8: what the team can keep up with the hours it has (the ROI's pace and hours) |
| 4 | `workshop.roi` | C5, C8, C9: audience, funnel, cost, ROI, break-even, uncertainty |

Default figures and their sources: [data/README.md](../data/README.md).
"""

SECTIONS = [
    ("1. Platforms (C1-C4)", platforms, ["asset_fit", "personal_profile_warnings"]),
    ("2. Capacity (C5-C7)", capacity, ["hours_needed", "assess", "recommend"]),
    ("3. Schedule (C10-C12)", schedule, ["communication_plan", "suggest_rules", "expand"]),
    ("From capacity to money: what the team keeps up (C5-C8)", delivery, ["delivery"]),
    (
        "4. Return on investment (C5, C8, C9)",
        roi,
        ["resolve_inputs", "project", "monte_carlo", "sensitivity"],
    ),
]


def render() -> str:
    parts = [HEADER]
    for title, module, functions in SECTIONS:
        parts.append(f"\n## {title}\n\n*Module `{module.__name__}`.*\n")
        parts.append(inspect.cleandoc(module.__doc__ or "") + "\n")
        for name in functions:
            doc = inspect.getdoc(getattr(module, name)) or ""
            parts.append(f"\n### `{name}`\n\n{doc}\n")
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    target = ROOT / "docs" / "model.md"
    text = render()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print("docs/model.md is stale: run .venv/bin/python tools/make_model_doc.py")
            return 1
        return 0
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
