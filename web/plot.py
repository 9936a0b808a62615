"""A run's progress as SVG drawn on the server (no chart library, nothing inline to run): the best rule's
seeds against candidates evaluated, overall and per island, or per agent.

Scores are not plotted as such: a complete rule's score is −seeds (a few hundred at most) while an
incomplete one's is a penalty near −(seed pool size) (tens of thousands), so one linear axis flattens every
improvement after the first complete rule. Complete rules are drawn by their seeds on their own axis;
incomplete ones in a band of their own below it. Each improvement is a point with its values as a tooltip,
linking to its candidate.
"""

import math
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from web.progress import Mark, ScoreHistory

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP = 66, 190, 16  # LEFT: room for the band's label, "incomplete"
MAIN_BOTTOM = HEIGHT - 86  # the seeds axis ends here
BAND_TOP, BAND_BOTTOM = HEIGHT - 72, HEIGHT - 48  # incomplete rules: scores that are penalties
# Each has at least 4.5:1 contrast on white (WCAG AA for text): tests/pages check it.
COLOURS = ["#1a5f91", "#b04a00", "#1e7b34", "#b3261e", "#6a3d9a", "#7a4a3a", "#a8326e", "#4f5b66"]
BEST_COLOUR = "#1d2330"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    mark: Mark
    href_id: int

    @property
    def title(self) -> str:
        what = (f"{self.mark.seeds} seeds (complete)" if self.mark.seeds is not None
                else f"incomplete: score {self.mark.score:g} is a penalty, not seeds")
        return f"candidate {self.mark.candidate} · {what} · after {self.mark.evaluated} evaluated"


