#!/usr/bin/env python3
"""Reads the opening-surge reports ab.sh wrote (run/ and run-b/) and prints the Markdown table of
docs/benchmarks.md; writes fresh-vs-warm.svg, each run's hold p99 fresh and warm, warm-up on and off."""
import json
import os
import statistics
import sys

here = os.path.dirname(os.path.abspath(__file__))
runs = []
for batch in ('run', 'run-b'):
    for name in sorted(n for n in os.listdir(os.path.join(here, batch)) if n.startswith('r')):
        def report(phase):
            with open(os.path.join(here, batch, name, phase, 'opening-surge.json')) as f:
                j = json.load(f)
            hold = next(s for s in j['steps'] if s['name'] == 'hold')
            return hold['latency']['p99'] / 1000, hold['requestsPerSecond'], j['auditPassed'], j['metrics']
        fresh, warm = report('fresh'), report('warm')
        runs.append({'run': f'{batch}/{name}', 'on': name.endswith('-on'), 'fresh': fresh, 'warm': warm})

print('| run | warm-up | fresh: hold p99 | fresh: answers/s | warm: hold p99 | fresh ÷ warm | audits |')
print('|---|---|---:|---:|---:|---:|---|')
for r in runs:
    print(f"| `{r['run']}` | {'on' if r['on'] else 'off'} | {r['fresh'][0]:.2f} s | {r['fresh'][1]:,.0f} | {r['warm'][0]:.2f} s | "
          f"{r['fresh'][0] / r['warm'][0]:.2f}× | {'passed' if r['fresh'][2] and r['warm'][2] else 'FAILED'} |")
for on in (True, False):
    rs = [r for r in runs if r['on'] == on]
    print(f"| **median, warm-up {'on' if on else 'off'}** | | **{statistics.median(r['fresh'][0] for r in rs):.2f} s** | "
          f"{statistics.median(r['fresh'][1] for r in rs):,.0f} | {statistics.median(r['warm'][0] for r in rs):.2f} s | "
          f"**{statistics.median(r['fresh'][0] / r['warm'][0] for r in rs):.2f}×** | |")

# One group per run: the fresh surge's p99 and the warm one's, side by side.
width, height, left, bottom, top = 760, 300, 50, 60, 30
scale = max(max(r['fresh'][0], r['warm'][0]) for r in runs)
group = (width - left - 10) / len(runs)
bar = group / 3
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<text x="{left}" y="16" font-size="13">Hold p99 of 20,000 shoppers within 2 s, fresh process (dark) and warm (light), seconds</text>']
for s in range(0, int(scale) + 2):
    y = height - bottom - s / scale * (height - bottom - top)
    if y < top:
        break
    svg.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.0f}" y2="{y:.0f}" stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{s}</text>')
for i, r in enumerate(runs):
    x = left + i * group + bar / 2
    colour = ('#1f6f3f', '#8fd0a6') if r['on'] else ('#9a3b2e', '#e6a89c')
    for j, value in enumerate((r['fresh'][0], r['warm'][0])):
        h = value / scale * (height - bottom - top)
        svg.append(f'<rect x="{x + j * bar:.0f}" y="{height - bottom - h:.0f}" width="{bar - 2:.0f}" height="{h:.0f}" fill="{colour[j]}"/>')
    svg.append(f'<text x="{x + bar:.0f}" y="{height - bottom + 14}" text-anchor="middle">{"on" if r["on"] else "off"}</text>')
    svg.append(f'<text x="{x + bar:.0f}" y="{height - bottom + 28}" text-anchor="middle" fill="#666">{r["run"].split("/")[0]} {r["run"].split("/")[1][:2]}</text>')
svg.append(f'<text x="{left}" y="{height - 12}" fill="#666">warm-up on: green; off: red. Each host started once the machine was idle; the fresh surge after /health/warm-up was 200.</text>')
svg.append('</svg>')
with open(os.path.join(here, 'fresh-vs-warm.svg'), 'w') as f:
    f.write('\n'.join(svg) + '\n')
