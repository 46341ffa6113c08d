"""Where the CPU went, from dotnet-trace's thread-time profile as speedscope (evented: frames opened and closed on
each thread's stack, with the pseudo-frame CPU_TIME on top while the thread ran): on-CPU time per method on its own
and with all it calls."""
import collections
import json
import sys

profile = json.load(open(sys.argv[1]))
frames = [frame["name"] for frame in profile["shared"]["frames"]]
own, total, cpu = collections.Counter(), collections.Counter(), 0.0
for thread in profile["profiles"]:
    stack = []  # [frame, opened at]
    for event in thread.get("events", []):
        if event["type"] == "O":
            stack.append((event["frame"], event["at"]))
            continue
        if not stack:
            continue
        frame, opened = stack.pop()
        if frames[frame] != "CPU_TIME" or not stack:
            continue
        duration = event["at"] - opened
        cpu += duration
        own[frames[stack[-1][0]]] += duration
        for name in {frames[caller] for caller, _ in stack}:
            total[name] += duration


def table(title, counter, rows):
    print(f"\n| {title} | share of CPU time |\n|---|---:|")
    for name, time in counter.most_common(rows):
        print(f"| `{name[:150]}` | {100 * time / cpu:.1f} % |")


table("method, on its own", own, 25)
table("Marsad's method, with what it calls", collections.Counter({name: time for name, time in total.items() if name.startswith("Marsad.")}), 25)
