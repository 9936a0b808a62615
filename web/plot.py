"""Best score against evaluations as an SVG drawn on the server: no chart library, nothing inline to run."""

from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 640, 240, 40
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


@dataclass(frozen=True)
class Series:
    label: str
    points: str  # the polyline's "x,y x,y …"
    colour: str
    width: float
    legend_y: int


@dataclass(frozen=True)
class Plot:
    series: list[Series]
    x_max: int
    y_min: float
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT
    margin: int = MARGIN

    @property
    def bottom(self) -> int:
        return self.height - self.margin

    @property
    def right(self) -> int:
        return self.width - self.margin


def best_score_plot(
    best: list[tuple[int, float]], islands: dict[int, list[tuple[int, float]]], evaluated: int
):
    if not best:
        return None
    everything = [y for _, y in best] + [y for line in islands.values() for _, y in line]
    y_min, y_max = min(everything), max(everything)
    x_max = max(evaluated, 1)

    def xy(x: float, y: float) -> str:
        span = (y_max - y_min) or 1.0
        px = MARGIN + (WIDTH - 2 * MARGIN) * x / x_max
        py = HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * (y - y_min) / span
        return f"{px:.1f},{py:.1f}"

    def steps(line: list[tuple[int, float]]) -> str:
        # a step function: the best holds until the next improvement, and to the last evaluation
        points, last = [], None
        for x, y in line:
            if last is not None:
                points.append(xy(x, last))
            points.append(xy(x, y))
            last = y
        points.append(xy(x_max, last))
        return " ".join(points)

    series = [
        Series(f"island {island}", steps(line), COLOURS[i % len(COLOURS)], 1.0, MARGIN + 12 * (i + 1))
        for i, (island, line) in enumerate(sorted(islands.items()))
    ]
    series.append(Series("best overall", steps(best), "#1d2330", 2.5, MARGIN))
    return Plot(series, x_max, y_min, y_max)
