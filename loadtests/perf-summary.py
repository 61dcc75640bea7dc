#!/usr/bin/env python3
"""Summarises a `perf record -g` CPU profile of a FlashSale process (standard library only).

Input: the text of `perf script -F comm,tid,period,ip,sym,dso` for a process started with
DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (without the second, JIT-compiled code
sits in a memfd perf cannot name). Output, into the directory given:
  - profile.md: where the CPU went by subsystem, two ways, and the top frames by own time;
  - profile-by-owner.svg: the "by owner" view as a bar chart.

"Where it ran" charges each sample to the subsystem of the frame it was sampled in. "By owner"
walks up from that frame to the first frame of a subsystem that is not shared plumbing (the .NET
base library's tasks and thread pool, the runtime's native code, libc, the kernel), so a memcpy,
an allocation or a socket write is charged to whoever asked for it: that is the view that says
what to change. A sample of a profiled redis-server process (named by its thread, as Debian's binary
has no usable frames) is charged to "Redis server (its own process)" both ways.
"""
import re
import sys
from collections import Counter
from pathlib import Path

# (subsystem, patterns on a frame's assembly in brackets or its native library); first match wins.
SUBSYSTEMS = [
    ("Token validation (JWT, HMAC)", [r"IdentityModel", r"JwtBearer", r"System\.Security\.Cryptography", r"libcrypto", r"libssl"]),
    ("Metrics (OpenTelemetry, meters)", [r"OpenTelemetry", r"System\.Diagnostics\.DiagnosticSource", r"Prometheus"]),
    ("Orleans dashboard", [r"Orleans\.Dashboard"]),
    ("Orleans serialization", [r"Orleans\.Serialization"]),
    ("Storage providers (grain state, reminders)", [r"Orleans\.Persistence", r"Orleans\.Reminders", r"Orleans\.Clustering"]),
    ("Orleans messaging and scheduling", [r"\[Orleans\.", r"Orleans\.Core", r"Orleans\.Runtime"]),
    ("Redis client (StackExchange.Redis)", [r"StackExchange\.Redis", r"Pipelines\.Sockets"]),
    ("Garnet (in-process store, Lua)", [r"Garnet", r"Tsavorite", r"liblua", r"KeraLua", r"NLua"]),
    ("System.Text.Json", [r"System\.Text\.Json"]),
    ("Kestrel and sockets", [r"Kestrel", r"System\.Net\.Sockets", r"libSystem\.Native", r"System\.IO\.Pipelines"]),
    ("ASP.NET Core (routing, auth, minimal APIs)", [r"Microsoft\.AspNetCore", r"Microsoft\.Extensions"]),
    ("FlashSale code", [r"\[FlashSale\."]),
    ("Logging", [r"Microsoft\.Extensions\.Logging"]),
    (".NET tasks, thread pool, collections", [r"System\.Private\.CoreLib", r"System\.Linq", r"System\.Collections", r"\[System\.Runtime\]", r"\[System\."]),
    ("Runtime native (GC, casts, stubs, JIT)", [r"libcoreclr", r"libclrjit", r"stub ", r"doublemapper"]),
    ("Kernel (scheduler, network stack)", [r"kernel\.kallsyms", r"\[k\]", r"vdso"]),
    ("libc", [r"libc\.so", r"ld-linux", r"libstdc"]),
]
REDIS_SERVER = "Redis server (its own process)"
SHARED_PLUMBING = {
    ".NET tasks, thread pool, collections",
    "Runtime native (GC, casts, stubs, JIT)",
    "Kernel (scheduler, network stack)",
    "libc",
    "unknown",
}
COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in SUBSYSTEMS]
SAMPLE_HEADER = re.compile(r"^(?P<comm>\S.*?)\s+(?P<tid>\d+)\s+(?P<period>\d+)\s*$")
FRAME = re.compile(r"^\s+[0-9a-f]+\s+(?P<sym>.*?)\s+\((?P<dso>[^()]*)\)\s*$")


