#!/usr/bin/env python3
"""Plots the data folder's size over a run of hold changes, as an SVG (standard library only).

Input: the CSV the `data-folder` step of loadtests/run-benchmarks.sh samples, one row per part of
the folder per sample: `seconds,part,bytes`. Output: an SVG on stdout with one line per part and
one for the whole folder, so a reader sees at a glance whether checkpoints keep it bounded.
"""
import csv
import sys
from collections import defaultdict

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 170, 30, 50
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]


def main(path: str, title: str) -> None:
    series: dict[str, dict[float, int]] = defaultdict(dict)
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            series[row["part"]][float(row["seconds"])] = int(row["bytes"])
    if not series:
        sys.exit(f"{path}: no samples")

    times = sorted({t for points in series.values() for t in points})
    total = {t: sum(points.get(t, 0) for points in series.values()) for t in times}
    lines = [("whole folder", total)] + sorted(series.items())
    max_t = max(times) or 1.0
    max_mib = max(total.values()) / 2**20 or 1.0

    def x(t: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * t / max_t

    def y(b: int) -> float:
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (b / 2**20) / max_mib

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="18" font-size="14">{title}</text>']
    for i in range(5):
        mib = max_mib * i / 4
        py = y(int(mib * 2**20))
        out.append(f'<line x1="{LEFT}" y1="{py:.1f}" x2="{WIDTH - RIGHT}" y2="{py:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{mib:.0f}</text>')
        t = max_t * i / 4
        out.append(f'<text x="{x(t):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{t:.0f}</text>')
    out.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 12}" text-anchor="middle">seconds into the run</text>')
    out.append(f'<text x="16" y="{(TOP + HEIGHT - BOTTOM) / 2}" transform="rotate(-90 16 {(TOP + HEIGHT - BOTTOM) / 2})" text-anchor="middle">MiB</text>')
    for index, (name, points) in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        path_points = " ".join(f"{x(t):.1f},{y(points.get(t, 0)):.1f}" for t in times)
        width = 2.5 if index == 0 else 1.5
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" points="{path_points}"/>')
        ly = TOP + 10 + 18 * index
        out.append(f'<line x1="{WIDTH - RIGHT + 12}" y1="{ly}" x2="{WIDTH - RIGHT + 32}" y2="{ly}" stroke="{colour}" stroke-width="{width}"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 38}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: plot-folder-size.py SAMPLES.csv [TITLE] > plot.svg")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Data folder size")
