"""The class report: score distribution, item analysis, who needs help, flagged submissions.

:func:`build_report` writes ``index.html`` and the same figures as PNG files into a folder
(default ``grader/reports/<assignment>/``). Item analysis, per autograded test:

- mean score as a fraction of its points;
- discrimination: correlation between the item and the rest of the score (students who do
  well overall should do well on a good item; near 0 or negative means the item is noise or
  its test is wrong);
- the most common failure: the error most students who lost the points got.

Examples
--------
>>> round(discrimination([0, 0, 1, 1], [1, 2, 5, 6]), 3)
0.97
>>> discrimination([1, 1, 1], [1, 2, 3])   # everybody passed: not defined
nan
"""

from __future__ import annotations

import html
import math
from collections import Counter
from pathlib import Path

import numpy as np

HELP_BELOW = 0.5  # fraction of the autograded points under which a student "needs help"


def discrimination(item, rest) -> float:
    """Pearson correlation between an item's scores and the rest of the score."""
    item, rest = np.asarray(item, float), np.asarray(rest, float)
    if len(item) < 2 or item.std() == 0 or rest.std() == 0:
        return math.nan
    return float(np.corrcoef(item, rest)[0, 1])


def _failures(root: Path, assignment: str) -> dict:
    """grade id -> Counter of 'Error: message' over the autograded notebooks."""
    import nbformat

    out: dict[str, Counter] = {}
    for path in (root / "autograded").glob(f"*/{assignment}/*.ipynb"):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # noqa: BLE001 - one unreadable notebook must not stop the report
            continue
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            for o in cell.get("outputs", []):
                if gid and o.get("output_type") == "error":
                    out.setdefault(gid, Counter())[f"{o.get('ename')}: {o.get('evalue', '')[:120]}"] += 1
    return out


def collect(root, assignment: str) -> dict:
    """Scores per student and item, item statistics, flags: everything the report shows."""
    from sensorlab.grading import course
    from sensorlab.grading.autograde import load_flags

    root = Path(root)
    students, items, penalties = {}, {}, {}
    with course.gradebook(root) as gb:
        roster = sorted(s.id for s in gb.students)
        for sub in course.find_assignment(gb, assignment).submissions:
            row = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.cell_type == "code":
                        row[g.name] = float(g.score)
                        items[g.name] = float(g.max_score)
            students[sub.student_id] = row
            penalties[sub.student_id] = float(sub.late_submission_penalty or 0)
    flags = load_flags(root).get(assignment, {})
    names = sorted(students)
    totals = np.array([sum(students[s].values()) for s in names])
    failures = _failures(root, assignment)
    stats = []
    for gid, points in items.items():
        scores = np.array([students[s].get(gid, 0.0) for s in names])
        common = failures.get(gid, Counter()).most_common(1)
        stats.append({"item": gid, "points": points, "mean": float(scores.mean() / points) if points else math.nan,
                      "discrimination": discrimination(scores, totals - scores),
                      "common_failure": common[0][0] if common else "", "failed": int((scores < points).sum())})
    full = sum(items.values())
    help_ = [s for s, t in zip(names, totals) if full and t / full < HELP_BELOW]
    late = np.array([min(penalties[s], t) for s, t in zip(names, totals)])
    return {"assignment": assignment, "students": names, "totals": totals.tolist(), "max": full,
            "penalties": late.tolist(), "scores": (totals - late).tolist() if names else [],
            "items": stats, "needs_help": help_, "flags": flags,
            "missing": [s for s in roster if s not in students]}