def subsystem(frame: str) -> str:
    for name, patterns in COMPILED:
        if any(p.search(frame) for p in patterns):
            return name
    return "unknown"


def short(sym: str) -> str:
    """A frame's name without its signature's argument list and return type."""
    sym = re.sub(r"\[OptimizedTier1\]|\[Optimized\]|\[Tier0\]|\[Tier1\]|\[PreJIT\]|\[OSR\]", "", sym)
    head = sym.split("(", 1)[0]
    parts = head.split()
    return " ".join(parts[-2:]) if len(parts) >= 2 else head


def read_samples(lines):
    stack: list[str] = []
    comm = ""
    for line in lines:
        if not line.strip():
            if stack:
                yield comm, stack
            stack = []
            continue
        header = SAMPLE_HEADER.match(line)
        if header and not line.startswith(("\t", " ")):
            comm = header.group("comm")
            stack = []
            continue
        frame = FRAME.match(line)
        if frame:
            sym, dso = frame.group("sym"), frame.group("dso")
            stack.append(f"{sym} ({Path(dso).name})" if sym != "[unknown]" else f"[unknown] ({Path(dso).name})")
    if stack:
        yield comm, stack


def bar_chart(rows: list[tuple[str, float]], title: str) -> str:
    width, bar_left, bar_width, row_height, top = 860, 330, 440, 24, 40
    height = top + row_height * len(rows) + 30
    biggest = max((share for _, share in rows), default=1.0) or 1.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
        f'<text x="10" y="24" font-size="15" font-weight="bold">{title}</text>',
    ]
    for i, (name, share) in enumerate(rows):
        y = top + i * row_height
        length = bar_width * share / biggest
        out.append(f'<text x="{bar_left - 8}" y="{y + 16}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{bar_left}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" fill="#1f77b4"/>')
        out.append(f'<text x="{bar_left + length + 6:.1f}" y="{y + 16}">{share:.1f}%</text>')
    out.append("</svg>")
    return "\n".join(out)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(script_path: str, out_dir: str, title: str) -> None:
    where, owner, own_frames, threads = Counter(), Counter(), Counter(), Counter()
    total = 0
    with open(script_path, encoding="utf-8", errors="replace") as file:
        for comm, stack in read_samples(file):
            total += 1
            threads[comm.strip()] += 1
            leaf = stack[0]
            own_frames[short(leaf)] += 1
            if comm.strip().startswith("redis-server"):
                where[REDIS_SERVER] += 1
                owner[REDIS_SERVER] += 1
                continue
            where[subsystem(leaf)] += 1
            charged = next((s for s in map(subsystem, stack) if s not in SHARED_PLUMBING), None)
            if charged is None:
                charged = "GC threads" if "GC" in comm else f"no owner on the stack ({subsystem(leaf)})"
            owner[charged] += 1
    if total == 0:
        sys.exit("no samples in the perf script output")

    def table(counter: Counter, heading: str, limit: int | None = None) -> list[str]:
        lines = [f"| {heading} | share of samples |", "|---|---:|"]
        for name, count in counter.most_common(limit):
            lines.append(f"| {escape(name).replace('|', '/')} | {100 * count / total:.1f}% |")
        return lines

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = [f"# {title}", "", f"{total:,} samples.", "", "## By owner (what to change)", ""]
    report += table(owner, "subsystem that asked for the work")
    report += ["", "## Where it ran", ""] + table(where, "subsystem of the sampled frame")
    report += ["", "## Threads", ""] + table(threads, "thread name")
    report += ["", "## Top 40 frames by own time", ""] + table(own_frames, "frame", 40)
    (out / "profile.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    rows = [(name, 100 * count / total) for name, count in owner.most_common(16)]
    (out / "profile-by-owner.svg").write_text(bar_chart(rows, f"{title}: CPU by owning subsystem"), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: perf-summary.py <perf script output> <output directory> <title>")
    main(sys.argv[1], sys.argv[2], sys.argv[3])