@dataclass(frozen=True)
class Series:
    label: str
    points: str  # the polyline's "x,y x,y …"
    colour: str
    width: float
    legend_y: int
    marks: list[Point]

    @property
    def marks_svg(self) -> SafeString:
        """Each mark a linked circle with its values as a tooltip: built here, not in the template, which
        spent most of a run page's time on them (a URL, two numbers and a title each)."""
        return format_html_join(
            "", '<a href="{}"><circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle></a>',
            ((reverse("pages:candidate", args=[p.href_id]), f"{p.x:.1f}", f"{p.y:.1f}", self.colour,
              self.label, p.title) for p in self.marks),
        )


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Plot:
    title: str
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    has_band: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    main_bottom: int = MAIN_BOTTOM
    band_top: int = BAND_TOP
    band_bottom: int = BAND_BOTTOM
    band_middle: int = (BAND_TOP + BAND_BOTTOM) // 2
    x_axis: int = BAND_BOTTOM + 4
    inner_width: int = WIDTH - RIGHT - LEFT


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values (1, 2 or 5 × 10^k apart) covering [low, high], at most `most` of them."""
    if high <= low:
        return [low]
    raw = (high - low) / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def seeds_plots(history: ScoreHistory, objective: str = "seeds") -> list[Plot]:
    """Two plots: the best overall with each island's, and each agent's best. The best is the best score:
    under a weighted objective (its text given) not always the fewest seeds, and the titles say so."""
    marks = history.marks
    if not marks.get("best"):
        return []
    islands = {k: v for k, v in marks.items() if k.startswith("island ")}
    agents = {k.removeprefix("agent "): v for k, v in marks.items() if k.startswith("agent ")}
    overall = {"best overall": marks["best"], **dict(sorted(islands.items(), key=lambda kv: int(kv[0][7:])))}
    best = ("Fewest seeds so far" if objective == "seeds"
            else f"Seeds of the best rule so far by the objective {objective}")
    return [_plot(f"{best}: overall and per island", overall, history.evaluated, "best overall"),
            _plot(f"{best}: per agent", dict(sorted(agents.items())), history.evaluated, None)]


def _plot(title: str, lines: dict[str, list[Mark]], evaluated: int, emphasised: str | None) -> Plot:
    seeds = [m.seeds for line in lines.values() for m in line if m.seeds is not None]
    low, high = (min(seeds), max(seeds)) if seeds else (0, 1)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    x_max = max(evaluated, 1)

    def px(x: float) -> float:
        return LEFT + (WIDTH - RIGHT - LEFT) * x / x_max

    def py(mark: Mark) -> float:
        if mark.seeds is None:
            return (BAND_TOP + BAND_BOTTOM) / 2
        return MAIN_BOTTOM - (MAIN_BOTTOM - TOP) * (mark.seeds - low) / (high - low)

    series = []
    for i, (label, line) in enumerate(lines.items()):
        colour = BEST_COLOUR if label == emphasised else COLOURS[i % len(COLOURS)]
        path, last = [], None
        for mark in line:  # a step function: the best holds until the next improvement, and to the end
            if last is not None:
                path.append(f"{px(mark.evaluated):.1f},{last:.1f}")
            last = py(mark)
            path.append(f"{px(mark.evaluated):.1f},{last:.1f}")
        path.append(f"{px(x_max):.1f},{last:.1f}")
        points = [Point(round(px(m.evaluated), 1), round(py(m), 1), m, m.candidate) for m in line]
        series.append(Series(label, " ".join(path), colour, 2.5 if label == emphasised else 1.2,
                             TOP + 14 * (i + 1), points))
    y_ticks = [Tick(round(MAIN_BOTTOM - (MAIN_BOTTOM - TOP) * (v - low) / (high - low), 1), f"{v:g}")
               for v in nice_ticks(low, high, 5) if seeds]
    x_ticks = [Tick(round(px(v), 1), f"{v:g}") for v in nice_ticks(0, x_max, 6)]
    has_band = any(m.seeds is None for line in lines.values() for m in line)
    return Plot(title, series, y_ticks, x_ticks, has_band)


# The Pareto front (web.pareto): candidates complete on every problem, seeds against a cost, both in all.
FRONT_COLOUR = COLOURS[1]
OTHER_COLOUR = COLOURS[-1]
PARETO_BOTTOM = HEIGHT - 48


@dataclass(frozen=True)
class ParetoPlot:
    title: str
    cost_label: str
    marks_svg: SafeString
    front_points: str  # the front's step line, "x,y x,y …"
    front: list  # web.pareto.Point on the front, fewest seeds first
    candidates: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    logarithmic: str  # which axes are logarithmic, in words ("" for none)
    third_label: str = ""  # a three-term Pareto objective's third term, in the table and tooltips
    objective: bool = False  # the front is the run's objective
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = PARETO_BOTTOM
    front_colour: str = FRONT_COLOUR
    other_colour: str = OTHER_COLOUR


@dataclass(frozen=True)
class _Axis:
    """Values onto pixels from `start` to `end`, logarithmic where they span more than a factor of 20."""

    low: float
    high: float
    start: float
    end: float
    log: bool

    @classmethod
    def over(cls, values: list[int], start: float, end: float) -> "_Axis":
        low, high = max(1, min(values)), max(1, max(values))
        if high / low > 20:
            return cls(low / 1.2, high * 1.2, start, end, True)
        pad = max(1.0, (high - low) * 0.08)
        return cls(low - pad, high + pad, start, end, False)

    def at(self, value: float) -> float:
        if self.log:
            f = math.log(max(value, self.low) / self.low) / math.log(self.high / self.low)
        else:
            f = (value - self.low) / (self.high - self.low)
        return round(self.start + (self.end - self.start) * f, 1)

    def ticks(self) -> list[Tick]:
        if not self.log:
            return [Tick(self.at(v), _short(v)) for v in nice_ticks(self.low, self.high, 6)]
        first, last = math.floor(math.log10(self.low)), math.floor(math.log10(self.high))
        steps = (1,) if last - first >= 3 else (1, 2, 5)  # decades alone, where there are enough of them
        values = [m * 10**k for k in range(first, last + 1) for m in steps]
        return [Tick(self.at(v), _short(v)) for v in values if self.low <= v <= self.high]


def _short(value: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if abs(value) >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def pareto_plot(front) -> ParetoPlot:
    """The run's front (a web.pareto.Front) drawn: every point linked to its candidate with its numbers as a
    tooltip, the front's points larger, in colour and joined by a step line."""
    xs = _Axis.over([p.seeds for p in front.points], LEFT, WIDTH - RIGHT)
    ys = _Axis.over([p.cost for p in front.points], PARETO_BOTTOM, TOP)
    label = front.cost_label

    def title(p) -> str:
        same = f" ({p.count} candidates share these numbers)" if p.count > 1 else ""
        where = "on the Pareto front" if p.front else "dominated"
        third = f" · {p.third:,} {front.third_label}" if front.third else ""
        return f"candidate {p.candidate} · {p.seeds} seeds · {p.cost:,} {label}{third} in all{same} · {where}"

    href = _candidate_href()
    marks = format_html_join(
        "", '<a href="{}"><circle cx="{}" cy="{}" r="{}" {}><title>{}</title></circle></a>',
        ((href(p.candidate), xs.at(p.seeds), ys.at(p.cost), 5 if p.front else 3,
          _paint(p.front), title(p))
         for p in sorted(front.points, key=lambda p: p.front)),  # the front drawn last, on top
    )
    on_front = front.front
    steps = []
    for before, after in zip(on_front, on_front[1:], strict=False):
        steps += [f"{xs.at(before.seeds)},{ys.at(before.cost)}", f"{xs.at(after.seeds)},{ys.at(before.cost)}"]
    steps.append(f"{xs.at(on_front[-1].seeds)},{ys.at(on_front[-1].cost)}")
    logarithmic = " and ".join(name for name, axis in (("seeds", xs), (label, ys)) if axis.log)
    return ParetoPlot(f"Seeds against {label}, with the Pareto front", label, marks, " ".join(steps),
                      on_front, front.candidates, xs.ticks(), ys.ticks(), logarithmic,
                      front.third_label, front.objective)


def _candidate_href():
    """pk → the candidate's page: reversed once, not once a point (that was most of the plot's time)."""
    marker = 2**31 - 1
    url = reverse("pages:candidate", args=[marker])
    return lambda pk: url.replace(str(marker), str(int(pk)))


def _paint(front: bool) -> SafeString:
    if front:
        return SafeString(f'fill="{FRONT_COLOUR}"')
    return SafeString(f'fill="#ffffff" stroke="{OTHER_COLOUR}" stroke-width="1.2"')
