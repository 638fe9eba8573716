"""Write grader/source/08-capstone-project/08-capstone-project.ipynb: the capstone, graded by rubric.

    .venv/bin/python grader/authoring/build_08_capstone.py

No autograded items: each section is a manually graded answer with its rubric in the question
cell (students see how they will be graded; teachers grade in the formgrader).
"""

from pathlib import Path

from nbformat.v4 import new_code_cell

from sensorlab.grading.authoring import _meta, markdown, notebook, write, written

NAME = "08-capstone-project"
OUT = Path(__file__).resolve().parents[1] / "source" / NAME / f"{NAME}.ipynb"


def work_cell(grade_id: str, code: str, points: float):
    """A manually graded code answer (the team's analysis code; graded by rubric, not tests)."""
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, solution=True, locked=False, points=points))


SECTIONS = [
    ("question", "1. Your question", 4,
     "Which question about Seoul's air, noise or weather does your team answer, for whom, and why does it matter?",
     "4: specific, answerable with the data, names who would use the answer. 2: answerable but vague. 0: no question.",
     "Do street sensors in Jongno-gu read higher PM2.5 than the reference station on winter evenings, and should the district office trust them for alerts?"),
    ("data", "2. Your data", 4,
     "Which data (your box, the bundled city, real S-DoT files), which sites and period; what did you clean and why?",
     "4: sources credited, cleaning steps justified with counts (rows dropped, flags). 2: sources named, cleaning unexplained. 0: unknown data.",
     "Bundled city 2024, the four Jongno-gu street sensors and ref-101; dropped 312 stuck-value hours found with the cleaning flags."),
]
ANALYSIS_RUBRIC = ("6: code runs top to bottom, each step commented with why; figures labelled with units and Seoul time. "
                   "3: runs but hard to follow or unlabelled. 0: does not run.")
FINDINGS = [
    ("findings", "4. What you found", 6,
     "Your answer with numbers, units and uncertainty (a range, a comparison with the reference station).",
     "6: answer supported by the analysis, with uncertainty. 3: answer without uncertainty. 0: no answer.",
     "Street sensors read 18 % (12-24 %) above ref-101 on winter evenings; after calibration the gap is under 5 %."),
    ("limits", "5. Limits and next steps", 4,
     "What could make your answer wrong (sensor drift, missing hours, synthetic data, one year), and what would you check next?",
     "4: two or more real limits tied to your data, a concrete next step. 2: generic limits. 0: none.",
     "One year of synthetic data; humidity makes cheap PM sensors read high. Next: repeat with the real 2020 S-DoT files."),
    ("district_office", "6. What would you tell the district office?", 4,
     "Three or four sentences a district officer could act on.",
     "4: clear recommendation, honest about certainty, in plain words. 2: recommendation without caveats. 0: none.",
     "Use street sensors for alerts only after correcting them with the reference station; check them every season."),
]


def section(gid, title, points, ask, rubric, model):
    return [markdown(f"{gid}_prompt", f"## {title} ({points} points)\n\n{ask}\n\n**Rubric.** {rubric}"),
            written(f"{gid}_answer", model, points)]


cells = [markdown("intro", """# Capstone project — a question about your city

Work in teams of two or three. Answer one question about Seoul with the tools of modules
01–07, in this notebook. It is graded by your teacher with the rubric under each heading
(30 points); there are no automatic tests. Credit the data you use.""")]
for s in SECTIONS:
    cells += section(*s)
cells += [markdown("analysis_prompt", f"## 3. Your analysis (6 points)\n\nThe code, from loading to the figure that answers "
                                      f"your question. Add cells as you need.\n\n**Rubric.** {ANALYSIS_RUBRIC}"),
          work_cell("analysis_code", "### BEGIN SOLUTION\nfrom sensorlab.datasets import load_city\n\ncity = load_city()\n"
                                     "jongno = city.sites[city.sites.district == \"Jongno-gu\"]\nprint(len(jongno), \"sites in Jongno-gu\")\n"
                                     "### END SOLUTION", 6)]
for s in FINDINGS:
    cells += section(*s)

if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write(notebook(cells), OUT)
    print(f"wrote {OUT}")