def _figures(data: dict, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.hist(data["scores"], bins=min(20, max(5, len(data["scores"]) // 2)), range=(0, data["max"] or 1),
            color="#3b7dd8", edgecolor="white")
    ax.set(xlabel=f"autograded score after the late penalty (of {data['max']:g})", ylabel="students",
           title="Score distribution")
    fig.tight_layout()
    fig.savefig(out / "score-distribution.png", dpi=120)
    plt.close(fig)
    files.append("score-distribution.png")
    if data["items"]:
        fig, ax = plt.subplots(figsize=(6, 0.4 * len(data["items"]) + 1))
        labels = [i["item"] for i in data["items"]]
        ax.barh(labels, [i["mean"] for i in data["items"]], color="#4caf50")
        ax.set(xlim=(0, 1), xlabel="mean score (fraction of the points)", title="Items")
        ax.invert_yaxis()
        fig.tight_layout()
        fig.savefig(out / "item-means.png", dpi=120)
        plt.close(fig)
        files.append("item-means.png")
    return files


def build_report(root, assignment: str, out=None) -> Path:
    """Write ``index.html`` and PNG figures for ``assignment``; return the HTML path."""
    return report(root, assignment, out)[0]


def report(root, assignment: str, out=None) -> tuple[Path, list[str]]:
    """Write the report; return its path and the warnings it shows (late penalties that took
    every score to 0), which the command repeats to the teacher."""
    from sensorlab.grading import export

    root = Path(root)
    out = Path(out or root / "reports" / assignment)
    out.mkdir(parents=True, exist_ok=True)
    data = collect(root, assignment)
    warnings = export.late_warnings(root, [
        {"assignment": assignment, "score": sc, "late_penalty": pen, "flags": ""}
        for sc, pen in zip(data["scores"], data["penalties"])])
    figures = _figures(data, out)
    e = html.escape
    hardest = min(data["items"], key=lambda i: i["mean"], default=None)
    item_rows = "".join(
        f"<tr><td>{e(i['item'])}</td><td>{i['points']:g}</td><td>{i['mean']:.2f}</td>"
        f"<td>{'' if math.isnan(i['discrimination']) else format(i['discrimination'], '.2f')}</td>"
        f"<td>{i['failed']}</td><td><code>{e(i['common_failure'])}</code></td></tr>" for i in data["items"])
    flag_rows = "".join(f"<tr><td>{e(s)}</td><td>{e(f['kind'])}</td><td>{e(f['reason'])}</td></tr>"
                        for s, fl in sorted(data["flags"].items()) for f in fl)
    totals = dict(zip(data["students"], data["totals"]))
    help_rows = "".join(f"<li>{e(s)} — {totals[s]:g} / {data['max']:g}</li>" for s in data["needs_help"])
    score_rows = "".join(f"<tr><td>{e(s)}</td><td>{t:g}</td><td>{p:g}</td><td>{sc:g}</td></tr>" for s, t, p, sc
                         in zip(data["students"], data["totals"], data["penalties"], data["scores"]))
    score_rows += "".join(f"<tr><td>{e(s)}</td><td colspan=3>no submission (0)</td></tr>" for s in data["missing"])
    warning = "".join(f'<p class="warning"><b>{e(w)}</b></p>' for w in warnings)
    page = f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>Class report: {e(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto}}td,th{{border:1px solid #ccc;padding:4px}}
table{{border-collapse:collapse}}.warning{{background:#fff3cd;padding:8px}}</style>
<h1>Class report: {e(assignment)}</h1>
{warning}<p>{len(data['students'])} submissions ({len(data['missing'])} students on the roster without one); mean
{np.mean(data['scores'] or [0]):.1f} of {data['max']:g} autograded points after the late penalty
({np.mean(data['totals'] or [0]):.1f} before).</p>
<h2>Score distribution</h2>{''.join(f'<img src="{f}" alt="{f}">' for f in figures[:1])}
<h2>Item analysis</h2>
<p>Most failed: <b>{e(hardest['item']) if hardest else '-'}</b>. Discrimination near 0 or below: check the item.</p>
<table><tr><th>item</th><th>points</th><th>mean</th><th>discrimination</th><th>students who lost points</th>
<th>most common failure</th></tr>{item_rows}</table>{''.join(f'<img src="{f}" alt="{f}">' for f in figures[1:])}
<h2>Scores</h2>
<table><tr><th>student</th><th>autograded</th><th>late penalty</th><th>score</th></tr>{score_rows}</table>
<h2>Students who may need help (below {HELP_BELOW:.0%})</h2><ul>{help_rows or '<li>none</li>'}</ul>
<h2>Flagged submissions</h2>
<table><tr><th>student</th><th>flag</th><th>reason</th></tr>{flag_rows or '<tr><td colspan=3>none</td></tr>'}</table>
</html>"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path, warnings
